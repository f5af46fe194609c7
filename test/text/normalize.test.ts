import { describe, expect, it } from "vitest";
import { fold, foldWithOffsets, toCedilla, toCommaBelow } from "../../src/text/normalize.js";

describe("toCommaBelow / toCedilla", () => {
  it("maps cedilla letters to comma-below letters, both cases", () => {
    expect(toCommaBelow("Şeful ţării, ŢARA, şi")).toBe("Șeful țării, ȚARA, și");
  });

  it("maps comma-below letters to cedilla letters, both cases", () => {
    expect(toCedilla("Șeful țării, ȚARA, și")).toBe("Şeful ţării, ŢARA, şi");
  });

  it("keeps the length and every other character", () => {
    const text = "Ăă Ââ Îî Şş Țț abc 🎉 „x”";
    expect(toCommaBelow(text)).toHaveLength(text.length);
    expect(toCedilla(text)).toHaveLength(text.length);
    expect(toCedilla(toCommaBelow(text))).toBe(toCedilla(text));
    expect(toCommaBelow("Ăă Ââ Îî")).toBe("Ăă Ââ Îî");
  });
});

describe("fold", () => {
  it("collapses cedilla, comma-below and no-diacritics spellings", () => {
    const expected = "sanctiuni";
    for (const w of ["sancţiuni", "sancțiuni", "sanctiuni", "SANCŢIUNI", "SANCȚIUNI", "Sanctiuni"]) {
      expect(fold(w)).toBe(expected);
    }
  });

  it("removes ă, â, î and lower-cases", () => {
    expect(fold("Învăţământul ÎN ţară și în străinătate")).toBe("invatamantul in tara si in strainatate");
  });

  it("handles decomposed input (letter + combining mark)", () => {
    expect(fold("s\u0326i t\u0327ara")).toBe("si tara");
  });

  it("leaves digits, punctuation and emoji alone", () => {
    expect(fold("3.5% „ok” 🎉 <a&b>")).toBe("3.5% „ok” 🎉 <a&b>");
  });
});

describe("foldWithOffsets", () => {
  it("folds like fold() and maps each folded unit back to its original offset", () => {
    const text = "Atât Iranul, cât şi Belarusul — „sancţiuni” 🎉 ȘI";
    const { folded, offsets } = foldWithOffsets(text);
    expect(folded).toBe(fold(text));
    expect(offsets).toHaveLength(folded.length + 1);
    expect(offsets[offsets.length - 1]).toBe(text.length);
    // Offsets never decrease and stay inside the text.
    for (let i = 1; i < offsets.length; i++) expect(offsets[i]!).toBeGreaterThanOrEqual(offsets[i - 1]!);
    // A match in the folded text locates the accented original.
    const at = folded.indexOf("sanctiuni");
    expect(at).toBeGreaterThan(0);
    const start = offsets[at]!;
    const end = offsets[at + "sanctiuni".length]!;
    expect(text.slice(start, end)).toBe("sancţiuni");
  });

  it("maps a character whose lower case is longer to one original offset", () => {
    // "İ" lower-cases to "i" + U+0307, which fold strips again: one unit, one offset.
    const { folded, offsets } = foldWithOffsets("aİb");
    expect(folded).toBe(fold("aİb"));
    expect(offsets.slice(0, -1).every((o) => o >= 0 && o < 3)).toBe(true);
    expect(folded[offsets.indexOf(2)]).toBe("b");
  });
});
