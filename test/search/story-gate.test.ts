/**
 * The decline gate's story features, on a tiny corpus of invented articles: a question about a
 * fact the story reports is answered; one that names the same people but asks what the story
 * does not report (a grade, a salary) is declined, and its features say why.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { AnswerEngine, type ConfidenceFeatures } from "../../src/search/answer-engine.js";
import { answerTypeOf } from "../../src/search/answer-type.js";
import { askedUnit, asksLive, questionNumbers } from "../../src/search/story-gate.js";
import { ATHLETE, MAYOR, TEACHERS, WEATHER } from "./fixtures.js";

let engine: AnswerEngine;
beforeAll(() => {
  engine = AnswerEngine.fromArticles([ATHLETE, MAYOR, WEATHER, TEACHERS], { now: () => new Date("2025-06-10T12:00:00Z") });
});

const top = (question: string): ConfidenceFeatures => {
  const best = engine.explain(question)[0];
  if (!best) throw new Error(`no candidate for ${question}`);
  return best.features;
};

describe("the decline gate's story features", () => {
  it("are all in 0…1", () => {
    for (const q of [
      "Ce notă a luat Ioana Mureșan la bacalaureat?",
      "Cât au costat lucrările la podul din Bistrița?",
      "Ce e nou?",
    ]) {
      for (const [name, v] of Object.entries(top(q))) {
        expect(v, name).toBeGreaterThanOrEqual(0);
        expect(v, name).toBeLessThanOrEqual(1 + 1e-9);
      }
    }
  });

  it("askedNear: a number beside the detail asked is there; no number about the grade", () => {
    // "costat" stands beside "12 milioane": the amount asked for is reported.
    expect(top("Cât au costat lucrările la podul din Bistrița?").askedNear).toBeGreaterThan(0.5);
    // "bacalaureat" is in the story, but no number stands near it: the grade is not reported.
    expect(top("Ce notă a luat Ioana Mureșan la bacalaureat?").askedNear).toBe(0);
    // Untyped: the detail's words in one sentence are enough.
    expect(top("Ce studiază Ioana Mureșan?").askedNear).toBeGreaterThan(0.5);
  });

  it("namesHeld: the best candidate's article holds every name the question names", () => {
    expect(engine.explain("Ce salariu are Vasile Rus?")[0]!.namesHeld).toBe(true);
    expect(engine.explain("Ce salariu are Vasile Rus la Cluj?")[0]!.namesHeld).toBe(false);
    // A question without names is about no one in particular.
    expect(engine.explain("cati litri de ploaie au cazut?")[0]!.namesHeld).toBe(false);
  });

  it("otherArticle: the question's words beyond its names that the article holds", () => {
    expect(top("Ce salariu are primarul Vasile Rus?").otherArticle).toBeLessThan(1);
    expect(top("Cât au costat lucrările la podul din Bistrița?").otherArticle).toBe(1);
  });
});

describe("the decline gate's second-round features", () => {
  it("detailAbsent: the question's detail words the story holds nowhere, not even inflected", () => {
    // "salariu" is nowhere in the mayor's story.
    expect(
      engine.explain("Ce salariu are primarul Vasile Rus?").find((c) => c.passage.article.id === "primar")!.features.detailAbsent,
    ).toBe(1);
    expect(top("Cât au costat lucrările la podul din Bistrița?").detailAbsent).toBe(0);
    // "antrenat" (the story's "s-a antrenat") and "antrenorul": one inflection prefix, held.
    expect(top("Cu ce antrenori s-a pregătit Ioana Mureșan?").detailAbsent).toBeLessThan(1);
  });

  it("numberAbsent: a number the question writes that the story does not (another year's contest)", () => {
    expect(top("Cine a câștigat campionatul național la sărituri în 2019?").numberAbsent).toBe(1);
    expect(top("Cât au costat lucrările la podul construit în 14 luni?").numberAbsent).toBe(0);
    expect(top("Cât au costat lucrările la podul din Bistrița?").numberAbsent).toBe(0);
    expect(questionNumbers("Câți lei, 4.500 sau 12, în 2025?")).toEqual(["4.500", "12", "2025"]);
  });

  it("live: a question about the present moment, not about a time ago", () => {
    for (const q of [
      "Cât e cursul euro azi?",
      "Unde e acum Vasile Rus?",
      "Ce salariu are în prezent?",
      "Câte goluri a dat anul acesta?",
    ])
      expect(asksLive(q), q).toBe(true);
    for (const q of [
      "Ce a spus acum doi ani?",
      "Ce s-a întâmplat acum 3 luni?",
      "Cine a câștigat anul trecut?",
      "Ce a inaugurat primarul?",
    ])
      expect(asksLive(q), q).toBe(false);
    expect(top("Cât plouă azi la Timișoara?").live).toBe(1);
  });
});

describe("unitUncounted: a count of what the question asks", () => {
  const unit = (q: string) => askedUnit(q, answerTypeOf(q));

  it("reads what a count question counts", () => {
    expect(unit("Câți ani are Vasile Rus?")).toEqual({ money: false, prefixes: ["an"] });
    expect(unit("ce varsta are primarul")).toEqual({ money: false, prefixes: ["an"] });
    expect(unit("Câte trofee a câștigat echipa?")).toEqual({ money: false, prefixes: ["trofe"] });
    expect(unit("Ce salariu are primarul?")).toEqual({ money: true });
    expect(unit("Câți bani a primit?")).toEqual({ money: true });
    expect(unit("Câte persoane au venit?")).toEqual(unit("Câți oameni au venit?"));
    expect(unit("Cât a câștigat la loz?")).toEqual({ money: true });
    // No count asked, or no word for what is counted.
    expect(unit("Cât de lung e podul?")).toBeNull();
    expect(unit("Câți au venit la inaugurare?")).toBeNull();
    expect(unit("De câte ori a câștigat echipa campionatul?")).toBeNull();
    expect(unit("Cât timp a durat șantierul?")).toBeNull();
    expect(unit("Unde a fost inaugurat podul?")).toBeNull();
  });

  it("is 1 when the story names it but no number counts it, 0 when one does or it is never named", () => {
    // "de 19 ani": the athlete's age is reported; no sum of money is.
    expect(top("Câți ani are Ioana Mureșan?").unitUncounted).toBe(0);
    expect(top("Ce salariu are Ioana Mureșan?").unitUncounted).toBe(1);
    // The story names a title but counts none.
    expect(top("Câte titluri a câștigat Ioana Mureșan?").unitUncounted).toBe(1);
    // The bridge's story never names lanes: it might count them in other words.
    expect(top("Câte benzi are podul din Bistrița?").unitUncounted).toBe(0);
    expect(top("Cât au costat lucrările la podul din Bistrița?").unitUncounted).toBe(0);
    expect(top("Câte luni a durat construcția podului din Bistrița?").unitUncounted).toBe(0);
    // A question that names no unit.
    expect(top("Unde a câștigat Ioana Mureșan titlul?").unitUncounted).toBe(0);
  });
});

describe("declining what the articles do not say (shipped gate)", () => {
  it("answers what the story reports about a person", () => {
    const a = engine.ask("La ce facultate studiază Ioana Mureșan?");
    expect(a.found).toBe(true);
    expect(a.quotes[0]!.text).toContain("Facultatea de Educație Fizică");
  });

  it("declines a question that names the same person but asks an unreported fact, and names the related story", () => {
    const a = engine.ask("Ce notă a luat Ioana Mureșan la bacalaureat?");
    expect(a.found).toBe(false);
    expect(a.reason).toBe("no-match");
    expect(a.related?.id).toBe("atleta");
  });

  it("names the related story when the person is typed in lower case, without diacritics", () => {
    const a = engine.ask("ce nota a luat ioana muresan la bacalaureat");
    expect(a.found).toBe(false);
    expect(a.related?.id).toBe("atleta");
  });

  it("names the story a declined question is about even when it holds little of the rest", () => {
    // Only the name is in the story (prominent: in the title, written again in the text).
    const a = engine.ask("Câte medalii olimpice are Ioana Mureșan la patinaj artistic?");
    expect(a.found).toBe(false);
    expect(a.related?.id).toBe("atleta");
  });

  it("names no related story when a capitalised name of the question is not in it", () => {
    const a = engine.ask("Ce notă a luat Andrei Mureșan la bacalaureat?");
    expect(a.related).toBeUndefined();
  });

  it("names no related story for a question about nothing indexed", () => {
    const a = engine.ask("Cum se face o tartă cu lămâie?");
    expect(a.found).toBe(false);
    expect(a.related).toBeUndefined();
  });
});
