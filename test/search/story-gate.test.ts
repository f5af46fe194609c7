/**
 * The decline gate's story features, on a tiny corpus of invented articles: a question about a
 * fact the story reports is answered; one that names the same people but asks what the story
 * does not report (a grade, a salary) is declined, and its features say why.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { AnswerEngine, type ConfidenceFeatures } from "../../src/search/answer-engine.js";
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

  it("names no related story for a question about nothing indexed", () => {
    const a = engine.ask("Cum se face o tartă cu lămâie?");
    expect(a.found).toBe(false);
    expect(a.related).toBeUndefined();
  });
});
