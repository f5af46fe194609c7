/**
 * Hostile content and hostile questions: article text full of markup, entities, quotes, emoji,
 * giant paragraphs and titles; questions made of tags, emoji, zero-width characters or 5,000
 * characters. Every message must still be valid Telegram HTML within the limits (the audit
 * checks every call after each test), and markup from articles must show as text.
 */
import { describe, expect, it } from "vitest";
import { messages } from "../../src/bot/messages.js";
import { QUESTION_MARK } from "../../src/bot/render.js";
import { AnswerEngine } from "../../src/search/answer-engine.js";
import { TELEGRAM_TEXT_LIMIT, telegramPlainText, validateTelegramHtml } from "../support/telegram-html.js";
import { FRIENDLY_ARTICLES, HOSTILE_ARTICLES, HOSTILE_QUESTIONS } from "./fixtures.js";
import {
  allRecordedCalls,
  createHarness,
  GROUP_CHAT,
  moreButtons,
  onlyMessage,
  sendMessages,
  useMessageAudit,
} from "./harness.js";

useMessageAudit();

const engine = AnswerEngine.fromArticles([...HOSTILE_ARTICLES, ...FRIENDLY_ARTICLES]);
const bodies = HOSTILE_ARTICLES.map((a) => a.body);

/** Visible text of each quote of an answer, without the "…" cut marks. */
function quotesOf(html: string): string[] {
  return [...html.matchAll(/<blockquote>([\s\S]*?)<\/blockquote>/g)].map((m) =>
    telegramPlainText(m[1] as string).replace(/^…|…$/g, ""),
  );
}

function expectValid(text: string): void {
  const v = validateTelegramHtml(text);
  expect(v.errors).toEqual([]);
  expect(v.visibleLength).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
  expect(text.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
}

describe("hostile questions", () => {
  it.each(HOSTILE_QUESTIONS.map((q, i) => [i, q.length, q] as const))(
    "question #%i (%i chars) gets exactly one valid reply, never the failure message",
    async (_, __, question) => {
      const h = createHarness(engine);
      const { text } = onlyMessage(await h.send(question));
      expectValid(text);
      expect(text).not.toBe(messages.failure);
      expect(h.errors()).toEqual([]);
    },
  );

  it("the same questions through /ask in a group", async () => {
    const h = createHarness(engine);
    for (const q of HOSTILE_QUESTIONS) {
      const calls = await h.send(`/ask ${q}`, GROUP_CHAT);
      const { text } = onlyMessage(calls);
      expectValid(text);
    }
    expect(h.errors()).toEqual([]);
  });

  it("a question's own markup is shown as text in the answer's first line", async () => {
    const h = createHarness(engine);
    const question = "<b>bugetul</b> & taxele primăriei";
    const { text } = onlyMessage(await h.send(question));
    expect(text.startsWith(`${QUESTION_MARK}<i>&lt;b&gt;bugetul&lt;/b&gt; &amp; taxele primăriei</i>`)).toBe(true);
    expect(telegramPlainText(text).split("\n")[0]).toBe(`${QUESTION_MARK}${question}`);
  });

  it("a 5,000-character question nothing answers: the 'not found' reply stays under the limit", async () => {
    const h = createHarness(engine);
    const question = "sarmale ".repeat(625).trim();
    expect(question.length).toBeGreaterThan(4096);
    const { text } = onlyMessage(await h.send(question));
    expect(text).toContain("Nu am găsit");
    expectValid(text);
  });

  it("a question of only emoji or only zero-width characters gets the 'no words' hint", async () => {
    const h = createHarness(engine);
    expect(onlyMessage(await h.send("🔥🔥🔥😡😡🧑‍🤝‍🧑")).text).toBe(messages.noTerms);
    expect(onlyMessage(await h.send("\u200b\u200c\u200d\ufeff")).text).toBe(messages.noTerms);
  });
});

describe("hostile articles", () => {
  it("article markup is quoted as text: escaped in HTML, verbatim in what the user sees", async () => {
    const h = createHarness(engine);
    const { text } = onlyMessage(await h.send("bugetul primăriei"));
    expectValid(text);
    const quotes = quotesOf(text);
    expect(quotes.length).toBeGreaterThan(0);
    for (const q of quotes)
      expect(
        bodies.some((b) => b.includes(q)),
        q,
      ).toBe(true);
    const plain = telegramPlainText(text);
    expect(plain).toContain('Primăria a votat <b>bugetul</b> & taxele "noi"');
    expect(plain).toContain('</blockquote><a href="x">');
    expect(plain).toContain("<script>alert(1)</script>");
    expect(text).not.toContain("<script>");
    expect(text).toContain("&lt;script&gt;");
  });

  it("literal entities in articles stay literal (&amp; shows as &amp;, not &)", async () => {
    const h = createHarness(engine);
    const { text } = onlyMessage(await h.send("consiliul local a aprobat bugetul"));
    const plain = telegramPlainText(text);
    expect(plain).toContain("textul conține literal &amp; și &lt;b&gt; și &#128269;.");
    expect(text).toContain("&amp;amp;");
  });

  it("the source line escapes the outlet, shortens a 1,000-character title and keeps the URL intact", async () => {
    const h = createHarness(engine);
    const { text } = onlyMessage(await h.send("bugetul primăriei"));
    const article = HOSTILE_ARTICLES[0]!;
    expect(article.title.length).toBe(1000);
    const link = /<a href="([^"]*)">([^<]*)<\/a>/.exec(text);
    expect(link).not.toBeNull();
    expect(telegramPlainText(`<a href="${link![1]}">x</a>`)).toBe("x");
    // The href, decoded, is the article's URL exactly.
    expect(
      link![1]!
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&amp;/g, "&"),
    ).toBe(article.url);
    const title = telegramPlainText(link![2]!);
    expect(title.length).toBeLessThanOrEqual(160);
    expect(title.endsWith("…")).toBe(true);
    expect(article.title.startsWith(title.slice(0, -1))).toBe(true);
    expect(telegramPlainText(text)).toContain(`— ${article.source!} · 1 iun. 2025 · `);
  });

  it("a run-on paragraph of 12,000 characters is quoted in a cut window marked with …", async () => {
    const h = createHarness(engine);
    const { text } = onlyMessage(await h.send("sindicatele au anunțat proteste în fața spitalelor județene"));
    expectValid(text);
    const blocks = [...text.matchAll(/<blockquote>([\s\S]*?)<\/blockquote>/g)].map((m) => telegramPlainText(m[1]!));
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks.some((b) => b.startsWith("…") || b.endsWith("…"))).toBe(true);
    for (const b of blocks) expect(b.length).toBeLessThan(1000);
    for (const q of quotesOf(text)) expect(bodies.some((body) => body.includes(q))).toBe(true);
  });

  it("emoji-heavy quotes keep their surrogate pairs whole", async () => {
    const h = createHarness(engine);
    for (const q of ["Protestatarii au blocat podul din Cluj", "demisia primarului și a consiliului"]) {
      const { text } = onlyMessage(await h.send(q));
      expectValid(text);
      expect(telegramPlainText(text)).toMatch(/[😡🔥🌉]/u);
    }
  });

  it("paging through every page of hostile answers keeps every message valid", async () => {
    const h = createHarness(engine);
    for (const question of ["spitale", "bugetul spitalului", "Spitalul aparatură", "podul de la Giurgiu"]) {
      onlyMessage(await h.send(question));
      let pages = 1;
      let buttons = moreButtons(sendMessages(h.calls).at(-1)!.payload);
      while (buttons.length > 0) {
        const data = buttons[0]!.callback_data!;
        expect(data).toMatch(/^more:\d+$/);
        const { text, payload } = onlyMessage(await h.press(data, h.lastSent));
        expectValid(text);
        expect(text).toContain("<blockquote>");
        buttons = moreButtons(payload);
        pages++;
        expect(pages).toBeLessThanOrEqual(9);
      }
      expect(pages, question).toBeGreaterThanOrEqual(1);
    }
    expect(h.errors()).toEqual([]);
  });

  it("every word of the hostile articles, asked, gets one valid reply", async () => {
    const h = createHarness(engine);
    const words = [...new Set(bodies.join(" ").match(/\p{L}{4,}/gu) ?? [])].slice(0, 60);
    expect(words.length).toBeGreaterThan(30);
    for (const w of words) {
      const { text } = onlyMessage(await h.send(w));
      expectValid(text);
    }
    expect(h.errors()).toEqual([]);
  }, 30_000);
});

describe("the audit itself", () => {
  it("has seen every message sent in this file so far", () => {
    const sent = sendMessages(allRecordedCalls());
    expect(sent.length).toBeGreaterThan(HOSTILE_QUESTIONS.length * 2);
    for (const c of sent) expectValid(String(c.payload.text));
  });
});
