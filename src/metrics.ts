/**
 * Every Prometheus metric Citat exports, defined in one place (served at GET /metrics).
 * Each `createMetrics` call has its own registry, so tests and several bots in one process
 * never share counters. Gauges that mirror state (outbox, feeds, index, updates in flight)
 * read it when scraped (`render`), through the `MetricSources` the wiring passes in; a source that fails
 * is counted and its gauge keeps its last value (a broken metric must never break the bot or
 * the scrape).
 *
 * The answer engine knows nothing of this: questions are counted at the bot's level through
 * the `BotObserver` interface (src/bot/create-bot.ts), which `Metrics.observer` implements.
 */
import type { Api } from "grammy";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { BotObserver, QuestionOutcome } from "./bot/create-bot.js";

type Source<T> = () => T | Promise<T>;

/** Where the state-mirroring gauges read from (at scrape time); every source is optional. */
export interface MetricSources {
  /** Updates being handled right now (the runner's or the webhook queue's size). */
  readonly updatesInFlight?: Source<number>;
  /** Updates received by the webhook and waiting for a free slot. */
  readonly updatesQueued?: Source<number>;
  /** Outbox rows by status (pending is the outbox depth). */
  readonly outbox?: Source<Readonly<Record<"pending" | "sent" | "failed" | "dropped", number>>>;
  /** Configured feeds that are failing (backing off) and turned off. */
  readonly feeds?: Source<{ readonly failing: number; readonly disabled: number }>;
  /** Passages in the in-memory index. */
  readonly indexPassages?: Source<number>;
}

export interface Metrics {
  readonly registry: Registry;
  /** Counts questions and their latency; pass to createBot. */
  readonly observer: BotObserver;
  /** Webhook requests by result, for spotting a wrong secret or Telegram re-sending. */
  readonly webhookRequests: Counter<"result">;
  /**
   * Counts the notifications sent through `api` (the sender's own client): each sendMessage
   * Telegram accepted, and each attempt that failed (a retried message counts every failure).
   */
  countNotifications(api: Api): void;
  /** The Prometheus text exposition and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
}

/** Answer latency buckets (seconds): a Bot API round trip is ~0.1 s, the target p95 is 3 s. */
export const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30];

export function createMetrics(sources: MetricSources = {}, options: { processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: "citat_" });
  const registers = [registry];
  const sourceErrors = new Counter({
    name: "citat_metric_source_errors_total",
    help: "Scrapes in which a state source (outbox, feeds, index, updates) failed; its gauge kept its last value.",
    labelNames: ["source"] as const,
    registers,
  });
  /** Reads a source; a failing one is counted and its gauge keeps the last value. */
  const read = async <T>(source: Source<T> | undefined, name: keyof MetricSources): Promise<T | undefined> => {
    if (!source) return undefined;
    try {
      return await source();
    } catch {
      sourceErrors.inc({ source: name });
      return undefined;
    }
  };

  const questions = new Counter({
    name: "citat_questions_total",
    help: "Questions handled, by outcome (answered with quotes, or declined: nothing good enough found) and channel (chat or inline).",
    labelNames: ["outcome", "channel"] as const,
    registers,
  });
  const latency = new Histogram({
    name: "citat_answer_duration_seconds",
    help: "Time from the start of handling an update to its answer being sent, by outcome.",
    labelNames: ["outcome"] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const inFlight = new Gauge({
    name: "citat_updates_in_flight",
    help: "Telegram updates being handled right now.",
    registers,
  });
  const queued = new Gauge({
    name: "citat_updates_queued",
    help: "Webhook updates acknowledged and waiting for a free handling slot.",
    registers,
  });
  const outboxDepth = new Gauge({
    name: "citat_outbox_depth",
    help: "Notifications waiting in the outbox to be sent.",
    registers,
  });
  const notifications = new Gauge({
    name: "citat_notifications",
    help: "Notifications in the outbox by final status (sent, failed, dropped); finished rows are pruned after some days, so this is a recent window, not a lifetime total.",
    labelNames: ["status"] as const,
    registers,
  });
  const feeds = new Gauge({
    name: "citat_feeds",
    help: "Configured feeds failing (backing off after errors) or disabled (turned off).",
    labelNames: ["state"] as const,
    registers,
  });
  const passages = new Gauge({
    name: "citat_index_passages",
    help: "Passages in the in-memory search index.",
    registers,
  });
  /**
   * Reads every source and sets the gauges, before each scrape. (prom-client runs async
   * collect() callbacks concurrently, so a failure counted there could miss its own scrape.)
   */
  const refresh = async (): Promise<void> => {
    const [n, q, c, f, p] = await Promise.all([
      read(sources.updatesInFlight, "updatesInFlight"),
      read(sources.updatesQueued, "updatesQueued"),
      read(sources.outbox, "outbox"),
      read(sources.feeds, "feeds"),
      read(sources.indexPassages, "indexPassages"),
    ]);
    if (n !== undefined) inFlight.set(n);
    if (q !== undefined) queued.set(q);
    if (c) {
      outboxDepth.set(c.pending);
      notifications.set({ status: "sent" }, c.sent);
      notifications.set({ status: "failed" }, c.failed);
      notifications.set({ status: "dropped" }, c.dropped);
    }
    if (f) {
      feeds.set({ state: "failing" }, f.failing);
      feeds.set({ state: "disabled" }, f.disabled);
    }
    if (p !== undefined) passages.set(p);
  };

  const webhookRequests = new Counter({
    name: "citat_webhook_requests_total",
    help: "Webhook requests by result: accepted, duplicate (an update_id already handled), unauthorized, bad_request, busy.",
    labelNames: ["result"] as const,
    registers,
  });

  const notificationSends = new Counter({
    name: "citat_notification_sends_total",
    help: "Notification sendMessage calls since start: sent (Telegram accepted it) or failed (an error; the sender may retry).",
    labelNames: ["result"] as const,
    registers,
  });

  const observer: BotObserver = {
    question(outcome: QuestionOutcome, channel: "chat" | "inline", seconds: number) {
      questions.inc({ outcome, channel });
      latency.observe({ outcome }, seconds);
    },
  };

  return {
    registry,
    observer,
    webhookRequests,
    countNotifications(api) {
      api.config.use(async (prev, method, payload, signal) => {
        if (method !== "sendMessage") return prev(method, payload, signal);
        try {
          const result = await prev(method, payload, signal);
          notificationSends.inc({ result: result.ok ? "sent" : "failed" });
          return result;
        } catch (err) {
          notificationSends.inc({ result: "failed" });
          throw err;
        }
      });
    },
    render: async () => {
      await refresh();
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
