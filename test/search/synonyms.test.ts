import { describe, expect, it } from "vitest";
import { AnswerEngine, type Article } from "../../src/search/answer-engine.js";
import { romanianSynonyms, Synonyms, synonymGroupsOfThesaurus, synonymTermsOfLine } from "../../src/search/synonyms.js";
import { termOf } from "../../src/text/analyzer.js";

const term = (w: string) => termOf(w)!;

describe("synonym groups from a MyThes thesaurus", () => {
  it("keeps common synonyms, drops those after a usage note, antonyms and multi-word items", () => {
    expect(synonymTermsOfLine(["a omorî", "ucide", "(înv.) a răpune", "asasina"])).toEqual([term("omorî"), term("ucide")]);
    expect(synonymTermsOfLine(["≠ lent", "rapid", "iute ca gândul", "(se) grăbi"])).toEqual([term("rapid"), term("grăbi")]);
  });

  it("reads head words and their meaning lines, one group per line", () => {
    const dat = [
      "UTF-8",
      "mașină|2",
      "(subst)|automobil|autoturism",
      "(subst)|(reg.) tractor",
      "clădire|1",
      "(subst)|edificiu",
    ].join("\n");
    expect(synonymGroupsOfThesaurus(dat)).toEqual([
      [term("mașină"), term("automobil"), term("autoturism")],
      [term("clădire"), term("edificiu")],
    ]);
  });

  it("gives a term the other terms of every group it is in", () => {
    const s = Synonyms.parse("# comment\na b c\nc d\n");
    expect(s.of("c").sort()).toEqual(["a", "b", "d"]);
    expect(s.of("a").sort()).toEqual(["b", "c"]);
    expect(s.of("z")).toEqual([]);
  });

  it("ships a table in which everyday synonyms meet", () => {
    const table = romanianSynonyms();
    expect(table.size).toBeGreaterThan(10_000);
    expect(table.of(term("ucis"))).toContain(term("omorât"));
    expect(table.of(term("automobil"))).toContain(term("mașină"));
  });
});

describe("the ranker's synonym feature", () => {
  const article = (id: string, title: string, body: string): Article => ({
    id,
    title,
    date: "2025-08-01",
    url: null,
    source: null,
    body,
  });
  const engine = AnswerEngine.fromArticles([
    article(
      "a",
      "Hoț prins în Cluj",
      "Un hoț a fost prins în Cluj după o urmărire. Polițiștii au găsit automobilul furat într-o parcare. Bărbatul a fost reținut pentru 24 de ore.",
    ),
  ]);

  it("credits a sentence that says the question's word as its synonym, below an exact match", () => {
    const features = engine.sentenceFeatures("unde au gasit politistii masina hotului din Cluj");
    const withSynonym = features.find((s) =>
      s.passage.article.body.slice(s.passage.span.start, s.passage.span.end).includes("automobilul"),
    );
    expect(withSynonym?.features.synonym).toBeGreaterThan(0);
    const others = features.filter((s) => s !== withSynonym);
    expect(others.every((s) => s.features.synonym === 0)).toBe(true);
  });
});
