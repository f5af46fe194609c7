import { describe, expect, it } from "vitest";
import { askedKindOf } from "../../src/conversation/asked-kind.js";
import {
  HAND_STORY_TUNING,
  searchStory,
  storyCandidates,
  type StoryQuery,
  storyScore,
  type StoryTuning,
} from "../../src/conversation/story-search.js";
import { termOf } from "../../src/text/analyzer.js";
import { CASHIER } from "./story-fixtures.js";

const idf = () => 1;
const terms = (...words: string[]) => words.map((w) => termOf(w)).filter((t): t is string => t !== null);
const lead = CASHIER.body.indexOf("\n");
const query = (question: string, own: string[], shown: string[] = []): StoryQuery => ({
  question,
  ownTerms: terms(...own),
  topicTerms: terms("casierul", "Brăila", "seif", "lei"),
  kind: askedKindOf(question),
  shown,
});

describe("searchStory", () => {
  it("answers a 'why' from the sentence that gives a cause, though it shares no word with the question", () => {
    const r = searchStory([CASHIER], query("și de ce a făcut asta?", [], [`${CASHIER.id}#0#${lead}`]), idf);
    expect(r.quotes[0]?.text).toContain("pentru că avea datorii");
    expect(CASHIER.body).toContain(r.quotes[0]!.text);
    expect(r.fit).toBe(1);
  });

  it("answers a 'where' from the sentence holding the follow-up's own word and a place", () => {
    const r = searchStory([CASHIER], query("unde l-au prins?", ["prins"]), idf);
    expect(r.quotes[0]?.text).toContain("Galați");
    expect(r.fit).toBe(1);
    expect(r.storyShare).toBe(1);
  });

  it("says how little of the follow-up the story holds when it doesn't hold its words", () => {
    const r = searchStory([CASHIER], query("și cât costă biletul la meci?", ["biletul", "meci"]), idf);
    expect(r.storyShare).toBe(0);
    expect(r.fit).toBe(0);
  });
});

describe("storyCandidates", () => {
  const features = (question: string, own: string[], shown: string[] = [], topicText?: string) => {
    const q = { ...query(question, own, shown), ...(topicText ? { topicText } : {}) };
    return storyCandidates([CASHIER], q, idf).candidates.map((c) => ({
      text: CASHIER.body.slice(c.span.start, c.span.end),
      f: c.features,
    }));
  };
  const of = (list: ReturnType<typeof features>, part: string) => list.find((c) => c.text.includes(part))!.f;

  it("credits a follow-up's word met only as another inflection, apart from an exact match", () => {
    // "prinsese" (pluperfect) and the sentence's "prins" stem apart but start alike.
    const list = features("când îl prinseseră?", ["prinseseră"]);
    expect(of(list, "Galați").loose).toBeGreaterThan(0);
    expect(of(list, "Galați").own).toBe(0);
    expect(of(list, "Patronul").loose).toBe(0);
  });

  it("tells the quote the previous answer opened with from its further quotes", () => {
    const second = CASHIER.body.indexOf("Bărbatul");
    const end = CASHIER.body.indexOf("\n", second);
    const list = features("și de ce?", [], [`${CASHIER.id}#0#${lead}`, `${CASHIER.id}#${second}#${end}`]);
    expect(of(list, "34 de ani")).toMatchObject({ answered: 1, seen: 0 });
    expect(of(list, "datorii")).toMatchObject({ answered: 0, seen: 1 });
    expect(of(list, "Galați")).toMatchObject({ answered: 0, seen: 0 });
  });

  it("a name the topic already gives is not the name a 'who' follow-up asks for", () => {
    const story = {
      ...CASHIER,
      id: "test/named",
      body: "Casierul Ion Pop din Brăila a fost reținut.\n\nPatronul Mihai Stan a sunat la poliție.",
    };
    const q = (topicText?: string) => ({ ...query("cine a sunat?", ["sunat"]), ...(topicText ? { topicText } : {}) });
    const kinds = (topicText?: string) => storyCandidates([story], q(topicText), idf).candidates.map((c) => c.features.kind);
    expect(kinds()).toEqual([1, 1]);
    expect(kinds("casierul Ion Pop Brăila")).toEqual([0, 1]);
  });

  it("scores a sentence as the weighted sum of its features", () => {
    const f = of(features("unde l-au prins?", ["prins"]), "Galați");
    const only = (k: keyof typeof f) =>
      storyScore(f, Object.fromEntries(Object.keys(f).map((x) => [x, x === k ? 2 : 0])) as StoryTuning);
    expect(only("own")).toBe(2 * f.own);
    expect(storyScore(f, HAND_STORY_TUNING)).toBeCloseTo(
      Object.entries(f).reduce((a, [k, v]) => a + HAND_STORY_TUNING[k as keyof typeof f] * v, 0),
    );
  });
});
