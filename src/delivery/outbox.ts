/**
 * The durable outbox: every message the bot must push (notifications, digests, notices to the
 * admins) is a row in SQLite before anything is sent. Producers enqueue inside their own
 * transaction ("article processed" and "one row per subscriber" commit together or not at
 * all); the sender (sender.ts) sends the rows one at a time and marks each sent right after
 * Telegram accepts it. A crash therefore loses nothing, and repeats at most the one message
 * whose acceptance was not yet recorded.
 *
 * `item` names what a row delivers (an article id, `digest:2025-08-20`, …); UNIQUE (chat_id,
 * item) makes enqueueing the same thing twice for a chat a no-op.
 */
import type { Db } from "../storage/database.js";

export type OutboxStatus = "pending" | "sent" | "failed" | "dropped";

export interface OutboxMessage {
  readonly chatId: number;
  readonly threadId: number | null;
  readonly item: string;
  /** HTML (parse_mode HTML), at most 4096 characters. */
  readonly text: string;
  /** Inline keyboard (reply_markup), JSON-serialisable. */
  readonly markup?: unknown;
}

export interface OutboxRow extends OutboxMessage {
  readonly id: number;
  readonly attempts: number;
  readonly nextAttemptAt: number;
}

interface Row {
  id: number;
  chat_id: number;
  thread_id: number | null;
  item: string;
  text: string;
  markup: string | null;
  attempts: number;
  next_attempt_at: number;
}

const fromRow = (r: Row): OutboxRow => ({
  id: r.id,
  chatId: r.chat_id,
  threadId: r.thread_id,
  item: r.item,
  text: r.text,
  ...(r.markup ? { markup: JSON.parse(r.markup) as unknown } : {}),
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
});

export class Outbox {
  constructor(private readonly db: Db) {}

  /** Adds messages (call inside the producer's transaction); returns how many were new. */
  enqueue(messages: readonly OutboxMessage[], now: number): number {
    const insert = this.db.prepare(
      "INSERT OR IGNORE INTO outbox (chat_id, thread_id, item, text, markup, status, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)",
    );
    let added = 0;
    for (const m of messages) {
      added += insert.run(m.chatId, m.threadId, m.item, m.text, m.markup === undefined ? null : JSON.stringify(m.markup), now, now).changes;
    }
    return added;
  }

  /**
   * Pending rows due by `now`: each chat's oldest one, oldest first. One row per chat, so a chat
   * with hundreds of messages waiting (its own rate limit) never holds up the others.
   */
  due(now: number, limit = 200): OutboxRow[] {
    return (
      this.db
        .prepare(
          `SELECT id, chat_id, thread_id, item, text, markup, attempts, next_attempt_at FROM outbox
           WHERE id IN (SELECT MIN(id) FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? GROUP BY chat_id)
           ORDER BY next_attempt_at, id LIMIT ?`,
        )
        .all(now, limit) as Row[]
    ).map(fromRow);
  }

  /** When the next pending row falls due (null: nothing pending). */
  nextDueAt(): number | null {
    const r = this.db.prepare("SELECT MIN(next_attempt_at) AS at FROM outbox WHERE status = 'pending'").get() as { at: number | null };
    return r.at;
  }

  pendingCount(): number {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'").get() as { n: number }).n;
  }

  markSent(id: number, messageId: number | null, now: number): void {
    this.db.prepare("UPDATE outbox SET status = 'sent', sent_at = ?, message_id = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?").run(now, messageId, id);
  }

  /** A failed attempt to try again at `at`. */
  retryAt(id: number, at: number, error: string): void {
    this.db.prepare("UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?").run(at, error, id);
  }

  /** Put back without counting an attempt (flood wait: Telegram asked everyone to wait). */
  postpone(id: number, at: number): void {
    this.db.prepare("UPDATE outbox SET next_attempt_at = MAX(next_attempt_at, ?) WHERE id = ?").run(at, id);
  }

  fail(id: number, error: string): void {
    this.db.prepare("UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?").run(error, id);
  }

  /** The chat is gone (blocked the bot, deleted): its pending rows are dropped. */
  dropChat(chatId: number, reason: string): number {
    return this.db.prepare("UPDATE outbox SET status = 'dropped', last_error = ? WHERE chat_id = ? AND status = 'pending'").run(reason, chatId).changes;
  }

  /** A group became a supergroup: its pending rows go to the new chat id. */
  moveChat(from: number, to: number): number {
    return this.db.transaction(() => {
      const moved = this.db.prepare("UPDATE OR IGNORE outbox SET chat_id = ? WHERE chat_id = ? AND status = 'pending'").run(to, from).changes;
      this.db.prepare("UPDATE outbox SET status = 'dropped', last_error = 'migrated (duplicate)' WHERE chat_id = ? AND status = 'pending'").run(from);
      return moved;
    })();
  }

  /** The forum topic is gone: send this chat's rows for it to the main thread. */
  clearThread(chatId: number, threadId: number): void {
    this.db.prepare("UPDATE outbox SET thread_id = NULL WHERE chat_id = ? AND thread_id = ? AND status = 'pending'").run(chatId, threadId);
  }

  /** Forgets finished rows older than `before` (sent, failed, dropped); pending rows stay. */
  prune(before: number): number {
    return this.db.prepare("DELETE FROM outbox WHERE status != 'pending' AND created_at < ?").run(before).changes;
  }

  counts(): Record<OutboxStatus, number> {
    const out: Record<OutboxStatus, number> = { pending: 0, sent: 0, failed: 0, dropped: 0 };
    for (const r of this.db.prepare("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status").all() as { status: OutboxStatus; n: number }[]) out[r.status] = r.n;
    return out;
  }
}
