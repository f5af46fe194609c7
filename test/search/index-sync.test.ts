/**
 * Every instance's index follows the article store: an article stored by another instance
 * (its poller, or its content folder) is indexed at the next round; an unchanged one is not
 * indexed twice; a changed one is re-indexed. Run against both backends.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Article } from "../../src/content/article.js";
import { createMemoryLogger } from "../../src/logger.js";
import { AnswerEngine } from "../../src/search/answer-engine.js";
import { IndexSync } from "../../src/search/index-sync.js";
import { BACKENDS, type OpenedStorage } from "../support/backends.js";

const ACORD: Article = {
  id: "feed:x/acord",
  title: "Belarusul şi Iranul au semnat un acord",
  date: "2025-08-21",
  url: "https://e.ro/acord",
  source: "Exemplu",
  body: "Belarusul şi Iranul au semnat joi la Teheran un acord de cooperare militară.",
};

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`IndexSync on ${backend.name}`, () => {
    let opened: OpenedStorage | null = null;
    afterEach(async () => {
      await opened?.dispose();
      opened = null;
    });

    it("indexes what another instance stored, once; re-indexes a changed article", async () => {
      opened = await backend.open();
      const { articles } = opened.storage;
      let now = Date.UTC(2025, 7, 21, 9);
      const engine = AnswerEngine.fromArticles([]);
      const changes: number[] = [];
      const sync = new IndexSync(articles, engine.index, createMemoryLogger(), {
        now: () => now,
        onChange: (n) => changes.push(n),
      });
      expect(await sync.syncOnce()).toBe(0);

      now += 1000;
      await articles.commitFeedArticle({
        article: ACORD,
        feedUrl: "https://e.ro/feed",
        keys: [],
        now,
        messages: [],
        digests: [],
      });
      expect(await sync.syncOnce()).toBe(1);
      expect(engine.ask("acord cooperare militară Teheran").found).toBe(true);
      expect(await sync.syncOnce()).toBe(0); // the same article again: already indexed

      now += 1000;
      await articles.commitContentArticle({
        article: { ...ACORD, id: "altul", body: "Lukaşenko a ajuns miercuri la Teheran." },
        keys: [],
        now,
        messages: [],
        digests: [],
      });
      await articles.commitFeedArticle({
        article: { ...ACORD, body: "Belarusul şi Iranul au semnat vineri un acord de cooperare." },
        feedUrl: "https://e.ro/feed",
        keys: [],
        now,
        messages: [],
        digests: [],
      });
      expect(await sync.syncOnce()).toBe(2);
      expect(engine.ask("acord semnat vineri").quotes[0]?.text).toContain("vineri");
      expect(engine.index.hasArticle("altul")).toBe(true);
      expect(changes).toEqual([1, 2]);

      // The leader prunes the feed article from the store: it leaves this index at the next forget round; content articles stay.
      await articles.prune(now + 1, 0, 0);
      expect(await sync.forgetPruned()).toBe(1);
      expect(engine.index.hasArticle(ACORD.id)).toBe(false);
      expect(engine.index.hasArticle("altul")).toBe(true);
      expect(await sync.forgetPruned()).toBe(0);
    });

    it("an unreachable store is one warning, not a crash", async () => {
      const logger = createMemoryLogger();
      const failing = {
        storedSince: async () => Promise.reject(new Error("connection refused")),
        storedIds: async () => Promise.reject(new Error("connection refused")),
      };
      const sync = new IndexSync(failing, AnswerEngine.fromArticles([]).index, logger);
      expect(await sync.syncOnce()).toBe(0);
      expect(await sync.syncOnce()).toBe(0);
      expect(logger.lines.filter((l) => l.includes("cannot read the article store"))).toHaveLength(1);
      expect(await sync.forgetPruned()).toBe(0);
    });
  });
}
