import { Conversation } from "../conversation/conversation.js";
import type { QuestionRepository } from "../storage/conversation-store.js";
import { memoryStorageSync, type Storage } from "../storage/storage.js";
import type { BotDeps } from "./deps.js";

/** What the features use, built once per bot from its dependencies. */
export interface BotServices extends BotDeps {
  readonly storage: Storage;
  readonly conversation: Conversation;
  readonly store: QuestionRepository;
  /** "Now" (injectable for tests: the "most recent information" notice). */
  readonly clock: () => Date;
  readonly admins: ReadonlySet<number>;
  readonly typingDelayMs: number;
}

export const DEFAULT_TYPING_DELAY_MS = 500;

/** Without storage (tests, tools) the bot keeps its state in an in-memory SQLite database. */
export function createServices(deps: BotDeps): BotServices {
  const storage = deps.storage ?? memoryStorageSync();
  return {
    ...deps,
    storage,
    conversation: new Conversation(deps.engine),
    store: storage.questions,
    clock: deps.now ?? (() => new Date()),
    admins: new Set(deps.adminIds ?? []),
    typingDelayMs: deps.typingDelayMs ?? DEFAULT_TYPING_DELAY_MS,
  };
}

/** Runs a database call that must not cost the user an answer (statistics, links for replies); logs a failure. */
export async function remember<T>(services: BotServices, what: string, write: () => Promise<T>): Promise<T | undefined> {
  try {
    return await write();
  } catch (err) {
    services.logger.warn(`storage: ${what} failed (ignored): ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}
