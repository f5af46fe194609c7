/**
 * The live-news pipeline wired for tests, in virtual time: an in-memory SQLite storage (or
 * the one given, e.g. Postgres), an answer engine, the publisher, the outbox, a sender talking to a FakeTelegram,
 * and subscriptions made directly in the store.
 */
import type { Article } from "../../src/content/article.js";
import { notificationRenderer } from "../../src/bot/notifications.js";
import type { OutboxRepository } from "../../src/delivery/outbox.js";
import { Publisher } from "../../src/delivery/publisher.js";
import { Sender, type SenderOptions } from "../../src/delivery/sender.js";
import { createMemoryLogger } from "../../src/logger.js";
import { AnswerEngine } from "../../src/search/answer-engine.js";
import { memoryStorageSync, type Storage } from "../../src/storage/storage.js";
import type { Subscription, SubscriptionKind, SubscriptionRepository } from "../../src/subscriptions/subscription-store.js";
import { TestClock } from "../support/test-clock.js";
import { FakeTelegram, type Responder } from "./fake-telegram.js";

export class Newsroom {
  readonly clock = new TestClock();
  readonly logger = createMemoryLogger();
  readonly storage: Storage;
  readonly engine: AnswerEngine;
  readonly outbox: OutboxRepository;
  readonly subscriptions: SubscriptionRepository;
  readonly publisher: Publisher;
  readonly telegram: FakeTelegram;
  readonly sender: Sender;

  constructor(
    options: { articles?: Article[]; storage?: Storage; respond?: Responder; sender?: SenderOptions; maxPassages?: number } = {},
  ) {
    this.storage = options.storage ?? memoryStorageSync();
    this.engine = AnswerEngine.fromArticles(options.articles ?? []);
    this.outbox = this.storage.outbox;
    this.subscriptions = this.storage.subscriptions;
    this.telegram = new FakeTelegram(options.respond);
    this.sender = new Sender(this.outbox, this.telegram.api, this.subscriptions, this.logger, {
      clock: this.clock,
      ...options.sender,
    });
    this.publisher = new Publisher(this.storage, this.engine, null, notificationRenderer, this.logger, {
      clock: this.clock,
      ...(options.maxPassages !== undefined ? { maxPassages: options.maxPassages } : {}),
    });
  }

  async subscribe(
    chatId: number,
    query: string,
    kind: SubscriptionKind = "topic",
    extra: { threadId?: number; lang?: string; digest?: boolean } = {},
  ): Promise<Subscription> {
    const r = await this.subscriptions.add({
      chatId,
      threadId: extra.threadId ?? null,
      kind,
      query,
      lang: extra.lang ?? "ro",
      now: this.clock.now(),
      digest: extra.digest ?? false,
    });
    if (r.status !== "added") throw new Error(`subscribe ${chatId} ${query}: ${r.status}`);
    return r.subscription;
  }

  /** Pending outbox rows per chat. */
  async pending(): Promise<Map<number, number>> {
    const rows = await this.storage.db.all<{ chat_id: number; n: number }>(
      "SELECT chat_id, COUNT(*) AS n FROM outbox WHERE status = 'pending' GROUP BY chat_id",
    );
    return new Map(rows.map((r) => [r.chat_id, r.n]));
  }

  errors(): string[] {
    return this.logger.lines.filter((l) => l.startsWith("error "));
  }
}
