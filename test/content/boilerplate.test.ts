import { describe, expect, it } from "vitest";
import { cleanParagraphs } from "../../src/content/boilerplate.js";

const PROSE = "Belarusul şi Iranul planifică să îşi aprofundeze legăturile bilaterale.";
const MORE = "Preşedinţii au convenit să lucreze la un tratat de parteneriat strategic.";

/** Cleans a text made of real prose around one boilerplate line. */
function around(line: string) {
  return cleanParagraphs([PROSE, line, MORE].join("\n"));
}

describe("cleanParagraphs: boilerplate lines", () => {
  const cases: Array<[string, string]> = [
    ["font-size widget", "Dimensiune text Dimensiune text Mică Normală Mare"],
    ["video promo", "Urmărește cele mai noi producții video G4Media - articolul continuă mai jos -"],
    ["video promo (cedilla)", "Urmăreşte cele mai noi producţii video G4Media - articolul continuă mai jos -"],
    ["article continues", "- articolul continuă mai jos -"],
    ["read also", "Citește și: Ce a spus Putin despre Ucraina după summit"],
    ["read also (cedilla)", "Citeşte şi: Ce a spus Putin despre Ucraina după summit"],
    ["read also (no diacritics)", "Citeste si: Ce a spus Putin despre Ucraina"],
    ["back to homepage", "Înapoi la Homepage"],
    ["Google News prompt", "Puteți urmări știrile Antena 1 și pe Google News. 📰"],
    ["Google News prompt (cedilla)", "Puteţi urmări ştirile Antena 1 şi pe Google News. 📰"],
    ["recommended videos", "Video recomandate"],
    ["photo credit", "Foto: Inquam Photos / George Călin"],
    ["photo source", "Sursa foto: Facebook"],
    ["bare FOTO", "FOTO"],
    ["short source", "Sursa: Reuters"],
    ["same subject", "Pe același subiect:"],
    ["newsletter", "Abonează-te la newsletter-ul nostru"],
    ["social follow", "Urmărește-ne pe Facebook și Instagram"],
    ["bare URL", "https://www.g4media.ro/articol-123"],
    ["advertorial mark", "(P)"],
    ["layout only", "* * * --> ***"],
  ];

  for (const [name, line] of cases) {
    it(`removes ${name}`, () => {
      const r = around(line);
      expect(r.paragraphs).toEqual([PROSE, MORE]);
      expect(r.removed).toBe(1);
    });
  }

  it("detects the outlet named by the video promo", () => {
    expect(around("Urmărește cele mai noi producții video G4Media - articolul continuă mai jos -").outlet).toBe("G4Media");
    expect(around("Urmăreşte cele mai noi producţii video G4Media – articolul continuă mai jos –").outlet).toBe("G4Media");
  });

  it("detects the outlet named by the Google News prompt, in both spellings", () => {
    expect(around("Puteți urmări știrile Antena 1 și pe Google News. 📰").outlet).toBe("Antena 1");
    expect(around("Puteţi urmări ştirile Antena 1 şi pe Google News. 📰").outlet).toBe("Antena 1");
  });

  it("reports no outlet when nothing names one", () => {
    expect(around("Citește și: Altceva").outlet).toBeNull();
    expect(cleanParagraphs(`${PROSE}\n${MORE}`).outlet).toBeNull();
  });

  it("keeps the first outlet found", () => {
    const r = cleanParagraphs(
      [
        PROSE,
        "Urmărește cele mai noi producții video G4Media - articolul continuă mai jos -",
        "Puteți urmări știrile Antena 1 și pe Google News",
      ].join("\n"),
    );
    expect(r.outlet).toBe("G4Media");
  });
});

describe("cleanParagraphs: glued tails", () => {
  it("cuts a celebrity-site tail and the photo credit before it, keeping the sentence", () => {
    const r = cleanParagraphs(
      "Vedeta a anunțat că pleacă din țară și a plecat.Sursa foto: FacebookAflă totul despre vedetele din România, ce fac și cum trăiesc.",
    );
    expect(r.paragraphs).toEqual(["Vedeta a anunțat că pleacă din țară și a plecat."]);
    expect(r.outlet).toBe("Viva");
    expect(r.removed).toBeGreaterThan(0);
  });

  it("cuts a tail without diacritics and a tail in cedilla spelling", () => {
    expect(cleanParagraphs("A fost o seară frumoasă.Afla totul despre vedetele din Romania aici").paragraphs).toEqual([
      "A fost o seară frumoasă.",
    ]);
    expect(cleanParagraphs("Primarul a demisionat.Puteţi urmări ştirile Antena 1 şi pe Google News").paragraphs).toEqual([
      "Primarul a demisionat.",
    ]);
  });

  it("cuts a glued video promo", () => {
    expect(cleanParagraphs("Guvernul a aprobat bugetul.Urmărește cele mai noi producții video G4Media").paragraphs).toEqual([
      "Guvernul a aprobat bugetul.",
    ]);
  });

  it("drops a line that is only a tail", () => {
    const r = cleanParagraphs(`${PROSE}\nLoghează-te în contul tău pentru a adăuga comentarii`);
    expect(r.paragraphs).toEqual([PROSE]);
  });
});

describe("cleanParagraphs: prose that merely starts like a rule", () => {
  const long =
    " Ministerul Afacerilor Externe a transmis joi că negocierile continuă, iar delegațiile se vor întâlni din nou la Bruxelles în luna septembrie pentru a discuta detaliile acordului.";

  it("keeps a long 'Sursa:' sentence", () => {
    const line = `Sursa:${long}`;
    expect(line.length).toBeGreaterThan(80);
    expect(around(line).paragraphs).toEqual([PROSE, line, MORE]);
  });

  it("keeps a long 'Foto:' paragraph and a long 'Video recomandate' paragraph", () => {
    const foto = `Foto:${long}${long}`;
    const video = `Video recomandate de ministerul culturii:${long}${long}`;
    expect(foto.length).toBeGreaterThan(160);
    expect(video.length).toBeGreaterThan(200);
    expect(around(foto).paragraphs).toEqual([PROSE, foto, MORE]);
    expect(around(video).paragraphs).toEqual([PROSE, video, MORE]);
  });

  it("keeps a very long paragraph starting with 'Citește și'", () => {
    const line = `Citește și analiza noastră:${long}${long}${long}`;
    expect(line.length).toBeGreaterThan(400);
    expect(around(line).paragraphs).toEqual([PROSE, line, MORE]);
    expect(around(line).removed).toBe(0);
  });

  it("keeps prose that mentions the words later in the line", () => {
    const line = "Ministrul a spus că dimensiune text nu contează, iar foto: nimic.";
    expect(around(line).paragraphs).toEqual([PROSE, line, MORE]);
  });
});

describe("cleanParagraphs: whitespace", () => {
  it("handles CRLF, collapses spaces and drops blank lines", () => {
    const r = cleanParagraphs(`  ${PROSE}  \r\n\r\n\t\r\n${MORE.replace(/ /g, "  \u00a0")}\r\n`);
    expect(r.paragraphs).toEqual([PROSE, MORE]);
    expect(r.removed).toBe(0);
  });

  it("returns no paragraph for boilerplate-only text", () => {
    const r = cleanParagraphs("Dimensiune text Dimensiune text Mică Normală Mare\nÎnapoi la Homepage\n\n");
    expect(r.paragraphs).toEqual([]);
    expect(r.removed).toBe(2);
  });
});

describe("cleanParagraphs: 'article continues' marker", () => {
  it("removes the marker with or without surrounding dashes", () => {
    for (const line of ["articolul continuă mai jos", "- articolul continuă mai jos -", "– Articolul continuă după reclamă –"]) {
      expect(around(line).paragraphs, line).toEqual([PROSE, MORE]);
    }
  });
});
