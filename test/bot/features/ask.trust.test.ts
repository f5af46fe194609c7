/** Trust: every quote dated, old news said to be old, wire copies shown once with their other outlets. */
import { beforeAll, describe, expect, it } from "vitest";
import type { Article } from "../../../src/content/article.js";
import { AnswerEngine } from "../../../src/search/answer-engine.js";
import { telegramPlainText } from "../../support/telegram-html.js";
import { loadSeedArticles, SEED_QUESTION } from "../fixtures.js";
import { createHarness, onlyMessage, OTHER_USER, useMessageAudit } from "../harness.js";

useMessageAudit();

let seed: Article[];
beforeAll(async () => {
  seed = await loadSeedArticles();
});

const at = (iso: string) => () => new Date(iso);
const quotesOf = (html: string) =>
  [...html.matchAll(/<blockquote>([\s\S]*?)<\/blockquote>/g)].map((m) => telegramPlainText(m[1] as string));

describe("the date of the news", () => {
  it("more than 30 days after the newest matching article, the answer says how old it is", async () => {
    const h = createHarness(AnswerEngine.fromArticles(seed), { now: at("2025-10-01T12:00:00Z") });
    const plain = telegramPlainText(onlyMessage(await h.send(SEED_QUESTION)).text);
    expect(plain.split("\n")[1]).toBe("ℹ️ Cea mai recentă informație găsită este din 20 august 2025.");
  });

  it("says nothing while the news is recent (30 days or less)", async () => {
    const h = createHarness(AnswerEngine.fromArticles(seed), { now: at("2025-09-18T12:00:00Z") });
    expect(onlyMessage(await h.send(SEED_QUESTION)).text).not.toContain("ℹ️");
  });

  it("in English for English-speaking users", async () => {
    const h = createHarness(AnswerEngine.fromArticles(seed), { now: at("2026-01-01T00:00:00Z") });
    const { text } = onlyMessage(await h.send(`/ask ${SEED_QUESTION}`, undefined, { from: OTHER_USER }));
    expect(telegramPlainText(text)).toContain("ℹ️ The most recent information found is from 20 August 2025.");
  });

  it("every quote shows a date, 'fără dată' when the article has none", async () => {
    const undated: Article = {
      id: "x/1",
      title: "Fără dată",
      date: null,
      url: null,
      source: "Ziar",
      body: "Consiliul a votat bugetul orașului Brăila pentru anul viitor.",
    };
    const h = createHarness(AnswerEngine.fromArticles([undated]));
    expect(telegramPlainText(onlyMessage(await h.send("Ce a votat consiliul din Brăila?")).text)).toContain(
      "— Ziar · fără dată · Fără dată",
    );
  });
});

describe("wire copy", () => {
  const DISPATCH =
    "Guvernul a aprobat miercuri bugetul pentru reconstrucția podului de la Brăila, cu o valoare de 300 de milioane de lei, a anunțat purtătorul de cuvânt.";
  const copy = (id: string, source: string, body: string, url: string | null = null): Article => ({
    id,
    title: `Podul de la Brăila (${source})`,
    date: "2025-06-01",
    url,
    source,
    body,
  });
  const articles = [
    copy("agerpres/1", "Agerpres", DISPATCH, "https://agerpres.example/1"),
    copy("digi/1", "Digi24", `${DISPATCH}\n\nȘoferii vor ocoli prin Galați.`, "https://digi.example/1"),
    copy("hot/1", "HotNews", DISPATCH.replace("miercuri", "ieri")),
  ];

  it("a passage carried by several outlets is shown once, with the others as 'Apare și în'", async () => {
    const h = createHarness(AnswerEngine.fromArticles(articles), { now: at("2025-06-02T00:00:00Z") });
    const { text } = onlyMessage(await h.send("Ce buget a aprobat guvernul pentru podul de la Brăila?"));
    expect(quotesOf(text)).toHaveLength(1);
    const plain = telegramPlainText(text);
    expect(plain).toMatch(/\n↳ Apare și în: (Digi24|HotNews|Agerpres), (Digi24|HotNews|Agerpres)$/m);
    const shownOutlet = /— (\w+) · 1 iun\. 2025/.exec(plain)?.[1];
    expect(shownOutlet).toBeDefined();
    expect(plain.match(/↳ Apare și în: (.*)$/m)?.[1]).not.toContain(shownOutlet);
    // The other outlets link to their articles when the URL is known.
    expect(text).toMatch(/<a href="https:\/\/(agerpres|digi)\.example\/1">/);
  });
});
