/** The last handlers: unknown commands, non-text messages, stray buttons. */
import { beforeAll, describe, expect, it } from "vitest";
import { messages } from "../../../src/bot/messages.js";
import type { AnswerEngine } from "../../../src/search/answer-engine.js";
import { seedEngine } from "../fixtures.js";
import { createHarness, GROUP_CHAT, onlyMessage, PRIVATE_CHAT, useMessageAudit } from "../harness.js";

useMessageAudit();

let engine: AnswerEngine;
beforeAll(async () => {
  engine = await seedEngine();
});

describe("in a private chat", () => {
  it("an unknown command gets the /help hint", async () => {
    const h = createHarness(engine);
    for (const command of ["/nimic", "/settings", "/intreaba ce tratat", "/start_now"]) {
      const { text, payload } = onlyMessage(await h.send(command));
      expect(text, command).toBe(messages.unknownCommand);
      expect(payload.chat_id).toBe(PRIVATE_CHAT.id);
    }
  });

  it("text starting with a slash but no command entity is not taken for a question", async () => {
    const h = createHarness(engine);
    const update = h.textUpdate("/ Belarus Iran tratat");
    expect(update.message?.entities).toBeUndefined();
    const { text } = onlyMessage(await h.handle(update));
    expect(text).toBe(messages.unknownCommand);
  });

  it("a sticker gets the 'text only' hint", async () => {
    const h = createHarness(engine);
    expect(onlyMessage(await h.sendSticker()).text).toBe(messages.textOnly);
  });

  it("a photo, with or without a caption, gets the 'text only' hint", async () => {
    const h = createHarness(engine);
    expect(onlyMessage(await h.sendPhoto(undefined)).text).toBe(messages.textOnly);
    expect(onlyMessage(await h.sendPhoto("Belarus Iran tratat")).text).toBe(messages.textOnly);
  });
});

describe("in a group", () => {
  it("unknown commands and stickers get no reply", async () => {
    const h = createHarness(engine);
    expect(await h.send("/nimic", GROUP_CHAT)).toEqual([]);
    expect(await h.sendSticker(GROUP_CHAT)).toEqual([]);
    expect(await h.sendPhoto("o poză", GROUP_CHAT)).toEqual([]);
  });
});

describe("a button the bot doesn't know", () => {
  it("is answered so the client's spinner stops, and nothing else happens", async () => {
    const h = createHarness(engine);
    const message = { message_id: 3, date: 1_700_000_000, chat: PRIVATE_CHAT, text: "🔎 Belarus" };
    for (const data of ["vote:1", "more:", "more:-1", "more:abc"]) {
      const calls = await h.press(data, message);
      expect(
        calls.map((c) => c.method),
        data,
      ).toEqual(["answerCallbackQuery"]);
      expect(calls[0]!.payload.text).toBeUndefined();
    }
  });
});
