/** /start and /help. */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { messages } from "../../../src/bot/messages.js";
import type { Article } from "../../../src/content/article.js";
import { AnswerEngine } from "../../../src/search/answer-engine.js";
import { telegramPlainText } from "../../support/telegram-html.js";
import { FRIENDLY_ARTICLES, loadSeedArticles } from "../fixtures.js";
import { createHarness, GROUP_CHAT, onlyMessage, PRIVATE_CHAT, useMessageAudit } from "../harness.js";

useMessageAudit();

let seed: Article[];
beforeAll(async () => {
  seed = await loadSeedArticles();
});

/** The example questions of a welcome message: its <code> items. */
const examplesOf = (html: string) => [...html.matchAll(/<code>([^<]*)<\/code>/g)].map((m) => telegramPlainText(m[1] as string));

describe("/start", () => {
  it("introduces Citat in HTML with example questions drawn from the content", async () => {
    const h = createHarness(AnswerEngine.fromArticles(seed));
    const { text, payload } = onlyMessage(await h.send("/start"));
    expect(payload.chat_id).toBe(PRIVATE_CHAT.id);
    expect(payload.parse_mode).toBe("HTML");
    const plain = telegramPlainText(text);
    expect(plain).toContain("Citat");
    expect(plain).toContain("/help");
    const examples = examplesOf(text);
    expect(examples.length).toBeGreaterThanOrEqual(1);
    expect(examples.length).toBeLessThanOrEqual(3);
    for (const q of examples) {
      // Each names something the article talks about (a capitalised word of its body).
      const names = q.match(/\p{Lu}\p{Ll}{3,}/gu) ?? [];
      expect(
        names.some((n) => seed[0]!.body.includes(n)),
        q,
      ).toBe(true);
    }
  });

  it("each example, asked, gets an answer with a quote", async () => {
    const h = createHarness(AnswerEngine.fromArticles(seed));
    const examples = examplesOf(onlyMessage(await h.send("/start")).text);
    expect(examples.length).toBeGreaterThan(0);
    for (const q of examples) {
      const { text } = onlyMessage(await h.send(q));
      expect(text, q).toContain("<blockquote>");
      expect(text, q).not.toContain("Nu am găsit");
      expect(text, q).toContain("G4Media");
    }
  });

  it("draws examples from whatever is indexed (inline articles)", async () => {
    const h = createHarness(AnswerEngine.fromArticles(FRIENDLY_ARTICLES));
    const examples = examplesOf(onlyMessage(await h.send("/start")).text);
    expect(examples.length).toBeGreaterThan(0);
    expect(examples.join(" ")).toMatch(/Giurgiu|Calafat/);
    for (const q of examples) expect(onlyMessage(await h.send(q)).text).toContain("<blockquote>");
  });

  it("computes the examples once, not on every /start", async () => {
    const engine = AnswerEngine.fromArticles(seed);
    const spy = vi.spyOn(engine, "exampleQuestions");
    const h = createHarness(engine);
    const first = onlyMessage(await h.send("/start")).text;
    const second = onlyMessage(await h.send("/start")).text;
    expect(second).toBe(first);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it("with nothing indexed, still welcomes, without examples", async () => {
    const h = createHarness(AnswerEngine.fromArticles([]));
    const { text } = onlyMessage(await h.send("/start"));
    expect(text).toBe(messages.welcome([]));
    expect(text).toContain("Citat");
    expect(examplesOf(text)).toEqual([]);
    expect(text).not.toContain("Încearcă");
    expect(text).not.toMatch(/\n\n\n/);
  });

  it("works in groups, also addressed as /start@bot", async () => {
    const h = createHarness(AnswerEngine.fromArticles(seed));
    for (const command of ["/start", "/start@citat_test_bot"]) {
      const { text, payload } = onlyMessage(await h.send(command, GROUP_CHAT));
      expect(payload.chat_id).toBe(GROUP_CHAT.id);
      expect(text).toContain("<b>Citat</b>");
    }
  });
});

describe("/help", () => {
  it("explains how to ask and how many articles are indexed", async () => {
    const h = createHarness(AnswerEngine.fromArticles(seed));
    const { text, payload } = onlyMessage(await h.send("/help"));
    expect(payload.parse_mode).toBe("HTML");
    const plain = telegramPlainText(text);
    expect(plain).toContain("Cum folosești Citat");
    expect(plain).toContain("/ask întrebarea ta");
    expect(plain).toContain("Știri indexate acum: 1.");
  });

  it("counts the inline articles", async () => {
    const h = createHarness(AnswerEngine.fromArticles(FRIENDLY_ARTICLES));
    expect(telegramPlainText(onlyMessage(await h.send("/help")).text)).toContain(
      `Știri indexate acum: ${FRIENDLY_ARTICLES.length}.`,
    );
  });
});
