import { describe, expect, it } from "vitest";
import { ConversationStore } from "../../src/storage/conversation-store.js";
import { openDatabase } from "../../src/storage/database.js";

const DAY = 86_400_000;

describe("ConversationStore", () => {
  it("links answer messages to their question and its state", () => {
    const store = new ConversationStore(openDatabase(":memory:"));
    const id = store.recordQuestion({ askedAt: 1, chatType: "private", lang: "ro", kind: "new", found: true, question: "Ce?", state: { search: { query: "Ce?" } } });
    store.recordAnswerMessage(10, 100, id);
    store.recordAnswerMessage(10, 101, id);
    expect(store.findAnswer(10, 101)).toEqual({ questionId: id, question: "Ce?", state: { search: { query: "Ce?" } } });
    expect(store.findAnswer(10, 102)).toBeUndefined();
    expect(store.findAnswer(11, 100)).toBeUndefined();
  });

  it("counts questions, answers, follow-ups, inline use and the latest vote of each user", () => {
    const store = new ConversationStore(openDatabase(":memory:"));
    const now = 100 * DAY;
    const ask = (kind: "new" | "follow-up" | "inline", found: boolean, askedAt = now) =>
      store.recordQuestion({ askedAt, chatType: kind === "inline" ? "inline" : "private", lang: "ro", kind, found, question: "q" });
    const a = ask("new", true);
    ask("follow-up", true);
    ask("inline", false);
    ask("new", false, now - 8 * DAY);
    store.recordAnswerMessage(1, 5, a);
    store.recordFeedback(1, 5, 7, 1, now);
    store.recordFeedback(1, 5, 7, -1, now);
    store.recordFeedback(1, 5, 8, 1, now);
    expect(store.stats(now)).toEqual({ questions: 4, questionsLast7Days: 3, answered: 2, followUps: 1, inline: 1, up: 1, down: 1 });
    expect(new ConversationStore(openDatabase(":memory:")).stats(now)).toEqual({
      questions: 0, questionsLast7Days: 0, answered: 0, followUps: 0, inline: 0, up: 0, down: 0,
    });
  });
});
