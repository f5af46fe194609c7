/** Follow-ups answered inside the story, through updates: the notice when the story is left, and no story after a declined question. */
import { beforeAll, describe, expect, it } from "vitest";
import { messages } from "../../../src/bot/messages.js";
import { messagesEn } from "../../../src/bot/messages-en.js";
import { AnswerEngine } from "../../../src/search/answer-engine.js";
import { telegramPlainText } from "../../support/telegram-html.js";
import { sourceLineHtml } from "../../../src/bot/render.js";
import {
  BAKER_ARTICLES,
  BAKER_QUESTION,
  CASHIER,
  CASHIER_QUESTION,
  CHEF,
  CHEF_QUESTION,
  STORY_ARTICLES,
} from "../../conversation/story-fixtures.js";
import { createHarness, onlyMessage, OTHER_USER, useMessageAudit } from "../harness.js";

useMessageAudit();

let engine: AnswerEngine;
beforeAll(() => {
  engine = AnswerEngine.fromArticles(STORY_ARTICLES);
});

const quotesOf = (html: string) =>
  [...html.matchAll(/<blockquote>([\s\S]*?)<\/blockquote>/g)].map((m) => telegramPlainText(m[1] as string));

describe("follow-ups inside the story", () => {
  it('"și de ce a făcut asta?" quotes the cause from the same article, not other stories', async () => {
    const h = createHarness(engine);
    onlyMessage(await h.send(CASHIER_QUESTION));
    const why = onlyMessage(await h.send("și de ce a făcut asta?"));
    expect(why.text).toMatch(/↪ <i>în legătură cu: /);
    expect(why.text).not.toContain(messages.outsideStory);
    const quotes = quotesOf(why.text);
    expect(quotes[0]).toContain("pentru că avea datorii");
    expect(CASHIER.body).toContain(quotes[0]);
  });

  it("says when the story doesn't hold the answer and the quotes come from other articles", async () => {
    const h = createHarness(engine);
    await h.send(CASHIER_QUESTION);
    const other = onlyMessage(await h.send("și paguba?"));
    expect(other.text).toContain(messages.outsideStory);
    expect(quotesOf(other.text)[0]).toContain("firma de asigurări");
  });

  it("leaves the story for another article of the same story, found by the follow-up's own word, and says so", async () => {
    const h = createHarness(AnswerEngine.fromArticles([...BAKER_ARTICLES, ...STORY_ARTICLES]));
    onlyMessage(await h.send(BAKER_QUESTION));
    const where = onlyMessage(await h.send("unde l-au găsit?"));
    expect(where.text).not.toContain(messages.outsideStory);
    expect(quotesOf(where.text)[0]).toContain("Mediaș");
    const loss = onlyMessage(await h.send("și cât a fost paguba?"));
    expect(loss.text).toContain(messages.outsideStory);
    expect(quotesOf(loss.text)[0]).toContain("4.000 de lei");
    expect(quotesOf(loss.text).join(" ")).not.toContain("Mediaș");
  });

  it("after a declined question, a follow-up is told plainly there is no story (English too)", async () => {
    const h = createHarness(engine);
    await h.send("Care este rețeta de sarmale a bunicii?");
    const why = onlyMessage(await h.send("și de ce?"));
    expect(why.text).toBe(messages.noStory("și de ce?"));
    expect(why.text).not.toContain("<blockquote>");

    const en = createHarness(engine);
    const johnChat = { id: OTHER_USER.id, type: "private" as const, first_name: OTHER_USER.first_name };
    await en.send("Care este rețeta de sarmale a bunicii?", johnChat, { from: OTHER_USER });
    const enWhy = onlyMessage(await en.send("și de ce?", johnChat, { from: OTHER_USER }));
    expect(enWhy.text).toBe(messagesEn.noStory("și de ce?"));
  });

  it("a follow-up asking what the story does not report is told so, naming the story; the story is kept", async () => {
    const h = createHarness(AnswerEngine.fromArticles([CHEF, ...STORY_ARTICLES]));
    const where = onlyMessage(await h.send(CHEF_QUESTION));
    expect(quotesOf(where.text)[0]).toContain("60 de locuri");
    // The story never says what a meal costs: not "nothing found", not its nearest sentence.
    const price = "Și ce preț are meniul zilei?";
    const declined = onlyMessage(await h.send(price));
    expect(declined.text).toBe(messages.notReported(price, sourceLineHtml(CHEF, messages)));
    expect(declined.text).not.toContain("<blockquote>");
    expect(telegramPlainText(declined.text)).toContain(CHEF.title);
    // What the story does report is still answered from it after the decline.
    const served = onlyMessage(await h.send("Și ce preparate servește?"));
    expect(quotesOf(served.text)[0]).toContain("tochitură");
    // The declined turn's words did not join the topic.
    expect(telegramPlainText(served.text)).not.toMatch(/în legătură cu:.*meniul/);
  });
});
