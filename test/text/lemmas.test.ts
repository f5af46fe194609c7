import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { termOf } from "../../src/text/analyzer.js";
import { lemmaSiblings } from "../../src/text/lemmas.js";

const term = (w: string) => termOf(w) as string;

describe("lemmaSiblings", () => {
  it("links the inflections of a name that Snowball stems apart", () => {
    expect(term("Rusia")).not.toBe(term("Rusiei"));
    expect(lemmaSiblings(term("Rusia"))).toContain(term("Rusiei"));
    expect(lemmaSiblings(term("Rusiei"))).toContain(term("Rusia"));
    expect(term("Franța")).not.toBe(term("Franței"));
    expect(lemmaSiblings(term("Franta"))).toContain(term("Franței"));
  });

  it("links a feminine noun's genitive to its other forms", () => {
    expect(lemmaSiblings(term("poreclei"))).toContain(term("porecla"));
  });

  it("has nothing for words whose forms share one stem, nor for unknown words", () => {
    expect(term("armata")).toBe(term("armatei"));
    expect(lemmaSiblings(term("armata"))).toEqual([]);
    expect(lemmaSiblings("zzqx")).toEqual([]);
  });

  it("leaves out the antonyms and repetitions the dictionary's prefixes make", () => {
    expect(lemmaSiblings(term("pretins"))).not.toContain(term("nepretins"));
  });

  it("ships with its source and licence named", () => {
    const head = readFileSync(new URL("../../src/text/lemmas.txt", import.meta.url), "utf8").slice(0, 400);
    expect(head).toContain("dictionary-ro");
    expect(head).toContain("MPL-1.1");
  });
});
