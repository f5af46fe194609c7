/**
 * The live-news pipeline wired for tests, all in memory and in virtual time: an in-memory
 * database, an answer engine, the publisher, the outbox, a sender talking to a FakeTelegram,
 * and subscriptions made directly in the store.
 */
import type { Article } from "../../src/content/article.js";
import { Outbox } from "../../src/delivery/outbox.js";
import { Publisher } from "../../src/delivery/publisher.js";
import { Sender, type SenderOptions } from "../../src/delivery/sender.js";
import { createMemoryLogger } from "../../src/logger.js";
import { AnswerEngine } from "../../src/search/answer-engine.js";
import { openDatabase, type Db } from "../../src/storage/database.js";
import { SubscriptionStore, type Subscription, type SubscriptionKind } from "../../src/subscriptions/subscription-store.js";
import { TestClock } from "../support/test-clock.js";
import { FakeTelegram, type Responder } from "./fake-telegram.js";

export class Newsroom {
  readonly clock = new TestClock();
  readonly logger = createMemoryLogger();
  readonly db: Db;
  readonly engine: AnswerEngine;
  readonly outbox: Outbox;
  readonly subscriptions: SubscriptionStore;
  readonly publisher: Publisher;
  readonly telegram: FakeTelegram;
  readonly sender: Sender;

  constructor(options: { articles?: Article[]; db?: Db; respond?: Responder; sender?: SenderOptions } = {}) {
    this.db = options.db ?? openDatabase(":memory:");
    this.engine = AnswerEngine.fromArticles(options.articles ?? []);
    this.outbox = new Outbox(this.db);
    this.subscriptions = new SubscriptionStore(this.db);
    this.telegram = new FakeTelegram(options.respond);
    this.sender = new Sender(this.outbox, this.telegram.api, this.subscriptions, this.logger, { clock: this.clock, ...options.sender });
    this.publisher = new Publisher(this.db, this.engine, null, this.outbox, this.subscriptions, this.logger, { clock: this.clock });
  }

  subscribe(chatId: number, query: string, kind: SubscriptionKind = "topic", extra: { threadId?: number; lang?: string; digest?: boolean } = {}): Subscription {
    const r = this.subscriptions.add({ chatId, threadId: extra.threadId ?? null, kind, query, lang: extra.lang ?? "ro", now: this.clock.now(), digest: extra.digest ?? false });
    if (r.status !== "added") throw new Error(`subscribe ${chatId} ${query}: ${r.status}`);
    return r.subscription;
  }

  /** Pending outbox rows per chat. */
  pending(): Map<number, number> {
    const rows = this.db.prepare("SELECT chat_id, COUNT(*) AS n FROM outbox WHERE status = 'pending' GROUP BY chat_id").all() as { chat_id: number; n: number }[];
    return new Map(rows.map((r) => [r.chat_id, r.n]));
  }

  errors(): string[] {
    return this.logger.lines.filter((l) => l.startsWith("error "));
  }
}
