import { describe, expect, it } from "vitest";
import type { Article } from "../../src/content/article.js";
import { AnswerEngine } from "../../src/search/answer-engine.js";
import { groupWireCopies, isWireCopy } from "../../src/search/wire-copy.js";

const DISPATCH =
  "Guvernul a aprobat miercuri bugetul pentru reconstrucția podului de la Brăila, cu o valoare de 300 de milioane de lei, a anunțat purtătorul de cuvânt.";
const article = (id: string, source: string, body: string, date = "2025-06-01"): Article => ({
  id,
  title: `Știre ${id}`,
  date,
  url: null,
  source,
  body,
});

describe("wire copy", () => {
  it("recognises the same passage with different edges and a word of editing", () => {
    expect(isWireCopy(DISPATCH, `AGERPRES: ${DISPATCH.replace("miercuri", "ieri")} Lucrările încep în iulie.`)).toBe(true);
    expect(
      isWireCopy(DISPATCH, "Primăria a aprobat bugetul pentru reparația podului de la Galați, cu 20 de milioane de lei."),
    ).toBe(false);
  });

  it("groups copies under the best-ranked one, keeping the others as 'also reported by'", () => {
    const engine = AnswerEngine.fromArticles([
      article("a/1", "Agerpres", DISPATCH),
      article("b/1", "Digi24", `${DISPATCH}\n\nAlte detalii despre trafic.`),
      article("c/1", "HotNews", DISPATCH.replace("miercuri", "ieri")),
      article(
        "d/1",
        "Ziarul Local",
        "Primarul spune că podul de la Brăila are nevoie de un buget mai mare pentru reconstrucție.",
      ),
    ]);
    const answer = engine.ask("Ce buget a aprobat guvernul pentru podul de la Brăila?", { limit: 9 });
    const groups = groupWireCopies(answer.quotes);
    expect(answer.quotes.length).toBeGreaterThanOrEqual(3);
    const copies = groups.find((g) => g.also.length > 0);
    expect(copies?.also).toHaveLength(2);
    expect(new Set([copies!.quote.article.id, ...copies!.also.map((a) => a.id)])).toEqual(new Set(["a/1", "b/1", "c/1"]));
    expect(groups.flatMap((g) => g.also).some((a) => a.id === "d/1")).toBe(false);
  });
});
