/**
 * The repository contract, run against every backend: SQLite (in memory) and Postgres (a
 * schema of its own on CITAT_TEST_DATABASE_URL). The same tests, the same expectations: the
 * two backends are swappable.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Article } from "../../src/content/article.js";
import type { OutboxMessage } from "../../src/delivery/outbox.js";
import { MIGRATIONS } from "../../src/storage/migrations.js";
import { SessionStorage } from "../../src/storage/session-storage.js";
import type { Storage } from "../../src/storage/storage.js";
import { BACKENDS, type OpenedStorage } from "../support/backends.js";

const DAY = 86_400_000;

const article = (id: string, extra: Partial<Article> = {}): Article => ({
  id,
  title: `Titlu ${id}`,
  date: "2025-08-20",
  url: `https://example.ro/${id}`,
  source: "Ziarul",
  body: `Text ${id}.`,
  ...extra,
});
const msg = (chatId: number, item: string, extra: Partial<OutboxMessage> = {}): OutboxMessage => ({
  chatId,
  threadId: null,
  item,
  text: `<b>${item}</b>`,
  ...extra,
});

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`repositories on ${backend.name}`, () => {
    let opened: OpenedStorage;
    let s: Storage;
    beforeEach(async () => {
      opened = await backend.open();
      s = opened.storage;
    });
    afterEach(async () => {
      await opened.dispose();
    });

    describe("migrations", () => {
      it("records every version once, the same list in both dialects", async () => {
        const rows = await s.db.all<{ version: number }>("SELECT version FROM schema_migrations ORDER BY version");
        expect(rows.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version).sort((a, b) => a - b));
        for (const m of MIGRATIONS)
          expect(m.postgres.trim().length, `migration ${m.version} has Postgres DDL`).toBeGreaterThan(0);
      });
    });

    describe("sessions", () => {
      it("reads, writes, replaces and deletes values by key", async () => {
        expect(await s.sessions.read("1")).toBeUndefined();
        await s.sessions.write("1", '{"n":1}', null, 1);
        await s.sessions.write("1", '{"n":2}', null, 2);
        await s.sessions.write("-5:7", '{"n":3}', null, 3);
        expect(await s.sessions.read("1")).toEqual({ value: '{"n":2}', version: 2 });
        await s.sessions.delete("1");
        expect(await s.sessions.read("1")).toBeUndefined();
        expect((await s.sessions.read("-5:7"))?.value).toBe('{"n":3}');
      });

      it("a write based on an older read does not replace a newer one (compare-and-set)", async () => {
        expect(await s.sessions.write("k", "first", null, 1, null)).toBe(true);
        expect(await s.sessions.write("k", "again-from-nothing", null, 2, null)).toBe(false);
        const read = await s.sessions.read("k");
        expect(read?.version).toBe(1);
        expect(await s.sessions.write("k", "newer", null, 3, 1)).toBe(true);
        expect(await s.sessions.write("k", "stale", null, 4, 1)).toBe(false);
        expect(await s.sessions.read("k")).toEqual({ value: "newer", version: 2 });
      });

      /** Two adapters (two instances) on one repository, recording the conflicts each reports. */
      const twoAdapters = () => {
        const conflicts: string[] = [];
        const adapter = (name: string) =>
          new SessionStorage<{ n: number; e: number }>(
            s.sessions,
            () => 10,
            500,
            (k) => conflicts.push(`${name}:${k}`),
          );
        return { a: adapter("a"), b: adapter("b"), conflicts };
      };

      it("two adapters (two instances) on one key: the second write from the same read is refused, the newer value stays", async () => {
        const { a, b, conflicts } = twoAdapters();
        await a.write("chat", { n: 1, e: 1000 });
        expect(await a.read("chat")).toEqual({ n: 1, e: 1000 });
        expect(await b.read("chat")).toEqual({ n: 1, e: 1000 });
        await b.write("chat", { n: 2, e: 1000 }); // b answered first
        await a.write("chat", { n: 99, e: 1000 }); // a's answer was computed from the older state
        expect(conflicts).toEqual(["a:chat"]);
        expect(await a.read("chat")).toEqual({ n: 2, e: 1000 });
        await a.write("chat", { n: 3, e: 1000 }); // after reading the newer state, a writes again
        expect(await b.read("chat")).toEqual({ n: 3, e: 1000 });
      });

      it("one update writing twice (an early save, then the end): both succeed, and a conflict stays a conflict", async () => {
        const { a, b, conflicts } = twoAdapters();
        expect(await a.read("twice")).toBeUndefined();
        await a.write("twice", { n: 1, e: 1000 }); // early save
        await a.write("twice", { n: 1, e: 1001 }); // grammY's write at the end
        expect(conflicts).toEqual([]);
        expect(await s.sessions.read("twice")).toEqual({ value: JSON.stringify({ n: 1, e: 1001 }), version: 2 });

        // b and a read the same state; b saves first; a's early save and its end write both lose.
        expect(await a.read("twice")).toEqual({ n: 1, e: 1001 });
        expect(await b.read("twice")).toEqual({ n: 1, e: 1001 });
        await b.write("twice", { n: 2, e: 1000 });
        await a.write("twice", { n: 99, e: 1000 });
        await a.write("twice", { n: 99, e: 1001 });
        expect(conflicts).toEqual(["a:twice", "a:twice"]);
        expect(await b.read("twice")).toEqual({ n: 2, e: 1000 });
      });

      it("prunes expired sessions by their enhanceStorage expiry; a corrupt value reads as none", async () => {
        let now = 1_000;
        const adapter = new SessionStorage<{ __d: number; e: number }>(s.sessions, () => now);
        await adapter.write("old", { __d: 1, e: 1_500 });
        await adapter.write("new", { __d: 2, e: 5_000 });
        now = 2_000;
        expect(await adapter.prune()).toBe(1);
        expect(await adapter.read("old")).toBeUndefined();
        expect(await adapter.read("new")).toEqual({ __d: 2, e: 5_000 });
        await s.db.run("UPDATE sessions SET value = '{not json' WHERE key = 'new'");
        expect(await adapter.read("new")).toBeUndefined();
      });
    });

    describe("questions and votes", () => {
      it("links answer messages to their question and its state (chat ids beyond 32 bits)", async () => {
        const chat = -1001234567890;
        const id = await s.questions.recordQuestion({
          askedAt: 1,
          chatType: "supergroup",
          lang: "ro",
          kind: "new",
          found: true,
          question: "Ce?",
          state: { search: { query: "Ce?" } },
        });
        await s.questions.recordAnswerMessage(chat, 100, id);
        await s.questions.recordAnswerMessage(chat, 101, id);
        expect(await s.questions.findAnswer(chat, 101)).toEqual({
          questionId: id,
          question: "Ce?",
          state: { search: { query: "Ce?" } },
        });
        expect(await s.questions.findAnswer(chat, 102)).toBeUndefined();
        expect(await s.questions.findAnswer(11, 100)).toBeUndefined();
      });

      it("counts questions, answers, follow-ups, inline use and the latest vote of each user", async () => {
        const now = 100 * DAY;
        expect(await s.questions.stats(now)).toEqual({
          questions: 0,
          questionsLast7Days: 0,
          answered: 0,
          followUps: 0,
          inline: 0,
          up: 0,
          down: 0,
        });
        const ask = (kind: "new" | "follow-up" | "inline", found: boolean, askedAt = now) =>
          s.questions.recordQuestion({
            askedAt,
            chatType: kind === "inline" ? "inline" : "private",
            lang: "ro",
            kind,
            found,
            question: "q",
          });
        const a = await ask("new", true);
        await ask("follow-up", true);
        await ask("inline", false);
        await ask("new", false, now - 8 * DAY);
        await s.questions.recordAnswerMessage(1, 5, a);
        await s.questions.recordFeedback(1, 5, 7, 1, now);
        await s.questions.recordFeedback(1, 5, 7, -1, now);
        await s.questions.recordFeedback(1, 5, 8, 1, now);
        expect(await s.questions.stats(now)).toEqual({
          questions: 4,
          questionsLast7Days: 3,
          answered: 2,
          followUps: 1,
          inline: 1,
          up: 1,
          down: 1,
        });
      });
    });

    describe("retention of questions and votes", () => {
      it("a vote only on a known answer; pruning deletes old questions with their answer links and votes", async () => {
        const T = 100 * DAY;
        const old = await s.questions.recordQuestion({
          askedAt: T,
          chatType: "private",
          lang: "ro",
          kind: "new",
          found: true,
          question: "vechi",
        });
        const fresh = await s.questions.recordQuestion({
          askedAt: T + 20 * DAY,
          chatType: "private",
          lang: "ro",
          kind: "new",
          found: true,
          question: "nou",
        });
        await s.questions.recordAnswerMessage(5, 50, old);
        await s.questions.recordAnswerMessage(5, 51, fresh);
        expect(await s.questions.recordFeedback(5, 999, 5, 1, T)).toBe(false); // not an answer
        expect(await s.questions.recordFeedback(5, 50, 5, 1, T + 29 * DAY)).toBe(true);
        expect(await s.questions.recordFeedback(5, 51, 5, -1, T + 21 * DAY)).toBe(true);
        expect(await s.questions.pruneExpired(T + 1)).toEqual({ questions: 1, answerMessages: 1, votes: 1 });
        expect(await s.questions.findAnswer(5, 50)).toBeUndefined();
        expect(await s.questions.recordFeedback(5, 50, 5, 1, T + 31 * DAY)).toBe(false);
        expect(await s.questions.stats(T + 21 * DAY)).toMatchObject({ questions: 1, down: 1, up: 0 });
      });
    });

    describe("subscriptions", () => {
      const add = (
        chatId: number,
        query: string,
        extra: { kind?: "topic" | "outlet"; threadId?: number | null; digest?: boolean } = {},
      ) =>
        s.subscriptions.add({
          chatId,
          threadId: extra.threadId ?? null,
          kind: extra.kind ?? "topic",
          query,
          lang: "ro",
          now: 5,
          digest: extra.digest ?? false,
        });

      it("adds once per analyzed key, lists, counts, removes", async () => {
        const r = await add(1, "Iran Belarus");
        expect(r.status).toBe("added");
        expect((await add(1, "belarus  iran")).status).toBe("exists");
        expect((await add(1, "!!!")).status).toBe("no-terms");
        await add(1, "Adevărul", { kind: "outlet" });
        await add(2, "alegeri");
        expect((await s.subscriptions.listForChat(1)).map((x) => x.query)).toEqual(["Iran Belarus", "Adevărul"]);
        expect(await s.subscriptions.count(1)).toBe(2);
        expect(await s.subscriptions.stats()).toEqual({ subscriptions: 3, chats: 2 });
        const id = r.status === "added" ? r.subscription.id : -1;
        expect(await s.subscriptions.get(id)).toMatchObject({ chatId: 1, kind: "topic", digest: false, createdAt: 5 });
        expect(await s.subscriptions.remove(2, id)).toBe(false);
        expect(await s.subscriptions.remove(1, id)).toBe(true);
        expect(await s.subscriptions.get(id)).toBeUndefined();
        expect(await s.subscriptions.removeChat(1)).toBe(1);
        expect((await s.subscriptions.all()).map((x) => x.chatId)).toEqual([2]);
      });

      it("stops at the per-chat limit; toggles digests; follows a migrated group; clears a gone thread", async () => {
        for (let i = 0; i < 20; i++) expect((await add(7, `subiect${"abcdefghijklmnopqrstu"[i]}x`)).status).toBe("added");
        expect((await add(7, "cutremur")).status).toBe("limit");
        const [first] = await s.subscriptions.listForChat(7);
        expect(await s.subscriptions.setDigest(7, first!.id, true)).toBe(true);
        expect((await s.subscriptions.get(first!.id))?.digest).toBe(true);
        await add(-100, "alegeri", { threadId: 9 });
        await add(-100, "Iran");
        await add(-200, "Iran");
        expect(await s.subscriptions.moveChat(-100, -200)).toBe(1); // "Iran" already followed there
        expect((await s.subscriptions.listForChat(-100)).length).toBe(0);
        expect((await s.subscriptions.listForChat(-200)).map((x) => [x.query, x.threadId])).toEqual([
          ["alegeri", 9],
          ["Iran", null],
        ]);
        await s.subscriptions.clearThread(-200, 9);
        expect((await s.subscriptions.listForChat(-200)).map((x) => x.threadId)).toEqual([null, null]);
      });

      it("the same subscription added twice at once (two instances) is stored once", async () => {
        const results = await Promise.all([add(3, "inflatie"), add(3, "inflație"), add(3, "Inflatie")]);
        expect(results.filter((r) => r.status === "added")).toHaveLength(1);
        expect(results.filter((r) => r.status === "exists")).toHaveLength(2);
        expect(await s.subscriptions.count(3)).toBe(1);
      });
    });

    describe("outbox and digests", () => {
      it("enqueues once per chat and item; gives each chat's oldest due row, oldest first", async () => {
        expect(await s.outbox.enqueue([msg(1, "a"), msg(1, "b"), msg(2, "a", { markup: { inline_keyboard: [] } })], 100)).toBe(3);
        expect(await s.outbox.enqueue([msg(1, "a")], 100)).toBe(0);
        expect(await s.outbox.pendingCount()).toBe(3);
        const due = await s.outbox.due(100);
        expect(due.map((r) => [r.chatId, r.item])).toEqual([
          [1, "a"],
          [2, "a"],
        ]);
        expect(due[1]?.markup).toEqual({ inline_keyboard: [] });
        expect(await s.outbox.due(99)).toEqual([]);
        expect(await s.outbox.nextDueAt()).toBe(100);
      });

      it("marks sent, retries later, postpones without lowering, fails, drops a chat, moves a chat, clears a thread, prunes", async () => {
        await s.outbox.enqueue(
          [msg(1, "a"), msg(1, "b"), msg(2, "a"), msg(3, "a", { threadId: 4 }), msg(-5, "x"), msg(-5, "y"), msg(-6, "y")],
          100,
        );
        const [r1, r2, r3] = await s.outbox.due(100);
        await s.outbox.markSent(r1!.id, 77, 101);
        await s.outbox.retryAt(r2!.id, 500, "502 Bad Gateway");
        await s.outbox.postpone(r3!.id, 400);
        await s.outbox.postpone(r3!.id, 300); // never moves a row earlier
        expect((await s.outbox.due(450)).find((r) => r.id === r3!.id)).toBeDefined();
        expect((await s.outbox.due(399)).find((r) => r.id === r3!.id)).toBeUndefined();
        expect((await s.outbox.due(600)).find((r) => r.id === r2!.id)?.attempts).toBe(1);
        await s.outbox.fail(r2!.id, "400 Bad Request");
        expect(await s.outbox.dropChat(1, "blocked")).toBe(1); // "b" was still pending
        expect((await s.outbox.due(1000)).find((r) => r.chatId === 3)?.threadId).toBe(4);
        await s.outbox.clearThread(3, 4);
        expect((await s.outbox.due(1000)).find((r) => r.chatId === 3)?.threadId).toBeNull();
        expect(await s.outbox.moveChat(-5, -6)).toBe(1); // "y" is already queued for -6
        expect((await s.outbox.due(1000)).filter((r) => r.chatId === -5)).toEqual([]);
        expect(await s.outbox.counts()).toEqual({ pending: 3, sent: 1, failed: 1, dropped: 2 });
        expect(await s.outbox.prune(1000)).toBe(4);
        expect(await s.outbox.counts()).toEqual({ pending: 3, sent: 0, failed: 0, dropped: 0 });
      });

      it("takes the digest items collected before the cutoff into one message per chat, atomically", async () => {
        await s.articles.commitFeedArticle({
          article: article("d1"),
          feedUrl: "f",
          keys: ["url:d1"],
          now: 10,
          messages: [],
          digests: [
            { chatId: 1, threadId: null, articleId: "d1", lang: "ro", line: "• d1" },
            { chatId: 2, threadId: 3, articleId: "d1", lang: "en", line: "• d1" },
          ],
        });
        await s.articles.commitFeedArticle({
          article: article("d2"),
          feedUrl: "f",
          keys: ["url:d2"],
          now: 50,
          messages: [],
          digests: [{ chatId: 1, threadId: null, articleId: "d2", lang: "ro", line: "• d2" }],
        });
        const built: string[] = [];
        const n = await s.outbox.takeDigests(20, 60, (chatId, items) => {
          built.push(`${chatId}:${items.map((i) => i.articleId).join(",")}:${items[0]!.lang}`);
          return { chatId, threadId: items[0]!.threadId, item: "digest:2025-08-20", text: items.map((i) => i.line).join("\n") };
        });
        expect(n).toBe(2);
        expect(built.sort()).toEqual(["1:d1:ro", "2:d1:en"]);
        expect((await s.outbox.due(60)).map((r) => [r.chatId, r.threadId, r.item])).toEqual([
          [1, null, "digest:2025-08-20"],
          [2, 3, "digest:2025-08-20"],
        ]);
        // d2 came after the cutoff: still waiting for tomorrow's digest.
        expect(
          await s.outbox.takeDigests(100, 100, (chatId, items) => ({
            chatId,
            threadId: null,
            item: "digest:next",
            text: items[0]!.line,
          })),
        ).toBe(1);
      });
    });

    describe("articles and processed keys", () => {
      it("stores a feed article, its keys and its notifications in one commit; reads them back", async () => {
        const queued = await s.articles.commitFeedArticle({
          article: article("a1"),
          feedUrl: "https://f.ro/rss",
          keys: ["url:https://example.ro/a1", "title:abc"],
          now: 1_000,
          messages: [msg(1, "article:a1"), msg(2, "article:a1")],
          digests: [{ chatId: 3, threadId: null, articleId: "a1", lang: "ro", line: "• a1" }],
        });
        expect(queued).toBe(3);
        expect(await s.articles.storedArticles()).toEqual([article("a1")]);
        expect(await s.articles.seenKeys(["title:abc", "url:nope"])).toEqual(new Map([["title:abc", 1_000]]));
        expect(await s.outbox.pendingCount()).toBe(2);
        await s.articles.commitFeedArticle({
          article: article("a2", { date: null, url: null, source: null }),
          feedUrl: "f",
          keys: [],
          now: 2_000,
          messages: [],
          digests: [],
        });
        expect((await s.articles.storedSince(1_500)).map((x) => [x.article, x.addedAt])).toEqual([
          [article("a2", { date: null, url: null, source: null }), 2_000],
        ]);
      });

      it("a commit that fails half-way leaves nothing: no article, no keys, no notifications", async () => {
        await expect(
          s.articles.commitFeedArticle({
            article: article("bad"),
            feedUrl: "f",
            keys: ["url:bad"],
            now: 1,
            messages: [msg(1, "article:bad"), { ...msg(2, "article:bad"), text: null as unknown as string }],
            digests: [],
          }),
        ).rejects.toThrow();
        expect(await s.articles.storedArticles()).toEqual([]);
        expect(await s.articles.seenKeys(["url:bad"])).toEqual(new Map());
        expect(await s.outbox.pendingCount()).toBe(0);
        await expect(
          s.articles.commitContentArticle({
            article: article("c-bad"),
            keys: ["url:c"],
            now: 1,
            messages: [{ ...msg(1, "x"), text: null as unknown as string }],
            digests: [],
          }),
        ).rejects.toThrow();
        expect(await s.articles.isContentProcessed("c-bad")).toBe(false);
      });

      it("processes a content article once; marks a baseline; prunes old articles, keys and finished rows", async () => {
        expect(
          await s.articles.commitContentArticle({
            article: article("c1"),
            keys: ["url:c1"],
            now: 10,
            messages: [msg(1, "article:c1")],
            digests: [],
          }),
        ).toBe(1);
        expect(
          await s.articles.commitContentArticle({
            article: article("c1"),
            keys: ["url:c1"],
            now: 11,
            messages: [msg(2, "article:c1")],
            digests: [],
          }),
        ).toBeNull();
        expect(await s.outbox.pendingCount()).toBe(1);
        await s.articles.markContentProcessed(["c2", "c3", "c1"], 12);
        expect([...(await s.articles.processedContentIds())].sort()).toEqual(["c1", "c2", "c3"]);
        expect(await s.articles.isContentProcessed("c2")).toBe(true);
        await s.articles.commitFeedArticle({
          article: article("old"),
          feedUrl: "f",
          keys: ["url:old"],
          now: 100,
          messages: [],
          digests: [],
        });
        await s.articles.commitFeedArticle({
          article: article("new"),
          feedUrl: "f",
          keys: ["url:new"],
          now: 900,
          messages: [],
          digests: [],
        });
        expect(await s.articles.feedArticleIdsBefore(500)).toEqual(["old"]);
        const [row] = await s.outbox.due(100);
        await s.outbox.markSent(row!.id, 1, 20);
        await s.articles.storeContentArticle(article("c1", { title: "Schimbat" }), 950);
        await s.articles.prune(500, 50, 1_000);
        // Content-folder articles are stored for the other instances and never pruned with the feeds'.
        expect((await s.articles.storedArticles()).map((a) => a.id)).toEqual(["new", "c1"]);
        expect((await s.articles.storedSince(940)).map((x) => x.article.title)).toEqual(["Schimbat"]);
        expect([...(await s.articles.seenKeys(["url:c1", "url:old", "url:new"])).keys()].sort()).toEqual(["url:new", "url:old"]);
        expect(await s.outbox.counts()).toMatchObject({ sent: 0 });
      });
    });

    describe("feed state", () => {
      it("registers feeds, records polls and failures, turns a feed off with the admins' notice atomically, turns it back on", async () => {
        await s.feeds.register([
          { url: "https://a.ro/rss", name: "A" },
          { url: "https://b.ro/rss", name: "B" },
        ]);
        expect(await s.feeds.get("https://a.ro/rss")).toEqual({
          url: "https://a.ro/rss",
          name: "A",
          etag: null,
          lastModified: null,
          nextPollAt: 0,
          polls: 0,
          failures: 0,
          disabledAt: null,
        });
        await s.feeds.recordSuccess("https://a.ro/rss", { etag: '"e1"', lastModified: "Wed", intervalMs: 600_000, now: 1_000 });
        expect(await s.feeds.get("https://a.ro/rss")).toMatchObject({
          etag: '"e1"',
          lastModified: "Wed",
          nextPollAt: 601_000,
          polls: 1,
        });
        await s.feeds.recordFailure("https://b.ro/rss", { failures: 1, error: "timeout", now: 2_000, nextPollAt: 302_000 });
        expect(await s.feeds.nextPollAt(["https://a.ro/rss", "https://b.ro/rss"])).toBe(302_000);
        await s.feeds.disable("https://b.ro/rss", { failures: 10, error: "410 Gone", now: 3_000 }, [msg(42, "feed-off:b")]);
        expect(await s.feeds.nextPollAt(["https://a.ro/rss", "https://b.ro/rss"])).toBe(601_000);
        expect((await s.outbox.due(3_000)).map((r) => r.chatId)).toEqual([42]);
        const status = await s.feeds.statusByNames(["A", "B", "C"]);
        expect(status.map((f) => [f.name, f.polls, f.failures, f.disabledAt, f.lastOkAt])).toEqual([
          ["A", 1, 0, null, 1_000],
          ["B", 0, 10, 3_000, null],
        ]);
        expect(await s.feeds.enable(status[1]!.id)).toBe("B");
        expect(await s.feeds.enable(999_999)).toBeUndefined();
        expect(await s.feeds.get("https://b.ro/rss")).toMatchObject({ disabledAt: null, failures: 0, nextPollAt: 0 });
        // A restart registers again: a disabled feed is back on with its failures reset.
        await s.feeds.disable("https://b.ro/rss", { failures: 10, error: "x", now: 4_000 }, []);
        await s.feeds.register([{ url: "https://b.ro/rss", name: "B2" }]);
        expect(await s.feeds.get("https://b.ro/rss")).toMatchObject({ name: "B2", disabledAt: null, failures: 0 });
      });
    });

    it("transactions roll back on error and do not interleave with other statements", async () => {
      await expect(
        s.db.transaction(async (tx) => {
          await tx.run("INSERT INTO content_articles (id, processed_at) VALUES (?, ?)", ["t1", 1]);
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      expect(await s.articles.isContentProcessed("t1")).toBe(false);
      const order: string[] = [];
      const tx = s.db.transaction(async (t) => {
        await t.run("INSERT INTO content_articles (id, processed_at) VALUES (?, ?)", ["t2", 1]);
        order.push("tx-insert");
        await new Promise((r) => setTimeout(r, 20));
        order.push("tx-end");
        throw new Error("rolled back");
      });
      const outside = s.articles.isContentProcessed("t2").then((seen) => order.push(`outside-saw-${seen}`));
      await expect(tx).rejects.toThrow();
      await outside;
      expect(order).toContain("outside-saw-false");
    });
  });
}
