/** The publisher: dedup keys, one message per chat, daily digests, and all-or-nothing processing. */
import { afterEach, describe, expect, it } from "vitest";
import type { Article } from "../../src/content/article.js";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bucharestParts } from "../../src/clock.js";
import { dedupKeys, titleKey } from "../../src/content/article-keys.js";
import { TITLE_KEY_WINDOW_MS } from "../../src/delivery/publisher.js";
import { ArticleStore } from "../../src/storage/article-store.js";
import { DATABASE_FILE, openSqlite } from "../../src/storage/database.js";
import { storageOn } from "../../src/storage/storage.js";
import { matchArticle } from "../../src/subscriptions/match.js";
import { outletKey, topicKey } from "../../src/subscriptions/subscription-store.js";
import { BACKENDS, type OpenedStorage } from "../support/backends.js";
import { validateTelegramHtml } from "../support/telegram-html.js";
import { Newsroom } from "./newsroom.js";

const HOUR = 3_600_000;

const article = (id: string, title: string, body: string, extra: Partial<Article> = {}): Article => ({
  id,
  title,
  date: "2025-08-21",
  url: `https://stiri.example.ro/${id}`,
  source: "Exemplu",
  body,
  ...extra,
});
const BELARUS = article(
  "acord",
  "Belarusul şi Iranul au semnat un acord",
  "Belarusul şi Iranul au semnat joi la Teheran un acord de cooperare militară.\n\nPreşedintele Aleksandr Lukaşenko a vizitat Iranul miercuri, iar analiştii vorbesc despre o axă a statelor care sprijină Rusia.",
);

describe("dedup keys", () => {
  it("are scoped so that one feed cannot pre-empt another outlet's story with its URL or its title", async () => {
    const room = new Newsroom();
    const title = "Belarusul şi Iranul au semnat un acord de cooperare militară";
    // A hostile feed publishes the other outlet's link and headline first, with its own text.
    const hostileKeys = dedupKeys({
      guid: "x1",
      urls: ["https://www.g4media.ro/acord"],
      title,
      feedUrl: "https://rau.example/feed",
    });
    expect(hostileKeys).toContain("url@rau.example:https://g4media.ro/acord");
    await room.publisher.publishFeedArticle(
      article("feed:rau/1", title, "Text inventat de altcineva."),
      hostileKeys,
      "https://rau.example/feed",
      { notify: false },
    );
    // The outlet's own entry is not a duplicate of it: its link is its own, its title key its site's.
    const ownKeys = dedupKeys({ guid: "g1", urls: ["https://g4media.ro/acord/"], title, feedUrl: "https://www.g4media.ro/feed" });
    expect(ownKeys).toContain("url:https://g4media.ro/acord");
    expect(await room.publisher.isDuplicate(ownKeys)).toBe(false);
    // The same outlet through another of its feeds (a subdomain) is still one story: the same link key.
    expect(dedupKeys({ urls: ["https://g4media.ro/acord"], title, feedUrl: "https://feeds.g4media.ro/rss" })).toContain(
      "url:https://g4media.ro/acord",
    );
    // A content-folder file keeps global keys (no feed): the outlet's link dedups it.
    expect(dedupKeys({ urls: ["https://g4media.ro/acord"], title })).toEqual(["url:https://g4media.ro/acord", titleKey(title)]);
  });

  it("a title key only counts for three days", async () => {
    const room = new Newsroom();
    const keys = dedupKeys({ title: "Horoscopul zilei pentru toate zodiile" });
    await room.publisher.publishFeedArticle(
      article("feed:h/1", "Horoscopul zilei pentru toate zodiile", "Berbec: o zi bună."),
      keys,
      "f",
      { notify: false },
    );
    expect(await room.publisher.isDuplicate(keys)).toBe(true);
    room.clock.advance(TITLE_KEY_WINDOW_MS + 1);
    expect(await room.publisher.isDuplicate(keys)).toBe(false);
  });
});

describe("matching", () => {
  it("a topic matches when the engine answers it from the article alone, with all its words; an outlet by its folded name", async () => {
    const room = new Newsroom();
    const subs = [
      await room.subscribe(1, "Belarus Iran"),
      await room.subscribe(2, "belarusul iranul"),
      await room.subscribe(3, "Lukasenko"),
      await room.subscribe(4, "Belarus sarmale"),
      await room.subscribe(5, "fotbal"),
      await room.subscribe(6, "exemplu", "outlet"),
      await room.subscribe(7, "Digi24", "outlet"),
    ];
    expect(matchArticle(BELARUS, subs).map((m) => m.subscription.chatId)).toEqual([1, 2, 3, 6]);
    expect(topicKey("Iran, Belarus!")).toBe(topicKey("belarusul iranul"));
    expect(outletKey("Adevărul")).toBe(outletKey("adevarul"));
  });
});

for (const backend of BACKENDS)
  describe.skipIf(!backend.available)(`publishing on ${backend.name}`, () => {
    let opened: OpenedStorage | null = null;
    const newsroom = async () => {
      opened = await backend.open();
      return new Newsroom({ storage: opened.storage });
    };
    afterEach(async () => {
      await opened?.dispose();
      opened = null;
    });

    it("queues one message per chat however many of its subscriptions match, in the subscriber's language", async () => {
      const room = await newsroom();
      await room.subscribe(1, "Belarus Iran");
      await room.subscribe(1, "Lukaşenko");
      await room.subscribe(2, "Iran", "topic", { lang: "en" });
      const result = await room.publisher.publishFeedArticle(
        BELARUS,
        dedupKeys({ urls: [BELARUS.url], title: BELARUS.title }),
        "f",
        { notify: true },
      );
      expect(result).toEqual({ outcome: "published", queued: 2 });
      await room.sender.drain();
      const [ro, en] = [room.telegram.sentTo(1)[0]!, room.telegram.sentTo(2)[0]!];
      expect(ro.text).toContain("Urmărești: Belarus Iran · Lukaşenko");
      expect(ro.text).toContain("Exemplu · 21 aug. 2025");
      expect(en.text).toContain("You follow: Iran");
      expect(en.text).toContain("Exemplu · 21 Aug 2025");
      for (const c of [ro, en]) expect(validateTelegramHtml(c.text).ok).toBe(true);
      // The same story again (another feed, another id): a duplicate.
      expect(
        await room.publisher.publishFeedArticle(
          { ...BELARUS, id: "other" },
          dedupKeys({ urls: ["https://other.ro/x"], title: BELARUS.title }),
          "g",
          { notify: true },
        ),
      ).toEqual({ outcome: "duplicate", queued: 0 });
    });

    it("is all or nothing: when queueing fails, the article is not marked processed and comes back later", async () => {
      const room = await newsroom();
      await room.subscribe(1, "Belarus Iran");
      await room.storage.db.exec("ALTER TABLE outbox RENAME TO outbox_gone");
      const keys = dedupKeys({ urls: [BELARUS.url], title: BELARUS.title });
      await expect(room.publisher.publishFeedArticle(BELARUS, keys, "f", { notify: true })).rejects.toThrow();
      expect(await room.storage.articles.storedArticles()).toEqual([]);
      expect(await room.publisher.isDuplicate(keys)).toBe(false);
      await room.storage.db.exec("ALTER TABLE outbox_gone RENAME TO outbox");
      expect(await room.publisher.publishFeedArticle(BELARUS, keys, "f", { notify: true })).toEqual({
        outcome: "published",
        queued: 1,
      });
    });

    it("collects articles for daily-digest subscriptions and sends one digest per chat after the digest hour", async () => {
      const room = await newsroom();
      // 05:00 in Bucharest (UTC+3 in August).
      room.clock.advance(Date.UTC(2025, 7, 21, 2, 0) - room.clock.now());
      await room.subscribe(1, "Iran", "topic", { digest: true });
      await room.subscribe(2, "Iran");
      for (let i = 0; i < 3; i++) {
        const a = { ...BELARUS, id: `a${i}`, title: `${BELARUS.title} (${i})`, url: `https://e.ro/${i}` };
        await room.publisher.publishFeedArticle(a, dedupKeys({ urls: [a.url], title: a.title }), "f", { notify: true });
      }
      expect(await room.pending()).toEqual(new Map([[2, 3]]));
      expect(await room.publisher.queueDigests()).toBe(0); // before 08:00
      room.clock.advance(3 * HOUR);
      expect(bucharestParts(room.clock.now())).toMatchObject({ date: "2025-08-21", hour: 8 });
      expect(await room.publisher.queueDigests()).toBe(1);
      expect(await room.publisher.queueDigests()).toBe(0);
      await room.sender.drain();
      const digest = room.telegram.sentTo(1);
      expect(digest).toHaveLength(1);
      expect(digest[0]!.text.split("\n")[0]).toBe("🗞 <b>Rezumatul zilei</b> · 21 august 2025");
      expect(digest[0]!.text.match(/^• /gm)).toHaveLength(3);
      expect(validateTelegramHtml(digest[0]!.text).ok).toBe(true);
    });
  });

describe("stored feed articles", () => {
  it("are read back from DATA_DIR for the index (and by citat ask), without creating a database", async () => {
    const dir = mkdtempSync(join(tmpdir(), "citat-feeds-"));
    try {
      expect(ArticleStore.storedArticlesIn(dir)).toEqual([]);
      expect(existsSync(join(dir, DATABASE_FILE))).toBe(false);
      const room = new Newsroom({ storage: storageOn(await openSqlite(dir)) });
      await room.publisher.publishFeedArticle({ ...BELARUS, id: "feed:exemplu/1" }, dedupKeys({ title: BELARUS.title }), "f", {
        notify: false,
      });
      await room.storage.close();
      expect(ArticleStore.storedArticlesIn(dir)).toEqual([{ ...BELARUS, id: "feed:exemplu/1" }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
