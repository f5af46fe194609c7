/**
 * Every repository over one database: what main.ts builds once and hands to the bot, the
 * publisher, the sender and the poller. Each domain has its own interface (sessions,
 * questions & votes, subscriptions, feed state, stored articles & processed keys, outbox &
 * digests); this bundle implements them all on SQLite or Postgres.
 */
import { Outbox, type OutboxRepository } from "../delivery/outbox.js";
import { SubscriptionStore, type SubscriptionRepository } from "../subscriptions/subscription-store.js";
import { ArticleStore, type ArticleRepository } from "./article-store.js";
import { ConversationStore, type QuestionRepository } from "./conversation-store.js";
import { openSqlDatabase, openSqlite, openSqliteSync } from "./database.js";
import { FeedStore, type FeedStateRepository } from "./feed-store.js";
import { SqlSessionRepository, type SessionRepository } from "./session-storage.js";
import type { SqlDatabase } from "./sql.js";

export interface Storage {
  readonly db: SqlDatabase;
  readonly sessions: SessionRepository;
  readonly questions: QuestionRepository;
  readonly subscriptions: SubscriptionRepository;
  readonly feeds: FeedStateRepository;
  readonly articles: ArticleRepository;
  readonly outbox: OutboxRepository;
  close(): Promise<void>;
}

export function storageOn(db: SqlDatabase): Storage {
  return {
    db,
    sessions: new SqlSessionRepository(db),
    questions: new ConversationStore(db),
    subscriptions: new SubscriptionStore(db),
    feeds: new FeedStore(db),
    articles: new ArticleStore(db),
    outbox: new Outbox(db),
    close: () => db.close(),
  };
}

/** Postgres when `databaseUrl` is a postgres:// URL, else SQLite in `dataDir`; migrated. */
export async function openStorage(o: { databaseUrl?: string | null; dataDir: string }): Promise<Storage> {
  return storageOn(await openSqlDatabase(o));
}

/** A private in-memory SQLite storage (tests, tools). */
export async function memoryStorage(): Promise<Storage> {
  return storageOn(await openSqlite(":memory:"));
}

/** The same, synchronously (better-sqlite3 migrates without waiting): for the bot's default. */
export function memoryStorageSync(): Storage {
  return storageOn(openSqliteSync(":memory:"));
}
