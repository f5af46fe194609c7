/**
 * Which Telegram updates have been taken on. Telegram re-sends a webhook update it believes
 * failed (a timeout, a lost connection, a restart between our 200 and its bookkeeping), so the
 * webhook claims each update_id before handling it and skips the ones already claimed.
 *
 * The log lives in the bot's database (table `webhook_updates`, migration 300): on SQLite for
 * one instance, on Postgres shared by every instance behind one URL, so a re-send that reaches
 * another instance is skipped there too.
 */
import type { SqlDatabase } from "../storage/sql.js";

export interface UpdateLog {
  /** True the first time an update_id is claimed, false every time after (a re-send). */
  claim(updateId: number): Promise<boolean>;
}

/** How long claimed ids are kept: Telegram keeps an undelivered update for 24 hours. */
export const UPDATE_LOG_RETENTION_MS = 48 * 3_600_000;
/** Pruning runs at most this often, on a claim. */
const PRUNE_EVERY_MS = 10 * 60_000;

/** The update log in the bot's database, SQLite or Postgres (the same SQL runs on both). */
export class SqlUpdateLog implements UpdateLog {
  private lastPrune = 0;

  constructor(
    private readonly db: Pick<SqlDatabase, "run">,
    private readonly options: { readonly retentionMs?: number; readonly now?: () => number } = {},
  ) {}

  async claim(updateId: number): Promise<boolean> {
    const now = this.options.now?.() ?? Date.now();
    if (now - this.lastPrune >= PRUNE_EVERY_MS) {
      this.lastPrune = now;
      await this.prune(now - (this.options.retentionMs ?? UPDATE_LOG_RETENTION_MS));
    }
    return (
      (await this.db.run("INSERT INTO webhook_updates (update_id, claimed_at) VALUES (?, ?) ON CONFLICT (update_id) DO NOTHING", [
        updateId,
        now,
      ])) === 1
    );
  }

  /** Forgets ids claimed before `before` (ms); returns how many. */
  prune(before: number): Promise<number> {
    return this.db.run("DELETE FROM webhook_updates WHERE claimed_at < ?", [before]);
  }
}
