import { beforeAll, describe, expect, it } from "vitest";
import type { Article } from "../../src/content/article.js";
import { loadContent } from "../../src/content/load-content.js";
import { createMemoryLogger } from "../../src/logger.js";
import { AnswerEngine, answerToJson, type Answer, type Quote } from "../../src/search/answer-engine.js";
import { tokenizeWords } from "../../src/text/analyzer.js";
import { fold, toCedilla, toCommaBelow } from "../../src/text/normalize.js";

const NOW = () => new Date("2025-09-01T12:00:00Z");

const article = (id: string, body: string, extra: Partial<Article> = {}): Article => ({
  id,
  title: `Știre ${id}`,
  date: "2025-08-01",
  url: null,
  source: null,
  body,
  ...extra,
});

const highlighted = (q: Quote) => q.highlights.map(([s, e]) => fold(q.text.slice(s, e)));

function overlapping(quotes: readonly Quote[]): Array<[Quote, Quote]> {
  const pairs: Array<[Quote, Quote]> = [];
  quotes.forEach((a, i) => {
    for (const b of quotes.slice(i + 1)) {
      if (a.article.id === b.article.id && a.start < b.end && b.start < a.end) pairs.push([a, b]);
    }
  });
  return pairs;
}

let seed: Article;
let seedEngine: AnswerEngine;

beforeAll(async () => {
  const { articles } = await loadContent("content", createMemoryLogger());
  const found = articles.find((a) => a.id === "g4media-2025-08-20-belarus-iran");
  if (!found) throw new Error("seed article missing from content/");
  seed = found;
  seedEngine = AnswerEngine.fromArticles([seed], { now: NOW });
});

describe("AnswerEngine on the seed article", () => {
  it("answers what treaty Belarus and Iran want", () => {
    const a = seedEngine.ask("Ce tratat vor să încheie Belarusul și Iranul?");
    expect(a.found).toBe(true);
    expect(a.reason).toBeUndefined();
    expect(a.quotes.length).toBeGreaterThan(0);
    expect(a.quotes[0]!.text).toContain("tratat de parteneriat strategic");
    expect(a.quotes[0]!.article.date).toBe("2025-08-20");
    expect(a.quotes[0]!.article.source).toBe("G4Media");
  });

  it("finds Lukashenko's words typed without diacritics", () => {
    const a = seedEngine.ask("ce a zis lukasenko despre subiecte inchise");
    expect(a.found).toBe(true);
    expect(a.quotes[0]!.text).toContain("subiecte închise");
    expect(highlighted(a.quotes[0]!)).toEqual(expect.arrayContaining(["subiecte", "inchise"]));
  });

  it("highlights the matched words", () => {
    const a = seedEngine.ask("sanctiuni");
    expect(a.found).toBe(true);
    const q = a.quotes[0]!;
    expect(q.text).toContain("sancţiuni occidentale");
    expect(highlighted(q)).toContain("sanctiuni");
    for (const [s, e] of q.highlights) {
      expect(s).toBeGreaterThanOrEqual(0);
      expect(e).toBeLessThanOrEqual(q.text.length);
      expect(e).toBeGreaterThan(s);
    }
  });

  it("says nothing was found for an unrelated question", () => {
    const a = seedEngine.ask("Care este rețeta de sarmale a bunicii?");
    expect(a.found).toBe(false);
    expect(a.reason).toBe("no-match");
    expect(a.quotes).toEqual([]);
    expect(a.total).toBe(0);
  });

  it("says there are no terms for a question of only stop words", () => {
    const a = seedEngine.ask("și ce?");
    expect(a).toEqual({ question: "și ce?", found: false, reason: "no-terms", quotes: [], total: 0 });
  });

  it("suggests example questions that really get an answer", () => {
    const examples = seedEngine.exampleQuestions(3);
    expect(examples.length).toBeGreaterThan(0);
    expect(examples.length).toBeLessThanOrEqual(3);
    expect(new Set(examples).size).toBe(examples.length);
    for (const q of examples) expect(seedEngine.ask(q).found, q).toBe(true);
  });

  it("renders the JSON shape of `citat ask --json`", () => {
    const a = seedEngine.ask("subiecte inchise", { limit: 1 });
    const json = answerToJson(a);
    expect(json.question).toBe("subiecte inchise");
    expect(json.found).toBe(true);
    expect(json.answers).toHaveLength(1);
    expect(json.answers[0]!.quote).toBe(a.quotes[0]!.text);
    expect(json.answers[0]!.score).toBe(Math.round(a.quotes[0]!.score * 1000) / 1000);
    expect(json.answers[0]!.article).toEqual({
      id: seed.id,
      title: seed.title,
      date: "2025-08-20",
      url: null,
      source: "G4Media",
    });
  });
});

describe("AnswerEngine ranking on small fixtures", () => {
  const engine = AnswerEngine.fromArticles(
    [
      article("buget", "Guvernul a aprobat bugetul pe 2026 în ședința de miercuri. Deficitul bugetar va scădea la 6 la sută."),
      article(
        "inundatii",
        "Apele Dunării au crescut la Galați după ploile torențiale.\n\nAu fost evacuați 200 de oameni din satele riverane.",
      ),
      article("alegeri", "Prezența la vot la alegerile prezidențiale a fost de 53 la sută, potrivit BEC."),
      article(
        "sanatate",
        "Ministrul Sănătății a vorbit despre spitale.\n\nMinistrul a mai spus că vaccinarea gratuită pentru copii începe în octombrie.\n\nMinistrul a plecat apoi la Cluj.",
      ),
    ],
    { now: NOW },
  );

  it("puts the article about the question first", () => {
    expect(engine.ask("Când a aprobat guvernul bugetul?").quotes[0]!.article.id).toBe("buget");
    expect(engine.ask("Câți oameni au fost evacuați?").quotes[0]!.article.id).toBe("inundatii");
    expect(engine.ask("cat a fost prezenta la vot").quotes[0]!.article.id).toBe("alegeri");
  });

  it("prefers the sentence that covers the question over one repeating a single word", () => {
    const a = engine.ask("Ce a spus ministrul despre vaccinarea copiilor?");
    expect(a.found).toBe(true);
    expect(a.quotes[0]!.text).toContain("vaccinarea gratuită pentru copii");
    expect(highlighted(a.quotes[0]!)).toEqual(expect.arrayContaining(["ministrul", "vaccinarea", "copii"]));
  });

  it("returns nothing for words found in no article", () => {
    expect(engine.ask("rețeta de sarmale").found).toBe(false);
  });

  it("prefers the newer of two articles with the same passage", () => {
    const body = "Banca Națională a majorat dobânda de referință la 7 la sută.";
    const older = article("vechi", body, { title: "Dobânda", date: "2023-01-15" });
    const newer = article("nou", body, { title: "Dobânda", date: "2025-08-25" });
    for (const order of [
      [older, newer],
      [newer, older],
    ]) {
      const a = AnswerEngine.fromArticles(order, { now: NOW }).ask("Cât este dobânda de referință?");
      expect(a.quotes.map((q) => q.article.id)).toEqual(["nou", "vechi"]);
      expect(a.quotes[0]!.score).toBeGreaterThan(a.quotes[1]!.score);
    }
  });

  it("pages through the quotes with offset and limit", () => {
    const months = ["ianuarie", "februarie", "martie", "aprilie", "mai", "iunie", "iulie", "august"];
    const body = months.map((m) => `Uniunea Europeană a prelungit sancțiunile împotriva Rusiei în luna ${m}.`).join("\n\n");
    const e = AnswerEngine.fromArticles([article("sanctiuni", body)], { now: NOW });
    const q = "sancțiunile Uniunii împotriva Rusiei";
    const all = e.ask(q, { limit: 100 });
    expect(all.total).toBe(8);
    expect(all.quotes).toHaveLength(8);
    const key = (x: Quote) => `${x.article.id}@${x.start}`;
    expect(new Set(all.quotes.map(key)).size).toBe(8);

    const first = e.ask(q);
    expect(first.quotes).toHaveLength(3); // default limit
    expect(first.total).toBe(8);
    const pages = [0, 3, 6].map((offset) => e.ask(q, { offset, limit: 3 }));
    expect(pages.map((p) => p.quotes.length)).toEqual([3, 3, 2]);
    expect(pages.flatMap((p) => p.quotes.map(key))).toEqual(all.quotes.map(key));
    expect(pages.every((p) => p.total === 8 && p.found)).toBe(true);

    expect(e.ask(q, { offset: 8 }).quotes).toEqual([]);
    expect(e.ask(q, { offset: -5, limit: 2 }).quotes.map(key)).toEqual(all.quotes.slice(0, 2).map(key));
    expect(e.ask(q, { limit: 0 }).quotes).toHaveLength(1);
  });

  it("never returns overlapping quotes of one article", () => {
    const sentences = Array.from(
      { length: 40 },
      (_, i) => `Consiliul local a discutat bugetul orașului pentru cartierul numărul ${i + 1} ieri.`,
    );
    const e = AnswerEngine.fromArticles([article("consiliu", sentences.join(" "))], { now: NOW });
    const a = e.ask("bugetul consiliului local", { limit: 100 });
    expect(a.quotes.length).toBeGreaterThan(1);
    expect(overlapping(a.quotes)).toEqual([]);
    for (const q of a.quotes) expect(q.text.length).toBeLessThanOrEqual(400);
  });
});

// ---------------------------------------------------------------------------------------------
// Property test: every quote is a verbatim substring of its article, whatever the question.

/** mulberry32: a small seeded PRNG, so a failure is reproducible. */
function prng(seedValue: number): () => number {
  let a = seedValue >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hostileArticles(random: () => number): Article[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const vocabulary = [
    "guvernul",
    "ministrul",
    "sancțiunile",
    "sancţiunile",
    "energie",
    "pădurea",
    "drumul",
    "orașul",
    "oraşul",
    "primarul",
    "spitalul",
    "bugetul",
    "taxele",
    "țara",
    "ţara",
    "școala",
    "şcoala",
    "lukaşenko",
    "iranul",
    "tratat",
    "parteneriat",
    "în",
    "și",
    "şi",
    "nu",
    "de",
    "la",
    "2026",
    "40",
  ];
  const words = (n: number) => Array.from({ length: n }, () => pick(vocabulary)).join(" ");
  return [
    article(
      "markup",
      [
        `Primarul a declarat: "<b>Bugetul</b> & taxele <i>locale</i>" vor crește în 2026 &amp; după.`,
        `Consilierii au votat <script>alert("x")</script> împotriva propunerii & a bugetului.`,
        `Raportul &lt;confidențial&gt; spune că "taxele" <= 40 % și bugetul > 2026 "nu" scade.`,
      ].join("\n\n"),
      { title: `Bugetul <b>&</b> "taxele"` },
    ),
    article("fara-punctuatie", `${words(420)}\n\n${words(800)}`, { date: "2025-06-01" }),
    article(
      "emoji",
      [
        `Şeful ţării 🇷🇴 a spus că sancțiunile şi sancţiunile 🔥🔥 nu funcționează 😡. Ministrul 👨‍👩‍👧 a tăcut.`,
        `${"🎉".repeat(80)} primarul a prezentat bugetul oraşului şi al orașului ${words(30)} ${"🔥".repeat(80)}.`,
        `${"—".repeat(150)} guvernul ${words(20)} ${"!".repeat(200)}`,
        `Școala și şcoala 📚 din ţara și țara noastră: ${words(60)}.`,
      ].join("\n\n"),
      { date: null },
    ),
    article(
      "ghilimele",
      [
        `„Citatul nu se închide niciodată. ${Array.from({ length: 25 }, () => `${words(8)}.`).join(" ")}`,
        `primarul ${"x".repeat(450)} a vorbit despre bugetul ${words(40)} final.`,
        Array.from({ length: 30 }, (_, i) => `Guvernul a discutat bugetul nr. ${i}. A. B. C. ş.a. 3.5 1.000`).join(" "),
      ].join("\n\n"),
      { date: "2024-12-31" },
    ),
  ];
}

function checkAnswer(answer: Answer, limit: number): void {
  expect(answer.quotes.length).toBeLessThanOrEqual(limit);
  expect(answer.total).toBeGreaterThanOrEqual(answer.quotes.length);
  if (!answer.found) expect(answer.quotes).toEqual([]);
  for (const q of answer.quotes) {
    expect(q.article.body.slice(q.start, q.end)).toBe(q.text);
    expect(q.article.body.includes(q.text)).toBe(true);
    expect(q.text.length).toBeGreaterThan(0);
    expect(q.text.length).toBeLessThanOrEqual(400);
    expect(Number.isFinite(q.score)).toBe(true);
    for (const [s, e] of q.highlights) {
      expect(s).toBeGreaterThanOrEqual(0);
      expect(e).toBeGreaterThan(s);
      expect(e).toBeLessThanOrEqual(q.text.length);
    }
  }
  expect(overlapping(answer.quotes)).toEqual([]);
}

describe("AnswerEngine property: quotes are verbatim", () => {
  it("holds for many generated questions over the seed and hostile articles", () => {
    const random = prng(20250820);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
    const articles = [seed, ...hostileArticles(random)];
    const engine = AnswerEngine.fromArticles(articles, { now: NOW });
    const words = [...new Set(articles.flatMap((a) => tokenizeWords(`${a.title} ${a.body}`)))];
    const spellings = [
      (w: string) => w,
      fold,
      (w: string) => w.toUpperCase(),
      toCedilla,
      toCommaBelow,
      (w: string) => `${w}?`,
      (w: string) => `<${w}>&"`,
    ];
    const noise = ["și", "ce", "a", "zis", "despre", "🎉", '"', "&", "<", "…", "—"];

    let answered = 0;
    const questions = 400;
    for (let i = 0; i < questions; i++) {
      const n = 1 + Math.floor(random() * 5);
      const parts: string[] = [];
      for (let k = 0; k < n; k++) {
        parts.push(pick(spellings)(pick(words)));
        if (random() < 0.3) parts.push(pick(noise));
      }
      const question = parts.join(" ");
      const limit = 1 + Math.floor(random() * 9);
      const offset = random() < 0.25 ? Math.floor(random() * 4) : 0;
      const answer = engine.ask(question, { offset, limit });
      checkAnswer(answer, limit);
      if (answer.found && answer.quotes.length > 0) answered++;
    }
    // The generator must actually exercise the quoting code.
    expect(answered).toBeGreaterThan(questions / 3);
  }, 60_000);

  it("holds for the hostile articles' own sentences used as questions", () => {
    const random = prng(7);
    const articles = hostileArticles(random);
    const engine = AnswerEngine.fromArticles(articles, { now: NOW });
    let answered = 0;
    for (const a of articles) {
      for (const line of a.body.split("\n\n")) {
        for (const question of [line, line.slice(0, 300), fold(line.slice(-200))]) {
          const answer = engine.ask(question, { limit: 9 });
          checkAnswer(answer, 9);
          if (answer.found) answered++;
        }
      }
    }
    expect(answered).toBeGreaterThan(5);
  });
});

describe("sentence features of the ranker (issue 8, round 2)", () => {
  const story = article(
    "brutarie",
    [
      "O brutărie veche din Sibiu s-a redeschis după renovare.",
      "Patronul a angajat anul acesta 12 brutari noi pentru cuptoarele renovate. În oraș lucrează 300 de brutari, potrivit breslei.",
      "Brutăria a primit numele Spicul de Aur la deschidere.",
      "Clienții au stat la coadă toată dimineața pentru pâine caldă.",
      "Cuptorul cel nou a costat mult. Suma plătită a fost de 40.000 de lei.",
    ].join("\n\n"),
    { title: "O brutărie veche din Sibiu s-a redeschis" },
  );
  const engine = new AnswerEngine(AnswerEngine.fromArticles([story]).index, { now: NOW });
  const sentenceOf = (q: string, needle: string) => {
    const s = engine
      .sentenceFeatures(q)
      .find((x) => x.passage.article.body.slice(x.passage.span.start, x.passage.span.end).includes(needle));
    if (!s) throw new Error(`no ranked sentence holds ${needle}`);
    return s.features;
  };

  it("typedNear: the asked number beside the detail word counts more than one far from it", () => {
    const q = "Câți brutari noi a angajat patronul?";
    const near = sentenceOf(q, "12 brutari");
    expect(near.typed).toBe(1);
    expect(near.typedNear).toBeGreaterThan(0.5);
    expect(near.typedNear).toBeLessThanOrEqual(1);
    const elsewhere = sentenceOf(q, "Clienții");
    expect(elsewhere.typedNear).toBe(0);
  });

  it("nextTyped: the question's detail here, the asked number in the next sentence", () => {
    const f = sentenceOf("Cât a costat cuptorul nou?", "Cuptorul cel nou");
    expect(f.typed).toBe(0);
    expect(f.nextTyped).toBeGreaterThan(0);
    expect(sentenceOf("Cât a costat cuptorul nou?", "Clienții").nextTyped).toBe(0);
  });

  it("nameUntyped: for a question of no asked type, a sentence holding a new name", () => {
    const q = "Ce a primit brutăria la deschidere?";
    expect(sentenceOf(q, "Spicul de Aur").nameUntyped).toBe(1);
    expect(sentenceOf(q, "Clienții").nameUntyped).toBe(0);
    // A typed question never sets it.
    expect(sentenceOf("Câți brutari noi a angajat patronul?", "Spicul de Aur").nameUntyped).toBe(0);
  });

  it("echo: a sentence that restates the title holds little new", () => {
    const q = "Ce a primit brutăria la deschidere?";
    expect(sentenceOf(q, "Spicul de Aur").echo).toBeLessThan(0.5);
    expect(sentenceOf(q, "Clienții").echo).toBe(0);
    // The lead of this story is its title again, but for "renovare": four of its five terms.
    expect(sentenceOf(q, "O brutărie veche din Sibiu").echo).toBeCloseTo(0.8);
  });

  it("rarest: the sentence holding the question's heaviest detail word", () => {
    // "cuptor" (in two sentences) weighs less than "deschidere" (in one): the latter is the heaviest detail.
    const q = "Ce a primit brutăria la deschidere pentru cuptor?";
    expect(sentenceOf(q, "Spicul de Aur").rarest).toBe(1);
    expect(sentenceOf(q, "Clienții").rarest).toBe(0);
  });

  it("every feature stays within 0…1", () => {
    for (const q of ["Câți brutari noi a angajat patronul?", "Ce a primit brutăria la deschidere?", "cat a costat cuptorul"])
      for (const { features } of engine.sentenceFeatures(q))
        for (const [k, v] of Object.entries(features)) expect(v, k).toSatisfy((x: number) => x >= 0 && x <= 1);
  });
});
