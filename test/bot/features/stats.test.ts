/** /stats: only for ADMIN_IDS, only in private chats. */
import { beforeAll, describe, expect, it } from "vitest";
import { messages } from "../../../src/bot/messages.js";
import type { AnswerEngine } from "../../../src/search/answer-engine.js";
import { telegramPlainText } from "../../support/telegram-html.js";
import { SEED_QUESTION, seedEngine, UNANSWERABLE } from "../fixtures.js";
import { createHarness, GROUP_CHAT, onlyMessage, USER, useMessageAudit } from "../harness.js";

useMessageAudit();

let engine: AnswerEngine;
beforeAll(async () => {
  engine = await seedEngine();
});

describe("/stats", () => {
  it("for an admin: questions asked, share answered, follow-ups, inline and feedback", async () => {
    const h = createHarness(engine, { adminIds: [USER.id] });
    await h.send(SEED_QUESTION);
    await h.press("fb:up", h.lastSent);
    await h.send("Și ce a spus Pezeshkian?");
    await h.send(UNANSWERABLE);
    await h.inline(SEED_QUESTION);
    const { text, payload } = onlyMessage(await h.send("/stats"));
    expect(payload.parse_mode).toBe("HTML");
    const plain = telegramPlainText(text);
    expect(plain).toContain("Întrebări: 4 (ultimele 7 zile: 4)");
    expect(plain).toContain("Cu răspuns: 75%");
    expect(plain).toContain("Continuări: 25% · inline: 1");
    expect(plain).toContain("Păreri: 👍 1 · 👎 0 (100% pozitive)");
  });

  it("for anyone else it doesn't exist; in groups not even for admins", async () => {
    const h = createHarness(engine, { adminIds: [999] });
    expect(onlyMessage(await h.send("/stats")).text).toBe(messages.unknownCommand);
    const admin = createHarness(engine, { adminIds: [USER.id] });
    expect(await admin.send("/stats", GROUP_CHAT)).toEqual([]);
  });
});
