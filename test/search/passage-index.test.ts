import MiniSearch from "minisearch";
import { describe, expect, it } from "vitest";
import type { Article } from "../../src/content/article.js";
import {
  PassageIndex,
  PASSAGE_INDEX_OPTIONS,
  articleParagraphs,
  indexFingerprint,
  type IndexDoc,
} from "../../src/search/passage-index.js";
import { termOf } from "../../src/text/analyzer.js";
import { article, BUGET, INUNDATII } from "./fixtures.js";

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

  it("gives a passage's article and sentence number without building its paragraph (passageArticle)", () => {
    const index = new PassageIndex([BUGET, INUNDATII]);
    index.remove(BUGET.id);
    for (let id = -1; id <= index.idSpace; id++) {
      const p = index.passage(id);
      expect(index.passageArticle(id)).toEqual(p ? { article: p.article, ordinal: p.ordinal } : undefined);
    }
    expect(index.passageArticle(0)).toBeUndefined();
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
    expect(
      index
        .articles()
        .map((a) => a.id)
        .sort(),
    ).toEqual(["buget", "inundatii"]);
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
    const index = new PassageIndex([article("a", "Bugetul crește. Bugetul scade. Bugetul bugetul stagnează. Taxele rămân.")]);
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

describe("PassageIndex scoring", () => {
  /** A deterministic corpus: Zipf-like word frequencies, so some words are in most sentences. */
  function generated(articles: number): Article[] {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    // Short words (no typo variants) and a few long ones that are one typo apart.
    const vocabulary = [
      ...Array.from({ length: 300 }, (_, i) => `q${i.toString(36)}z`),
      "guvernul",
      "guvernu",
      "parlamentul",
      "parlamentar",
    ];
    const word = () => vocabulary[Math.floor(vocabulary.length * random() ** 3)] as string;
    return Array.from({ length: articles }, (_, a) => {
      const paragraphs = Array.from({ length: 1 + Math.floor(random() * 3) }, () =>
        Array.from(
          { length: 1 + Math.floor(random() * 4) },
          () => `${Array.from({ length: 3 + Math.floor(random() * 10) }, word).join(" ")}.`,
        ).join(" "),
      );
      return article(`g${a}`, paragraphs.join("\n\n"), { title: Array.from({ length: 4 }, word).join(" ") });
    });
  }

  it("writes exactly the postings MiniSearch's own add would", () => {
    const articles = generated(40);
    const index = new PassageIndex(articles);
    const sentences = new MiniSearch<IndexDoc>(PASSAGE_INDEX_OPTIONS);
    const titles = new MiniSearch<IndexDoc>(PASSAGE_INDEX_OPTIONS);
    for (let id = 0; id < index.idSpace; id++) {
      const p = index.passage(id)!;
      sentences.add({ id, text: p.article.body.slice(p.span.start, p.span.end) });
    }
    articles.forEach((a, slot) => {
      titles.add({ id: slot, title: a.title });
    });
    const state = index.exportState();
    const sorted = (x: { index: Array<[string, unknown]> }) => [...x.index].sort((a, b) => a[0].localeCompare(b[0]));
    for (const [ours, reference] of [
      [state.passagesJson, sentences],
      [state.titlesJson, titles],
    ] as const) {
      const a = JSON.parse(ours);
      const b = JSON.parse(JSON.stringify(reference));
      expect(sorted(a)).toEqual(sorted(b));
      expect({ ...a, index: null }).toEqual({ ...b, index: null });
    }
  });

  it("scores a match in the sentence alone exactly as MiniSearch does", () => {
    const articles = [
      article("a", "Primarul a inaugurat podul nou. Lucrările au durat doi ani.\n\nCostul a fost mare."),
      article("b", "Ploile au afectat recolta. Fermierii cer despăgubiri de la stat."),
      article("c", "Trenul a întârziat trei ore. Călătorii au protestat în gară."),
    ];
    const index = new PassageIndex(articles);
    const reference = new MiniSearch<IndexDoc>({ ...PASSAGE_INDEX_OPTIONS, fields: ["text"] });
    for (let id = 0; id < index.idSpace; id++) {
      const p = index.passage(id)!;
      reference.add({ id, text: p.article.body.slice(p.span.start, p.span.end) });
    }
    // "recolta" is in one sentence only, and neither in its neighbours nor in a title.
    const [ours] = index.search("recolta");
    const [theirs] = reference.search("recolta");
    expect(ours!.id).toBe(theirs!.id);
    expect(ours!.score).toBeCloseTo(theirs!.score, 12);
    expect(ours!.match).toEqual({ [termOf("recolta")!]: ["text"] });
  });

  it("reports matches in the neighbouring sentences and the title", () => {
    const index = new PassageIndex([
      article("a", "Vântul a doborât copaci. Pompierii au intervenit rapid. Traficul a fost oprit.", {
        title: "Furtună la Cluj",
      }),
    ]);
    const results = index.search("pompierii furtuna");
    const byText = (text: string) =>
      results.find((r) => {
        const p = index.passage(r.id as number)!;
        return p.article.body.slice(p.span.start, p.span.end) === text;
      })!;
    const pompier = termOf("pompierii")!;
    const furtuna = termOf("furtună")!;
    expect(byText("Pompierii au intervenit rapid.").match).toEqual({ [pompier]: ["text"], [furtuna]: ["title"] });
    expect(byText("Vântul a doborât copaci.").match).toEqual({ [pompier]: ["context"], [furtuna]: ["title"] });
    expect(byText("Traficul a fost oprit.").queryTerms.sort()).toEqual([furtuna, pompier].sort());
    // Sentence matches outrank neighbour matches.
    expect(index.passage(results[0]!.id as number)!.position).toBe(1);
  });

  it("finds one-typo variants of longer words", () => {
    const index = new PassageIndex([article("a", "Lukașenko a vorbit despre subiecte închise.")]);
    const [r] = index.search("lukashenko");
    expect(r).toBeDefined();
    expect(Object.keys(r!.match)).toEqual([termOf("Lukașenko")]);
  });

  it("finds the typo variants of a word added or removed after it was searched (remembered variants)", () => {
    const index = new PassageIndex([article("a", "Lukașenko a vorbit ieri.")]);
    const variantsOf = (q: string) => [...new Set(index.search(q).flatMap((r) => Object.keys(r.match)))].sort();
    // Ids differ in a new index (removed passages leave gaps): the matches are compared.
    const matches = (x: PassageIndex, q: string) => x.search(q).map((r) => r.match);
    const sameAsNew = (q: string) => expect(matches(index, q)).toEqual(matches(new PassageIndex(index.articles()), q));
    expect(variantsOf("lukashenko")).toEqual([termOf("Lukașenko")]);
    index.add(article("b", "Lukachenko a vorbit azi."));
    sameAsNew("lukashenko");
    expect(variantsOf("lukashenko")).toEqual([termOf("Lukachenko"), termOf("Lukașenko")].sort());
    index.remove("a");
    sameAsNew("lukashenko");
    expect(variantsOf("lukashenko")).toEqual([termOf("Lukachenko")]);
  });

  it("returns the same best results with a small limit as when scoring everything", () => {
    const index = new PassageIndex(generated(150));
    const queries = [
      "q0z",
      "q0z q1z q2z",
      "q7kz q0z",
      "q5az q1z q0z q7wz",
      "q4oz q4pz guvernul",
      "parlamentul q3z q0z",
      "q0z q1z q2z q3z q4z q5z q6z q7z q8z q9z qaz qbz qcz qdz qez qfz qgz qhz qiz qjz qkz qlz qmz qnz qoz qpz qqz qrz qsz qtz quz qvz qwz",
    ];
    for (const q of queries) {
      const all = index.search(q, 1_000_000);
      for (const limit of [1, 5, 20]) {
        const top = index.search(q, limit);
        expect(top.map((r) => [r.id, r.score])).toEqual(all.slice(0, limit).map((r) => [r.id, r.score]));
        expect(top).toEqual(all.slice(0, limit));
      }
    }
  });

  it("scores chosen passages exactly as scoring everything does (scoresFor)", () => {
    const index = new PassageIndex(generated(150));
    index.remove("g3");
    index.add(generated(4)[3]!);
    const ids = Array.from({ length: index.idSpace + 2 }, (_, i) => i - 1);
    for (const q of ["q0z", "q5az q1z q0z q7wz", "q4oz q4pz guvernul", "parlamentul q3z q0z q0z", "nothing here"]) {
      const all = new Map(index.search(q, Infinity).map((r) => [r.id as number, r.score]));
      const some = index.scoresFor(q, ids);
      expect([...some.entries()].sort((a, b) => a[0] - b[0])).toEqual([...all.entries()].sort((a, b) => a[0] - b[0]));
      const picked = [...all.keys()].filter((id) => id % 3 === 0);
      expect(index.scoresFor(q, picked)).toEqual(new Map(picked.map((id) => [id, all.get(id)])));
    }
  });
});

describe("PassageIndex state", () => {
  it("restores an exported state with the same passages and results", () => {
    const index = new PassageIndex([BUGET, INUNDATII]);
    index.remove("buget");
    index.add(BUGET);
    const restored = PassageIndex.restore(index.exportState(), new Map([BUGET, INUNDATII].map((a) => [a.id, a])));
    expect(restored.kept).toBe(2);
    expect(restored.dropped).toEqual([]);
    const r = restored.index;
    expect(r.passageCount).toBe(index.passageCount);
    for (let id = 0; id < index.idSpace; id++) expect(r.passage(id)).toEqual(index.passage(id));
    for (const q of ["galati", "bugetul", "ministrul finantelor cifrele"]) expect(r.search(q)).toEqual(index.search(q));
    expect(r.idf(termOf("bugetul")!)).toBe(index.idf(termOf("bugetul")!));
  });

  it("drops stored articles that changed or are gone", () => {
    const state = new PassageIndex([BUGET, INUNDATII]).exportState();
    const changed = { ...BUGET, body: "Parlamentul a respins bugetul." };
    const { index, kept, dropped } = PassageIndex.restore(state, new Map([[changed.id, changed]]));
    expect(kept).toBe(0);
    expect(dropped.sort()).toEqual(["buget", "inundatii"]);
    expect(index.passageCount).toBe(0);
    expect(index.search("bugetul galati")).toEqual([]);
    expect(index.documentFrequency(termOf("bugetul")!)).toBe(0);
    index.add(changed);
    expect(hits(index, "parlamentul")).toEqual(["buget"]);
  });

  it("rejects an inconsistent state", () => {
    const state = new PassageIndex([BUGET, INUNDATII]).exportState();
    const current = new Map([BUGET, INUNDATII].map((a) => [a.id, a]));
    expect(() => PassageIndex.restore({ ...state, nextId: 3 }, current)).toThrow();
    expect(() => PassageIndex.restore({ ...state, articles: state.articles.slice(1) }, current)).toThrow(
      /no article accounts for/,
    );
    const badSpan = state.articles.map((a) => ({ ...a, spans: [1, 0, 10_000] }));
    expect(() => PassageIndex.restore({ ...state, articles: badSpan }, current)).toThrow();
    expect(() => PassageIndex.restore({ ...state, passagesJson: "{" }, current)).toThrow();
  });

  it("has a stable fingerprint", () => {
    expect(indexFingerprint()).toMatch(/^[0-9a-f]{32}$/);
    expect(indexFingerprint()).toBe(indexFingerprint());
    // The fingerprint of indexes saved before SPLITTER_VERSION 2 (URL-aware splitting): such an
    // index may hold the old sentence boundaries and must be rebuilt, not loaded.
    expect(indexFingerprint()).not.toBe("93aafe3aab2e443b1467b348a4aad642");
  });
});
