/**
 * A hostile news site on 127.0.0.1, one feed per attack found in issue 9, plus a "private"
 * server on another loopback port standing for a service on the bot's own network. Used by
 * test/feeds/hostile-feeds.test.ts and by `npm run soak:hostile` (scripts/soak-hostile.ts).
 *
 * Every feed is operator-configured (so its own origin is trusted); what the feeds LINK to on
 * the private server must never be fetched, and its secret never quoted.
 */
import type { FeedSource } from "../../src/feeds/feed-config.js";
import { articlePage, BELARUS_IRAN_PARAGRAPHS, FeedServer, rssFeed, type RssItem } from "./feed-server.js";

/** The private service's text: a quote holding it is a leak. */
export const PRIVATE_SECRET = "Parola serverului intern este ZORGLUB-7431";
export const PRIVATE_WORD = "ZORGLUB";

export interface HostileSite {
  readonly server: FeedServer;
  readonly privateServer: FeedServer;
  /** Every hostile feed, plus one good one ("Bun"). */
  readonly feeds: FeedSource[];
  close(): Promise<void>;
}

const xml = { "content-type": "application/rss+xml; charset=utf-8" };
const html = { "content-type": "text/html; charset=utf-8" };

/** A Romanian paragraph, varied by `i`, as a news page holds thousands of them. */
const filler = (i: number) =>
  `Consiliul local a discutat ${i} de propuneri privind bugetul pe anul viitor, iar primarul a promis o decizie până la sfârşitul lunii ${i % 12}. ` +
  `Opoziţia a cerut explicaţii suplimentare despre investiţiile din cartierul ${i % 97}.`;

export interface HostileOptions {
  /** Size of each of the five "huge" pages, in bytes (default 2.5 MB, under PAGE_MAX_MB). */
  readonly hugePageBytes?: number;
  /** Depth of the deeply nested article pages (default 2000). */
  readonly pageDepth?: number;
  /** Copies of the whole site (distinct paths, links and titles: every copy is new to the bot). */
  readonly copies?: number;
}

export async function startHostileSite(options: HostileOptions = {}): Promise<HostileSite> {
  const server = await FeedServer.start();
  const privateServer = await FeedServer.start();
  const base = server.url;
  const priv = privateServer.url;
  const privPort = new URL(priv).port;
  const now = () => new Date();
  const feeds: FeedSource[] = [];
  const add = (name: string, path: string) => feeds.push({ name, url: `${base}${path}` });

  // The private service: a page and a feed nobody outside may read.
  privateServer.serve("/secret", {
    headers: html,
    body: articlePage("Intern", [PRIVATE_SECRET, ...BELARUS_IRAN_PARAGRAPHS.map((p) => `${p} ${PRIVATE_SECRET}.`)]),
  });
  privateServer.serve("/feed.xml", {
    headers: xml,
    body: rssFeed("Intern", [
      {
        title: `Intern ${PRIVATE_SECRET}`,
        link: `${priv}/secret`,
        guid: "p1",
        pubDate: now(),
        content: `<p>${PRIVATE_SECRET}</p>`.repeat(20),
      },
    ]),
  });

  const build = (P: string, tag: string) => {
    const B = base + P;
    /** Every item title carries the copy's tag (titles are dedup keys). */
    const tagged = (title: string, items: readonly RssItem[], extra = "") =>
      rssFeed(
        title,
        items.map((i) => ({ ...i, title: i.title + tag })),
        extra,
      );
    // A good feed, so that questions have something to find.
    server.serve(P + "/good/feed", {
      headers: xml,
      body: tagged("Bun", [
        {
          title: "Belarusul şi Iranul au semnat un acord de cooperare militară",
          link: `${B}/good/acord`,
          guid: "good-1",
          pubDate: now(),
          content: BELARUS_IRAN_PARAGRAPHS.map((p) => `<p>${p}</p>`).join(""),
        },
      ]),
    });
    add(`Bun${tag}`, P + "/good/feed");

    // 1. Deeply nested article pages (Readability + linkedom are super-linear in depth).
    const depth = options.pageDepth ?? 2000;
    const deepPage = `<html><body>${"<div>".repeat(depth)}<p>${BELARUS_IRAN_PARAGRAPHS.join(" ")}</p>${"</div>".repeat(depth)}</body></html>`;
    // Bodies are encoded once: serving them must cost this process (the test's own) nothing.
    const deepPageBytes = Buffer.from(deepPage);
    const deepItems: RssItem[] = [];
    for (let i = 0; i < 5; i++) {
      server.serve(`${P}/deep/page-${i}`, { headers: html, body: deepPageBytes });
      deepItems.push({
        title: `Pagină adâncă numărul ${i} despre buget`,
        link: `${B}/deep/page-${i}`,
        guid: `deep-${i}`,
        pubDate: now(),
        description: "Rezumat scurt.",
      });
    }
    server.serve(P + "/deep/feed", { headers: xml, body: tagged("Adanc", deepItems) });
    add(`Adanc${tag}`, P + "/deep/feed");

    // 2. A document type declaration that backtracks (330 KB), and 3. one hidden in another.
    server.serve(P + "/doctype/feed", {
      headers: xml,
      body: Buffer.from(`<?xml version="1.0"?>${"<!DOCTYPE ".repeat(33_000)}<rss><channel><title>x</title></channel></rss>`),
    });
    add(`Doctype${tag}`, P + "/doctype/feed");
    const laughs = `[<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]`;
    server.serve(P + "/nested-doctype/feed", {
      headers: xml,
      body: `<?xml version="1.0"?><!DOC<!DOCTYPE x>TYPE rss ${laughs}><rss version="2.0"><channel><title>Râsete</title><item><title>&lol3; &lol3;</title><link>${B}/nested/1</link><description>&lol3;</description></item></channel></rss>`,
    });
    add(`Doctype ascuns${tag}`, P + "/nested-doctype/feed");

    // 4. A 40 KB link of slashes (the canonical-URL regex), 5. 12 KB of em spaces before a tail phrase (the photo-credit rule).
    server.serve(P + "/slashes/feed", {
      headers: xml,
      body: tagged("Bare", [
        {
          title: "O legătură foarte lungă despre trafic",
          link: `${B}/a${"/".repeat(40_000)}b`,
          guid: "slash-1",
          pubDate: now(),
          content: `<p>${filler(1)}</p>`.repeat(8),
        },
      ]),
    });
    add(`Bare${tag}`, P + "/slashes/feed");
    server.serve(P + "/emspace/feed", {
      headers: xml,
      body: tagged("Spatii", [
        {
          title: "Spaţii largi în textul articolului",
          link: `${B}/emspace/1`,
          guid: "em-1",
          pubDate: now(),
          content:
            `<p>${filler(2)}</p>`.repeat(6) +
            `<p>Text${"\u2003".repeat(12_000)}Foto: x Află totul despre vedetele din România</p>`,
        },
      ]),
    });
    add(`Spatii${tag}`, P + "/emspace/feed");

    // 6. Feed HTML 1.1 MB deep (recursive htmlToParagraphs: 10 s, then a stack overflow).
    server.serve(P + "/deep-html/feed", {
      headers: xml,
      body: tagged("HTML adanc", [
        {
          title: "Conţinut imbricat la nesfârşit",
          link: `${B}/deep-html/1`,
          guid: "dh-1",
          pubDate: now(),
          content: `${"<div>".repeat(110_000)}${filler(3)}${"</div>".repeat(110_000)}`,
        },
      ]),
    });
    server.serve(P + "/deep-html/feed", {
      headers: xml,
      body: Buffer.from(
        tagged("HTML adanc", [
          {
            title: "Conţinut imbricat la nesfârşit",
            link: `${B}/deep-html/1`,
            guid: "dh-1",
            pubDate: now(),
            content: `${"<div>".repeat(110_000)}${filler(3)}${"</div>".repeat(110_000)}`,
          },
        ]),
      ),
    });
    add(`HTML adanc${tag}`, P + "/deep-html/feed");

    // 7. Five huge article pages (the crash loop: 191k passages, 430 MB of heap).
    const hugeBytes = options.hugePageBytes ?? 2_500_000;
    const paragraphs: string[] = [];
    for (let i = 0, size = 0; size < hugeBytes; i++) {
      const p = filler(i);
      paragraphs.push(p);
      size += p.length + 7;
    }
    const hugePage = `<html><body><article><h1>Sesiune maraton</h1>${paragraphs.map((p) => `<p>${p}</p>`).join("")}</article></body></html>`;
    const hugeItems: RssItem[] = [];
    const hugePageBytes = Buffer.from(hugePage);
    for (let i = 0; i < 5; i++) {
      server.serve(`${P}/huge/page-${i}`, { headers: html, body: hugePageBytes });
      hugeItems.push({
        title: `Sesiune maraton de buget, partea ${i}`,
        link: `${B}/huge/page-${i}`,
        guid: `huge-${i}`,
        pubDate: now(),
        description: "Rezumat.",
      });
    }
    // …and huge content right in the feed.
    hugeItems.push({
      title: "Stenograma integrală a şedinţei",
      link: `${B}/huge/inline`,
      guid: "huge-inline",
      pubDate: now(),
      content: paragraphs
        .slice(0, 20_000)
        .map((p) => `<p>${p}</p>`)
        .join(""),
    });
    server.serve(P + "/huge/feed", { headers: xml, body: Buffer.from(tagged("Urias", hugeItems)) });
    add(`Urias${tag}`, P + "/huge/feed");

    // 8. Pages that trickle and never end (one slow host must not stall every feed).
    const slowItems: RssItem[] = [];
    for (let i = 0; i < 12; i++) {
      slowItems.push({
        title: `Pagină lentă numărul ${i} despre trafic`,
        link: `${B}/slow/page-${i}`,
        guid: `slow-${i}`,
        pubDate: now(),
        description: "Rezumat lent.",
      });
      server.handle(`${P}/slow/page-${i}`, (_req, res) => {
        res.writeHead(200, html);
        const t = setInterval(() => res.write(" "), 500);
        res.on("close", () => clearInterval(t));
      });
    }
    server.serve(P + "/slow/feed", { headers: xml, body: tagged("Lent", slowItems) });
    add(`Lent${tag}`, P + "/slow/feed");

    // 9. Links into the private network: another loopback port, IPv4-mapped IPv6, a name, and a same-origin redirect.
    server.handle(P + "/ssrf/bounce", (_req, res) => res.writeHead(302, { location: `${priv}/secret` }).end());
    server.serve(P + "/ssrf/feed", {
      headers: xml,
      body: tagged("Curios", [
        {
          title: "Legătură spre reţeaua internă unu",
          link: `${priv}/secret`,
          guid: "ssrf-1",
          pubDate: now(),
          description: "Vezi.",
        },
        {
          title: "Legătură spre reţeaua internă doi",
          link: `http://[::ffff:127.0.0.1]:${privPort}/secret`,
          guid: "ssrf-2",
          pubDate: now(),
          description: "Vezi.",
        },
        {
          title: "Legătură spre reţeaua internă trei",
          link: `http://localhost:${privPort}/secret`,
          guid: "ssrf-3",
          pubDate: now(),
          description: "Vezi.",
        },
        {
          title: "Legătură spre reţeaua internă patru",
          link: `${B}/ssrf/bounce`,
          guid: "ssrf-4",
          pubDate: now(),
          description: "Vezi.",
        },
      ]),
    });
    add(`Curios${tag}`, P + "/ssrf/feed");
    // …and a feed that redirects into the network.
    server.handle(P + "/moved/feed", (_req, res) => res.writeHead(301, { location: `${priv}/feed.xml` }).end());
    add(`Mutat${tag}`, P + "/moved/feed");

    // 10. A JSON Feed with one bad item URL; 11. a UTF-8 feed with one stray byte; 12. malformed XML; 13. a date in year 275760.
    server.serve(P + "/json/feed", {
      headers: { "content-type": "application/feed+json" },
      body: JSON.stringify({
        version: "https://jsonfeed.org/version/1.1",
        title: "JSON",
        items: [
          { id: "j1", url: "http://[broken", title: `Un articol cu adresă stricată${tag}`, content_text: filler(4) },
          {
            id: "j2",
            url: `${B}/json/2`,
            title: `Parlamentul a votat bugetul pe anul viitor${tag}`,
            content_text: `${filler(5)}\n${filler(6)}`,
          },
        ],
      }),
    });
    add(`JSON${tag}`, P + "/json/feed");
    const stray = Buffer.concat([
      Buffer.from(
        tagged("Octet", [
          {
            title: "Şedinţa consiliului judeţean de la Cluj",
            link: `${B}/stray/1`,
            guid: "stray-1",
            pubDate: now(),
            content: `<p>Consilierii judeţeni au aprobat planul de investiţii</p><p>${filler(7)}</p>`,
          },
        ]).replace("Cluj", "Cluj\u0000"),
        "utf8",
      ),
    ]);
    stray[stray.indexOf(0)] = 0xff;
    server.serve(P + "/stray/feed", { headers: { "content-type": "application/rss+xml" }, body: stray });
    add(`Octet${tag}`, P + "/stray/feed");
    server.serve(P + "/malformed/feed", {
      headers: xml,
      body: tagged("Rupt", [
        { title: "Un articol dintr-un flux rupt", link: `${B}/malformed/1`, guid: "m-1", content: `<p>${filler(8)}</p>` },
      ]).slice(0, -18),
    });
    add(`Rupt${tag}`, P + "/malformed/feed");
    server.serve(P + "/future/feed", {
      headers: xml,
      body: tagged("Viitor", [
        { title: "Ştire din viitorul îndepărtat", link: `${B}/future/1`, guid: "f-1", content: `<p>${filler(9)}</p>` },
      ]).replace("<guid", "<pubDate>Sat, 13 Sep 275760 00:00:00 GMT</pubDate><guid"),
    });
    add(`Viitor${tag}`, P + "/future/feed");

    // 14. A flood: 200 new entries at once.
    const flood: RssItem[] = [];
    for (let i = 0; i < 200; i++)
      flood.push({
        title: `Ştirea de umplutură numărul ${i} din flux`,
        link: `${B}/flood/${i}`,
        guid: `flood-${i}`,
        pubDate: now(),
        content: `<p>${filler(1000 + i)}</p>`,
      });
    server.serve(P + "/flood/feed", { headers: xml, body: tagged("Potop", flood) });
    add(`Potop${tag}`, P + "/flood/feed");
  };
  const copies = options.copies ?? 1;
  for (let k = 0; k < copies; k++) build(k === 0 ? "" : `/c${k}`, k === 0 ? "" : ` (${k})`);

  return {
    server,
    privateServer,
    feeds,
    close: async () => {
      await Promise.all([server.close(), privateServer.close()]);
    },
  };
}
