/**
 * The two ways updates reach the bot: long polling through grammY's runner and the webhook's
 * queue. Both are bounded by BOT_CONCURRENCY, keep a chat's answers in order, and stop
 * gracefully (the updates in flight are finished before stop() resolves).
 */
import { describe, expect, it } from "vitest";
import { startPolling, startWebhookQueue } from "../../src/server/bot-runtime.js";
import { seedEngine, SEED_QUESTION } from "../bot/fixtures.js";
import { privateText, questionNumbers, SlowApiBot } from "./slow-api.js";

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const questions = (chats: number[], perChat: number) =>
  Array.from({ length: perChat }, (_, i) => chats.map((chat) => privateText(chat, `${SEED_QUESTION} q${i}`))).flat();

describe("long polling with the runner", () => {
  it("handles updates concurrently up to the bound, each chat in order, and confirms them on stop", async () => {
    const h = new SlowApiBot(await seedEngine(), { maxDelayMs: 20 });
    const chats = [701, 702, 703];
    const updates = questions(chats, 5);
    h.pending.push(...updates);
    const runtime = await startPolling(h.bot, { concurrency: 4, logger: h.logger });
    await until(() => h.sent.length === updates.length);
    for (const chat of chats) expect(questionNumbers(h.textsIn(chat))).toEqual([0, 1, 2, 3, 4]);
    expect(h.maxConcurrent).toBeGreaterThan(1);
    expect(h.maxConcurrent).toBeLessThanOrEqual(4);
    expect(h.maxConcurrentInOneChat).toBe(1);
    expect(h.methods[0]?.method).toBe("deleteWebhook");
    expect(h.methods.find((m) => m.method === "getUpdates")?.payload.allowed_updates).toEqual([
      "message",
      "callback_query",
      "inline_query",
    ]);

    await runtime.stop();
    await runtime.done;
    // The last getUpdates confirms everything handled, so a restart doesn't get it again.
    const last = h.methods.filter((m) => m.method === "getUpdates").at(-1);
    expect(last?.payload).toMatchObject({ offset: (updates.at(-1)?.update_id as number) + 1, timeout: 0 });
  });

  it("stop() finishes the updates in flight before it resolves", async () => {
    let release: () => void = () => {};
    const h = new SlowApiBot(await seedEngine(), { hold: new Promise((resolve) => (release = resolve)) });
    const updates = questions([711, 712, 713, 714, 715, 716], 1);
    h.pending.push(...updates);
    const runtime = await startPolling(h.bot, { concurrency: 10, logger: h.logger });
    await until(() => h.sending === updates.length);
    let stopped = false;
    const stopping = runtime.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stopped).toBe(false);
    expect(runtime.inFlight()).toBe(updates.length);
    release();
    await stopping;
    expect(h.sent).toHaveLength(updates.length);
    expect(runtime.inFlight()).toBe(0);
  });
});

describe("the webhook's queue", () => {
  it("runs updates through the same bot with the same bound and order, and drains on stop", async () => {
    const h = new SlowApiBot(await seedEngine(), { maxDelayMs: 20 });
    const runtime = startWebhookQueue(h.bot, { concurrency: 3, logger: h.logger });
    const chats = [801, 802, 803, 804];
    const updates = questions(chats, 4);
    for (const u of updates) expect(runtime.queue.push(u)).toBe(true);
    expect(runtime.inFlight()).toBe(3);
    expect(runtime.queued()).toBe(updates.length - 3);
    await runtime.stop();
    await runtime.done;
    expect(h.sent).toHaveLength(updates.length);
    for (const chat of chats) expect(questionNumbers(h.textsIn(chat))).toEqual([0, 1, 2, 3]);
    expect(h.maxConcurrent).toBeLessThanOrEqual(3);
    expect(h.maxConcurrentInOneChat).toBe(1);
  });
});
