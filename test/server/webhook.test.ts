/**
 * The webhook server in front of the real bot (createBot with a slow fake Bot API): the secret
 * check, the fast 200, one handling per update_id, order within a chat, /healthz and /metrics.
 */
import type { Server } from "node:http";
import type { Update } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import { createMetrics, type MetricSources } from "../../src/metrics.js";
import { startWebhookQueue } from "../../src/server/bot-runtime.js";
import { close, createBotServer, listen, MAX_UPDATE_BYTES, type HealthReport } from "../../src/server/http-server.js";
import { SqlUpdateLog } from "../../src/server/update-log.js";
import { memoryStorage } from "../../src/storage/storage.js";
import { seedEngine, SEED_QUESTION, UNANSWERABLE } from "../bot/fixtures.js";
import { privateText, questionNumbers, SlowApiBot } from "./slow-api.js";

const SECRET = "webhook-test-secret";
const PATH = "/telegram/hook";

interface Setup {
  readonly h: SlowApiBot;
  readonly url: string;
  readonly post: (body: unknown, headers?: Record<string, string>) => Promise<Response>;
  readonly get: (path: string) => Promise<Response>;
  readonly stop: () => Promise<void>;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) if (s.listening) await close(s);
});

async function setup(
  options: { maxDelayMs?: number; hold?: Promise<void>; health?: () => HealthReport; sources?: MetricSources } = {},
): Promise<Setup> {
  const engine = await seedEngine();
  let runtime: ReturnType<typeof startWebhookQueue> | undefined;
  const metrics = createMetrics(
    {
      updatesInFlight: () => runtime?.inFlight() ?? 0,
      updatesQueued: () => runtime?.queued() ?? 0,
      indexPassages: () => engine.index.passageCount,
      ...options.sources,
    },
    { processMetrics: false },
  );
  const h = new SlowApiBot(engine, {
    maxDelayMs: options.maxDelayMs ?? 10,
    observer: metrics.observer,
    ...(options.hold ? { hold: options.hold } : {}),
  });
  const rt = startWebhookQueue(h.bot, { concurrency: 8, logger: h.logger });
  runtime = rt;
  const server = createBotServer({
    logger: h.logger,
    health: options.health ?? (() => ({ database: true, index: true })),
    metrics: metrics.render,
    webhook: {
      path: PATH,
      secret: SECRET,
      updateLog: new SqlUpdateLog((await memoryStorage()).db),
      accept: (u) => rt.queue.push(u),
      busy: () => rt.queue.full,
      onResult: (result) => metrics.webhookRequests.inc({ result }),
    },
  });
  servers.push(server);
  const port = await listen(server, 0, "127.0.0.1");
  const base = `http://127.0.0.1:${port}`;
  return {
    h,
    url: `${base}${PATH}`,
    post: (body, headers = { "x-telegram-bot-api-secret-token": SECRET }) =>
      fetch(`${base}${PATH}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: typeof body === "string" ? body : JSON.stringify(body),
      }),
    get: (path) => fetch(`${base}${path}`),
    stop: () => rt.stop(),
  };
}

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Prometheus text → `name{labels}` → value (comments skipped). */
function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

describe("the webhook", () => {
  it("refuses a request without the secret, or with a wrong one (401), and handles nothing", async () => {
    const s = await setup();
    expect((await s.post(privateText(901, SEED_QUESTION), {})).status).toBe(401);
    expect((await s.post(privateText(901, SEED_QUESTION), { "x-telegram-bot-api-secret-token": "guess" })).status).toBe(401);
    expect((await s.post(privateText(901, SEED_QUESTION), { "x-telegram-bot-api-secret-token": `${SECRET}x` })).status).toBe(401);
    await s.stop();
    expect(s.h.sent).toEqual([]);
    const m = parseMetrics(await (await s.get("/metrics")).text());
    expect(m.get('citat_webhook_requests_total{result="unauthorized"}')).toBe(3);
  });

  it("acknowledges at once (200) and answers after; a re-sent update_id is answered once", async () => {
    let release: () => void = () => {};
    const s = await setup({ hold: new Promise((resolve) => (release = resolve)) });
    const update = privateText(902, SEED_QUESTION);
    const res = await s.post(update);
    expect(res.status).toBe(200);
    // The answer's sendMessage hangs until released: the 200 came before it, and the update is being handled.
    expect(s.h.sent).toHaveLength(0);
    await until(() => s.h.sending === 1);
    expect((await s.post(update)).status).toBe(200);
    release();
    await until(() => s.h.sent.length === 1);
    await s.stop();
    expect(s.h.textsIn(902)).toHaveLength(1);
    expect(s.h.textsIn(902)[0]?.replace(/<[^>]+>/g, "")).toContain("tratat de parteneriat strategic");
    const m = parseMetrics(await (await s.get("/metrics")).text());
    expect(m.get('citat_webhook_requests_total{result="accepted"}')).toBe(1);
    expect(m.get('citat_webhook_requests_total{result="duplicate"}')).toBe(1);
  });

  it("answers one chat's messages in the order they were posted", async () => {
    const s = await setup({ maxDelayMs: 30 });
    for (let i = 0; i < 6; i++)
      expect((await s.post(privateText(903, `${i % 2 ? UNANSWERABLE : SEED_QUESTION} q${i}`))).status).toBe(200);
    await until(() => s.h.sent.length === 6);
    expect(questionNumbers(s.h.textsIn(903))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("refuses what isn't an update: bad JSON, no update_id, too large, wrong method; other paths are 404", async () => {
    const s = await setup();
    expect((await s.post("{not json")).status).toBe(400);
    expect((await s.post({ message: {} })).status).toBe(400);
    expect((await s.post({ update_id: 1, pad: "x".repeat(MAX_UPDATE_BYTES) })).status).toBe(413);
    expect((await s.get(PATH)).status).toBe(405);
    expect((await s.get("/elsewhere")).status).toBe(404);
    await s.stop();
    expect(s.h.sent).toEqual([]);
  });
});

describe("/healthz and /metrics", () => {
  it("/healthz is 200 when the database and the index are there, 503 when either is not", async () => {
    let report: HealthReport = { database: true, index: true, passages: 12 };
    const s = await setup({ health: () => report });
    const ok = await s.get("/healthz");
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: "ok", database: true, index: true, passages: 12 });
    report = { database: false, index: true };
    expect((await s.get("/healthz")).status).toBe(503);
    report = { database: true, index: false };
    expect((await s.get("/healthz")).status).toBe(503);
  });

  it("exports questions, latency, updates in flight, outbox, notifications, feeds and the index", async () => {
    const s = await setup({
      sources: {
        outbox: () => ({ pending: 3, sent: 40, failed: 2, dropped: 1 }),
        feeds: () => ({ failing: 1, disabled: 2 }),
      },
    });
    await s.post(privateText(904, SEED_QUESTION));
    await s.post(privateText(905, UNANSWERABLE));
    await until(() => s.h.sent.length === 2);
    await s.stop();
    const res = await s.get("/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = parseMetrics(await res.text());
    expect(m.get('citat_questions_total{outcome="answered",channel="chat"}')).toBe(1);
    expect(m.get('citat_questions_total{outcome="declined",channel="chat"}')).toBe(1);
    expect(m.get('citat_answer_duration_seconds_count{outcome="answered"}')).toBe(1);
    expect(m.get('citat_answer_duration_seconds_bucket{le="+Inf",outcome="answered"}')).toBe(1);
    expect(m.get("citat_updates_in_flight")).toBe(0);
    expect(m.get("citat_outbox_depth")).toBe(3);
    expect(m.get('citat_notifications{status="sent"}')).toBe(40);
    expect(m.get('citat_notifications{status="failed"}')).toBe(2);
    expect(m.get('citat_feeds{state="failing"}')).toBe(1);
    expect(m.get('citat_feeds{state="disabled"}')).toBe(2);
    expect(m.get("citat_index_passages")).toBeGreaterThan(0);
  });

  it("a failing source keeps its last value and is counted, and the scrape goes on", async () => {
    let failing = false;
    const s = await setup({
      sources: {
        outbox: () => {
          if (failing) throw new Error("database is locked");
          return { pending: 5, sent: 0, failed: 0, dropped: 0 };
        },
      },
    });
    expect(parseMetrics(await (await s.get("/metrics")).text()).get("citat_outbox_depth")).toBe(5);
    failing = true;
    const res = await s.get("/metrics");
    expect(res.status).toBe(200);
    const m = parseMetrics(await res.text());
    expect(m.get("citat_outbox_depth")).toBe(5);
    expect(m.get('citat_metric_source_errors_total{source="outbox"}')).toBeGreaterThanOrEqual(1);
    expect(m.get("citat_index_passages")).toBeGreaterThan(0);
  });
});

describe("backpressure", () => {
  it("answers 503 (Telegram re-sends later) when the queue is full, without claiming the update", async () => {
    let release: () => void = () => {};
    const s = await setup({ hold: new Promise((resolve) => (release = resolve)) });
    const busy: Update[] = [];
    let refused: Update | undefined;
    // 8 at once + 160 waiting fill the queue (bound 8, backlog 20 × 8).
    for (let i = 0; i < 200 && refused === undefined; i++) {
      const u = privateText(10_000 + i, SEED_QUESTION);
      const status = (await s.post(u)).status;
      if (status === 503) refused = u;
      else busy.push(u);
    }
    expect(refused).toBeDefined();
    expect(busy).toHaveLength(168);
    release();
    await s.stop();
    expect(s.h.sent).toHaveLength(168);
    // Not claimed: the re-send is taken.
    expect((await s.post(refused as Update)).status).toBe(200);
  }, 30_000);
});
