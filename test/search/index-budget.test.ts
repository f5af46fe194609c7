/**
 * The crash loop of issue 9 (five ~5 MB pages: 191k passages, 430 MB of heap, then a bot that
 * could not start again) cannot happen: an article is capped, the index has a passage budget
 * that drops the oldest feed articles first, and a start-up over the budget loads what fits.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import type { Article } from "../../src/content/article.js";
import { capParagraphs, finishArticle } from "../../src/content/load-content.js";
import { dedupKeys } from "../../src/content/article-keys.js";
import { loadEngine } from "../../src/load-engine.js";
import { createMemoryLogger } from "../../src/logger.js";
import { fitToBudget, passagesOf } from "../../src/search/index-budget.js";
import { Newsroom } from "../delivery/newsroom.js";

// Parsing runs in worker threads that load TypeScript when they start: seconds on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

const sentence = (i: number) => `Consiliul local a aprobat propunerea numărul ${i} privind bugetul.`;
/** An article of `n` one-sentence paragraphs. */
const article = (id: string, n: number, offset = 0): Article => ({
  id,
  title: `Articolul ${id} despre buget`,
  date: "2025-08-21",
  url: `https://e.ro/${id}`,
  source: "Exemplu",
  body: Array.from({ length: n }, (_, i) => sentence(offset + i)).join("\n\n"),
});

describe("per article", () => {
  it("keeps whole paragraphs and sentences within ARTICLE_MAX_CHARS and ARTICLE_MAX_PASSAGES", () => {
    const paragraphs = ["Unu. Doi. Trei.", "Patru. Cinci.", "Şase."];
    expect(capParagraphs(paragraphs, 1000, 4)).toEqual({ paragraphs: ["Unu. Doi. Trei.", "Patru."], cut: true });
    expect(capParagraphs(paragraphs, 20, 100)).toEqual({ paragraphs: ["Unu. Doi. Trei."], cut: true });
    expect(capParagraphs(["x".repeat(50)], 10, 100)).toEqual({ paragraphs: ["x".repeat(10)], cut: true });
    expect(capParagraphs(paragraphs, 1000, 100)).toEqual({ paragraphs, cut: false });
  });

  it("a 5 MB page becomes an article of at most the default budget", () => {
    const body = Array.from({ length: 60_000 }, (_, i) => sentence(i)).join("\n");
    const a = finishArticle({ id: "mare", title: "Mare", date: null, url: null, source: null, body }, "mare");
    expect(a.body.length).toBeLessThanOrEqual(60_000);
    expect(passagesOf(a)).toBeLessThanOrEqual(300);
  });
});

describe("per index", () => {
  it("drops the oldest feed articles from the index when a new one goes over INDEX_MAX_PASSAGES, and says so", async () => {
    const room = new Newsroom({ maxPassages: 250, articles: [article("content-1", 50)] });
    for (let i = 0; i < 6; i++) {
      room.clock.advance(60_000);
      const a = { ...article(`feed:e/${i}`, 50, 1000 * (i + 1)), date: `2025-08-1${i}` };
      await room.publisher.publishFeedArticle(
        a,
        dedupKeys({ urls: [a.url], title: a.title, feedUrl: "https://e.ro/feed" }),
        "https://e.ro/feed",
        { notify: false },
      );
      expect(room.engine.index.passageCount).toBeLessThanOrEqual(250);
    }
    // Content (50) + the four newest feed articles (200); the two oldest left the index (they stay stored).
    expect(room.engine.index.hasArticle("content-1")).toBe(true);
    expect(
      room.engine.index
        .articles()
        .map((a) => a.id)
        .filter((id) => id.startsWith("feed:"))
        .sort(),
    ).toEqual(["feed:e/2", "feed:e/3", "feed:e/4", "feed:e/5"]);
    expect(room.logger.lines).toContainEqual(expect.stringContaining("the 1 oldest feed articles left the index"));
  });

  it("loads at start-up what fits (content first, then the newest feed articles) and warns: the bot always starts", async () => {
    const feeds = Array.from({ length: 10 }, (_, i) => article(`feed:e/${i}`, 100, 1000 * i));
    const fitted = fitToBudget([article("c", 100)], feeds, 450);
    expect(fitted.content.map((a) => a.id)).toEqual(["c"]);
    expect(fitted.feeds.map((a) => a.id)).toEqual(["feed:e/7", "feed:e/8", "feed:e/9"]);
    expect(fitted.leftOut).toEqual({ content: 0, feeds: 7 });

    const data = mkdtempSync(join(tmpdir(), "citat-budget-"));
    try {
      const logger = createMemoryLogger();
      const engine = await loadEngine("content", data, logger, feeds, 450);
      expect(engine.index.passageCount).toBeLessThanOrEqual(450);
      expect(logger.lines).toContainEqual(
        expect.stringMatching(/budget of 450 passages.*started without \d+ older feed articles/),
      );
      expect(engine.ask("Ce tratat vor să încheie Belarusul şi Iranul?").found).toBe(true);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });
});
