/**
 * Privacy by default: questions, votes and the answer-message links (which hold the private
 * chat's id, i.e. the user's) are deleted after QUESTION_RETENTION_DAYS; expired sessions are
 * deleted even when nobody writes. Asked through the real bot, on a controlled clock.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createMemoryLogger } from "../../src/logger.js";
import type { AnswerEngine } from "../../src/search/answer-engine.js";
import { ConversationStore } from "../../src/storage/conversation-store.js";
import { openDatabase, type Db } from "../../src/storage/database.js";
import { DAY_MS, pruneExpiredData, startRetention } from "../../src/storage/retention.js";
import { pruneSessions, SqliteSessionStorage } from "../../src/storage/session-storage.js";
import { SEED_QUESTION, seedEngine } from "../bot/fixtures.js";
import { createHarness, PRIVATE_CHAT } from "../bot/harness.js";

let engine: AnswerEngine;
beforeAll(async () => {
  engine = await seedEngine();
});

const T0 = Date.UTC(2026, 0, 1, 12);
const count = (db: Db, table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
const privateRows = (db: Db) => ({ questions: count(db, "questions"), answerMessages: count(db, "answer_messages"), votes: count(db, "feedback") });

describe("question retention", () => {
  it("a question, its answer link and its vote are gone after the retention, kept before it", async () => {
    const db = openDatabase(":memory:");
    let now = T0;
    const h = createHarness(engine, { db, now: () => new Date(now) });
    await h.send(SEED_QUESTION);
    await h.press("fb:up", h.lastSent);
    now = T0 + 20 * DAY_MS;
    await h.send("Ce a spus Lukașenko la Minsk?");
    expect(privateRows(db)).toEqual({ questions: 2, answerMessages: 2, votes: 1 });
    expect(db.prepare("SELECT chat_id FROM answer_messages").all()).toContainEqual({ chat_id: PRIVATE_CHAT.id });

    const logger = createMemoryLogger();
    // Day 29 of the first question: nothing is old enough.
    expect(pruneExpiredData({ db, logger, retentionDays: 30, now: () => T0 + 29 * DAY_MS })).toEqual({ questions: 0, answerMessages: 0, votes: 0, sessions: 0 });
    expect(privateRows(db)).toEqual({ questions: 2, answerMessages: 2, votes: 1 });
    // Day 31: the first question, its answer link and its vote go; the second stays.
    pruneExpiredData({ db, logger, retentionDays: 30, now: () => T0 + 31 * DAY_MS });
    expect(privateRows(db)).toEqual({ questions: 1, answerMessages: 1, votes: 0 });
    expect(logger.lines.join("\n")).toMatch(/privacy: deleted 1 questions, 1 answer links and 1 votes older than 30 days/);
    // Day 51: everything.
    pruneExpiredData({ db, logger, retentionDays: 30, now: () => T0 + 51 * DAY_MS });
    expect(privateRows(db)).toEqual({ questions: 0, answerMessages: 0, votes: 0 });
  });

  it("a vote cast recently on an old answer goes with the old question", () => {
    const db = openDatabase(":memory:");
    const store = new ConversationStore(db);
    const q = store.recordQuestion({ askedAt: T0, chatType: "private", lang: "ro", kind: "new", found: true, question: "q" });
    store.recordAnswerMessage(5, 50, q);
    expect(store.recordFeedback(5, 50, 5, 1, T0 + 29 * DAY_MS)).toBe(true);
    expect(store.pruneExpired(T0 + 1)).toEqual({ questions: 1, answerMessages: 1, votes: 1 });
    // And once the answer link is gone, the button takes no vote.
    expect(store.recordFeedback(5, 50, 5, 1, T0 + 31 * DAY_MS)).toBe(false);
    expect(privateRows(db)).toEqual({ questions: 0, answerMessages: 0, votes: 0 });
  });

  it("runs the other stores' prunes with the same clock", () => {
    const seen: number[] = [];
    pruneExpiredData({ db: openDatabase(":memory:"), logger: createMemoryLogger(), retentionDays: 30, now: () => T0, alsoPrune: [(now) => seen.push(now)] });
    expect(seen).toEqual([T0]);
  });

  it("the job runs at start and then on its interval; a failure is a warning", async () => {
    const db = openDatabase(":memory:");
    const store = new ConversationStore(db);
    let now = T0;
    store.recordQuestion({ askedAt: T0 - 40 * DAY_MS, chatType: "private", lang: "ro", kind: "new", found: true, question: "old" });
    const logger = createMemoryLogger();
    const job = startRetention({ db, logger, retentionDays: 30, now: () => now, intervalMs: 20 });
    expect(count(db, "questions")).toBe(0); // at start
    store.recordQuestion({ askedAt: T0, chatType: "private", lang: "ro", kind: "new", found: true, question: "new" });
    now = T0 + 31 * DAY_MS;
    await new Promise((r) => setTimeout(r, 100));
    expect(count(db, "questions")).toBe(0); // on the interval, with nobody asking anything
    db.exec("DROP TABLE feedback");
    await new Promise((r) => setTimeout(r, 60));
    job.stop();
    expect(logger.lines.some((l) => /^warn privacy: deleting expired questions and votes failed/.test(l))).toBe(true);
  });
});

describe("session expiry", () => {
  it("expired sessions are deleted by the periodic prune, without any write", () => {
    const db = openDatabase(":memory:");
    const storage = new SqliteSessionStorage<{ __d: number; e?: number }>(db, () => T0);
    storage.write("1000", { __d: 1, e: T0 + 30 * 60_000 });
    storage.write("-5:7", { __d: 2, e: T0 + 60 * 60_000 });
    storage.write("legacy", { __d: 3 }); // no expiry: a day after its last write
    expect(pruneExpiredData({ db, logger: createMemoryLogger(), retentionDays: 30, now: () => T0 + 31 * 60_000 }).sessions).toBe(1);
    expect((db.prepare("SELECT key FROM sessions ORDER BY key").all() as { key: string }[]).map((r) => r.key)).toEqual(["-5:7", "legacy"]);
    expect(pruneSessions(db, T0 + DAY_MS + 1)).toBe(2);
    expect(count(db, "sessions")).toBe(0);
  });

  it("a value that is not JSON is deleted, not a crash of the prune (or of the start-up)", () => {
    const db = openDatabase(":memory:");
    db.prepare("INSERT INTO sessions (key, value, updated_at) VALUES ('x', '{not json', ?)").run(T0);
    db.prepare("INSERT INTO sessions (key, value, updated_at) VALUES ('y', ?, ?)").run(JSON.stringify({ __d: 1, e: T0 + 1000 }), T0);
    expect(() => new SqliteSessionStorage(db, () => T0)).not.toThrow();
    expect((db.prepare("SELECT key FROM sessions").all() as { key: string }[]).map((r) => r.key)).toEqual(["y"]);
  });
});
