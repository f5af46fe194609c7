/**
 * Privacy by default: what users asked and how they voted is kept QUESTION_RETENTION_DAYS,
 * then deleted, with the links from the bot's answer messages to their questions (in a
 * private chat the chat id is the user's id); expired conversation sessions are deleted too.
 * The job runs once at start and then every hour, in the Telegram bot and in the terminal
 * chat alike, so an idle bot forgets on time as well. Each store prunes its own rows
 * (`pruneExpired`, `pruneSessions`), which keeps this job the same for any storage backend.
 */
import type { Logger } from "../logger.js";
import { ConversationStore } from "./conversation-store.js";
import type { Db } from "./database.js";
import { pruneSessions } from "./session-storage.js";

export const DAY_MS = 86_400_000;
export const RETENTION_INTERVAL_MS = 3_600_000;

export interface RetentionOptions {
  readonly db: Db;
  readonly logger: Logger;
  /** QUESTION_RETENTION_DAYS. */
  readonly retentionDays: number;
  readonly now?: () => number;
  readonly intervalMs?: number;
  /** Other stores' prunes to run on the same schedule (the outbox's finished rows); each returns rows deleted. */
  readonly alsoPrune?: readonly ((now: number) => number)[];
}

export interface RetentionResult {
  readonly questions: number;
  readonly answerMessages: number;
  readonly votes: number;
  readonly sessions: number;
}

/** One pass: deletes everything past its retention. Logs what it deleted, when anything. */
export function pruneExpiredData(options: RetentionOptions): RetentionResult {
  const now = (options.now ?? Date.now)();
  const deleted = new ConversationStore(options.db).pruneExpired(now - options.retentionDays * DAY_MS);
  const sessions = pruneSessions(options.db, now);
  for (const prune of options.alsoPrune ?? []) prune(now);
  const result = { ...deleted, sessions };
  if (deleted.questions + deleted.votes + deleted.answerMessages > 0) {
    options.logger.info(
      `privacy: deleted ${deleted.questions} questions, ${deleted.answerMessages} answer links and ${deleted.votes} votes older than ${options.retentionDays} days` +
        (sessions > 0 ? `, and ${sessions} expired sessions` : ""),
    );
  }
  return result;
}

/** Runs `pruneExpiredData` now and every hour until `stop`. A failure is logged, never thrown. */
export function startRetention(options: RetentionOptions): { stop(): void } {
  const run = () => {
    try {
      pruneExpiredData(options);
    } catch (err) {
      options.logger.warn(`privacy: deleting expired questions and votes failed (will retry in an hour): ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  run();
  const timer = setInterval(run, options.intervalMs ?? RETENTION_INTERVAL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
