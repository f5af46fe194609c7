/** Groups: answer only when addressed, as a reply to the asking message, in its forum topic. */
import { beforeAll, describe, expect, it } from "vitest";
import { messages } from "../../../src/bot/messages.js";
import { AnswerEngine } from "../../../src/search/answer-engine.js";
import { telegramPlainText } from "../../support/telegram-html.js";
import { FRIENDLY_ARTICLES, loadSeedArticles, SEED_ANSWER, SEED_QUESTION } from "../fixtures.js";
import {
  BOT_INFO,
  createHarness,
  FORUM_CHAT,
  GROUP_CHAT,
  onlyMessage,
  OTHER_USER,
  SUPERGROUP_CHAT,
  useMessageAudit,
} from "../harness.js";

useMessageAudit();

let engine: AnswerEngine;
beforeAll(async () => {
  engine = AnswerEngine.fromArticles([...(await loadSeedArticles()), ...FRIENDLY_ARTICLES]);
});

const BOT = `@${BOT_INFO.username}`;

describe("in groups", () => {
  it("messages not addressed to the bot get no answer: plain questions, other mentions, replies to others", async () => {
    const h = createHarness(engine);
    for (const chat of [GROUP_CHAT, SUPERGROUP_CHAT, FORUM_CHAT]) {
      expect(await h.send(SEED_QUESTION, chat)).toEqual([]);
      expect(await h.send(`@alt_user_bot ${SEED_QUESTION}`, chat)).toEqual([]);
      expect(await h.send(`scrie-i lui ${BOT_INFO.username}x`, chat)).toEqual([]);
    }
    const someonesMessage = { message_id: 5, date: 0, chat: GROUP_CHAT, from: OTHER_USER, text: "Ce părere aveți?" };
    expect(await h.send("Eu zic că e bine", GROUP_CHAT, { replyTo: someonesMessage })).toEqual([]);
  });

  it("/ask and /ask@bot answer as a reply to the asking message", async () => {
    const h = createHarness(engine);
    for (const command of ["/ask", `/ask${BOT}`]) {
      const update = h.textUpdate(`${command} ${SEED_QUESTION}`, SUPERGROUP_CHAT);
      const { text, payload } = onlyMessage(await h.handle(update));
      expect(telegramPlainText(text)).toContain(SEED_ANSWER);
      expect(payload).toMatchObject({
        chat_id: SUPERGROUP_CHAT.id,
        reply_parameters: { message_id: update.message!.message_id },
      });
    }
  });

  it("a mention of the bot is a question; the mention is not part of it", async () => {
    const h = createHarness(engine);
    for (const text of [`${BOT} ${SEED_QUESTION}`, `${SEED_QUESTION} ${BOT}`, `${BOT.toUpperCase()}, ${SEED_QUESTION}`]) {
      const update = h.textUpdate(text, GROUP_CHAT);
      const reply = onlyMessage(await h.handle(update));
      expect(telegramPlainText(reply.text).split("\n")[0]).toBe(`🔎 ${SEED_QUESTION}`);
      expect(reply.payload.reply_parameters).toEqual({
        message_id: update.message!.message_id,
        allow_sending_without_reply: true,
      });
    }
    const alone = onlyMessage(await h.send(BOT, GROUP_CHAT));
    expect(alone.text).toBe(messages.mentionUsage(BOT_INFO.username));
  });

  it("a reply to the bot's answer is a follow-up, answered in the group", async () => {
    const h = createHarness(engine);
    await h.send(`/ask ${SEED_QUESTION}`, GROUP_CHAT);
    const answer = h.lastSent;
    // Someone else replies to Ana's answer: the reply continues the answer's topic.
    const update = h.textUpdate("Și ce a spus Pezeshkian?", GROUP_CHAT, { from: OTHER_USER, replyTo: answer });
    const reply = onlyMessage(await h.handle(update));
    expect(reply.text).toMatch(/↪ <i>following up on: /);
    expect(telegramPlainText(reply.text)).toMatch(/Pezeshkian/);
    expect(reply.payload.reply_parameters).toMatchObject({ message_id: update.message!.message_id });
  });

  it("in a forum topic, the answer goes to the same topic", async () => {
    const h = createHarness(engine);
    const update = h.textUpdate(`${BOT} ${SEED_QUESTION}`, FORUM_CHAT, { threadId: 77 });
    const { payload } = onlyMessage(await h.handle(update));
    expect(payload).toMatchObject({
      chat_id: FORUM_CHAT.id,
      message_thread_id: 77,
      reply_parameters: { message_id: update.message!.message_id },
    });
    // Paging stays in the topic too.
    const more = await h.press("more:3", h.lastSent);
    expect(onlyMessage(more).payload).toMatchObject({ chat_id: FORUM_CHAT.id, message_thread_id: 77 });
  });
});
