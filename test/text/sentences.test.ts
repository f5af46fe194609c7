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

  it("returns nothing for empty or blank text", () => {
    expect(splitSentences("")).toEqual([]);
    expect(splitSentences("  \n\t ")).toEqual([]);
  });
});

describe("splitSentences on run-together scrapes", () => {
  it("closes „ quotations typed with “, ″ or an apostrophe", () => {
    expect(sentences("„Vin mâine“, a spus primarul.Apoi a plecat. Seara a revenit.")).toEqual([
      "„Vin mâine“, a spus primarul.",
      "Apoi a plecat.",
      "Seara a revenit.",
    ]);
    expect(sentences("„Termenul e în 2030″. Lucrările încep acum.")).toEqual(["„Termenul e în 2030″.", "Lucrările încep acum."]);
    expect(sentences("Ea a zis: „Nu mai vin. Gata.“ Apoi a plecat.")).toEqual([
      "Ea a zis: „Nu mai vin. Gata.“",
      "Apoi a plecat.",
    ]);
    expect(sentences("Titlul era „Vară la munte'Sezonul începe în iunie.")).toEqual([
      "Titlul era „Vară la munte'",
      "Sezonul începe în iunie.",
    ]);
    // An apostrophe inside a word does not close the quotation.
    expect(sentences("„Am ascultat rock'n'roll. Toată noaptea”, a spus el.")).toHaveLength(1);
  });

  it("splits a closed quotation glued to the next sentence", () => {
    expect(sentences("Primarul a promis „o iarnă liniștită”Consilierii au votat apoi bugetul.")).toEqual([
      "Primarul a promis „o iarnă liniștită”",
      "Consilierii au votat apoi bugetul.",
    ]);
    expect(sentences("„Vom vedea”, a spus el.„Nu promit nimic”, a adăugat.")).toEqual([
      "„Vom vedea”, a spus el.",
      "„Nu promit nimic”, a adăugat.",
    ]);
    expect(sentences("A cerut „o amânare”.Judecătorii au refuzat.")).toEqual(["A cerut „o amânare”.", "Judecătorii au refuzat."]);
    expect(sentences("A vorbit cu agenția (ANAF).Inspectorii au plecat.")).toEqual([
      "A vorbit cu agenția (ANAF).",
      "Inspectorii au plecat.",
    ]);
    expect(sentences("Anunțul vine de la ISU.„Nu sunt victime”, au spus pompierii.")).toEqual([
      "Anunțul vine de la ISU.",
      "„Nu sunt victime”, au spus pompierii.",
    ]);
  });

  it("does not split an opening straight quote glued to its first word", () => {
    expect(sentences('El a spus:"Vin mâine" și a plecat.')).toHaveLength(1);
    expect(sentences("El a spus „Vin”, apoi a plecat.")).toHaveLength(1);
  });

  it("splits a glued stop inside an open quotation but keeps the quotation open", () => {
    expect(sentences("„Starea ei e stabilă.A mâncat singură. Mâine vedem”, a spus medicul. Apoi a plecat.")).toEqual([
      "„Starea ei e stabilă.",
      "A mâncat singură. Mâine vedem”, a spus medicul.",
      "Apoi a plecat.",
    ]);
    expect(sentences("„Costă 3.5 lei. Prea mult”, a zis el.")).toHaveLength(1);
  });

  it("ends sentences inside a long quotation once the sentence is long, never after initials or decimals", () => {
    const long = "Am lucrat toată vara la proiect, cu echipa din Iași și cu colegii din Cluj, până târziu în noapte";
    const text = `„${long}, zi de zi, fără pauză, iar rezultatele se văd acum în fiecare cartier al orașului nostru. Costul a fost de 3.5 milioane. I. Popescu a semnat. Suntem mulțumiți”, a spus primarul. Apoi a plecat.`;
    expect(sentences(text)).toEqual([
      // Under 200 characters at "nostru.", so the quotation goes on; past them, "milioane." ends it.
      `„${long}, zi de zi, fără pauză, iar rezultatele se văd acum în fiecare cartier al orașului nostru. Costul a fost de 3.5 milioane.`,
      "I. Popescu a semnat. Suntem mulțumiți”, a spus primarul.",
      "Apoi a plecat.",
    ]);
    // A short quotation keeps its sentences and its attribution together.
    expect(sentences("„Vin mâine. Nu azi”, a spus el. Apoi a plecat.")).toEqual([
      "„Vin mâine. Nu azi”, a spus el.",
      "Apoi a plecat.",
    ]);
  });

  it("starts a sentence at a glued „Citește și:” link run", () => {
    expect(sentences("Meciul s-a terminat la egalitateCitește și: Antrenorul a demisionat")).toEqual([
      "Meciul s-a terminat la egalitate",
      "Citește și: Antrenorul a demisionat",
    ]);
    expect(sentences("Prima frază. CITEȘTE ȘI: Altă știre")).toEqual(["Prima frază.", "CITEȘTE ȘI: Altă știre"]);
  });

  it("ends a sentence after a site's domain but keeps dotted abbreviations and times", () => {
    expect(sentences("Informația a apărut pe stiri.ro. Apoi a fost preluată.")).toEqual([
      "Informația a apărut pe stiri.ro.",
      "Apoi a fost preluată.",
    ]);
    expect(sentences("Sursa este ziarul.ro.Redacția a confirmat.")).toEqual(["Sursa este ziarul.ro.", "Redacția a confirmat."]);
    expect(sentences("Au sosit în S.U.A. Marți au plecat.")).toHaveLength(1);
    expect(sentences("Ședința începe la ora 12.30 și durează mult. Apoi pauză.")).toEqual([
      "Ședința începe la ora 12.30 și durează mult.",
      "Apoi pauză.",
    ]);
    expect(sentences("Vezi https://exemplu.ro/Pagina.Noua pentru detalii.")).toHaveLength(1);
  });
});
