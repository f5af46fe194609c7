import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { extractArticle } from "../../src/feeds/extract-article.js";
import { decodeText } from "../../src/feeds/fetch-feed.js";
import { FeedParseError, htmlToParagraphs, parseFeedText, stripDoctype } from "../../src/feeds/parse-feed.js";
import { articlePage, BELARUS_IRAN_PARAGRAPHS, rssFeed } from "./feed-server.js";

const fixture = (name: string, contentType = "application/xml") =>
  decodeText(readFileSync(new URL(`../fixtures/feeds/${name}`, import.meta.url)), contentType);
const BASE = "https://example.ro/feed";

describe("parseFeedText on real-world feeds (rss-parser's fixtures)", () => {
  it("RSS 2.0 news feed: entities decoded, links, guids and dates", () => {
    const feed = parseFeedText(fixture("guardian.rss"), "application/rss+xml", BASE);
    expect(feed.entries).toHaveLength(55);
    const first = feed.entries[0]!;
    expect(first.title).toMatch(/^Trump State of the Union/);
    expect(first.url).toMatch(/^https:\/\/www\.theguardian\.com\//);
    expect(first.published?.toISOString()).toBe("2018-01-31T07:26:05.000Z");
    expect(feed.entries.every((e) => !/&amp;|&#\d+;/.test(e.title))).toBe(true);
  });

  it("Atom with HTML content, RSS 1.0 (RDF), content:encoded", () => {
    const atom = parseFeedText(fixture("heise.atom"), "application/atom+xml", BASE);
    expect(atom.entries).toHaveLength(15);
    expect(atom.entries[0]?.contentHtml).toBeTruthy();
    const rdf = parseFeedText(fixture("rss-1.rss"), "application/rdf+xml", BASE);
    expect(rdf.entries.length).toBeGreaterThan(60);
    expect(rdf.entries[0]?.url).toMatch(/^http:\/\/science\.sciencemag\.org\//);
    const encoded = parseFeedText(fixture("content-encoded.rss"), "application/rss+xml", BASE);
    expect(htmlToParagraphs(encoded.entries[0]!.contentHtml!).join(" ").length).toBeGreaterThan(500);
  });

  it("ISO-8859-1 declared in the XML, and undeclared ISO-8859-1 bytes", () => {
    const declared = parseFeedText(fixture("encoding.rss"), "text/xml", BASE);
    expect(declared.entries[0]?.title).toBe("Mãe de utente é a nova presidente da Raríssimas");
    const undeclared = parseFeedText(fixture("uolNoticias.rss"), "text/xml", BASE);
    expect(undeclared.title).toBe("UOL Noticias");
    expect(undeclared.entries.map((e) => e.title).join(" ")).toMatch(/ç|ã|é/);
  });

  it("an entry with only an id, and a page that is no feed", () => {
    const missing = parseFeedText(fixture("missing-fields.atom"), "application/atom+xml", BASE);
    expect(missing.entries[0]).toMatchObject({ title: "", url: null, published: null });
    expect(() => parseFeedText(fixture("unrecognized.rss"), "text/html", BASE)).toThrow(FeedParseError);
  });
});

describe("parseFeedText on Romanian and hostile feeds", () => {
  it("reads a Romanian feed with diacritics (both spellings), ttl and relative links (against the channel's link)", () => {
    const xml = rssFeed(
      "Știri de test",
      [
        {
          title: "Belarusul şi Iranul semnează un acord",
          link: "/2025/08/21/acord",
          guid: "st-1",
          pubDate: new Date("2025-08-21T09:00:00Z"),
          description: "<p>Rezumat &amp; detalii</p>",
        },
      ],
      "<ttl>45</ttl>",
    );
    const feed = parseFeedText(xml, "application/rss+xml; charset=utf-8", "https://stiri.example.ro/feed");
    expect(feed.ttlMinutes).toBe(45);
    expect(feed.entries[0]).toMatchObject({
      title: "Belarusul şi Iranul semnează un acord",
      url: "https://example.ro/2025/08/21/acord",
      guid: "st-1",
    });
    expect(htmlToParagraphs(feed.entries[0]!.summaryHtml!)).toEqual(["Rezumat & detalii"]);
  });

  it("reads JSON Feed 1.1", () => {
    const json = JSON.stringify({
      version: "https://jsonfeed.org/version/1.1",
      title: "Flux JSON",
      items: [
        {
          id: "j1",
          url: "https://example.ro/j1",
          title: "Titlu",
          content_text: "Primul paragraf.\nAl doilea.",
          date_published: "2025-08-21T10:00:00+03:00",
        },
      ],
    });
    const feed = parseFeedText(json, "application/feed+json", BASE);
    expect(feed.title).toBe("Flux JSON");
    expect(feed.entries[0]).toMatchObject({ guid: "j1", url: "https://example.ro/j1", title: "Titlu" });
    expect(htmlToParagraphs(feed.entries[0]!.contentHtml!)).toEqual(["Primul paragraf.", "Al doilea."]);
    expect(() => parseFeedText('{"hello": 1}', "application/json", BASE)).toThrow(/not a JSON Feed/);
    expect(() => parseFeedText("{broken", "application/json", BASE)).toThrow(FeedParseError);
  });

  it("never expands internal entities (billion laughs) and stays fast", () => {
    const levels = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join("");
    const xml = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">${levels}]><rss version="2.0"><channel><title>Laughs</title><item><title>&lol9;</title><link>https://e.ro/a</link></item></channel></rss>`;
    expect(stripDoctype(xml)).not.toContain("ENTITY");
    const started = performance.now();
    const feed = parseFeedText(xml, "application/rss+xml", BASE);
    expect(performance.now() - started).toBeLessThan(500);
    expect(feed.entries[0]!.title.length).toBeLessThan(100);
  });

  it("refuses malformed or non-feed text with FeedParseError, never another exception", () => {
    for (const bad of [
      "<rss><channel><item><title>unclosed",
      "<<<>>>",
      "plain text",
      "<html><body>Not a feed</body></html>",
      "",
    ]) {
      let thrown: unknown = null;
      try {
        const feed = parseFeedText(bad, "text/xml", BASE);
        // A lenient parse is fine as long as it is a well-formed result.
        expect(Array.isArray(feed.entries)).toBe(true);
      } catch (err) {
        thrown = err;
      }
      if (thrown !== null) expect(thrown).toBeInstanceOf(FeedParseError);
    }
  });
});

describe("htmlToParagraphs and extractArticle", () => {
  it("turns HTML into paragraphs without scripts, figures or captions", () => {
    expect(
      htmlToParagraphs(
        "<p>Unu <b>doi</b></p><script>x()</script><figure><figcaption>Foto</figcaption></figure><div>Trei<br>patru</div>",
      ),
    ).toEqual(["Unu doi", "Trei", "patru"]);
  });

  it("extracts the main text of a news page, and its canonical link", () => {
    const page = extractArticle(
      articlePage("Acord Belarus–Iran", BELARUS_IRAN_PARAGRAPHS, "https://stiri.example.ro/acord"),
      "https://stiri.example.ro/acord?utm_source=rss",
    );
    expect(page.canonicalUrl).toBe("https://stiri.example.ro/acord");
    expect(page.paragraphs).toEqual(BELARUS_IRAN_PARAGRAPHS);
  });

  it("gives no paragraphs (not an exception) for a page without an article", () => {
    expect(extractArticle("<html><body><nav>meniu</nav></body></html>", "https://e.ro/").paragraphs).toEqual([]);
    expect(extractArticle("", "https://e.ro/").paragraphs).toEqual([]);
  });
});
