/**
 * The durable outbox: every message the bot must push (notifications, digests, notices to the
 * admins) is a row in the database before anything is sent. Producers enqueue inside their
 * own transaction ("article processed" and "one row per subscriber" commit together or not at
 * all: see ArticleRepository.commitFeedArticle); the sender (sender.ts) sends the rows one at
 * a time and marks each sent right after Telegram accepts it. A crash therefore loses
 * nothing, and repeats at most the one message whose acceptance was not yet recorded.
 *
 * `item` names what a row delivers (an article id, `digest:2025-08-20`, …); UNIQUE (chat_id,
 * item) makes enqueueing the same thing twice for a chat a no-op. Articles for daily-digest
 * subscriptions wait in `digest_items` until the day's digest is queued (takeDigests).
 */
import type { SqlDatabase, SqlExecutor } from "../storage/sql.js";

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

/** An article waiting for its chat's daily digest. */
export interface DigestItem {
  readonly chatId: number;
  readonly threadId: number | null;
  readonly articleId: string;
  readonly lang: string;
  /** The digest's line for the article (HTML). */
  readonly line: string;
}

/** The outbox repository: what the sender, the publisher and /feeds need of it. */
export interface OutboxRepository {
  /** Adds messages in their own transaction; returns how many were new. */
  enqueue(messages: readonly OutboxMessage[], now: number): Promise<number>;
  /** Pending rows due by `now`: each chat's oldest one, oldest first. */
  due(now: number, limit?: number): Promise<OutboxRow[]>;
  /** When the next pending row falls due (null: nothing pending). */
  nextDueAt(): Promise<number | null>;
  pendingCount(): Promise<number>;
  markSent(id: number, messageId: number | null, now: number): Promise<void>;
  /** A failed attempt to try again at `at`. */
  retryAt(id: number, at: number, error: string): Promise<void>;
  /** Put back without counting an attempt (flood wait: Telegram asked everyone to wait). */
  postpone(id: number, at: number): Promise<void>;
  fail(id: number, error: string): Promise<void>;
  /** The chat is gone (blocked the bot, deleted): its pending rows are dropped. */
  dropChat(chatId: number, reason: string): Promise<number>;
  /** A group became a supergroup: its pending rows go to the new chat id. */
  moveChat(from: number, to: number): Promise<number>;
  /** The forum topic is gone: send this chat's rows for it to the main thread. */
  clearThread(chatId: number, threadId: number): Promise<void>;
  /** Forgets finished rows older than `before` (sent, failed, dropped); pending rows stay. */
  prune(before: number): Promise<number>;
  counts(): Promise<Record<OutboxStatus, number>>;
  /**
   * The digest items collected before `cutoff`, turned into one message per chat by `build`,
   * queued, and removed — in one transaction. Returns how many messages were queued.
   */
  takeDigests(
    cutoff: number,
    now: number,
    build: (chatId: number, items: readonly DigestItem[]) => OutboxMessage,
  ): Promise<number>;
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

/** Inserts outbox rows inside the caller's transaction; returns how many were new. */
export async function insertOutbox(tx: SqlExecutor, messages: readonly OutboxMessage[], now: number): Promise<number> {
  let added = 0;
  for (const m of messages) {
    added += await tx.run(
      "INSERT INTO outbox (chat_id, thread_id, item, text, markup, status, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT (chat_id, item) DO NOTHING",
      [m.chatId, m.threadId, m.item, m.text, m.markup === undefined ? null : JSON.stringify(m.markup), now, now],
    );
  }
  return added;
}

/** Inserts digest items inside the caller's transaction; returns how many were new. */
export async function insertDigestItems(tx: SqlExecutor, items: readonly DigestItem[], now: number): Promise<number> {
  let added = 0;
  for (const d of items) {
    added += await tx.run(
      "INSERT INTO digest_items (chat_id, thread_id, article_id, lang, line, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (chat_id, article_id) DO NOTHING",
      [d.chatId, d.threadId, d.articleId, d.lang, d.line, now],
    );
  }
  return added;
}

/** The outbox in SQL (SQLite or Postgres). */
export class Outbox implements OutboxRepository {
  constructor(private readonly db: SqlDatabase) {}

  enqueue(messages: readonly OutboxMessage[], now: number): Promise<number> {
    if (messages.length === 0) return Promise.resolve(0);
    return this.db.transaction((tx) => insertOutbox(tx, messages, now));
  }

  /**
   * Pending rows due by `now`: each chat's oldest one, oldest first. One row per chat, so a chat
   * with hundreds of messages waiting (its own rate limit) never holds up the others.
   */
  async due(now: number, limit = 200): Promise<OutboxRow[]> {
    const rows = await this.db.all<Row>(
      `SELECT id, chat_id, thread_id, item, text, markup, attempts, next_attempt_at FROM outbox
       WHERE id IN (SELECT MIN(id) FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? GROUP BY chat_id)
       ORDER BY next_attempt_at, id LIMIT ?`,
      [now, limit],
    );
    return rows.map(fromRow);
  }

  async nextDueAt(): Promise<number | null> {
    return (
      (await this.db.get<{ at: number | null }>("SELECT MIN(next_attempt_at) AS at FROM outbox WHERE status = 'pending'"))?.at ??
      null
    );
  }

  async pendingCount(): Promise<number> {
    return (await this.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'"))?.n ?? 0;
  }

  async markSent(id: number, messageId: number | null, now: number): Promise<void> {
    await this.db.run(
      "UPDATE outbox SET status = 'sent', sent_at = ?, message_id = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?",
      [now, messageId, id],
    );
  }

  async retryAt(id: number, at: number, error: string): Promise<void> {
    await this.db.run("UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?", [
      at,
      error,
      id,
    ]);
  }

  async postpone(id: number, at: number): Promise<void> {
    await this.db.run("UPDATE outbox SET next_attempt_at = ? WHERE id = ? AND next_attempt_at < ?", [at, id, at]);
  }

  async fail(id: number, error: string): Promise<void> {
    await this.db.run("UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?", [error, id]);
  }

  dropChat(chatId: number, reason: string): Promise<number> {
    return this.db.run("UPDATE outbox SET status = 'dropped', last_error = ? WHERE chat_id = ? AND status = 'pending'", [
      reason,
      chatId,
    ]);
  }

  moveChat(from: number, to: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      // A row the new chat already has (same item) stays behind and is dropped as a duplicate.
      const moved = await tx.run(
        "UPDATE outbox SET chat_id = ? WHERE chat_id = ? AND status = 'pending' AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.chat_id = ? AND o.item = outbox.item)",
        [to, from, to],
      );
      await tx.run(
        "UPDATE outbox SET status = 'dropped', last_error = 'migrated (duplicate)' WHERE chat_id = ? AND status = 'pending'",
        [from],
      );
      return moved;
    });
  }

  async clearThread(chatId: number, threadId: number): Promise<void> {
    await this.db.run("UPDATE outbox SET thread_id = NULL WHERE chat_id = ? AND thread_id = ? AND status = 'pending'", [
      chatId,
      threadId,
    ]);
  }

  prune(before: number): Promise<number> {
    return this.db.run("DELETE FROM outbox WHERE status <> 'pending' AND created_at < ?", [before]);
  }

  async counts(): Promise<Record<OutboxStatus, number>> {
    const out: Record<OutboxStatus, number> = { pending: 0, sent: 0, failed: 0, dropped: 0 };
    for (const r of await this.db.all<{ status: OutboxStatus; n: number }>(
      "SELECT status, COUNT(*) AS n FROM outbox GROUP BY status",
    ))
      out[r.status] = r.n;
    return out;
  }

  takeDigests(
    cutoff: number,
    now: number,
    build: (chatId: number, items: readonly DigestItem[]) => OutboxMessage,
  ): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.all<{ chat_id: number; thread_id: number | null; article_id: string; lang: string; line: string }>(
        "SELECT chat_id, thread_id, article_id, lang, line FROM digest_items WHERE created_at < ? ORDER BY chat_id, created_at",
        [cutoff],
      );
      if (rows.length === 0) return 0;
      const byChat = new Map<number, DigestItem[]>();
      for (const r of rows) {
        const item: DigestItem = {
          chatId: r.chat_id,
          threadId: r.thread_id,
          articleId: r.article_id,
          lang: r.lang,
          line: r.line,
        };
        byChat.set(r.chat_id, [...(byChat.get(r.chat_id) ?? []), item]);
      }
      const queued = await insertOutbox(
        tx,
        [...byChat].map(([chatId, items]) => build(chatId, items)),
        now,
      );
      await tx.run("DELETE FROM digest_items WHERE created_at < ?", [cutoff]);
      return queued;
    });
  }
}
