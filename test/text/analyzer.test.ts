import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze, distinctTerms, stemWord, termOf, tokenize, tokenizeWords, WORD } from "../../src/text/analyzer.js";
import { toCedilla } from "../../src/text/normalize.js";
import { STOP_WORDS } from "../../src/text/stopwords.js";

describe("termOf", () => {
  it("gives one term for cedilla, comma-below, plain and upper-case spellings", () => {
    const terms = ["sancţiuni", "sancțiuni", "sanctiuni", "SANCTIUNI", "SANCŢIUNI", "Sancțiuni"].map(termOf);
    expect(terms[0]).not.toBeNull();
    expect(new Set(terms).size).toBe(1);
  });

  it("conflates inflected forms through the stemmer", () => {
    expect(termOf("sancţiunile")).toBe(termOf("sanctiuni"));
    expect(termOf("Belarusul")).toBe(termOf("belarus"));
  });

  it("drops stop words in every spelling", () => {
    for (const w of ["și", "şi", "si", "ŞI", "în", "in", "ÎN", "de", "care", "este", "ce"]) {
      expect(termOf(w), w).toBeNull();
    }
  });

  it("keeps negation and other meaningful words of the stop list", () => {
    expect(termOf("nu")).toBe("nu");
    expect(termOf("ieri")).not.toBeNull();
    expect(termOf("împotriva")).not.toBeNull();
    expect(STOP_WORDS.has("nu")).toBe(false);
    expect(STOP_WORDS.has("si")).toBe(true);
  });

  it("keeps numbers as they are and drops single letters", () => {
    expect(termOf("2025")).toBe("2025");
    expect(termOf("40")).toBe("40");
    expect(termOf("5")).toBe("5");
    expect(termOf("x")).toBeNull();
    expect(termOf("")).toBeNull();
  });
});

describe("tokenize", () => {
  it("finds exactly the matches of WORD (the reference), offsets included, on awkward text", () => {
    const reference = (text: string) =>
      [...text.matchAll(WORD)].map((m) => ({ text: m[0], start: m.index ?? 0, end: (m.index ?? 0) + m[0].length }));
    const texts = [
      "",
      "   ",
      "Ana are 3 mere.",
      "x",
      "a-b c'd ,e.",
      "Decomposed: a\u0306 s\u0326i t\u0326ara\u0306, mark first: \u0306abc",
      "soft\u00adhyphen zero\u200bwidth join\u200dend word\u2060joiner \u00adlead",
      "astral 𝐀bc 𝟏2 x𝐁y 😀 emoji😀mid 𝐀",
      "digits ١٢٣ and ٤x; 12.500 lei, 2024-05-01",
      "lone \ud800 high \udc00 low a\udc00b",
      "Iași, Timișoara și Brașov: „citat” — «altul» (paranteze) [final]",
    ];
    for (const text of texts) expect(tokenize(text)).toEqual(reference(text));
    // The same results again (the regexes' positions are reset on each call).
    for (const text of texts) expect(tokenize(text)).toEqual(reference(text));
  });

  it("returns words with offsets into the original text", () => {
    const text = "Să-şi consolideze legăturile, în 2025: „sancţiuni”!";
    const tokens = tokenize(text);
    expect(tokens.map((t) => t.text)).toEqual(["Să", "şi", "consolideze", "legăturile", "în", "2025", "sancţiuni"]);
    for (const t of tokens) expect(text.slice(t.start, t.end)).toBe(t.text);
    expect(tokenizeWords(text)).toEqual(tokens.map((t) => t.text));
  });

  it("treats emoji and markup characters as separators", () => {
    expect(tokenizeWords("<b>bugetul</b>&amp;🎉taxele")).toEqual(["b", "bugetul", "b", "amp", "taxele"]);
  });
});

describe("analyze / distinctTerms", () => {
  it("keeps order and repetitions, dropping stop words", () => {
    const terms = analyze("Belarusul şi Iranul, Iranul și Belarusul");
    expect(terms).toHaveLength(4);
    expect(terms[0]).toBe(terms[3]);
    expect(terms[1]).toBe(terms[2]);
  });

  it("gives the same terms for a question typed without diacritics", () => {
    expect(distinctTerms("ce a zis lukasenko despre subiecte inchise")).toEqual(
      distinctTerms("Ce a zis Lukaşenko despre subiecte închise?"),
    );
  });

  it("keeps 'nu' and numbers, deduplicates", () => {
    expect(distinctTerms("nu, nu a semnat în 2025 și 2025")).toEqual(["nu", termOf("semnat"), "2025"]);
  });

  it("returns nothing for a question of only stop words", () => {
    expect(distinctTerms("și ce?")).toEqual([]);
    expect(distinctTerms("Şi ce, în care?")).toEqual([]);
  });
});

describe("stemWord", () => {
  it("stems comma-below and cedilla spellings alike", () => {
    expect(stemWord("recrutație")).toBe(stemWord("recrutaţie"));
    expect(stemWord("recrutaţie")).toBe("recrut");
    expect(stemWord("vajnicului")).toBe("vajnic");
  });
});

const VOCABULARY_DIR = resolve(process.cwd(), "../shared/data/snowball-romanian");
const VOC = resolve(VOCABULARY_DIR, "voc.txt");
const OUTPUT = resolve(VOCABULARY_DIR, "output.txt");

describe.skipIf(!existsSync(VOC) || !existsSync(OUTPUT))("Snowball Romanian reference vocabulary", () => {
  it("reproduces voc.txt → output.txt for every pair", () => {
    const lines = (path: string) => readFileSync(path, "utf8").replace(/\n$/, "").split("\n");
    const words = lines(VOC);
    const stems = lines(OUTPUT);
    expect(words).toHaveLength(87_642);
    expect(stems).toHaveLength(words.length);
    const mismatches: string[] = [];
    words.forEach((word, i) => {
      const expected = toCedilla(stems[i] as string);
      const actual = stemWord(word);
      if (actual !== expected) mismatches.push(`${word}: expected ${expected}, got ${actual}`);
    });
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(mismatches).toHaveLength(0);
    // 87,642 stems: about a second on a quiet machine, over the default 5 s when it is loaded.
  }, 30_000);
});

describe("words with invisible or decomposed characters", () => {
  it("keeps a word whole across zero-width spaces and soft hyphens, and drops them from the term", () => {
    expect(tokenizeWords("pro\u200btestatarii au ieșit")).toEqual(["pro\u200btestatarii", "au", "ieșit"]);
    expect(termOf("pro\u200btestatarii")).toBe(termOf("protestatarii"));
    expect(termOf("sanc\u00adțiuni")).toBe(termOf("sanctiuni"));
  });

  it("treats decomposed diacritics (NFD) like composed ones", () => {
    const nfd = "sancțiuni".normalize("NFD");
    expect(tokenizeWords(`${nfd} noi`)).toEqual([nfd, "noi"]);
    expect(termOf(nfd)).toBe(termOf("sanctiuni"));
  });
});
