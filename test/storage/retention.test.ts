/**
 * Privacy by default: questions, votes and the answer-message links (which hold the private
 * chat's id, i.e. the user's) are deleted after QUESTION_RETENTION_DAYS; expired sessions are
 * deleted even when nobody writes. Asked through the real bot, on a controlled clock.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createMemoryLogger } from "../../src/logger.js";
import type { AnswerEngine } from "../../src/search/answer-engine.js";
import { DAY_MS, pruneExpiredData, startRetention } from "../../src/storage/retention.js";
import { SessionStorage } from "../../src/storage/session-storage.js";
import type { SqlDatabase } from "../../src/storage/sql.js";
import { memoryStorageSync } from "../../src/storage/storage.js";
import { SEED_QUESTION, seedEngine } from "../bot/fixtures.js";
import { createHarness, PRIVATE_CHAT } from "../bot/harness.js";

let engine: AnswerEngine;
beforeAll(async () => {
  engine = await seedEngine();
});

const T0 = Date.UTC(2026, 0, 1, 12);
const count = async (db: SqlDatabase, table: string) => (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))?.n;
const privateRows = async (db: SqlDatabase) => ({
  questions: await count(db, "questions"),
  answerMessages: await count(db, "answer_messages"),
  votes: await count(db, "feedback"),
});

describe("question retention", () => {
  it("a question, its answer link and its vote are gone after the retention, kept before it", async () => {
    const storage = memoryStorageSync();
    const db = storage.db;
    let now = T0;
    const h = createHarness(engine, { storage, now: () => new Date(now) });
    await h.send(SEED_QUESTION);
    await h.press("fb:up", h.lastSent);
    now = T0 + 20 * DAY_MS;
    await h.send("Ce a spus Lukașenko la Minsk?");
    expect(await privateRows(db)).toEqual({ questions: 2, answerMessages: 2, votes: 1 });
    expect(await db.all("SELECT chat_id FROM answer_messages")).toContainEqual({ chat_id: PRIVATE_CHAT.id });

    const logger = createMemoryLogger();
    // Day 29 of the first question: nothing is old enough.
    expect(await pruneExpiredData({ storage, logger, retentionDays: 30, now: () => T0 + 29 * DAY_MS })).toEqual({
      questions: 0,
      answerMessages: 0,
      votes: 0,
      sessions: 0,
    });
    expect(await privateRows(db)).toEqual({ questions: 2, answerMessages: 2, votes: 1 });
    // Day 31: the first question, its answer link and its vote go; the second stays.
    await pruneExpiredData({ storage, logger, retentionDays: 30, now: () => T0 + 31 * DAY_MS });
    expect(await privateRows(db)).toEqual({ questions: 1, answerMessages: 1, votes: 0 });
    expect(logger.lines.join("\n")).toMatch(/privacy: deleted 1 questions, 1 answer links and 1 votes older than 30 days/);
    // Day 51: everything.
    await pruneExpiredData({ storage, logger, retentionDays: 30, now: () => T0 + 51 * DAY_MS });
    expect(await privateRows(db)).toEqual({ questions: 0, answerMessages: 0, votes: 0 });
  });

  it("a vote cast recently on an old answer goes with the old question", async () => {
    const storage = memoryStorageSync();
    const store = storage.questions;
    const q = await store.recordQuestion({
      askedAt: T0,
      chatType: "private",
      lang: "ro",
      kind: "new",
      found: true,
      question: "q",
    });
    await store.recordAnswerMessage(5, 50, q);
    expect(await store.recordFeedback(5, 50, 5, 1, T0 + 29 * DAY_MS)).toBe(true);
    expect(await store.pruneExpired(T0 + 1)).toEqual({ questions: 1, answerMessages: 1, votes: 1 });
    // And once the answer link is gone, the button takes no vote.
    expect(await store.recordFeedback(5, 50, 5, 1, T0 + 31 * DAY_MS)).toBe(false);
    expect(await privateRows(storage.db)).toEqual({ questions: 0, answerMessages: 0, votes: 0 });
  });

  it("runs the other stores' prunes with the same clock", async () => {
    const seen: number[] = [];
    await pruneExpiredData({
      storage: memoryStorageSync(),
      logger: createMemoryLogger(),
      retentionDays: 30,
      now: () => T0,
      alsoPrune: [(now) => seen.push(now)],
    });
    expect(seen).toEqual([T0]);
  });

  it("the job runs at start and then on its interval; a failure is a warning", async () => {
    const storage = memoryStorageSync();
    const db = storage.db;
    const store = storage.questions;
    let now = T0;
    await store.recordQuestion({
      askedAt: T0 - 40 * DAY_MS,
      chatType: "private",
      lang: "ro",
      kind: "new",
      found: true,
      question: "old",
    });
    const logger = createMemoryLogger();
    const job = startRetention({ storage, logger, retentionDays: 30, now: () => now, intervalMs: 20 });
    await job.first;
    expect(await count(db, "questions")).toBe(0); // at start
    await store.recordQuestion({ askedAt: T0, chatType: "private", lang: "ro", kind: "new", found: true, question: "new" });
    now = T0 + 31 * DAY_MS;
    await new Promise((r) => setTimeout(r, 100));
    expect(await count(db, "questions")).toBe(0); // on the interval, with nobody asking anything
    await db.exec("DROP TABLE feedback");
    await new Promise((r) => setTimeout(r, 60));
    job.stop();
    expect(logger.lines.some((l) => /^warn privacy: deleting expired questions and votes failed/.test(l))).toBe(true);
  });
});

describe("session expiry", () => {
  it("expired sessions are deleted by the periodic prune, without any write", async () => {
    const storage = memoryStorageSync();
    const db = storage.db;
    const sessions = new SessionStorage<{ __d: number; e?: number }>(storage.sessions, () => T0);
    await sessions.write("1000", { __d: 1, e: T0 + 30 * 60_000 });
    await sessions.write("-5:7", { __d: 2, e: T0 + 60 * 60_000 });
    await sessions.write("legacy", { __d: 3 }); // no expiry: a day after its last write
    expect(
      (await pruneExpiredData({ storage, logger: createMemoryLogger(), retentionDays: 30, now: () => T0 + 31 * 60_000 }))
        .sessions,
    ).toBe(1);
    expect((await db.all<{ key: string }>("SELECT key FROM sessions ORDER BY key")).map((r) => r.key)).toEqual([
      "-5:7",
      "legacy",
    ]);
    expect(await storage.sessions.prune(T0 + DAY_MS + 1)).toBe(2);
    expect(await count(db, "sessions")).toBe(0);
  });

  it("a value that is not JSON reads as no session and is deleted a day after its last write; the prune never throws on it", async () => {
    const storage = memoryStorageSync();
    const db = storage.db;
    await db.run("INSERT INTO sessions (key, value, updated_at) VALUES ('x', '{not json', ?)", [T0]);
    await db.run("INSERT INTO sessions (key, value, updated_at, expires_at) VALUES ('y', ?, ?, ?)", [
      JSON.stringify({ __d: 1, e: T0 + 10 * DAY_MS }),
      T0,
      T0 + 10 * DAY_MS,
    ]);
    expect(await new SessionStorage(storage.sessions, () => T0).read("x")).toBeUndefined();
    expect(await storage.sessions.prune(T0 + DAY_MS + 1)).toBe(1);
    expect((await db.all<{ key: string }>("SELECT key FROM sessions")).map((r) => r.key)).toEqual(["y"]);
  });
});
