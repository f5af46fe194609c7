/** 👍/👎 under answers are stored, one vote per user and answer. */
import { beforeAll, describe, expect, it } from "vitest";
import { messages } from "../../../src/bot/messages.js";
import type { AnswerEngine } from "../../../src/search/answer-engine.js";
import { memoryStorageSync } from "../../../src/storage/storage.js";
import { SEED_QUESTION, seedEngine } from "../fixtures.js";
import {
  ANSWER_BUTTONS,
  buttonsOf,
  createHarness,
  GROUP_CHAT,
  onlyMessage,
  OTHER_USER,
  PRIVATE_CHAT,
  USER,
  useMessageAudit,
} from "../harness.js";

useMessageAudit();

let engine: AnswerEngine;
beforeAll(async () => {
  engine = await seedEngine();
});

describe("feedback buttons", () => {
  it("every answer carries them; a vote is stored with the question, a second vote replaces it", async () => {
    const storage = memoryStorageSync();
    const db = storage.db;
    const h = createHarness(engine, { storage });
    const { payload } = onlyMessage(await h.send(SEED_QUESTION));
    expect(buttonsOf(payload).slice(-3)).toEqual(ANSWER_BUTTONS);
    const answer = h.lastSent;

    const calls = await h.press("fb:up", answer);
    expect(calls.map((c) => [c.method, c.payload.text])).toEqual([["answerCallbackQuery", messages.feedbackThanks]]);
    await h.press("fb:down", answer);
    const rows = await db.all(
      "SELECT f.chat_id, f.message_id, f.user_id, f.vote, q.question FROM feedback f JOIN questions q ON q.id = f.question_id",
    );
    expect(rows).toEqual([
      { chat_id: PRIVATE_CHAT.id, message_id: answer.message_id, user_id: USER.id, vote: -1, question: SEED_QUESTION },
    ]);
  });

  it("in a group, each member votes once", async () => {
    const storage = memoryStorageSync();
    const db = storage.db;
    const h = createHarness(engine, { storage });
    await h.send(`/ask ${SEED_QUESTION}`, GROUP_CHAT);
    const answer = h.lastSent;
    await h.press("fb:up", answer, USER);
    await h.press("fb:up", answer, OTHER_USER);
    await h.press("fb:up", answer, OTHER_USER);
    expect(await db.all("SELECT user_id, vote FROM feedback ORDER BY user_id")).toEqual([
      { user_id: USER.id, vote: 1 },
      { user_id: OTHER_USER.id, vote: 1 },
    ]);
  });

  it("a vote on a message that is not one of the bot's answers stores nothing and says so", async () => {
    const storage = memoryStorageSync();
    const db = storage.db;
    const h = createHarness(engine, { storage });
    // A forged callback (any message id, any text) on a message the bot never answered with.
    const calls = await h.press("fb:up", { message_id: 9, date: 0, chat: PRIVATE_CHAT, text: "🔎 ceva" });
    expect(calls.map((c) => [c.method, c.payload.text])).toEqual([["answerCallbackQuery", messages.feedbackGone]]);
    expect(await db.get("SELECT COUNT(*) AS n FROM feedback")).toEqual({ n: 0 });
    // Not even a real answer's message id in another chat.
    await h.send(SEED_QUESTION);
    await h.press("fb:up", { ...h.lastSent, chat: { ...PRIVATE_CHAT, id: PRIVATE_CHAT.id + 1 } });
    expect(await db.get("SELECT COUNT(*) AS n FROM feedback")).toEqual({ n: 0 });
  });

  it("a failing store costs nothing but a warning", async () => {
    const storage = memoryStorageSync();
    const db = storage.db;
    const h = createHarness(engine, { storage });
    await h.send(SEED_QUESTION);
    await db.exec("DROP TABLE feedback");
    const calls = await h.press("fb:down", h.lastSent);
    expect(calls.map((c) => c.method)).toEqual(["answerCallbackQuery"]);
    expect(h.warnings().join("\n")).toMatch(/recording feedback failed/);
    expect(h.errors()).toEqual([]);
  });
});
