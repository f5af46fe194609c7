import { describe, expect, it } from "vitest";
import { QUOTE_BUDGET, QUOTE_HARD_LIMIT, cutSentence, growQuote, highlightRanges } from "../../src/search/quote.js";
import { termOf } from "../../src/text/analyzer.js";
import { fold } from "../../src/text/normalize.js";
import { splitSentences } from "../../src/text/sentences.js";

const terms = (...words: string[]) => new Set(words.map((w) => termOf(w)!));

function quoteOf(body: string, position: number, t: Set<string>) {
  const paragraph = splitSentences(body);
  const q = growQuote(body, paragraph, position, t);
  return { ...q, text: body.slice(q.start, q.end), paragraph };
}

describe("growQuote", () => {
  it("grows a short sentence with its neighbours while within budget", () => {
    const body = "Primul fapt. Guvernul a aprobat bugetul. Al treilea fapt.";
    const q = quoteOf(body, 1, terms("bugetul"));
    expect(q.text).toBe(body);
    expect(q.cutStart).toBe(false);
    expect(q.cutEnd).toBe(false);
  });

  it("stops growing at the budget", () => {
    const filler = "Aceasta este o propoziție de umplutură despre altceva decât subiectul. ";
    const body = `${filler.repeat(4)}Guvernul a aprobat bugetul. ${filler.repeat(4)}`.trim();
    const q = quoteOf(body, 4, terms("bugetul"));
    expect(q.text).toContain("Guvernul a aprobat bugetul.");
    expect(q.text.length).toBeLessThanOrEqual(QUOTE_BUDGET);
    expect(q.text.length).toBeGreaterThan(QUOTE_BUDGET - filler.length);
    // Whole sentences only.
    expect(q.paragraph.some((s) => s.start === q.start)).toBe(true);
    expect(q.paragraph.some((s) => s.end === q.end)).toBe(true);
  });

  it("prefers the neighbour with more matched words, else the following one", () => {
    const before = "Taxele locale cresc de la anul viitor în tot orașul.";
    const core = "Ministrul a vorbit despre bugetul pe 2026 la Parlament.";
    const after = "Ședința a durat patru ore și s-a încheiat seara târziu.";
    const body = `${before} ${core} ${after}`;
    const spans = splitSentences(body);
    expect(spans).toHaveLength(3);
    // Room for the core sentence and exactly one neighbour.
    const budget = core.length + 1 + Math.max(before.length, after.length);
    expect(budget).toBeLessThan(body.length);
    const slice = (q: { start: number; end: number }) => body.slice(q.start, q.end);
    expect(slice(growQuote(body, spans, 1, terms("bugetul", "taxele"), budget))).toBe(`${before} ${core}`);
    expect(slice(growQuote(body, spans, 1, terms("bugetul", "ședința"), budget))).toBe(`${core} ${after}`);
    expect(slice(growQuote(body, spans, 1, terms("bugetul"), budget))).toBe(`${core} ${after}`);
  });

  it("cuts an over-long sentence around the matched words, at word boundaries", () => {
    const words = Array.from({ length: 120 }, (_, i) => `cuvant${i}`);
    words[90] = "sancțiunile";
    const body = `${words.join(" ")}.`;
    const q = quoteOf(body, 0, terms("sancţiuni"));
    expect(body.length).toBeGreaterThan(QUOTE_HARD_LIMIT);
    expect(q.text).toContain("sancțiunile");
    expect(q.text.length).toBeLessThanOrEqual(QUOTE_BUDGET);
    expect(q.cutStart).toBe(true);
    expect(q.text).toMatch(/^cuvant\d+ /);
    expect(q.text).not.toMatch(/\s$/);
  });

  it("keeps the sentence start when the match is near it", () => {
    const body = `„Sancțiunile vor continua”, ${"a spus ministrul într-o declarație foarte lungă ".repeat(12)}la final.`;
    const q = quoteOf(body, 0, terms("sanctiuni"));
    expect(q.start).toBe(0);
    expect(q.cutStart).toBe(false);
    expect(q.cutEnd).toBe(true);
    expect(q.text.startsWith("„Sancțiunile")).toBe(true);
  });

  it("never exceeds the hard limit when a long sentence is padded with emoji", () => {
    const body = `${"🎉".repeat(60)} primarul a prezentat bugetul orașului ${"și taxele ".repeat(20)}${"🔥".repeat(60)}.`;
    expect(body.length).toBeGreaterThan(QUOTE_HARD_LIMIT);
    const q = quoteOf(body, 0, terms("primarul", "bugetul"));
    expect(q.text.length).toBeLessThanOrEqual(QUOTE_HARD_LIMIT);
    expect(q.text).toContain("primarul a prezentat bugetul");
    expect(q.cutStart).toBe(q.start !== 0);
  });

  it("does not lose count of matches after a word longer than the budget", () => {
    const giant = "x".repeat(500);
    const body = `primarul ${giant} a vorbit ieri despre bugetul orașului și despre taxele locale ${"din cartierele mărginașe ".repeat(10)}final.`;
    const q = quoteOf(body, 0, new Set([termOf(giant)!, termOf("bugetul")!]));
    expect(q.text).toContain("bugetul");
    expect(q.text.length).toBeLessThanOrEqual(QUOTE_BUDGET);
  });
});

describe("highlightRanges", () => {
  it("returns the ranges of matched words in any spelling", () => {
    const quote = "Sub „sancţiuni occidentale”, SANCȚIUNILE și sanctiuni rămân; nu și altceva.";
    const ranges = highlightRanges(quote, terms("sanctiuni", "nu"));
    const words = ranges.map(([s, e]) => quote.slice(s, e));
    expect(words).toEqual(["sancţiuni", "SANCȚIUNILE", "sanctiuni", "nu"]);
    expect(
      words
        .map(fold)
        .slice(0, 3)
        .every((w) => w.startsWith("sanctiun")),
    ).toBe(true);
  });

  it("returns nothing when no word matches", () => {
    expect(highlightRanges("Nimic relevant aici.", terms("bugetul"))).toEqual([]);
  });
});

describe("cutSentence on a sentence without words", () => {
  it("returns the first budget characters, whole surrogate pairs, marked as cut", () => {
    const body = `${"<".repeat(199)}😀${"&".repeat(600)}`;
    const q = cutSentence(body, { start: 0, end: body.length }, new Set(), 200);
    expect(q).toEqual({ start: 0, end: 199, cutStart: false, cutEnd: true });
  });
});

describe("cutSentence with anchors", () => {
  // A long sentence of our own: the question's words at its start, the amount asked for at its end.
  const body =
    "Primarul orașului Brăila a prezentat joi dimineață, în fața consilierilor locali și a presei, " +
    "proiectul noului pod peste canalul din cartierul Radu Negru, explicând pe larg calendarul lucrărilor, " +
    "firmele care au participat la licitație, avizele obținute de la ministerul transporturilor și de la agenția de mediu, " +
    "precum și motivele pentru care proiectul a întârziat aproape doi ani, iar la final a anunțat că lucrarea va costa 12 milioane de lei.";
  const span = { start: 0, end: body.length };
  const question = terms("primarul", "Brăila", "pod");

  it("cuts around the question's words without them, and keeps the asked token with them", () => {
    expect(body.length).toBeGreaterThan(QUOTE_HARD_LIMIT);
    const plain = cutSentence(body, span, question, QUOTE_BUDGET);
    expect(body.slice(plain.start, plain.end)).toContain("Brăila");
    expect(body.slice(plain.start, plain.end)).not.toContain("12 milioane");
    const amount = body.indexOf("12 milioane");
    const anchored = cutSentence(body, span, question, QUOTE_BUDGET, new Set([amount]));
    const text = body.slice(anchored.start, anchored.end);
    expect(text).toContain("12 milioane de lei");
    expect(anchored.end - anchored.start).toBeLessThanOrEqual(QUOTE_HARD_LIMIT);
  });
});

describe("cutSentence around the question's detail", () => {
  // Our own run-together page text: the story's name everywhere, the detail asked once.
  const body =
    "Festivalul de jazz de la Gărâna a început vineri seara pe scena din poiană, iar organizatorii festivalului spun că " +
    "biletele pentru festival s-au vândut în câteva ore, ca în fiecare an la Gărâna.Festivalul aduce anul acesta " +
    "trupe din nouă țări, iar la Gărâna au venit și mulți turiști străini. Primarul comunei a spus că accesul cu mașina " +
    "la festival este interzis, iar parcarea de la intrarea în sat costă 20 de lei pe zi, bani care merg la școala din sat.";
  const span = { start: 0, end: body.length };

  it("weighs the story's words less than the detail's", () => {
    expect(body.length).toBeGreaterThan(QUOTE_HARD_LIMIT);
    const matched = terms("festival", "Gărâna", "parcarea");
    const detail = terms("parcarea");
    const q = cutSentence(body, span, matched, 200, new Set(), detail);
    expect(body.slice(q.start, q.end)).toContain("parcarea");
    // Counting every match alike, the story's repeated words win.
    const plain = cutSentence(body, span, matched, 200);
    expect(body.slice(plain.start, plain.end)).not.toContain("parcarea");
  });

  it("keeps the words that follow a matched word (HIT_TAIL)", () => {
    const matched = terms("parcarea");
    const q = cutSentence(body, span, matched, 120);
    const text = body.slice(q.start, q.end);
    expect(text).toContain("parcarea");
    // The four words after the match: what the parking costs.
    expect(text).toMatch(/parcarea de la intrarea în/);
  });
});
