/**
 * The sender against Telegram's answers, through an API transformer: 429 with retry_after,
 * 500, network errors, 403, "chat not found", a group upgraded to a supergroup, a deleted
 * forum topic; and its rate limits, measured in virtual time.
 */
import { describe, expect, it } from "vitest";
import type { OutboxMessage } from "../../src/delivery/outbox.js";
import { blocked, chatNotFound, internalError, migrated, tooManyRequests } from "./fake-telegram.js";
import { Newsroom } from "./newsroom.js";

const message = (chatId: number, item: string, threadId: number | null = null): OutboxMessage => ({
  chatId,
  threadId,
  item,
  text: `🔔 <b>${item}</b>`,
});

async function enqueue(room: Newsroom, ...messages: OutboxMessage[]): Promise<void> {
  await room.outbox.enqueue(messages, room.clock.now());
}

describe("the sender", () => {
  it("on 429 waits retry_after for everyone, then sends; the wait is not a failed attempt", async () => {
    const room = new Newsroom({
      respond: (call, attempt) => (call.chatId === 1 && attempt === 1 ? tooManyRequests(7) : undefined),
    });
    await enqueue(room, message(1, "a"), message(2, "b"));
    const started = room.clock.now();
    await room.sender.drain();
    // Chat 2's message waited out the 7 s too (it goes first then: it was due earlier).
    expect(room.telegram.calls.map((c) => c.chatId)).toEqual([1, 2, 1]);
    expect(room.clock.now() - started).toBeGreaterThanOrEqual(7000);
    expect(room.telegram.sent.map((c) => c.chatId)).toEqual([2, 1]);
    expect(await room.storage.db.get("SELECT attempts, status FROM outbox WHERE item = 'a'")).toEqual({
      attempts: 1,
      status: "sent",
    });
    expect(room.logger.lines.some((l) => l.includes("wait 7 s (429)"))).toBe(true);
  });

  it("retries 500 and network errors with exponential back-off, and gives up after maxAttempts", async () => {
    const room = new Newsroom({
      respond: (call, attempt) =>
        call.chatId === 1 && attempt <= 2
          ? internalError
          : call.chatId === 2 && attempt === 1
            ? "network"
            : call.chatId === 3
              ? internalError
              : undefined,
      sender: { maxAttempts: 4, backoffMs: 1000 },
    });
    await enqueue(room, message(1, "a"), message(2, "b"), message(3, "never"));
    await room.sender.drain();
    expect(room.telegram.sent.map((c) => c.chatId).sort()).toEqual([1, 2]);
    const rows = await room.storage.db.all("SELECT chat_id, status, attempts, last_error FROM outbox ORDER BY chat_id");
    expect(rows).toEqual([
      { chat_id: 1, status: "sent", attempts: 3, last_error: null },
      { chat_id: 2, status: "sent", attempts: 2, last_error: null },
      { chat_id: 3, status: "failed", attempts: 4, last_error: "500 Internal Server Error" },
    ]);
    // Back-off per message: 1 s, 2 s, 4 s for chat 3 (waits are virtual).
    const retries = room.logger.lines.filter((l) => l.includes("to chat 3") && l.includes("retrying in"));
    expect(retries.map((l) => /retrying in (\d+) s/.exec(l)?.[1])).toEqual(["1", "2", "4"]);
    expect(room.errors()).toEqual([expect.stringContaining("message 3 (never) to chat 3 failed 4 times")]);
  });

  it("on 403 or 'chat not found' removes the chat's subscriptions and drops its pending messages", async () => {
    const room = new Newsroom({
      respond: (call) => (call.chatId === 10 ? blocked : call.chatId === 11 ? chatNotFound : undefined),
    });
    await room.subscribe(10, "Belarus Iran");
    await room.subscribe(10, "G4Media", "outlet");
    await room.subscribe(11, "Belarus Iran");
    await room.subscribe(12, "Belarus Iran");
    await enqueue(room, message(10, "a"), message(10, "b"), message(11, "a"), message(12, "a"));
    await room.sender.drain();
    expect(room.telegram.calls.filter((c) => c.chatId === 10)).toHaveLength(1); // the second one is never tried
    expect((await room.subscriptions.all()).map((s) => s.chatId)).toEqual([12]);
    expect(await room.outbox.counts()).toEqual({ pending: 0, sent: 1, failed: 0, dropped: 3 });
    expect(room.logger.lines.filter((l) => l.includes("removed the chat's"))).toHaveLength(2);
  });

  it("follows migrate_to_chat_id: subscriptions and pending messages move to the supergroup", async () => {
    const room = new Newsroom({ respond: (call) => (call.chatId === -500 ? migrated(-100500) : undefined) });
    await room.subscribe(-500, "Belarus Iran");
    await enqueue(room, message(-500, "a"), message(-500, "b"));
    await room.sender.drain();
    expect(room.telegram.sent.map((c) => [c.chatId, c.text])).toEqual([
      [-100500, "🔔 <b>a</b>"],
      [-100500, "🔔 <b>b</b>"],
    ]);
    expect((await room.subscriptions.all()).map((s) => s.chatId)).toEqual([-100500]);
  });

  it("sends to the main thread when a forum topic is gone", async () => {
    const room = new Newsroom({
      respond: (call) =>
        call.payload.message_thread_id === 77
          ? { ok: false, error_code: 400, description: "Bad Request: message thread not found" }
          : undefined,
    });
    await room.subscribe(-1001, "Iran", "topic", { threadId: 77 });
    await enqueue(room, message(-1001, "a", 77));
    await room.sender.drain();
    expect(room.telegram.sent).toHaveLength(1);
    expect(room.telegram.sent[0]?.payload.message_thread_id).toBeUndefined();
    expect((await room.subscriptions.all())[0]?.threadId).toBeNull();
  });

  it("marks a message Telegram refuses for good (400) failed and goes on", async () => {
    const room = new Newsroom();
    await enqueue(room, { chatId: 1, threadId: null, item: "bad", text: "<b>unclosed" }, message(1, "good"));
    await room.sender.drain();
    expect(room.telegram.sent.map((c) => c.text)).toEqual(["🔔 <b>good</b>"]);
    expect(await room.outbox.counts()).toMatchObject({ sent: 1, failed: 1 });
  });

  it("keeps within ~30 messages a second overall and one a second per private chat (three seconds per group)", async () => {
    const room = new Newsroom();
    const times: number[] = [];
    const perChat = new Map<number, number[]>();
    room.telegram.setResponder((call) => {
      times.push(room.clock.now());
      perChat.set(call.chatId, [...(perChat.get(call.chatId) ?? []), room.clock.now()]);
      return undefined;
    });
    const messages: OutboxMessage[] = [];
    for (let chat = 1; chat <= 90; chat++) messages.push(message(chat, "x"));
    for (let i = 0; i < 3; i++) messages.push(message(7, `more-${i}`), message(-42, `group-${i}`));
    await enqueue(room, ...messages);
    await room.sender.drain();
    expect(room.telegram.sent).toHaveLength(96);
    for (let i = 30; i < times.length; i++) expect(times[i]! - times[i - 30]!).toBeGreaterThanOrEqual(999);
    const gaps = (ts: number[]) => ts.slice(1).map((t, i) => t - ts[i]!);
    expect(Math.min(...gaps(perChat.get(7)!))).toBeGreaterThanOrEqual(1000);
    expect(Math.min(...gaps(perChat.get(-42)!))).toBeGreaterThanOrEqual(3000);
  });

  it("is fair: a chat with hundreds of messages waiting doesn't hold up the others", async () => {
    const room = new Newsroom();
    const flood: OutboxMessage[] = Array.from({ length: 250 }, (_, i) => message(7, `flood-${i}`));
    await enqueue(room, ...flood, message(8, "alone"));
    const started = room.clock.now();
    let sentToEight = -1;
    room.telegram.setResponder((call) => {
      if (call.chatId === 8) sentToEight = room.clock.now() - started;
      return undefined;
    });
    await room.sender.drain();
    expect(room.telegram.sent).toHaveLength(251);
    expect(sentToEight).toBeGreaterThanOrEqual(0);
    expect(sentToEight).toBeLessThan(1000);
    const flooded = room.telegram.sentTo(7).map((c) => c.text);
    expect(flooded).toEqual(flood.map((m) => m.text)); // in order
  });

  it("stops promptly and starts again where it left off", async () => {
    const room = new Newsroom();
    room.sender.start();
    await enqueue(room, message(1, "a"));
    room.sender.wake();
    for (let i = 0; i < 50 && room.telegram.sent.length === 0; i++) await new Promise((r) => setImmediate(r));
    expect(room.telegram.sent).toHaveLength(1);
    await room.sender.stop();
    await enqueue(room, message(2, "b"));
    expect(await room.outbox.pendingCount()).toBe(1);
    await room.sender.drain();
    expect(room.telegram.sent.map((c) => c.chatId)).toEqual([1, 2]);
  });
});
