import { describe, expect, it } from "vitest";
import type { Article } from "../../src/content/article.js";
import { PassageIndex, articleParagraphs } from "../../src/search/passage-index.js";
import { termOf } from "../../src/text/analyzer.js";

const article = (id: string, body: string, extra: Partial<Article> = {}): Article => ({
  id,
  title: `Titlu ${id}`,
  date: "2025-08-01",
  url: null,
  source: null,
  body,
  ...extra,
});

const BUGET = article("buget", "Guvernul a aprobat bugetul pe 2026. Deficitul va scădea.\n\nMinistrul Finanțelor a prezentat cifrele.");
const INUNDATII = article("inundatii", "Apele Dunării au crescut la Galați.\n\nAu fost evacuați 200 de oameni din sate.");

/** Ids of the articles whose passages match a query, best first, without repeats. */
const hits = (index: PassageIndex, query: string) => [
  ...new Set(index.search(query).map((r) => index.passage(r.id as number)!.article.id)),
];

describe("articleParagraphs", () => {
  it("splits a body into lines of sentence spans", () => {
    const body = "Unu. Doi.\n\nTrei.";
    const paragraphs = articleParagraphs(body);
    expect(paragraphs.map((p) => p.map((s) => body.slice(s.start, s.end)))).toEqual([["Unu.", "Doi."], ["Trei."]]);
  });
});

describe("PassageIndex", () => {
  it("indexes one passage per sentence with its position", () => {
    const index = new PassageIndex([BUGET]);
    expect(index.passageCount).toBe(3);
    expect(index.articleCount).toBe(1);
    const [r] = index.search("ministrul finantelor");
    const p = index.passage(r!.id as number)!;
    expect(BUGET.body.slice(p.span.start, p.span.end)).toBe("Ministrul Finanțelor a prezentat cifrele.");
    expect(p.ordinal).toBe(2);
    expect(p.position).toBe(0);
    expect(p.paragraph).toHaveLength(1);
  });

  it("finds passages by words typed without diacritics", () => {
    const index = new PassageIndex([BUGET, INUNDATII]);
    expect(hits(index, "galati")).toEqual(["inundatii"]);
    expect(hits(index, "finantelor")).toEqual(["buget"]);
    expect(hits(index, "reteta sarmale")).toEqual([]);
  });

  it("updates results and counts when articles are added", () => {
    const index = new PassageIndex();
    expect(index.passageCount).toBe(0);
    expect(hits(index, "galati")).toEqual([]);
    index.add(BUGET);
    expect(index.passageCount).toBe(3);
    expect(hits(index, "galati")).toEqual([]);
    index.add(INUNDATII);
    expect(index.passageCount).toBe(5);
    expect(index.articleCount).toBe(2);
    expect(hits(index, "galati")).toEqual(["inundatii"]);
    expect(index.articles().map((a) => a.id).sort()).toEqual(["buget", "inundatii"]);
  });

  it("updates results and counts when an article is removed", () => {
    const index = new PassageIndex([BUGET, INUNDATII]);
    const term = termOf("Galați")!;
    expect(index.documentFrequency(term)).toBe(1);
    index.remove("inundatii");
    expect(index.passageCount).toBe(3);
    expect(index.articleCount).toBe(1);
    expect(index.hasArticle("inundatii")).toBe(false);
    expect(hits(index, "galati")).toEqual([]);
    expect(index.documentFrequency(term)).toBe(0);
    expect(hits(index, "bugetul")).toEqual(["buget"]);
    index.remove("nu-exista");
    expect(index.passageCount).toBe(3);
  });

  it("replaces an article added again with the same id", () => {
    const index = new PassageIndex([BUGET, INUNDATII]);
    const updated = article("buget", "Parlamentul a respins bugetul.", { title: "Buget respins" });
    index.add(updated);
    expect(index.articleCount).toBe(2);
    expect(index.passageCount).toBe(3);
    expect(hits(index, "parlamentul")).toEqual(["buget"]);
    expect(hits(index, "deficitul")).toEqual([]);
    expect(index.documentFrequency(termOf("deficitul")!)).toBe(0);
    const [r] = index.search("parlamentul");
    expect(index.passage(r!.id as number)!.article).toBe(updated);
    expect(index.articles().find((a) => a.id === "buget")).toBe(updated);
  });

  it("does not register an article without any sentence", () => {
    const index = new PassageIndex([article("gol", "   \n\n  ")]);
    expect(index.passageCount).toBe(0);
    expect(index.hasArticle("gol")).toBe(false);
  });

  it("counts document frequency per passage and gives rarer terms a higher idf", () => {
    const index = new PassageIndex([
      article("a", "Bugetul crește. Bugetul scade. Bugetul bugetul stagnează. Taxele rămân."),
    ]);
    const buget = termOf("bugetul")!;
    const taxe = termOf("taxele")!;
    expect(index.documentFrequency(buget)).toBe(3);
    expect(index.documentFrequency(taxe)).toBe(1);
    expect(index.idf(taxe)).toBeGreaterThan(index.idf(buget));
    expect(index.idf(buget)).toBeGreaterThan(0);
    expect(index.idf("necunoscut")).toBeGreaterThan(index.idf(taxe));
  });

  it("uses the title as a weaker field", () => {
    const index = new PassageIndex([
      article("titlu", "Primul paragraf nu spune nimic special.", { title: "Inundații la Galați" }),
      article("text", "La Galați apele au crescut."),
    ]);
    expect(hits(index, "galati")).toEqual(["text", "titlu"]);
  });
});
