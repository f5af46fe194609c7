/**
 * The harness's own guarantees: the fake Bot API refuses what Telegram refuses, and the audit
 * flags what Telegram would reject. (No message audit here: this file sends bad messages on purpose.)
 */
import { GrammyError } from "grammy";
import { describe, expect, it } from "vitest";
import { AnswerEngine } from "../../src/search/answer-engine.js";
import { auditCalls, createHarness, PRIVATE_CHAT, type RecordedCall } from "./harness.js";

const engine = AnswerEngine.fromArticles([]);
const send = (text: string, extra: Record<string, unknown> = {}): RecordedCall => ({
  method: "sendMessage",
  payload: { chat_id: 1, text, parse_mode: "HTML", ...extra },
});

describe("the fake Bot API", () => {
  it("returns the sent message as Telegram does: new id, the chat, the plain text", async () => {
    const h = createHarness(engine);
    const a = await h.bot.api.sendMessage(PRIVATE_CHAT.id, "<b>x</b> &amp; y", { parse_mode: "HTML" });
    const b = await h.bot.api.sendMessage(PRIVATE_CHAT.id, "plain <b>");
    expect(a.text).toBe("x & y");
    expect(a.chat).toEqual(PRIVATE_CHAT);
    expect(b.text).toBe("plain <b>");
    expect(b.message_id).toBe(a.message_id + 1);
    expect(h.calls.map((c) => c.method)).toEqual(["sendMessage", "sendMessage"]);
  });

  it("refuses invalid HTML and over-long texts like Telegram", async () => {
    const h = createHarness(engine);
    await expect(h.bot.api.sendMessage(1, "<b>x", { parse_mode: "HTML" })).rejects.toThrow(/can't parse entities/);
    await expect(h.bot.api.sendMessage(1, "x".repeat(4097))).rejects.toThrow(/message is too long/);
  });

  it("fails chosen methods with an error response or a thrown error, until restored", async () => {
    const h = createHarness(engine).fail("sendChatAction").fail("setMyCommands", "throw");
    const err = await h.bot.api.sendChatAction(1, "typing").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GrammyError);
    expect((err as GrammyError).error_code).toBe(400);
    expect((err as GrammyError).description).toBe("Bad Request: method not found");
    await expect(h.bot.api.setMyCommands([])).rejects.toThrow(/network down/);
    h.restore("sendChatAction");
    await expect(h.bot.api.sendChatAction(1, "typing")).resolves.toBe(true);
  });

  it("adds bot_command entities to commands only", () => {
    const h = createHarness(engine);
    expect(h.textUpdate("/ask@citat_test_bot x").message?.entities).toEqual([{ type: "bot_command", offset: 0, length: 19 }]);
    expect(h.textUpdate("nu e /comandă").message?.entities).toBeUndefined();
  });
});

describe("auditCalls", () => {
  it("passes valid messages", () => {
    expect(auditCalls([send("<b>ok</b>"), send("plain"), { method: "sendChatAction", payload: {} }])).toEqual([]);
  });

  it("flags invalid HTML, over-long texts (raw or visible), big callback data and long toasts", () => {
    expect(auditCalls([send("a & b")]).join()).toMatch(/bare "&"/);
    expect(auditCalls([send(`<b>${"&amp;".repeat(1000)}</b>`)]).join()).toMatch(/raw length 5007/);
    expect(auditCalls([send("x".repeat(5000))]).join()).toMatch(/visible length 5000/);
    expect(auditCalls([send("ok", { parse_mode: "MarkdownV2" })]).join()).toMatch(/parse_mode MarkdownV2/);
    const keyboard = { inline_keyboard: [[{ text: "›", callback_data: "m".repeat(65) }]] };
    expect(auditCalls([send("ok", { reply_markup: keyboard })]).join()).toMatch(/callback_data over 64 bytes/);
    expect(auditCalls([{ method: "answerCallbackQuery", payload: { text: "x".repeat(201) } }]).join()).toMatch(/over 200/);
  });
});
