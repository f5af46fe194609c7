/** The bot as a whole: non-essential calls that fail, features that throw, the command menu. */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createBot, publishCommands } from "../../src/bot/create-bot.js";
import { messages } from "../../src/bot/messages.js";
import { messagesEn } from "../../src/bot/messages-en.js";
import { createMemoryLogger } from "../../src/logger.js";
import type { AnswerEngine } from "../../src/search/answer-engine.js";
import { telegramPlainText } from "../support/telegram-html.js";
import { SEED_ANSWER, SEED_QUESTION, seedEngine } from "./fixtures.js";
import { BOT_INFO, createHarness, onlyMessage, PRIVATE_CHAT, useMessageAudit, type FailureMode } from "./harness.js";

useMessageAudit();

let engine: AnswerEngine;
beforeAll(async () => {
  engine = await seedEngine();
});

describe("non-essential calls", () => {
  it.each<FailureMode>(["error", "throw"])(
    "sendChatAction failing (%s) still yields the answer, with a warning",
    async (mode) => {
      const h = createHarness(engine).fail("sendChatAction", mode);
      const calls = await h.send(SEED_QUESTION);
      expect(calls.map((c) => c.method)).toEqual(["sendChatAction", "sendMessage"]);
      const { text } = onlyMessage(calls);
      expect(telegramPlainText(text)).toContain(SEED_ANSWER);
      const warnings = h.warnings();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(
        mode === "error"
          ? /sendChatAction failed \(ignored\).*method not found/
          : /sendChatAction failed \(ignored\).*network down/,
      );
      expect(h.errors()).toEqual([]);
    },
  );

  it("publishCommands sends the command menus: English by default, Romanian for Romanian users", async () => {
    const h = createHarness(engine);
    await publishCommands(h.bot, { engine, logger: h.logger });
    expect(h.calls.map((c) => c.method)).toEqual(["setMyCommands", "setMyCommands"]);
    expect(h.calls[0]!.payload.commands).toEqual(messagesEn.commands);
    expect(h.calls[0]!.payload.language_code).toBeUndefined();
    expect(h.calls[1]!.payload).toMatchObject({ commands: messages.commands, language_code: "ro" });
    expect(h.logger.lines).toEqual([]);
  });

  it.each<FailureMode>(["error", "throw"])("publishCommands tolerates a server without setMyCommands (%s)", async (mode) => {
    const h = createHarness(engine).fail("setMyCommands", mode);
    await expect(publishCommands(h.bot, { engine, logger: h.logger })).resolves.toBeUndefined();
    expect(h.warnings().join()).toMatch(/setMyCommands failed \(ignored\)/);
    // And the bot still answers afterwards.
    expect(telegramPlainText(onlyMessage(await h.send(SEED_QUESTION)).text)).toContain(SEED_ANSWER);
  });

  it("every non-essential call failing at once: the answer and the next page still arrive", async () => {
    const h = createHarness(engine).fail("sendChatAction").fail("editMessageReplyMarkup", "throw").fail("answerCallbackQuery");
    expect(onlyMessage(await h.send(SEED_QUESTION)).text).toContain("<blockquote>");
    expect(onlyMessage(await h.press("more:3", h.lastSent)).text).toContain("<blockquote>");
    expect(h.warnings().map((w) => /telegram: (\w+) failed/.exec(w)?.[1])).toEqual([
      "sendChatAction",
      "answerCallbackQuery",
      "editMessageReplyMarkup",
    ]);
    expect(h.errors()).toEqual([]);
  });
});

describe("a feature that throws", () => {
  it("tells the user, logs the error, and the next update is handled normally", async () => {
    const h = createHarness(engine);
    const ask = vi.spyOn(engine, "ask").mockImplementationOnce(() => {
      throw new Error("index exploded");
    });
    try {
      const failed = await h.send(SEED_QUESTION);
      expect(onlyMessage(failed).text).toBe(messages.failure);
      expect(onlyMessage(failed).payload.chat_id).toBe(PRIVATE_CHAT.id);
      const errors = h.errors();
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^error bot: update \d+ failed: Error: index exploded/);

      const next = await h.send(SEED_QUESTION);
      expect(telegramPlainText(onlyMessage(next).text)).toContain(SEED_ANSWER);
      expect(ask).toHaveBeenCalledTimes(2);
      expect(h.errors()).toHaveLength(1);
    } finally {
      ask.mockRestore();
    }
  });

  it("an engine whose ask always throws: every question gets the failure message, /start and /help still work", async () => {
    const broken = {
      ...engine,
      index: engine.index,
      exampleQuestions: () => [],
      ask: () => {
        throw new TypeError("broken engine");
      },
    } as unknown as AnswerEngine;
    const h = createHarness(broken);
    expect(onlyMessage(await h.send("Belarus")).text).toBe(messages.failure);
    expect(onlyMessage(await h.send("/ask Iran")).text).toBe(messages.failure);
    expect(telegramPlainText(onlyMessage(await h.send("/help")).text)).toContain("Cum folosești Citat");
    expect(onlyMessage(await h.send("/start")).text).toContain("Citat");
    expect(h.errors()).toHaveLength(2);
    expect(h.errors().every((e) => e.includes("broken engine"))).toBe(true);
  });

  it("Telegram refusing the answer: the failure message is tried, and the update still completes", async () => {
    const h = createHarness(engine).fail("sendMessage");
    const calls = await h.send(SEED_QUESTION);
    // The answer, then the failure message: both refused.
    expect(calls.filter((c) => c.method === "sendMessage").map((c) => c.payload.text === messages.failure)).toEqual([
      false,
      true,
    ]);
    expect(h.errors()).toHaveLength(1);
    expect(h.errors()[0]).toMatch(/method not found/);
    expect(h.warnings().join()).toMatch(/error reply failed \(ignored\)/);
    h.restore("sendMessage");
    expect(telegramPlainText(onlyMessage(await h.send(SEED_QUESTION)).text)).toContain(SEED_ANSWER);
  });

  it("a throwing network on the answer doesn't escape handleUpdate", async () => {
    const h = createHarness(engine).fail("sendMessage", "throw");
    await expect(h.send(SEED_QUESTION)).resolves.toBeDefined();
    expect(h.errors()[0]).toMatch(/network down \(sendMessage\)/);
  });
});

describe("createBot", () => {
  it("needs no network to start handling updates when botInfo is given", async () => {
    const logger = createMemoryLogger();
    const bot = createBot({ engine, logger }, { token: "123:test", botInfo: BOT_INFO, autoRetry: false });
    expect(bot.botInfo.username).toBe("citat_test_bot");
    expect(bot.isInited()).toBe(true);
  });

  it("installs auto-retry unless told not to", () => {
    const logger = createMemoryLogger();
    const withRetry = createBot({ engine, logger }, { token: "123:test", botInfo: BOT_INFO });
    const without = createBot({ engine, logger }, { token: "123:test", botInfo: BOT_INFO, autoRetry: false });
    expect(withRetry.api.config.installedTransformers()).toHaveLength(1);
    expect(without.api.config.installedTransformers()).toHaveLength(0);
  });
});
