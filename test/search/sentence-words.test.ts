import { describe, expect, it } from "vitest";
import { AnswerEngine } from "../../src/search/answer-engine.js";
import { answerTokens, foldWord, isCapitalisedName } from "../../src/search/answer-type.js";
import { PassageIndex } from "../../src/search/passage-index.js";
import {
  decodeVarints,
  encodeVarints,
  sentenceAnswerTokens,
  sentenceNames,
  sentenceHasPrefix,
  TermList,
  sentenceWordTerms,
  WordTable,
  wordsOfText,
} from "../../src/search/sentence-words.js";
import { analyze, termOf, tokenize } from "../../src/text/analyzer.js";
import { article, BUGET, INUNDATII } from "./fixtures.js";

/** Sentences written for these tests: both spellings of ș/ț, capitals, quotes, numbers, a soft hyphen. */
const TRICKY = article(
  "tricky",
  "Premierul Ion Popescu a anunţat luni „noi măsuri” pentru Galați. Vor costa 3.500 de lei.\n" +
    "În 2025, ANAF a verificat 1.200 de firme din București: «Nu ne oprim», a spus șeful instituției.\n" +
    "Ministrul a de\u00admisionat după ce Curtea a decis. De ce? Pentru că bugetul nu ajungea la 15:30.\n" +
    "Echipa Rapid București a câștigat meciul cu 2-1 în fața lui Dinamo.",
  { title: "Guvernul Popescu și ANAF" },
);
const ARTICLES = [BUGET, INUNDATII, TRICKY];

const prefixesOf = (text: string, n: number) => {
  const out = new Set<string>();
  for (const t of tokenize(text)) {
    const f = foldWord(t.text);
    if (f.length >= n) out.add(f.slice(0, n));
  }
  return out;
};

/** Every live passage's text with its stored words. */
function passages(index: PassageIndex) {
  const out = [];
  for (let id = 0; id < index.idSpace; id++) {
    const p = index.passage(id);
    const words = index.sentenceWords(id);
    if (!p || !words) continue;
    out.push({ text: p.article.body.slice(p.span.start, p.span.end), words });
  }
  return out;
}

function expectSameAsAnalysis(index: PassageIndex): void {
  const all = passages(index);
  expect(all.length).toBe(index.passageCount);
  for (const { text, words } of all) {
    expectSameTerms(TermList.of(words), new Set(analyze(text)));
    // sentenceHasPrefix agrees with the prefixes of the analysed words, for every prefix they have and for some they don't.
    for (const p of prefixesOf(text, 5)) expect(sentenceHasPrefix(words, 5, p)).toBe(true);
    for (const p of prefixesOf(text, 3)) expect(sentenceHasPrefix(words, 3, p)).toBe(true);
    for (const p of ["zzzzz", "qwert", "xylof"]) expect(sentenceHasPrefix(words, 5, p)).toBe(prefixesOf(text, 5).has(p));
    const expected = answerTokens(text);
    const got = sentenceAnswerTokens(words, text);
    expect(got.words).toEqual(expected.words);
    expect(got.folded).toBe(expected.folded);
    const tokens = tokenize(text);
    expect(sentenceWordTerms(words)).toEqual(tokens.map((t) => termOf(foldWord(t.text))));
    expect(sentenceNames(words)).toEqual(
      tokens.filter((_, i) => isCapitalisedName(text, tokens, i)).map((t) => foldWord(t.text)),
    );
  }
}

describe("sentence words", () => {
  it("decode to exactly what analysing the sentence gives: terms, prefixes, answer tokens", () => {
    const index = new PassageIndex(ARTICLES);
    expectSameAsAnalysis(index);
    // The capitalised words that do not open a sentence are the names (a word in capitals is not one).
    const names = passages(index)
      .flatMap(({ text, words }) => sentenceAnswerTokens(words, text).words.filter((w) => w.capitalised))
      .map((w) => w.folded);
    expect(names).toEqual(expect.arrayContaining(["ion", "popescu", "galati", "bucuresti", "curtea", "dinamo"]));
    expect(names).not.toContain("premierul");
    expect(names).not.toContain("anaf");
    expect(names).not.toContain("vor");
  });

  it("of a text the index does not hold decode the same way", () => {
    const text = "Ministrul Finanțelor, Ion Popescu, a spus că „taxele nu cresc” în 2026.";
    const words = wordsOfText(text);
    expectSameTerms(TermList.of(words), new Set(analyze(text)));
    expect(sentenceAnswerTokens(words, text).words).toEqual(answerTokens(text).words);
  });

  it("stay right after articles are replaced and removed, and after compaction", () => {
    const index = new PassageIndex(ARTICLES);
    index.add({ ...BUGET, body: "Parlamentul a respins bugetul pe 2026 luni seara." });
    index.remove("inundatii");
    expectSameAsAnalysis(index);
    index.compactWords();
    expectSameAsAnalysis(index);
    index.add(INUNDATII);
    expectSameAsAnalysis(index);
  });

  it("survive export and restore, and the engine answers the same over the restored index", () => {
    const index = new PassageIndex(ARTICLES);
    index.remove("inundatii");
    index.add(INUNDATII);
    const current = new Map(ARTICLES.map((a) => [a.id, a]));
    const { index: restored, kept } = PassageIndex.restore(index.exportState(), current);
    expect(kept).toBe(3);
    expectSameAsAnalysis(restored);
    // New articles after a restore reuse the loaded word table.
    restored.add(article("nou", "Popescu a anunțat noi măsuri pentru București."));
    expectSameAsAnalysis(restored);

    const now = () => new Date("2025-09-01T00:00:00Z");
    const built = new AnswerEngine(index, { now });
    const loaded = new AnswerEngine(PassageIndex.restore(index.exportState(), current).index, { now });
    const questions = ["Câți lei vor costa măsurile?", "Cine a câștigat meciul?", "De ce a demisionat ministrul?", "galati"];
    for (const q of questions) {
      const a = built.ask(q);
      const b = loaded.ask(q);
      expect(b.found).toBe(a.found);
      expect(b.quotes.map((x) => [x.article.id, x.start, x.end, x.score, x.confidence])).toEqual(
        a.quotes.map((x) => [x.article.id, x.start, x.end, x.score, x.confidence]),
      );
    }
    expect(built.ask("Câți lei vor costa măsurile?").found).toBe(true);
  });

  it("keep only the words of live passages when exported", () => {
    const index = new PassageIndex(ARTICLES);
    index.remove("tricky");
    const stored = JSON.parse(index.exportState().wordsJson) as { table: { words: string[] } };
    expect(stored.table.words).toContain("Guvernul");
    expect(stored.table.words).not.toContain("Dinamo");
  });

  it("are checked when restored", () => {
    const state = new PassageIndex(ARTICLES).exportState();
    const current = new Map(ARTICLES.map((a) => [a.id, a]));
    const stored = JSON.parse(state.wordsJson) as { table: { words: string[] }; codes: string };
    const values = [...decodeVarints(Buffer.from(stored.codes, "base64"))];
    const withCodes = (v: number[]) => ({
      ...state,
      wordsJson: JSON.stringify({ ...stored, codes: encodeVarints(v).toString("base64") }),
    });
    expect(PassageIndex.restore(withCodes(values), current).kept).toBe(3);
    expect(() => PassageIndex.restore({ ...state, wordsJson: "{" }, current)).toThrow();
    // A passage fewer, one more, a count running past the end, a code naming no word.
    expect(() => PassageIndex.restore(withCodes(values.slice(0, values.length - 1 - (values.at(-1) ?? 0))), current)).toThrow();
    expect(() => PassageIndex.restore(withCodes([...values, 0]), current)).toThrow(/counts/);
    expect(() => PassageIndex.restore(withCodes([...values, 2]), current)).toThrow(/counts/);
    expect(() => PassageIndex.restore(withCodes([1, 2 * stored.table.words.length, ...values]), current)).toThrow(
      /names no word/,
    );
    const truncated = { ...stored, codes: Buffer.from([0x81]).toString("base64") };
    expect(() => PassageIndex.restore({ ...state, wordsJson: JSON.stringify(truncated) }, current)).toThrow(/varint/);
    const badTable = { ...stored, table: { words: ["a"], termList: [], termIds: [] } };
    expect(() => PassageIndex.restore({ ...state, wordsJson: JSON.stringify(badTable) }, current)).toThrow(/word table/);
  });
});

describe("varints", () => {
  it("round-trip every size of value and reject truncated ones", () => {
    const values = [0, 1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, 268_435_455, 268_435_456, 2 ** 31 - 1];
    const bytes = encodeVarints(values);
    expect(bytes.length).toBe(1 + 1 + 1 + 2 + 2 + 3 + 3 + 4 + 4 + 5 + 5);
    expect([...decodeVarints(bytes)]).toEqual(values);
    expect(() => decodeVarints(bytes.subarray(0, bytes.length - 1))).toThrow(/varint/);
    expect(() => encodeVarints([-1])).toThrow(RangeError);
  });
});

describe("WordTable", () => {
  it("gives each spelling one id with its term, also after a round trip through JSON", () => {
    const table = new WordTable();
    const ids = ["Guvernul", "guvernul", "și", "Guvernul", "2026"].map((w) => table.idOf(w));
    expect(ids).toEqual([0, 1, 2, 0, 3]);
    expect(table.terms).toEqual([...analyze("Guvernul guvernul"), null, "2026"]);
    const copy = WordTable.fromJSON(JSON.parse(JSON.stringify(table)));
    expect(copy.words).toEqual(table.words);
    expect(copy.terms).toEqual(table.terms);
    expect(copy.idOf("guvernul")).toBe(1);
    expect(copy.idOf("Parlamentul")).toBe(4);
    expect(copy.foldedOf(2)).toBe("si");
    expect(copy.prefixOf(0, 5)).toBe("guver");
    expect(copy.prefixOf(3, 5)).toBeNull();
  });
});

/** A TermList holds what the Set holds: members, size, order, and no others. */
function expectSameTerms(list: ReadonlySet<string>, set: ReadonlySet<string>): void {
  expect([...list]).toEqual([...set]);
  expect(list.size).toBe(set.size);
  for (const t of set) expect(list.has(t)).toBe(true);
  expect(list.has("nicăieri-în-text")).toBe(false);
  const seen: string[] = [];
  list.forEach((v, k) => {
    expect(k).toBe(v);
    seen.push(v);
  });
  expect(seen).toEqual([...set]);
}

describe("TermList", () => {
  it("keeps a long sentence's many terms (a Set past the array limit) in order, with repeats counted once", () => {
    const words = Array.from({ length: 50 }, (_, i) => `termen${String.fromCharCode(97 + (i % 26))}${Math.floor(i / 26)}x`);
    const text = `${words.join(" ")} ${words.slice(0, 10).join(" ")}.`;
    const set = new Set(analyze(text));
    expect(set.size).toBeGreaterThan(32);
    expectSameTerms(TermList.of(wordsOfText(text)), set);
  });
});
