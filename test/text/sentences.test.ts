import { describe, expect, it } from "vitest";
import { splitSentences, type Span } from "../../src/text/sentences.js";

/** The sentences as text, after checking the invariants every span must hold. */
function sentences(text: string, from = 0, to = text.length): string[] {
  const spans = splitSentences(text, from, to);
  checkSpans(text, spans, from, to);
  return spans.map((s) => text.slice(s.start, s.end));
}

function checkSpans(text: string, spans: Span[], from: number, to: number): void {
  let prevEnd = from;
  for (const s of spans) {
    expect(s.start).toBeGreaterThanOrEqual(prevEnd);
    expect(s.end).toBeGreaterThan(s.start);
    expect(s.end).toBeLessThanOrEqual(to);
    const piece = text.slice(s.start, s.end);
    expect(piece).toBe(piece.trim());
    prevEnd = s.end;
  }
}

describe("splitSentences", () => {
  it("splits plain sentences on . ! ?", () => {
    expect(sentences("Prima propoziție. A doua propoziție! A treia? Ultima.")).toEqual([
      "Prima propoziție.",
      "A doua propoziție!",
      "A treia?",
      "Ultima.",
    ]);
  });

  it("returns trimmed spans whose slice is the sentence", () => {
    const text = "   Prima propoziție.    A doua propoziție!\t  A treia?  \n  ";
    const spans = splitSentences(text);
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(["Prima propoziție.", "A doua propoziție!", "A treia?"]);
    expect(spans[0]).toEqual({ start: 3, end: 20 });
  });

  it("does not split inside Romanian quotations „…”", () => {
    expect(sentences("„Suntem pregătiţi. Nu avem subiecte închise”, a mai afirmat Lukaşenko. Apoi a plecat.")).toEqual([
      "„Suntem pregătiţi. Nu avem subiecte închise”, a mai afirmat Lukaşenko.",
      "Apoi a plecat.",
    ]);
  });

  it("ends a sentence after the closing quotation mark", () => {
    expect(sentences("El a spus: „Vom vedea. Poate mâine.” Apoi a tăcut.")).toEqual([
      "El a spus: „Vom vedea. Poate mâine.”",
      "Apoi a tăcut.",
    ]);
    expect(sentences("Ea a zis «Nu mai vin. Gata.» Apoi a plecat.")).toEqual(["Ea a zis «Nu mai vin. Gata.»", "Apoi a plecat."]);
  });

  it("does not split after abbreviations", () => {
    expect(sentences("L-a consultat dr. Popescu la spital. A venit și prof. Ionescu.")).toEqual([
      "L-a consultat dr. Popescu la spital.",
      "A venit și prof. Ionescu.",
    ]);
    expect(sentences("Conform art. 5 din lege, locuința nr. 3 e bună. Apoi altceva.")).toEqual([
      "Conform art. 5 din lege, locuința nr. 3 e bună.",
      "Apoi altceva.",
    ]);
    expect(sentences("Au venit Ion, Maria ș.a. La final au plecat.")).toHaveLength(1);
  });

  it("does not split after initials", () => {
    expect(sentences("A. Popescu și I. L. Caragiale au scris. Altceva aici.")).toEqual([
      "A. Popescu și I. L. Caragiale au scris.",
      "Altceva aici.",
    ]);
    expect(sentences("Vizita în S.U.A. A fost un succes.")).toHaveLength(1);
  });

  it("still splits after an ordinary word that ends a sentence", () => {
    expect(sentences("Au fost la Cluj. Apoi au plecat.")).toEqual(["Au fost la Cluj.", "Apoi au plecat."]);
  });

  it("splits sentences glued without a space", () => {
    expect(sentences("Avionul a aterizat cu o pasageră.Cu câteva minute înainte, pilotul a anunțat.")).toEqual([
      "Avionul a aterizat cu o pasageră.",
      "Cu câteva minute înainte, pilotul a anunțat.",
    ]);
    expect(sentences("A fost liniște.„Nu știu”, a spus el.")).toEqual(["A fost liniște.", "„Nu știu”, a spus el."]);
  });

  it("does not split decimals or thousands", () => {
    expect(sentences("Inflația a fost de 3.5 la sută. Au venit 1.000 de oameni. Gata.")).toEqual([
      "Inflația a fost de 3.5 la sută.",
      "Au venit 1.000 de oameni.",
      "Gata.",
    ]);
    expect(sentences("Suma este de 1.250.000 de lei.")).toHaveLength(1);
  });

  it("keeps runs of terminators together and does not split an ellipsis before lower case", () => {
    expect(sentences("Ce?! Nu se poate... ar fi prea mult. Asta e.")).toEqual([
      "Ce?!",
      "Nu se poate... ar fi prea mult.",
      "Asta e.",
    ]);
    expect(sentences("Așteptăm… poate mâine.")).toHaveLength(1);
  });

  it("splits at line breaks", () => {
    expect(sentences("Titlu fără punct\nPrima propoziție. A doua\n\nUltima")).toEqual([
      "Titlu fără punct",
      "Prima propoziție.",
      "A doua",
      "Ultima",
    ]);
  });

  it("splits a sub-range with offsets into the whole text", () => {
    const text = "Ignorat. Prima din interval. A doua din interval. Tot ignorat.";
    const from = text.indexOf("Prima");
    const to = text.indexOf("Tot") - 1;
    const spans = splitSentences(text, from, to);
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(["Prima din interval.", "A doua din interval."]);
    expect(spans[0]!.start).toBe(from);
  });

  it("stops an unbalanced quotation from swallowing the rest of a long text", () => {
    const filler = "Aceasta este o propoziție obișnuită despre buget. ".repeat(20);
    const text = `„Citatul nu se închide niciodată. ${filler}Final aici.`;
    expect(sentences(text).length).toBeGreaterThan(2);
  });

  it("does not split glued stops inside web addresses", () => {
    expect(sentences("Vezi https://exemplu.ro/Pagina.Noua pentru detalii. Apoi altceva.")).toEqual([
      "Vezi https://exemplu.ro/Pagina.Noua pentru detalii.",
      "Apoi altceva.",
    ]);
    expect(sentences("Detalii pe www.exemplu.ro/Stiri.Azi acum.")).toHaveLength(1);
    expect(sentences("Avionul a aterizat cu o pasageră.Cu câteva minute înainte, pilotul a anunțat.")).toHaveLength(2);
  });

  it("returns nothing for empty or blank text", () => {
    expect(splitSentences("")).toEqual([]);
    expect(splitSentences("  \n\t ")).toEqual([]);
  });
});
