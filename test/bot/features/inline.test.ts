/** Inline mode: quote cards for a question, the latest headlines for an empty query. */
import { beforeAll, describe, expect, it } from "vitest";
import { messages } from "../../../src/bot/messages.js";
import { INLINE_RESULTS } from "../../../src/bot/features/inline.js";
import type { Article } from "../../../src/content/article.js";
import { AnswerEngine } from "../../../src/search/answer-engine.js";
import { telegramPlainText, validateTelegramHtml } from "../../support/telegram-html.js";
import { FRIENDLY_ARTICLES, loadSeedArticles, SEED_ANSWER, SEED_QUESTION, UNANSWERABLE } from "../fixtures.js";
import { createHarness, OTHER_USER, useMessageAudit, type RecordedCall } from "../harness.js";

useMessageAudit();

let seed: Article[];
let engine: AnswerEngine;
const EXTRA: Article[] = Array.from({ length: 6 }, (_, i) => ({
  id: `extra/${i}`,
  title: `Podul de la Giurgiu, ziua ${i + 1}`,
  date: `2025-07-0${i + 1}`,
  url: `https://ziar.example/pod-extra-${i}`,
  source: `Ziarul ${i + 1}`,
  body: `În ziua ${i + 1} a lucrărilor, podul de la Giurgiu a rămas închis pentru reparații, iar cozile au ajuns la ${i + 2} kilometri.`,
}));
beforeAll(async () => {
  seed = await loadSeedArticles();
  engine = AnswerEngine.fromArticles([...seed, ...FRIENDLY_ARTICLES, ...EXTRA]);
});

interface Card {
  type: string;
  id: string;
  title: string;
  description: string;
  input_message_content: { message_text: string; parse_mode: string };
}

function answerOf(calls: RecordedCall[]): { results: Card[]; payload: Record<string, unknown> } {
  expect(calls.map((c) => c.method)).toEqual(["answerInlineQuery"]);
  const payload = calls[0]!.payload;
  return { results: payload.results as Card[], payload };
}

describe("inline queries", () => {
  it("a question gets up to 5 quote cards: the article's title, the quote, and the quote with its source as the message", async () => {
    const h = createHarness(engine);
    const { results, payload } = answerOf(await h.inline(SEED_QUESTION));
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThanOrEqual(INLINE_RESULTS);
    const first = results[0]!;
    expect(first.type).toBe("article");
    expect(first.title).toBe(seed[0]!.title);
    expect(first.description).toContain(SEED_ANSWER);
    const html = first.input_message_content.message_text;
    expect(first.input_message_content.parse_mode).toBe("HTML");
    expect(validateTelegramHtml(html).ok).toBe(true);
    const plain = telegramPlainText(html);
    expect(plain).toContain(SEED_ANSWER);
    expect(plain).toMatch(/— G4Media · 20 aug\. 2025 · /);
    expect(payload.is_personal).toBe(true);
  });

  it("never more than 5 cards, even when many articles answer", async () => {
    const h = createHarness(engine);
    const { results } = answerOf(await h.inline("podul de la Giurgiu închis pentru reparații"));
    expect(results).toHaveLength(INLINE_RESULTS);
    expect(new Set(results.map((r) => r.id)).size).toBe(INLINE_RESULTS);
  });

  it("an empty or too short query gets the latest headlines, newest first", async () => {
    const h = createHarness(engine);
    for (const query of ["", " ", "ab", "și"]) {
      const { results } = answerOf(await h.inline(query));
      expect(results.map((r) => r.title)).toEqual(
        [...seed, ...FRIENDLY_ARTICLES, ...EXTRA]
          .sort((a, b) => (b.date ?? "").localeCompare(a.date ?? ""))
          .slice(0, INLINE_RESULTS)
          .map((a) => a.title),
      );
      const lead = results[0]!.input_message_content.message_text;
      expect(telegramPlainText(lead)).toContain(seed[0]!.body.split("\n")[0]!.slice(0, 80));
      expect(results[0]!.description).toMatch(/^G4Media · 20 aug\. 2025 — /);
    }
  });

  it("nothing found: no cards, and a button that opens the bot", async () => {
    const h = createHarness(engine);
    const { results, payload } = answerOf(await h.inline(UNANSWERABLE));
    expect(results).toEqual([]);
    expect(payload.button).toEqual({ text: messages.inlineNothing, start_parameter: "inline" });
  });

  it("speaks the user's language around the verbatim quote", async () => {
    const h = createHarness(engine);
    const { results } = answerOf(await h.inline(SEED_QUESTION, OTHER_USER));
    expect(telegramPlainText(results[0]!.input_message_content.message_text)).toMatch(/— G4Media · 20 Aug 2025 · /);
  });
});
