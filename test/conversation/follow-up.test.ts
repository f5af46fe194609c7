/** Follow-up detection and resolution, without Telegram and without an engine. */
import { describe, expect, it } from "vitest";
import {
  contextFromQuestion,
  decideTurn,
  markersOf,
  type TurnEvidence,
  keywordsOf,
  MAX_KEYWORDS,
  mergeKeywords,
  nextContext,
  questionWordOf,
  resolveTurn,
  type TopicContext,
} from "../../src/conversation/follow-up.js";
import { analyze } from "../../src/text/analyzer.js";

const STORY = `Belarusul şi Iranul vor un tratat de parteneriat strategic, au declarat preşedinţii Lukaşenko şi
Pezeshkian la Minsk. Pezeshkian a spus că ţările sunt sub sancţiuni occidentale ilegale. Lukaşenko a permis Rusiei să
folosească teritoriul belarus.`;
const storyTerms = new Set(analyze(STORY));
const storyHas = (term: string) => storyTerms.has(term);

const minsk: TopicContext = {
  ...contextFromQuestion("Ce au discutat Lukașenko și Pezeshkian la Minsk?", ["g4/belarus-iran"]),
  shown: ["g4/belarus-iran#0#120"],
};

describe("resolveTurn", () => {
  it("without a context, every question is new and searched as typed", () => {
    const r = resolveTurn("Și ce a spus Pezeshkian?", null);
    expect(r).toMatchObject({ kind: "new", query: "Și ce a spus Pezeshkian?", contextWords: [], preferArticles: [] });
  });

  it("a pronoun or ellipsis follows up: the previous key words are added and the previous articles preferred", () => {
    for (const q of ["Și ce a spus Pezeshkian?", "Și el?", "când s-a întâmplat?", "de ce?"]) {
      const r = resolveTurn(q, minsk, { storyHas });
      expect(r.kind, q).toBe("follow-up");
      expect(r.preferArticles, q).toEqual(["g4/belarus-iran"]);
      expect(r.contextWords.length, q).toBeGreaterThan(0);
    }
    const r = resolveTurn("Și ce a spus Pezeshkian?", minsk, { storyHas });
    // Its own words are not repeated as context.
    expect(r.contextWords).toEqual(["discutat", "Lukașenko", "Minsk"]);
    expect(r.query).toBe("Și ce a spus Pezeshkian?");
  });

  it("what the question adds may be in the story rather than in the previous question", () => {
    const r = resolveTurn("Și despre sancțiuni?", minsk, { storyHas });
    expect(r).toMatchObject({ kind: "follow-up", reason: "marked" });
    // Unmarked, but everything it names is in the story: the story is preferred.
    expect(resolveTurn("Ce a permis Lukașenko Rusiei?", minsk, { storyHas })).toMatchObject({
      kind: "follow-up",
      reason: "same-story",
    });
  });

  it("a self-contained question on a new topic is a switch: searched exactly as typed", () => {
    for (const q of [
      "Cine a construit bomba de la Lockerbie?",
      "Și cine a câștigat Super Bowl XLIX?",
      "Dar ce a spus Manfred Weber despre Schengen?",
      "când s-a deschis piața grainger din newcastle?",
    ]) {
      const r = resolveTurn(q, minsk, { storyHas });
      expect(r, q).toMatchObject({ kind: "switch", query: q, contextWords: [], preferArticles: [], skipShown: [] });
    }
  });

  it("a reply to one of the bot's answers always follows up", () => {
    const r = resolveTurn("Cine a construit bomba de la Lockerbie?", minsk, { reply: true, storyHas });
    expect(r).toMatchObject({ kind: "follow-up", reason: "reply" });
  });

  it('"mai mult" repeats the previous search without the quotes already shown', () => {
    for (const q of ["mai mult", "Mai multe!", "și altceva?", "continuă"]) {
      const r = resolveTurn(q, minsk, { storyHas });
      expect(r, q).toMatchObject({ kind: "follow-up", reason: "more", query: minsk.query, skipShown: minsk.shown });
    }
    expect(resolveTurn("Ce a mai spus Lukașenko?", minsk, { storyHas }).skipShown).toEqual(minsk.shown);
    // A superlative is not "more".
    expect(resolveTurn("Care este cel mai mare oraș din Kenya?", minsk, { storyHas }).skipShown).toEqual([]);
  });

  it('"Dar de X?" asks the previous question again: its question word is carried', () => {
    const scheele = contextFromQuestion("Când a fost oxigenul descoperit de Carl Wilhelm Scheele?", ["xquad/12/0"]);
    const r = resolveTurn("Dar de Joseph Priestley?", scheele, { storyHas: (t) => ["joseph", "priestley"].includes(t) });
    expect(r.kind).toBe("follow-up");
    expect(r.query).toBe("Dar de Joseph Priestley? cand");
  });
});

describe("the context a turn leaves", () => {
  it("a follow-up keeps the topic's key words (newest first); a switch starts over", () => {
    const r = resolveTurn("Și ce a spus Pezeshkian despre sancțiuni?", minsk, { storyHas });
    const after = nextContext("Și ce a spus Pezeshkian despre sancțiuni?", r, minsk, {
      articleIds: ["g4/belarus-iran"],
      quoteKeys: ["g4/belarus-iran#200#300"],
    });
    expect(after.keywords).toEqual(["Pezeshkian", "sancțiuni", "discutat", "Lukașenko", "Minsk"]);
    expect(after.contextWords).toEqual(r.contextWords);
    const switched = resolveTurn("Cine a construit bomba de la Lockerbie?", after, { storyHas });
    const fresh = nextContext("Cine a construit bomba de la Lockerbie?", switched, after, {
      articleIds: ["digi/5"],
      quoteKeys: ["digi/5#0#100"],
    });
    expect(fresh).toMatchObject({
      keywords: ["construit", "bomba", "Lockerbie"],
      articleIds: ["digi/5"],
      shown: ["digi/5#0#100"],
      questionWord: "cine",
    });
  });

  it("key words are merged by term and capped", () => {
    expect(mergeKeywords(["Iranul", "tratat"], ["Iran", "Minsk"])).toEqual(["Iranul", "tratat", "Minsk"]);
    expect(mergeKeywords(keywordsOf("unu doi trei patru cinci sase sapte opt noua zece unsprezece"), [])).toHaveLength(
      MAX_KEYWORDS,
    );
  });

  it("question words are read past an opening conjunction", () => {
    expect(questionWordOf("Și în ce an?")).toBe("ce");
    expect(questionWordOf("Dar de ce?")).toBe("de ce");
    expect(questionWordOf("Când a murit?")).toBe("cand");
    expect(questionWordOf("Lukașenko și Iranul")).toBeUndefined();
  });
});

describe("decideTurn", () => {
  const evidence = (over: Partial<TurnEvidence> = {}): TurnEvidence => ({
    reply: false,
    markers: markersOf("și unde?"),
    ownCount: 1,
    newName: false,
    storyShare: 1,
    storyFit: 1,
    novelty: 0,
    alone: { found: true, confidence: 0.9, coverage: 1, inStory: false },
    ...over,
  });

  it("continues the story when the turn adds nothing the story lacks, or nothing at all", () => {
    expect(decideTurn(evidence()).kind).toBe("follow-up");
    expect(decideTurn(evidence({ ownCount: 0 })).reason).toBe("ellipsis");
    expect(
      decideTurn(evidence({ novelty: 0.4, alone: { found: false, confidence: 0, coverage: 0, inStory: false } })).reason,
    ).toBe("no-story-of-its-own");
  });

  it("switches on a new name or on enough words of its own, whatever it shares with the story", () => {
    expect(decideTurn(evidence({ newName: true }))).toEqual({ kind: "switch", reason: "new-topic" });
    expect(decideTurn(evidence({ novelty: 2.5 }), { novelty: 1, markedNovelty: 2 }).kind).toBe("switch");
    expect(decideTurn(evidence({ novelty: 0.9 }), { novelty: 1, markedNovelty: 1 }).kind).toBe("follow-up");
  });

  it("a turn opening with și/dar or holding a pronoun needs more new words to be a switch", () => {
    const tuning = { novelty: 1, markedNovelty: 2 };
    const plain = { markers: markersOf("la ce firmă de curierat lucra bărbatul?") };
    const marked = { markers: markersOf("și la ce firmă de curierat lucra bărbatul?") };
    expect(decideTurn(evidence({ ...plain, novelty: 1.5 }), tuning).kind).toBe("switch");
    expect(decideTurn(evidence({ ...marked, novelty: 1.5 }), tuning).kind).toBe("follow-up");
    expect(decideTurn(evidence({ ...marked, novelty: 2.5 }), tuning).kind).toBe("switch");
    expect(decideTurn(evidence({ ...marked, newName: true }), tuning).kind).toBe("switch");
  });

  it("a turn that finds nothing alone continues the story when marked, however new its words, or when it adds one word", () => {
    const nothingAlone = { alone: { found: false, confidence: 0, coverage: 0, inStory: false } };
    const marked = { markers: markersOf("și când a fost vizita?"), novelty: 1.5, ...nothingAlone };
    expect(decideTurn(evidence(marked)).reason).toBe("no-story-of-its-own");
    // Unmarked with one new word (a verb: "unde s-au întâlnit?"): still no story of its own.
    const unmarked = { ...marked, markers: markersOf("unde s-au întâlnit?"), novelty: 1 };
    expect(decideTurn(evidence(unmarked)).reason).toBe("no-story-of-its-own");
    // Unmarked with several new words, or found alone, or naming something new: a question of its own.
    expect(
      decideTurn(evidence({ ...unmarked, markers: markersOf("care e rețeta de sarmale a bunicii?"), novelty: 2.5 })).kind,
    ).toBe("switch");
    expect(decideTurn(evidence({ ...marked, alone: { found: true, confidence: 0.9, coverage: 1, inStory: false } })).kind).toBe(
      "switch",
    );
    expect(decideTurn(evidence({ ...marked, newName: true })).kind).toBe("switch");
  });

  it("a reply always continues the replied answer", () => {
    expect(decideTurn(evidence({ reply: true, newName: true, novelty: 5 })).reason).toBe("reply");
  });
});
