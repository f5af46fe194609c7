import { Conversation } from "../conversation/conversation.js";
import { openDatabase } from "../storage/database.js";
import { ConversationStore } from "../storage/conversation-store.js";
import type { Db } from "../storage/database.js";
import type { BotDeps } from "./deps.js";

/** What the features use, built once per bot from its dependencies. */
export interface BotServices extends BotDeps {
  readonly db: Db;
  readonly conversation: Conversation;
  readonly store: ConversationStore;
  /** "Now" (injectable for tests: the "most recent information" notice). */
  readonly clock: () => Date;
  readonly admins: ReadonlySet<number>;
}

/** Without a database (tests, tools) the bot keeps its state in an in-memory one. */
export function createServices(deps: BotDeps): BotServices {
  const db = deps.db ?? openDatabase(":memory:");
  return {
    ...deps,
    db,
    conversation: new Conversation(deps.engine),
    store: new ConversationStore(db),
    clock: deps.now ?? (() => new Date()),
    admins: new Set(deps.adminIds ?? []),
  };
}

/** Runs a write that must not cost the user an answer (statistics, links for replies); logs a failure. */
export function remember<T>(services: BotServices, what: string, write: () => T): T | undefined {
  try {
    return write();
  } catch (err) {
    services.logger.warn(`storage: ${what} failed (ignored): ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}
