/**
 * Feeds in, notifications out, against feeds and article pages served on 127.0.0.1: the
 * poller, the publisher, the outbox and the sender together, in virtual time.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { FeedPoller } from "../../src/feeds/feed-poller.js";
import type { FeedSource } from "../../src/feeds/feed-config.js";
import { fetchPage } from "../../src/feeds/feed-article.js";
import { validateTelegramHtml } from "../support/telegram-html.js";
import { Newsroom } from "../delivery/newsroom.js";
import { articlePage, BELARUS_IRAN_PARAGRAPHS, FeedServer, FOOTBALL_PARAGRAPHS, rssFeed, type RssItem } from "./feed-server.js";

// Parsing runs in worker threads that load TypeScript when they start: seconds on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

const MIN = 60_000;
const LIMITS = { timeoutMs: 1000, maxBytes: 2 * 1024 * 1024, maxRedirects: 3 };

let server: FeedServer;
beforeAll(async () => {
  server = await FeedServer.start();
});
afterAll(() => server.close());

const pollers: FeedPoller[] = [];
afterEach(async () => {
  await Promise.all(pollers.splice(0).map((p) => p.stop()));
});

function poller(room: Newsroom, feeds: FeedSource[], options: ConstructorParameters<typeof FeedPoller>[4] = {}): FeedPoller {
  const p = new FeedPoller(feeds, room.storage.feeds, room.publisher, room.logger, {
    clock: room.clock,
    fetchLimits: LIMITS,
    ...options,
  });
  pollers.push(p);
  return p;
}

describe("a new item in the feeds", () => {
  it("reaches each matching subscriber exactly once, no one else, even when two feeds carry it", async () => {
    const room = new Newsroom();
    const now = new Date(room.clock.now());
    const football: RssItem = {
      title: "România a câştigat meciul amical cu 2-0",
      link: `${server.url}/g4/fotbal`,
      guid: "g4-1",
      pubDate: now,
      content: FOOTBALL_PARAGRAPHS.map((p) => `<p>${p}</p>`).join(""),
    };
    const g4Items: RssItem[] = [football];
    const hotItems: RssItem[] = [{ ...football, link: `${server.url}/hot/fotbal-amical`, guid: "hot-1" }];
    const serveFeeds = () => {
      server.serve("/g4/feed", {
        headers: { "content-type": "application/rss+xml; charset=utf-8" },
        body: rssFeed("G4Media", g4Items),
        etag: `"g4-${g4Items.length}"`,
      });
      server.serve("/hot/feed", {
        headers: { "content-type": "application/rss+xml; charset=utf-8" },
        body: rssFeed("HotNews", hotItems),
        etag: `"hot-${hotItems.length}"`,
      });
    };
    serveFeeds();
    const feeds = [
      { name: "G4Media", url: `${server.url}/g4/feed` },
      { name: "HotNews", url: `${server.url}/hot/feed` },
    ];
    const p = poller(room, feeds);

    const belarus = await room.subscribe(101, "Belarus Iran");
    await room.subscribe(102, "belarusul iranul");
    await room.subscribe(103, "sarmale");
    await room.subscribe(104, "HotNews", "outlet");
    await room.subscribe(105, "Lukaşenko");
    await room.subscribe(105, "Iran");

    // First poll: what the feeds already hold is indexed, not news. The same story in both feeds is indexed once.
    const first = await p.pollDue();
    expect(first.map((r) => [r.status, r.published])).toEqual([
      ["ok", 1],
      ["ok", 0],
    ]);
    expect(await room.outbox.pendingCount()).toBe(0);
    expect(room.engine.ask("meci amical România").found).toBe(true);

    // A new story appears in both feeds (G4Media with the full text, HotNews with a summary
    // and a link to its page), and a summary-only HotNews story about football.
    room.clock.advance(20 * MIN);
    const story = "Belarusul şi Iranul au semnat un acord de cooperare militară";
    g4Items.unshift({
      title: story,
      link: `${server.url}/g4/acord`,
      guid: "g4-2",
      pubDate: new Date(room.clock.now()),
      content: BELARUS_IRAN_PARAGRAPHS.map((x) => `<p>${x}</p>`).join(""),
    });
    hotItems.unshift({
      title: story,
      link: `${server.url}/hot/acord`,
      guid: "hot-2",
      pubDate: new Date(room.clock.now()),
      description: "Acord între Minsk şi Teheran.",
    });
    hotItems.unshift({
      title: "Tricolorii pregătesc preliminariile",
      link: `${server.url}/hot/tricolori`,
      guid: "hot-3",
      pubDate: new Date(room.clock.now()),
      description: "Meciul următor.",
    });
    server.serve("/hot/tricolori", {
      headers: { "content-type": "text/html; charset=utf-8" },
      body: articlePage("Tricolorii pregătesc preliminariile", FOOTBALL_PARAGRAPHS, `${server.url}/hot/tricolori`),
    });
    serveFeeds();
    const second = await p.pollDue();
    expect(second.map((r) => [r.status, r.published])).toEqual([
      ["ok", 1],
      ["ok", 1],
    ]);
    expect(server.hits("/hot/acord")).toBe(0); // a known story: no page fetch
    expect(server.hits("/hot/tricolori")).toBe(1); // summary only: the page was read
    expect(room.engine.ask("Următorul meci al tricolorilor").found).toBe(true);

    await room.sender.drain();
    const sent = room.telegram.sent;
    expect(sent.map((c) => c.chatId).sort()).toEqual([101, 102, 104, 105]);
    for (const chat of [101, 102, 104, 105]) expect(room.telegram.sentTo(chat)).toHaveLength(1);
    const toBelarus = room.telegram.sentTo(101)[0]!;
    expect(toBelarus.text).toContain(story);
    expect(toBelarus.text).toContain("G4Media");
    expect(toBelarus.text).toMatch(/<blockquote>.*<b>(Belarus|Iran)/s);
    expect(toBelarus.payload.reply_markup).toEqual({
      inline_keyboard: [
        [
          { text: "📰 Articolul", url: `${server.url}/g4/acord` },
          { text: "🔕 Nu mai urmări", callback_data: `unsub:${belarus.id}` },
        ],
      ],
    });
    expect(room.telegram.sentTo(105)[0]!.text).toContain("Lukaşenko · Iran");
    expect(room.telegram.sentTo(104)[0]!.text).toContain("Tricolorii pregătesc preliminariile");
    for (const c of sent) expect(validateTelegramHtml(c.text).ok).toBe(true);

    // Nothing new: conditional GETs, nothing more is sent.
    room.clock.advance(20 * MIN);
    const third = await p.pollDue();
    expect(third.map((r) => r.status)).toEqual(["not-modified", "not-modified"]);
    expect(server.requests.filter((r) => r.path === "/g4/feed").at(-1)?.headers["if-none-match"]).toBe('"g4-2"');
    await room.sender.drain();
    expect(room.telegram.sent).toHaveLength(4);
    expect(room.errors()).toEqual([]);

    // The feed articles are kept for the index of the next start.
    expect((await room.storage.articles.storedArticles()).map((a) => a.title)).toContain(story);
  });

  it("indexes an old entry without notifying, and keeps the summary when the page can't be read", async () => {
    const room = new Newsroom();
    await room.subscribe(201, "Belarus Iran");
    const items: RssItem[] = [];
    const serve = () =>
      server.serve("/old/feed", { headers: { "content-type": "application/rss+xml" }, body: rssFeed("Vechi", items) });
    serve();
    const p = poller(room, [{ name: "Vechi", url: `${server.url}/old/feed` }]);
    await p.pollDue(); // baseline: empty feed
    items.push({
      title: "Belarusul şi Iranul, acord vechi",
      link: `${server.url}/old/missing-page`,
      guid: "o1",
      pubDate: new Date(room.clock.now() - 5 * 24 * 60 * MIN),
      description: BELARUS_IRAN_PARAGRAPHS[0],
    });
    items.push({
      title: "Belarusul şi Iranul, acord nou",
      link: `${server.url}/old/missing-page-2`,
      guid: "o2",
      pubDate: new Date(room.clock.now()),
      description: BELARUS_IRAN_PARAGRAPHS[0],
    });
    serve();
    room.clock.advance(20 * MIN);
    const [report] = await p.pollDue();
    expect(report).toMatchObject({ status: "ok", published: 2, queued: 1 });
    expect(room.engine.ask("acord vechi Belarus").found).toBe(true);
    await room.sender.drain();
    expect(room.telegram.sentTo(201).map((c) => c.text.split("\n")[0])).toEqual([expect.stringContaining("acord nou")]);
  });
});

describe("an entry that fails", () => {
  it("is retried at the next poll: the feed's validators are not kept, so no 304 hides it", async () => {
    const room = new Newsroom();
    await room.subscribe(401, "Belarus Iran");
    const items: RssItem[] = [];
    const serve = () =>
      server.serve("/flaky/feed", {
        headers: { "content-type": "application/rss+xml" },
        body: rssFeed("Flaky", items),
        etag: `"flaky-${items.length}"`,
      });
    serve();
    const p = poller(room, [{ name: "Flaky", url: `${server.url}/flaky/feed` }], { fetchPage: null });
    await p.pollDue();
    items.push({
      title: "Belarusul şi Iranul au semnat un acord",
      link: `${server.url}/flaky/1`,
      guid: "f1",
      pubDate: new Date(room.clock.now()),
      content: BELARUS_IRAN_PARAGRAPHS.map((x) => `<p>${x}</p>`).join(""),
    });
    serve();
    const publish = room.publisher.publishFeedArticle.bind(room.publisher);
    let failures = 1;
    room.publisher.publishFeedArticle = async (...args) => {
      if (failures-- > 0) throw new Error("database is locked");
      return publish(...args);
    };
    room.clock.advance(20 * MIN);
    expect((await p.pollDue())[0]).toMatchObject({ status: "ok", published: 0 });
    expect(room.logger.lines.some((l) => l.includes("failed (database is locked); retried at the next poll"))).toBe(true);
    room.clock.advance(20 * MIN);
    expect((await p.pollDue())[0]).toMatchObject({ status: "ok", published: 1, queued: 1 });
    expect(server.requests.filter((r) => r.path === "/flaky/feed").at(-1)?.headers["if-none-match"]).toBeUndefined();
  });
});

describe("failing and hostile feeds", () => {
  it("back off exponentially, are turned off after many failures with a notice to the admins, and never stop the good feed", async () => {
    const room = new Newsroom();
    await room.subscribe(301, "Belarus Iran");
    server.serve("/dead", { status: 500, body: "oops" });
    server.handle("/endless", (_req, res) => {
      res.writeHead(200, { "content-type": "application/rss+xml" });
      res.write("<rss><channel>");
      const t = setInterval(() => res.write("<item><title>x</title></item>"), 20);
      res.on("close", () => clearInterval(t));
    });
    server.handle("/huge", (_req, res) => {
      res.writeHead(200, { "content-type": "application/rss+xml" });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let n = 0;
      const push = () => {
        while (n < 50) {
          n++;
          if (!res.write(chunk)) return void res.once("drain", push);
        }
        res.end();
      };
      res.on("close", () => (n = 50));
      push();
    });
    server.handle("/loop", (_req, res) => res.writeHead(302, { location: "/loop" }).end());
    server.serve("/malformed", { headers: { "content-type": "text/xml" }, body: "<rss><channel><item><title>Rupt</ti" });
    server.serve("/not-a-feed", { headers: { "content-type": "text/html" }, body: "<html><body>Document Moved</body></html>" });
    const levels = Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join("");
    server.serve("/laughs", {
      headers: { "content-type": "application/rss+xml" },
      body: `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "ha">${levels}]><rss version="2.0"><channel><title>&l9;</title><item><title>&l9; &l9;</title><link>${server.url}/laughs/1</link></item></channel></rss>`,
    });
    const goodItems: RssItem[] = [];
    const serveGood = () =>
      server.serve("/good", { headers: { "content-type": "application/rss+xml" }, body: rssFeed("Bun", goodItems) });
    serveGood();
    const names = ["dead", "endless", "huge", "loop", "malformed", "not-a-feed", "laughs", "good"];
    const p = poller(
      room,
      names.map((n) => ({ name: n, url: `${server.url}/${n}` })),
      { maxFailures: 3, adminIds: [9001], fetchPage: null, fetchLimits: { ...LIMITS, timeoutMs: 300 } },
    );

    const first = await p.pollDue();
    expect(Object.fromEntries(first.map((r) => [r.url.split("/").pop(), r.status]))).toEqual({
      dead: "failed",
      endless: "failed",
      huge: "failed",
      loop: "failed",
      malformed: "failed",
      "not-a-feed": "failed",
      laughs: "ok",
      good: "ok",
    });
    expect(room.logger.lines.filter((l) => l.includes("feeds: dead failed"))).toEqual([expect.stringContaining("HTTP 500")]);

    // Not due again before its back-off (5 min, then 10): the dead feed is left alone meanwhile.
    room.clock.advance(4 * MIN);
    expect(await p.pollDue()).toEqual([]);
    room.clock.advance(1 * MIN);
    goodItems.push({
      title: "Belarusul şi Iranul au semnat un acord",
      link: `${server.url}/good/1`,
      guid: "b1",
      pubDate: new Date(room.clock.now()),
      content: BELARUS_IRAN_PARAGRAPHS.map((x) => `<p>${x}</p>`).join(""),
    });
    serveGood();
    const second = await p.pollDue();
    expect(second.map((r) => r.url.split("/").pop())).toEqual(["dead", "endless", "huge", "loop", "malformed", "not-a-feed"]);
    const dead = await room.storage.feeds.get(`${server.url}/dead`);
    expect({ failures: dead?.failures, wait: (dead?.nextPollAt ?? 0) - room.clock.now() }).toEqual({
      failures: 2,
      wait: 10 * MIN,
    });

    room.clock.advance(15 * MIN);
    const third = await p.pollDue();
    expect(third.filter((r) => r.status === "disabled").map((r) => r.url.split("/").pop())).toEqual([
      "dead",
      "endless",
      "huge",
      "loop",
      "malformed",
      "not-a-feed",
    ]);
    const good = third.find((r) => r.url.endsWith("/good"));
    expect(good).toMatchObject({ status: "ok", published: 1, queued: 1 });

    // Turned off: not polled any more; the admin is told (once per feed) through the outbox.
    const hits = server.hits("/dead");
    room.clock.advance(24 * 60 * MIN);
    await p.pollDue();
    expect(server.hits("/dead")).toBe(hits);
    await room.sender.drain();
    const notices = room.telegram.sentTo(9001);
    expect(notices).toHaveLength(6);
    expect(notices[0]?.text).toContain("dead");
    expect(notices[0]?.text).toContain("HTTP 500");
    expect(room.telegram.sentTo(301)).toHaveLength(1);
    expect(room.errors().filter((l) => l.includes("turned off"))).toHaveLength(6);

    // A restart turns them back on.
    await poller(room, [{ name: "dead", url: `${server.url}/dead` }]).register();
    expect(await room.storage.feeds.get(`${server.url}/dead`)).toMatchObject({ disabledAt: null, failures: 0 });
  });

  it("honours <ttl> and Cache-Control max-age, clamped to 5 min … 6 h, and Retry-After", async () => {
    const room = new Newsroom();
    server.serve("/ttl", { headers: { "content-type": "application/rss+xml" }, body: rssFeed("ttl", [], "<ttl>1</ttl>") });
    server.serve("/max-age", {
      headers: { "content-type": "application/rss+xml", "cache-control": "max-age=86400" },
      body: rssFeed("max-age", []),
    });
    server.serve("/both", {
      headers: { "content-type": "application/rss+xml", "cache-control": "max-age=600" },
      body: rssFeed("both", [], "<ttl>30</ttl>"),
    });
    server.serve("/plain", { headers: { "content-type": "application/rss+xml" }, body: rssFeed("plain", []) });
    server.serve("/slow-down", { status: 429, headers: { "retry-after": "3600" }, body: "" });
    const p = poller(
      room,
      ["ttl", "max-age", "both", "plain", "slow-down"].map((n) => ({ name: n, url: `${server.url}/${n}` })),
      { defaultIntervalMs: 20 * MIN },
    );
    await p.pollDue();
    const waits = Object.fromEntries(
      (
        await room.storage.db.all<{ url: string; wait: number }>("SELECT url, next_poll_at - ? AS wait FROM feeds", [
          room.clock.now(),
        ])
      ).map((r) => [r.url.split("/").pop(), r.wait / MIN]),
    );
    expect(waits).toEqual({ ttl: 5, "max-age": 360, both: 30, plain: 20, "slow-down": 60 });
  });
});

it("fetchPage refuses what is not a page", async () => {
  server.serve("/page.json", { headers: { "content-type": "application/json" }, body: "{}" });
  expect(await fetchPage(`${server.url}/page.json`)).toBeNull();
});
