/**
 * Updates handled concurrently (as the runner and the webhook do) keep each conversation in
 * order: the bot's sequentialize middleware, keyed like the session, holds a chat's next update
 * until its previous one is done, while other chats go on.
 */
import { describe, expect, it } from "vitest";
import { SEED_QUESTION, seedEngine, UNANSWERABLE } from "./fixtures.js";
import { privateText, questionNumbers, SlowApiBot } from "../server/slow-api.js";

describe("concurrent updates through bot.handleUpdate", () => {
  it("answers each chat's questions in the order they came, while chats run side by side", async () => {
    const h = new SlowApiBot(await seedEngine());
    const chats = [501, 502, 503, 504, 505];
    const perChat = 6;
    const updates = [];
    for (let i = 0; i < perChat; i++) {
      for (const chat of chats) updates.push(privateText(chat, `${i % 2 === 0 ? SEED_QUESTION : UNANSWERABLE} q${i}`));
    }
    // All at once, none awaited before the next starts: what the runner does with a batch.
    await Promise.all(updates.map((u) => h.bot.handleUpdate(u)));

    for (const chat of chats) expect(questionNumbers(h.textsIn(chat))).toEqual([0, 1, 2, 3, 4, 5]);
    // Different chats really did overlap, and one chat never had two answers in flight.
    expect(h.maxConcurrent).toBeGreaterThan(1);
    expect(h.maxConcurrentInOneChat).toBe(1);
    expect(h.logger.lines.filter((l) => l.startsWith("error"))).toEqual([]);
  });

  it("keeps two members of one group apart: each in order, neither waiting for the other", async () => {
    const h = new SlowApiBot(await seedEngine());
    const group = { id: -7007, type: "supergroup" as const, title: "Știri" };
    let id = 9_000;
    const ask = (userId: number, n: number) => ({
      update_id: id++,
      message: {
        message_id: id,
        date: Math.floor(Date.now() / 1000),
        chat: group,
        from: { id: userId, is_bot: false, first_name: `U${userId}`, language_code: "ro" },
        text: `/ask ${SEED_QUESTION} q${n}`,
        entities: [{ type: "bot_command" as const, offset: 0, length: 4 }],
      },
    });
    const order = [0, 1, 2, 3, 4, 5, 6, 7];
    const updates = order.flatMap((n) => [ask(11, n), ask(12, n)]);
    await Promise.all(updates.map((u) => h.bot.handleUpdate(u)));
    const replies = h.sent.filter((s) => s.chatId === group.id);
    expect(replies).toHaveLength(16);
    // Replies carry reply_parameters pointing at the asking message: split them by asker.
    const byAsker = new Map<number, number[]>();
    for (const reply of replies) {
      const asker = updates.find((u) => u.message.message_id === reply.replyTo)?.message.from.id as number;
      byAsker.set(asker, [...(byAsker.get(asker) ?? []), ...questionNumbers([reply.text])]);
    }
    // In the order the replies were delivered; the two members' replies overlapped.
    expect(byAsker.get(11)).toEqual(order);
    expect(byAsker.get(12)).toEqual(order);
    expect(h.maxConcurrentInOneChat).toBeGreaterThan(1);
  });

  it("counts questions for the metrics, and an observer that throws costs no answer", async () => {
    const seen: string[] = [];
    const h = new SlowApiBot(await seedEngine(), {
      observer: {
        question(outcome, channel, seconds) {
          seen.push(`${outcome}/${channel}`);
          expect(seconds).toBeGreaterThan(0);
          throw new Error("metrics backend down");
        },
      },
    });
    await Promise.all([h.bot.handleUpdate(privateText(601, SEED_QUESTION)), h.bot.handleUpdate(privateText(602, UNANSWERABLE))]);
    expect(seen.sort()).toEqual(["answered/chat", "declined/chat"]);
    expect(h.sent).toHaveLength(2);
    expect(h.logger.lines.filter((l) => l.includes("metrics: observer failed"))).toHaveLength(2);
  });
});
