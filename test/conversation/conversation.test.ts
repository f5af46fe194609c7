/** A conversation over a real engine: follow-ups find the new thing in the old story; switches stay clean. */
import { beforeAll, describe, expect, it } from "vitest";
import { Conversation, quoteKey } from "../../src/conversation/conversation.js";
import { AnswerEngine } from "../../src/search/answer-engine.js";
import { FRIENDLY_ARTICLES, loadSeedArticles, SEED_QUESTION } from "../bot/fixtures.js";
import { BAKER, BAKER_ARTICLES, BAKER_QUESTION, CASHIER, CASHIER_QUESTION, STORY_ARTICLES } from "./story-fixtures.js";

let conversation: Conversation;
beforeAll(async () => {
  conversation = new Conversation(AnswerEngine.fromArticles([...(await loadSeedArticles()), ...FRIENDLY_ARTICLES]));
});

describe("Conversation", () => {
  it("a follow-up is answered from the previous story, without repeating the quote already seen", () => {
    const first = conversation.ask(SEED_QUESTION, null);
    expect(first.resolution.kind).toBe("new");
    const second = conversation.ask("Și ce a spus Pezeshkian?", first.context);
    expect(second.resolution.kind).toBe("follow-up");
    expect(second.groups[0]?.quote.text).toMatch(/Pezeshkian/);
    expect(quoteKey(second.groups[0]!)).not.toBe(first.context.shown[0]);
    expect(second.context.keywords).toContain("Pezeshkian");
  });

  it("a follow-up's further quotes bring what the previous answer did not show", () => {
    const first = conversation.ask(SEED_QUESTION, null);
    expect(first.context.shown.length).toBeGreaterThan(1);
    const when = conversation.ask("și când au discutat?", first.context);
    expect(when.resolution.kind).toBe("follow-up");
    expect(when.groups.length).toBeGreaterThan(1);
    for (const g of when.groups.slice(1)) expect(first.context.shown).not.toContain(quoteKey(g));
  });

  it("an ellipsis that has no words of its own is searched on the topic", () => {
    const first = conversation.ask("Ce i-a permis Lukașenko Rusiei?", null);
    const second = conversation.ask("de ce?", first.context);
    expect(second.answer.found).toBe(true);
    expect(second.groups[0]?.quote.article.id).toBe(first.groups[0]?.quote.article.id);
  });

  it('"mai mult" shows what was not shown yet', () => {
    const first = conversation.ask(SEED_QUESTION, null);
    const more = conversation.ask("mai mult", first.context);
    expect(more.resolution.reason).toBe("more");
    for (const g of more.groups) expect(first.context.shown).not.toContain(quoteKey(g));
  });

  it("a new topic is searched on its own and answered from its own articles", () => {
    const first = conversation.ask(SEED_QUESTION, null);
    const second = conversation.ask("Cât costă reparațiile podului de la Giurgiu?", first.context);
    expect(second.resolution.kind).toBe("switch");
    expect(second.groups[0]?.quote.article.id).toMatch(/^local\/pod/);
    expect(second.context.keywords).not.toContain("Belarusul");
  });
});

describe("Conversation inside a story", () => {
  let story: Conversation;
  beforeAll(() => {
    story = new Conversation(AnswerEngine.fromArticles(STORY_ARTICLES));
  });

  it("a follow-up with only generic words is answered from the whole story, with the kind of answer it asks for", () => {
    const first = story.ask(CASHIER_QUESTION, null);
    expect(first.groups[0]?.quote.article.id).toBe(CASHIER.id);
    const why = story.ask("și de ce a făcut asta?", first.context);
    expect(why.resolution.kind).toBe("follow-up");
    expect(why.outsideStory).toBeUndefined();
    expect(why.groups[0]?.quote.text).toContain("pentru că avea datorii");
    const where = story.ask("unde l-au prins?", why.context);
    expect(where.groups[0]?.quote.text).toContain("Galați");
  });

  it("a declined question about a covered person keeps that story as the topic: the next turn continues it", () => {
    const declined = story.ask("ce pedeapsa a primit dobre pentru blaturi", null);
    expect(declined.groups).toEqual([]);
    expect(declined.answer.related?.id).toBe("test/fundas");
    expect(declined.context.articleIds).toEqual(["test/fundas"]);
    const team = story.ask("și la ce echipă a jucat?", declined.context);
    expect(team.resolution.kind).toBe("follow-up");
    expect(team.groups[0]?.quote.text).toContain("Dinamo");
  });

  it("a declined question about the story the conversation is on leaves the conversation as it was", () => {
    const first = story.ask("De ce s-a retras fundașul Ionel Dobre?", null);
    expect(first.groups[0]?.quote.article.id).toBe("test/fundas");
    const declined = story.ask("Ce notă a luat Ionel Dobre la bacalaureat?", first.context);
    expect(declined.groups).toEqual([]);
    expect(declined.answer.related?.id).toBe("test/fundas");
    expect(declined.context).toEqual(first.context);
  });

  it("leaves the story only when it doesn't hold the follow-up's words and another article does, and says so", () => {
    const first = story.ask(CASHIER_QUESTION, null);
    const other = story.ask("și paguba?", first.context);
    expect(other.resolution.kind).toBe("follow-up");
    expect(other.outsideStory).toBe(true);
    expect(other.groups[0]?.quote.article.id).toBe("test/casier-2");
  });

  it("leaves the story for the same story told elsewhere even when the topic's words find nothing there", () => {
    const baker = new Conversation(AnswerEngine.fromArticles([...BAKER_ARTICLES, ...STORY_ARTICLES]));
    const first = baker.ask(BAKER_QUESTION, null);
    expect(first.groups[0]?.quote.article.id).toBe(BAKER.id);
    const loss = baker.ask("și cât a fost paguba?", first.context);
    expect(loss.resolution.kind).toBe("follow-up");
    expect(loss.outsideStory).toBe(true);
    expect(loss.groups[0]?.quote.text).toContain("4.000 de lei");
    // A word the story holds keeps the answer inside it.
    const where = baker.ask("unde l-au găsit?", first.context);
    expect(where.outsideStory).toBeUndefined();
    expect(where.groups[0]?.quote.text).toContain("Mediaș");
  });

  it("a question with a new name is a switch, searched as typed", () => {
    const first = story.ask(CASHIER_QUESTION, null);
    const other = story.ask("De ce se retrage fundașul Ionel Dobre?", first.context);
    expect(other.resolution.kind).toBe("switch");
    expect(other.search.contextWords ?? []).toEqual([]);
    expect(other.groups[0]?.quote.article.id).toBe("test/fundas");
  });

  it("after a declined question, a follow-up has no story: it is not searched on its generic words", () => {
    const first = story.ask("Care este rețeta de sarmale a bunicii?", null);
    expect(first.answer.found).toBe(false);
    const why = story.ask("și de ce?", first.context);
    expect(why.noStory).toBe(true);
    expect(why.groups).toEqual([]);
  });

  it("after a declined question, a question that finds its answer alone is answered, not refused", () => {
    // Read as a follow-up whatever its words (in a large index, common words add little novelty).
    const lenient = new Conversation(AnswerEngine.fromArticles(STORY_ARTICLES), undefined, {
      recognition: { novelty: 100, markedNovelty: 100 },
    });
    const first = lenient.ask("Care este rețeta de sarmale a bunicii?", null);
    expect(first.answer.found).toBe(false);
    expect(lenient.ask("și de ce?", first.context).noStory).toBe(true);
    const own = lenient.ask("de ce se retrage fundasul dupa unsprezece sezoane", first.context);
    expect(own.noStory).toBeUndefined();
    expect(own.groups[0]?.quote.article.id).toBe("test/fundas");
  });
});

describe("a stored search from the database", () => {
  it("a damaged in-story search is run as the plain question instead of failing", () => {
    const c = new Conversation(AnswerEngine.fromArticles(STORY_ARTICLES));
    const damaged = { story: { question: "unde?", ownTerms: "x", articleIds: null } } as unknown as Parameters<
      Conversation["search"]
    >[1];
    const result = c.search(CASHIER_QUESTION, damaged);
    expect(result.groups[0]?.quote.article.id).toBe(CASHIER.id);
  });
});
