/**
 * Subscriptions in the database (SQLite or Postgres): a topic (words) or an outlet, per chat and forum topic. A topic is
 * stored with its analyzed key (the answer engine's terms, sorted), so "Iran Belarus",
 * "belarus iran" and "Belarusul, Iranul" are the same subscription; an outlet by its folded name.
 */
import { distinctTerms } from "../text/analyzer.js";
import { fold } from "../text/normalize.js";
import type { SqlDatabase } from "../storage/sql.js";

export type SubscriptionKind = "topic" | "outlet";

export interface Subscription {
  readonly id: number;
  readonly chatId: number;
  /** Forum topic the subscription was made in; notifications go there. */
  readonly threadId: number | null;
  readonly kind: SubscriptionKind;
  /** What the user typed (topic) or the outlet's name. */
  readonly query: string;
  readonly key: string;
  /** Interface language of the notifications. */
  readonly lang: string;
  /** Collected into one message a day instead of one message per article. */
  readonly digest: boolean;
  readonly createdAt: number;
}

export const MAX_SUBSCRIPTIONS_PER_CHAT = 20;
/** Longest topic kept (a topic is a few words, not a paragraph). */
export const TOPIC_LIMIT = 100;

export type AddResult =
  | { readonly status: "added"; readonly subscription: Subscription }
  | { readonly status: "exists"; readonly subscription: Subscription }
  | { readonly status: "limit" }
  | { readonly status: "no-terms" };

interface Row {
  id: number;
  chat_id: number;
  thread_id: number | null;
  kind: SubscriptionKind;
  query: string;
  key: string;
  lang: string;
  digest: number;
  created_at: number;
}

const fromRow = (r: Row): Subscription => ({
  id: r.id,
  chatId: r.chat_id,
  threadId: r.thread_id,
  kind: r.kind,
  query: r.query,
  key: r.key,
  lang: r.lang,
  digest: r.digest === 1,
  createdAt: r.created_at,
});

/** The analyzed key of a topic; empty when it has no searchable words. */
export function topicKey(topic: string): string {
  return [...distinctTerms(topic)].sort().join(" ");
}

/** The comparable form of an outlet name: folded, letters and digits only. */
export function outletKey(name: string): string {
  return fold(name).replace(/[^\p{L}\p{N}]+/gu, "");
}

/** The subscriptions repository (SQLite or Postgres: SubscriptionStore over either). */
export interface SubscriptionRepository {
  add(input: {
    chatId: number;
    threadId: number | null;
    kind: SubscriptionKind;
    query: string;
    lang: string;
    now: number;
    digest?: boolean;
  }): Promise<AddResult>;
  get(id: number): Promise<Subscription | undefined>;
  count(chatId: number): Promise<number>;
  listForChat(chatId: number): Promise<Subscription[]>;
  all(): Promise<Subscription[]>;
  /** Removes one subscription of a chat; false when it is not (or no longer) there. */
  remove(chatId: number, id: number): Promise<boolean>;
  removeChat(chatId: number): Promise<number>;
  setDigest(chatId: number, id: number, digest: boolean): Promise<boolean>;
  /** A group became a supergroup: its subscriptions follow it (duplicates of existing ones are dropped). */
  moveChat(from: number, to: number): Promise<number>;
  /** Forum topic gone: deliver to the chat's main thread instead. */
  clearThread(chatId: number, threadId: number): Promise<void>;
  stats(): Promise<{ subscriptions: number; chats: number }>;
}

const COLUMNS = "id, chat_id, thread_id, kind, query, key, lang, digest, created_at";

export class SubscriptionStore implements SubscriptionRepository {
  constructor(private readonly db: SqlDatabase) {}

  async add(input: {
    chatId: number;
    threadId: number | null;
    kind: SubscriptionKind;
    query: string;
    lang: string;
    now: number;
    digest?: boolean;
  }): Promise<AddResult> {
    const query = input.query.replace(/\s+/g, " ").trim().slice(0, TOPIC_LIMIT);
    const key = input.kind === "topic" ? topicKey(query) : outletKey(query);
    if (key === "") return { status: "no-terms" };
    return this.db.transaction(async (tx): Promise<AddResult> => {
      const find = () =>
        tx.get<Row>(`SELECT ${COLUMNS} FROM subscriptions WHERE chat_id = ? AND kind = ? AND key = ?`, [
          input.chatId,
          input.kind,
          key,
        ]);
      const existing = await find();
      if (existing) return { status: "exists", subscription: fromRow(existing) };
      const n =
        (await tx.get<{ n: number }>("SELECT COUNT(*) AS n FROM subscriptions WHERE chat_id = ?", [input.chatId]))?.n ?? 0;
      if (n >= MAX_SUBSCRIPTIONS_PER_CHAT) return { status: "limit" };
      // Another instance may add the same subscription at the same moment: the UNIQUE key decides.
      const inserted = await tx.get<Row>(
        `INSERT INTO subscriptions (chat_id, thread_id, kind, query, key, lang, digest, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (chat_id, kind, key) DO NOTHING RETURNING ${COLUMNS}`,
        [input.chatId, input.threadId, input.kind, query, key, input.lang, input.digest ? 1 : 0, input.now],
      );
      if (inserted) return { status: "added", subscription: fromRow(inserted) };
      const raced = await find();
      return raced ? { status: "exists", subscription: fromRow(raced) } : { status: "limit" };
    });
  }

  async get(id: number): Promise<Subscription | undefined> {
    const row = await this.db.get<Row>(`SELECT ${COLUMNS} FROM subscriptions WHERE id = ?`, [id]);
    return row ? fromRow(row) : undefined;
  }

  async count(chatId: number): Promise<number> {
    return (await this.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM subscriptions WHERE chat_id = ?", [chatId]))?.n ?? 0;
  }

  async listForChat(chatId: number): Promise<Subscription[]> {
    return (await this.db.all<Row>(`SELECT ${COLUMNS} FROM subscriptions WHERE chat_id = ? ORDER BY id`, [chatId])).map(fromRow);
  }

  async all(): Promise<Subscription[]> {
    return (await this.db.all<Row>(`SELECT ${COLUMNS} FROM subscriptions ORDER BY id`)).map(fromRow);
  }

  async remove(chatId: number, id: number): Promise<boolean> {
    return (await this.db.run("DELETE FROM subscriptions WHERE chat_id = ? AND id = ?", [chatId, id])) > 0;
  }

  removeChat(chatId: number): Promise<number> {
    return this.db.run("DELETE FROM subscriptions WHERE chat_id = ?", [chatId]);
  }

  async setDigest(chatId: number, id: number, digest: boolean): Promise<boolean> {
    return (
      (await this.db.run("UPDATE subscriptions SET digest = ? WHERE chat_id = ? AND id = ?", [digest ? 1 : 0, chatId, id])) > 0
    );
  }

  moveChat(from: number, to: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      const moved = await tx.run(
        "UPDATE subscriptions SET chat_id = ? WHERE chat_id = ? AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.chat_id = ? AND s.kind = subscriptions.kind AND s.key = subscriptions.key)",
        [to, from, to],
      );
      await tx.run("DELETE FROM subscriptions WHERE chat_id = ?", [from]);
      return moved;
    });
  }

  async clearThread(chatId: number, threadId: number): Promise<void> {
    await this.db.run("UPDATE subscriptions SET thread_id = NULL WHERE chat_id = ? AND thread_id = ?", [chatId, threadId]);
  }

  async stats(): Promise<{ subscriptions: number; chats: number }> {
    return (
      (await this.db.get<{ subscriptions: number; chats: number }>(
        "SELECT COUNT(*) AS subscriptions, COUNT(DISTINCT chat_id) AS chats FROM subscriptions",
      )) ?? { subscriptions: 0, chats: 0 }
    );
  }
}
