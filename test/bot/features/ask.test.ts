/** Questions and answers: private text, /ask in groups, and the "More" button. */
import { beforeAll, describe, expect, it } from "vitest";
import { messages } from "../../../src/bot/messages.js";
import { normalizeQuestion, QUESTION_MARK, sourceLineHtml } from "../../../src/bot/render.js";
import type { Article } from "../../../src/content/article.js";
import { AnswerEngine } from "../../../src/search/answer-engine.js";
import { ATHLETE, MAYOR, TEACHERS, WEATHER } from "../../search/fixtures.js";
import { telegramPlainText } from "../../support/telegram-html.js";
import { FRIENDLY_ARTICLES, loadSeedArticles, SEED_ANSWER, SEED_QUESTION, UNANSWERABLE } from "../fixtures.js";
import {
  buttonsOf,
  createHarness,
  ANSWER_BUTTONS,
  GROUP_CHAT,
  onlyMessage,
  PRIVATE_CHAT,
  sendMessages,
  SUPERGROUP_CHAT,
  useMessageAudit,
  type RecordedCall,
} from "../harness.js";

useMessageAudit();

let seed: Article[];
let engine: AnswerEngine;
beforeAll(async () => {
  seed = await loadSeedArticles();
  engine = AnswerEngine.fromArticles(seed);
});

/** The visible text of each quote of an answer message (the blockquotes, "…" cut marks included). */
function quotesOf(html: string): string[] {
  return [...html.matchAll(/<blockquote>([\s\S]*?)<\/blockquote>/g)].map((m) => telegramPlainText(m[1] as string));
}

const methods = (calls: readonly RecordedCall[]) => calls.map((c) => c.method);

describe("a question in a private chat", () => {
  it("gets one HTML answer: the question, the verbatim quote with matched words in bold, and its source", async () => {
    const h = createHarness(engine);
    const calls = await h.send(SEED_QUESTION);
    const { text, payload } = onlyMessage(calls);
    expect(payload.chat_id).toBe(PRIVATE_CHAT.id);
    expect(payload.parse_mode).toBe("HTML");
    expect(payload.link_preview_options).toEqual({ is_disabled: true });

    const plain = telegramPlainText(text);
    expect(plain.split("\n")[0]).toBe(`${QUESTION_MARK}${SEED_QUESTION}`);
    expect(plain).toContain(SEED_ANSWER);
    const quotes = quotesOf(text);
    expect(quotes.length).toBeGreaterThanOrEqual(1);
    expect(quotes.length).toBeLessThanOrEqual(3);
    expect(quotes[0]).toContain(SEED_ANSWER);
    // Verbatim: every quote (without cut marks) is a substring of the article body.
    for (const q of quotes) expect(seed[0]!.body).toContain(q.replace(/^…|…$/g, ""));
    // Matched words in bold, inside the quote.
    expect(text).toMatch(/<blockquote>[\s\S]*<b>tratat<\/b>[\s\S]*<\/blockquote>/);
    expect(text).toMatch(/<b>Belarus(ul)?<\/b>/);
    // The quotes all come from one story: its source line once, the quotes under it.
    expect(plain.match(/— G4Media · 20 aug\. 2025 · Ţări prietene cu Rusia/g)).toHaveLength(1);
    expect(text).toMatch(/— G4Media · 20 aug\. 2025 · Ţări prietene cu Rusia[^\n]*\n<blockquote>/);
  });

  it("shows the typing indicator before answering", async () => {
    const h = createHarness(engine);
    const calls = await h.send(SEED_QUESTION);
    expect(methods(calls)).toEqual(["sendChatAction", "sendMessage"]);
    expect(calls[0]!.payload).toMatchObject({ chat_id: PRIVATE_CHAT.id, action: "typing" });
  });

  it("with a typing delay, a quick answer is sent without the typing indicator", async () => {
    const h = createHarness(engine, { typingDelayMs: 60_000 });
    const calls = await h.send(SEED_QUESTION);
    expect(methods(calls)).toEqual(["sendMessage"]);
  });

  it("a question the articles can't answer: says nothing was found, with no quote and no button", async () => {
    const h = createHarness(engine);
    const { text, payload } = onlyMessage(await h.send(UNANSWERABLE));
    expect(text).toContain("Nu am găsit");
    expect(telegramPlainText(text)).toContain(`„${UNANSWERABLE}”`);
    expect(text).not.toContain("<blockquote>");
    expect(text).not.toContain("G4Media");
    expect(buttonsOf(payload)).toEqual([]);
  });

  it("a question about a covered person's unreported fact: declined, naming the story that covers the person", async () => {
    const h = createHarness(AnswerEngine.fromArticles([ATHLETE, MAYOR, WEATHER, TEACHERS]));
    const question = "Ce notă a luat Ioana Mureșan la bacalaureat?";
    const { text, payload } = onlyMessage(await h.send(question));
    expect(text).toBe(messages.notReported(question, sourceLineHtml(ATHLETE, messages)));
    const plain = telegramPlainText(text);
    expect(plain).toContain(`„${question}”`);
    expect(plain).toContain(ATHLETE.title);
    expect(text).not.toContain("<blockquote>");
    expect(buttonsOf(payload)).toEqual([]);
    expect(payload.link_preview_options).toEqual({ is_disabled: true });
    // What the story does report is still answered, from the same article.
    const answered = onlyMessage(await h.send("La ce facultate studiază Ioana Mureșan?")).text;
    expect(quotesOf(answered)[0]).toContain("Facultatea de Educație Fizică");
  });

  it("a question without searchable words gets the 'no words' hint", async () => {
    const h = createHarness(engine);
    const { text } = onlyMessage(await h.send("și de ce?"));
    expect(text).toBe(messages.noTerms);
  });

  it("cuts an over-long question before searching and shortens it in the answer's first line", async () => {
    const h = createHarness(engine);
    const question = `${SEED_QUESTION} ${"Belarus Iran tratat ".repeat(60)}`;
    expect(question.length).toBeGreaterThan(1000);
    const { text } = onlyMessage(await h.send(question));
    const firstLine = telegramPlainText(text).split("\n")[0]!;
    expect(firstLine.startsWith(`${QUESTION_MARK}${SEED_QUESTION}`)).toBe(true);
    expect(firstLine.endsWith("…")).toBe(true);
    expect(firstLine.length).toBeLessThanOrEqual(QUESTION_MARK.length + 200);
    expect(text).toContain("<blockquote>");
  });

  it("pages a long question on the very question the first page searched", async () => {
    const h = createHarness(engine);
    const question = `${SEED_QUESTION} ${"Belarus Iran cooperare ".repeat(20)}`;
    const first = onlyMessage(await h.send(question));
    const direct = engine.ask(normalizeQuestion(question), { offset: 3, limit: 3 });
    expect(direct.quotes.length).toBeGreaterThan(0);
    const more = buttonsOf(first.payload)[0]!;
    const second = onlyMessage(await h.press(more.callback_data!, h.lastSent));
    expect(quotesOf(second.text)).toHaveLength(direct.quotes.length);
  });
});

describe("the More button", () => {
  it("appears when there are more than 3 good quotes, with the next offset as callback data", async () => {
    expect(engine.ask(SEED_QUESTION).total).toBeGreaterThan(3);
    const h = createHarness(engine);
    const { payload, text } = onlyMessage(await h.send(SEED_QUESTION));
    expect(quotesOf(text)).toHaveLength(3);
    expect(buttonsOf(payload)).toEqual([{ text: messages.more, callback_data: "more:3" }, ...ANSWER_BUTTONS]);
  });

  it("is absent when everything fits on one page", async () => {
    const small = AnswerEngine.fromArticles([
      {
        id: "scurt/1",
        title: "Podul de la Giurgiu se redeschide",
        date: "2025-06-01",
        url: null,
        source: "Test",
        body: "Podul de la Giurgiu se redeschide luni dimineață. Traficul greu rămâne interzis.",
      },
    ]);
    const h = createHarness(small);
    const question = "Când se redeschide podul de la Giurgiu?";
    expect(small.ask(question).total).toBeGreaterThan(0);
    expect(small.ask(question).total).toBeLessThanOrEqual(3);
    const { payload } = onlyMessage(await h.send(question));
    expect(buttonsOf(payload)).toEqual(ANSWER_BUTTONS);
  });

  it("pressing it sends the next quotes, answers the query and removes the old button", async () => {
    const h = createHarness(engine);
    const first = onlyMessage(await h.send(SEED_QUESTION));
    const answer = h.lastSent; // as Telegram returns it: plain text, question on the first line
    expect(answer.text.split("\n")[0]).toBe(`${QUESTION_MARK}${SEED_QUESTION}`);

    const calls = await h.press("more:3", answer);
    expect(methods(calls)).toEqual(["answerCallbackQuery", "sendMessage", "editMessageReplyMarkup"]);
    expect(calls[0]!.payload.text).toBeUndefined(); // no toast: the answer is the new message
    expect(calls[2]!.payload).toMatchObject({ chat_id: PRIVATE_CHAT.id, message_id: answer.message_id });

    const second = onlyMessage(calls);
    expect(telegramPlainText(second.text).split("\n")[0]).toBe(`${QUESTION_MARK}${SEED_QUESTION}`);
    const total = engine.ask(SEED_QUESTION).total;
    const page2 = quotesOf(second.text);
    expect(total).toBeGreaterThan(3);
    expect(page2).toHaveLength(Math.min(total - 3, 3));
    for (const q of page2) expect(quotesOf(first.text)).not.toContain(q);
    expect(telegramPlainText(second.text)).not.toContain(SEED_ANSWER);
    // More again only while quotes remain.
    expect(buttonsOf(second.payload)).toEqual(
      total > 6 ? [{ text: messages.more, callback_data: "more:6" }, ...ANSWER_BUTTONS] : ANSWER_BUTTONS,
    );
  });

  it("pages through a topic with several articles, each page with its own sources", async () => {
    const h = createHarness(AnswerEngine.fromArticles(FRIENDLY_ARTICLES));
    const question = "reparații la podul de la Giurgiu";
    const first = onlyMessage(await h.send(question));
    expect(buttonsOf(first.payload)).toEqual([{ text: messages.more, callback_data: "more:3" }, ...ANSWER_BUTTONS]);
    const second = onlyMessage(await h.press("more:3", h.lastSent));
    const all = [...quotesOf(first.text), ...quotesOf(second.text)];
    const total = AnswerEngine.fromArticles(FRIENDLY_ARTICLES).ask(question).total;
    expect(all).toHaveLength(Math.min(total, 6));
    expect(all.length).toBeGreaterThan(3);
    expect(new Set(all).size).toBe(all.length);
    for (const q of all) expect(FRIENDLY_ARTICLES.some((a) => a.body.includes(q))).toBe(true);
    expect(telegramPlainText(second.text)).toMatch(/\n— (.* · )?[1-5] iun\. 2025 · /);
  });

  it("when the question can't be read back from the message, the user is told it expired", async () => {
    const h = createHarness(engine);
    const stale = { message_id: 77, date: 1_700_000_000, chat: PRIVATE_CHAT, text: "Un mesaj vechi, fără întrebare" };
    const calls = await h.press("more:3", stale);
    expect(methods(calls)).toEqual(["answerCallbackQuery"]);
    expect(calls[0]!.payload.text).toBe(messages.expired);
  });

  it("an inaccessible or missing message counts as expired too", async () => {
    const h = createHarness(engine);
    const inaccessible = await h.press("more:3", { message_id: 5, date: 0, chat: PRIVATE_CHAT });
    expect(inaccessible.map((c) => [c.method, c.payload.text])).toEqual([["answerCallbackQuery", messages.expired]]);
    const inline = await h.press("more:3", undefined);
    expect(inline.map((c) => [c.method, c.payload.text])).toEqual([["answerCallbackQuery", messages.expired]]);
  });

  it("pressed past the last quote: says there are no more", async () => {
    const h = createHarness(engine);
    await h.send(SEED_QUESTION);
    const calls = await h.press("more:9", h.lastSent);
    expect(onlyMessage(calls).text).toBe(messages.noMore);
    expect(methods(calls)).toContain("answerCallbackQuery");
  });

  it("a failing editMessageReplyMarkup doesn't stop the next page; it is logged", async () => {
    const h = createHarness(engine).fail("editMessageReplyMarkup");
    await h.send(SEED_QUESTION);
    const calls = await h.press("more:3", h.lastSent);
    const { text } = onlyMessage(calls);
    expect(text).toContain("<blockquote>");
    expect(h.warnings().join("\n")).toMatch(/editMessageReplyMarkup failed.*method not found/);
    expect(h.errors()).toEqual([]);
  });

  it("a failing answerCallbackQuery (query too old) doesn't stop the next page either", async () => {
    const h = createHarness(engine);
    await h.send(SEED_QUESTION);
    h.fail("answerCallbackQuery");
    const calls = await h.press("more:3", h.lastSent);
    const { text } = onlyMessage(calls);
    expect(text).toContain("<blockquote>");
    expect(text).not.toBe(messages.failure);
    expect(h.warnings().join("\n")).toMatch(/answerCallbackQuery failed/);
    expect(h.errors()).toEqual([]);
  });

  it("works in groups: the next page goes to the group", async () => {
    const h = createHarness(engine);
    await h.send(`/ask ${SEED_QUESTION}`, GROUP_CHAT);
    expect(h.lastSent.chat.id).toBe(GROUP_CHAT.id);
    const { payload } = onlyMessage(await h.press("more:3", h.lastSent));
    expect(payload.chat_id).toBe(GROUP_CHAT.id);
  });
});

describe("groups", () => {
  it("plain text not addressed to the bot gets no reply", async () => {
    const h = createHarness(engine);
    for (const chat of [GROUP_CHAT, SUPERGROUP_CHAT]) {
      expect(await h.send(SEED_QUESTION, chat)).toEqual([]);
      expect(await h.send("Bună dimineața tuturor!", chat)).toEqual([]);
    }
    expect(await h.sendSticker(GROUP_CHAT)).toEqual([]);
    expect(await h.send("/nimic", GROUP_CHAT)).toEqual([]);
  });

  it("/ask with a question gets an answer in the group", async () => {
    const h = createHarness(engine);
    for (const command of ["/ask", `/ask@${"citat_test_bot"}`]) {
      const calls = await h.send(`${command} ${SEED_QUESTION}`, SUPERGROUP_CHAT);
      const { text, payload } = onlyMessage(calls);
      expect(payload.chat_id).toBe(SUPERGROUP_CHAT.id);
      expect(telegramPlainText(text)).toContain(SEED_ANSWER);
      expect(telegramPlainText(text).split("\n")[0]).toBe(`${QUESTION_MARK}${SEED_QUESTION}`);
    }
  });

  it("/ask alone (or with only spaces) gets the usage hint", async () => {
    const h = createHarness(engine);
    for (const text of ["/ask", "/ask   ", "/ask@citat_test_bot"]) {
      const reply = onlyMessage(await h.send(text, GROUP_CHAT));
      expect(reply.text).toBe(messages.askUsage);
      expect(reply.payload.parse_mode).toBe("HTML");
    }
  });

  it("/ask addressed to another bot is ignored", async () => {
    const h = createHarness(engine);
    expect(await h.send(`/ask@alt_bot ${SEED_QUESTION}`, GROUP_CHAT)).toEqual([]);
  });

  it("/ask works in private chats too", async () => {
    const h = createHarness(engine);
    const { text } = onlyMessage(await h.send(`/ask ${SEED_QUESTION}`));
    expect(telegramPlainText(text)).toContain(SEED_ANSWER);
    expect(sendMessages(h.calls)).toHaveLength(1);
  });
});
