/** /feeds: the admins see each feed's health and the delivery queue, and turn a dead feed back on. */
import { beforeAll, describe, expect, it } from "vitest";
import { messages } from "../../../src/bot/messages.js";
import type { AnswerEngine } from "../../../src/search/answer-engine.js";
import { memoryStorageSync } from "../../../src/storage/storage.js";
import { seedEngine } from "../fixtures.js";
import { buttonsOf, createHarness, OTHER_USER, PRIVATE_CHAT, USER, onlyMessage, useMessageAudit } from "../harness.js";

useMessageAudit();

let engine: AnswerEngine;
beforeAll(async () => {
  engine = await seedEngine();
});

describe("/feeds", () => {
  it("shows the admins each feed's state and the queue; a turned-off feed can be turned back on", async () => {
    const storage = memoryStorageSync();
    const db = storage.db;
    const insert = (...values: (string | number | null)[]) =>
      db.run(
        "INSERT INTO feeds (url, name, polls, failures, disabled_at, last_ok_at, next_poll_at) VALUES (?, ?, ?, ?, ?, ?, 0)",
        values,
      );
    await insert("https://a.ro/feed", "G4Media", 3, 0, null, Date.UTC(2025, 7, 21, 7, 5));
    await insert("https://b.ro/feed", "HotNews", 5, 2, null, null);
    await insert("https://c.ro/feed", "Digi24", 0, 10, Date.UTC(2025, 7, 21), null);
    await insert("https://d.ro/feed", "Gone from the config", 1, 0, null, null);
    await db.run(
      "INSERT INTO outbox (chat_id, item, text, status, next_attempt_at, created_at) VALUES (1, 'a', 'x', 'pending', 0, 0), (2, 'a', 'x', 'sent', 0, 0)",
    );
    const h = createHarness(engine, { storage, adminIds: [USER.id], feedNames: ["G4Media", "HotNews", "Digi24"] });

    const { text, payload } = onlyMessage(await h.send("/feeds"));
    expect(text.split("\n")).toEqual([
      messages.sub.feedsTitle,
      "✅ G4Media · ultima citire reușită 2025-08-21 10:05",
      "⚠️ HotNews — 2 erori la rând",
      "⛔ Digi24 — oprit",
      "",
      "📬 De trimis: 1 · trimise: 1 · eșuate: 0",
      "🔔 Abonamente: 0 în 0 chaturi",
    ]);
    const [on] = buttonsOf(payload);
    expect(on?.text).toBe(messages.sub.feedOn("Digi24"));

    const pressed = await h.press(on!.callback_data!, h.lastSent);
    expect(pressed.find((c) => c.method === "answerCallbackQuery")?.payload.text).toBe(messages.sub.feedEnabled("Digi24"));
    expect(await db.get("SELECT disabled_at, failures FROM feeds WHERE name = 'Digi24'")).toEqual({
      disabled_at: null,
      failures: 0,
    });
    expect(String(pressed.find((c) => c.method === "editMessageText")?.payload.text)).toContain("🕓 Digi24");

    // To anyone else, there is no such command.
    expect(onlyMessage(await h.send("/feeds", { ...PRIVATE_CHAT, id: OTHER_USER.id }, { from: OTHER_USER })).text).not.toContain(
      "📡",
    );
  });
});
