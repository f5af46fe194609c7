/**
 * Subscriptions in SQLite: a topic (words) or an outlet, per chat and forum topic. A topic is
 * stored with its analyzed key (the answer engine's terms, sorted), so "Iran Belarus",
 * "belarus iran" and "Belarusul, Iranul" are the same subscription; an outlet by its folded name.
 */
import { distinctTerms } from "../text/analyzer.js";
import { fold } from "../text/normalize.js";
import type { Db } from "../storage/database.js";

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

export class SubscriptionStore {
  constructor(private readonly db: Db) {}

  add(input: { chatId: number; threadId: number | null; kind: SubscriptionKind; query: string; lang: string; now: number; digest?: boolean }): AddResult {
    const query = input.query.replace(/\s+/g, " ").trim().slice(0, TOPIC_LIMIT);
    const key = input.kind === "topic" ? topicKey(query) : outletKey(query);
    if (key === "") return { status: "no-terms" };
    return this.db.transaction((): AddResult => {
      const existing = this.db.prepare("SELECT * FROM subscriptions WHERE chat_id = ? AND kind = ? AND key = ?").get(input.chatId, input.kind, key) as Row | undefined;
      if (existing) return { status: "exists", subscription: fromRow(existing) };
      if (this.count(input.chatId) >= MAX_SUBSCRIPTIONS_PER_CHAT) return { status: "limit" };
      const r = this.db
        .prepare("INSERT INTO subscriptions (chat_id, thread_id, kind, query, key, lang, digest, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .run(input.chatId, input.threadId, input.kind, query, key, input.lang, input.digest ? 1 : 0, input.now);
      return { status: "added", subscription: this.get(Number(r.lastInsertRowid)) as Subscription };
    })();
  }

  get(id: number): Subscription | undefined {
    const row = this.db.prepare("SELECT * FROM subscriptions WHERE id = ?").get(id) as Row | undefined;
    return row ? fromRow(row) : undefined;
  }

  count(chatId: number): number {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM subscriptions WHERE chat_id = ?").get(chatId) as { n: number }).n;
  }

  listForChat(chatId: number): Subscription[] {
    return (this.db.prepare("SELECT * FROM subscriptions WHERE chat_id = ? ORDER BY id").all(chatId) as Row[]).map(fromRow);
  }

  all(): Subscription[] {
    return (this.db.prepare("SELECT * FROM subscriptions ORDER BY id").all() as Row[]).map(fromRow);
  }

  /** Removes one subscription of a chat; false when it is not (or no longer) there. */
  remove(chatId: number, id: number): boolean {
    return this.db.prepare("DELETE FROM subscriptions WHERE chat_id = ? AND id = ?").run(chatId, id).changes > 0;
  }

  removeChat(chatId: number): number {
    return this.db.prepare("DELETE FROM subscriptions WHERE chat_id = ?").run(chatId).changes;
  }

  setDigest(chatId: number, id: number, digest: boolean): boolean {
    return this.db.prepare("UPDATE subscriptions SET digest = ? WHERE chat_id = ? AND id = ?").run(digest ? 1 : 0, chatId, id).changes > 0;
  }

  /** A group became a supergroup: its subscriptions follow it (duplicates of existing ones are dropped). */
  moveChat(from: number, to: number): number {
    return this.db.transaction(() => {
      const moved = this.db.prepare("UPDATE OR IGNORE subscriptions SET chat_id = ? WHERE chat_id = ?").run(to, from).changes;
      this.db.prepare("DELETE FROM subscriptions WHERE chat_id = ?").run(from);
      return moved;
    })();
  }

  /** Forum topic gone: deliver to the chat's main thread instead. */
  clearThread(chatId: number, threadId: number): void {
    this.db.prepare("UPDATE subscriptions SET thread_id = NULL WHERE chat_id = ? AND thread_id = ?").run(chatId, threadId);
  }

  stats(): { subscriptions: number; chats: number } {
    return this.db.prepare("SELECT COUNT(*) AS subscriptions, COUNT(DISTINCT chat_id) AS chats FROM subscriptions").get() as { subscriptions: number; chats: number };
  }
}
