/**
 * Privacy by default: what users asked and how they voted is kept QUESTION_RETENTION_DAYS,
 * then deleted, with the links from the bot's answer messages to their questions (in a
 * private chat the chat id is the user's id); expired conversation sessions are deleted too.
 * The job runs once at start and then every hour, in the Telegram bot and in the terminal
 * chat alike, so an idle bot forgets on time as well. Each repository prunes its own rows
 * (`questions.pruneExpired`, `sessions.prune`), the same on SQLite and Postgres. With several
 * instances on one database each runs it; the deletes are idempotent.
 */
import type { Logger } from "../logger.js";
import type { Storage } from "./storage.js";

export const DAY_MS = 86_400_000;
export const RETENTION_INTERVAL_MS = 3_600_000;

export interface RetentionOptions {
  readonly storage: Pick<Storage, "questions" | "sessions">;
  readonly logger: Logger;
  /** QUESTION_RETENTION_DAYS. */
  readonly retentionDays: number;
  readonly now?: () => number;
  readonly intervalMs?: number;
  /** Other stores' prunes to run on the same schedule (the outbox's finished rows); each resolves rows deleted. */
  readonly alsoPrune?: readonly ((now: number) => Promise<number> | number)[];
}

export interface RetentionResult {
  readonly questions: number;
  readonly answerMessages: number;
  readonly votes: number;
  readonly sessions: number;
}

/** One pass: deletes everything past its retention. Logs what it deleted, when anything. */
export async function pruneExpiredData(options: RetentionOptions): Promise<RetentionResult> {
  const now = (options.now ?? Date.now)();
  const deleted = await options.storage.questions.pruneExpired(now - options.retentionDays * DAY_MS);
  const sessions = await options.storage.sessions.prune(now);
  for (const prune of options.alsoPrune ?? []) await prune(now);
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
export function startRetention(options: RetentionOptions): { stop(): void; readonly first: Promise<void> } {
  const run = () =>
    pruneExpiredData(options).then(
      () => undefined,
      (err: unknown) =>
        options.logger.warn(
          `privacy: deleting expired questions and votes failed (will retry in an hour): ${err instanceof Error ? err.message : String(err)}`,
        ),
    );
  const first = run();
  const timer = setInterval(() => void run(), options.intervalMs ?? RETENTION_INTERVAL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer), first };
}
