import { describe, expect, it } from "vitest";
import { askedKindOf } from "../../src/conversation/asked-kind.js";
import { searchStory, type StoryQuery } from "../../src/conversation/story-search.js";
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
