import { describe, expect, it } from "vitest";
import { articleRef, normalizeDate, normalizeUrl, type Article } from "../../src/content/article.js";
import { outletFromFileName, outletFromUrl } from "../../src/content/outlets.js";
import { ContentError, markdownToText, parseJsonl, parseMarkdown, parseTxt } from "../../src/content/parse-article.js";

describe("parseTxt", () => {
  it("reads the seed's header line and keeps the rest as body", () => {
    const d = parseTxt(" date 2025-08-20 Ţări prietene cu Rusia\n\nPrimul paragraf.\n\nAl doilea.", "id1", "a.txt");
    expect(d).toEqual({
      id: "id1",
      title: "Ţări prietene cu Rusia",
      date: "2025-08-20",
      url: null,
      source: null,
      body: "\nPrimul paragraf.\n\nAl doilea.",
    });
  });

  it("accepts a BOM and CRLF line ends", () => {
    const d = parseTxt("\ufeffdate 2025-01-02 Titlu\r\nCorp.\r\n", "x", "x.txt");
    expect(d.title).toBe("Titlu");
    expect(d.date).toBe("2025-01-02");
    expect(d.body).toBe("Corp.\n");
  });

  it("rejects a missing header with a ContentError naming the file", () => {
    let error: unknown;
    try {
      parseTxt("Doar text, fără antet.\nAltceva.", "x", "sub/x.txt");
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ContentError);
    expect((error as ContentError).file).toBe("sub/x.txt");
    expect((error as ContentError).message).toContain("sub/x.txt");
    expect((error as ContentError).message).toContain("date YYYY-MM-DD");
  });

  it("rejects an impossible date", () => {
    expect(() => parseTxt("date 2025-02-30 Titlu\nCorp.", "x", "x.txt")).toThrow(/2025-02-30/);
    expect(() => parseTxt("date ieri Titlu\nCorp.", "x", "x.txt")).toThrow(ContentError);
  });
});

describe("parseMarkdown", () => {
  it("reads front matter and turns the body into plain paragraphs", () => {
    const md = [
      "---",
      "title: Bugetul pe 2026",
      "date: 2025-09-01",
      "url: https://www.hotnews.ro/bugetul-2026",
      "source: HotNews",
      "---",
      "# Subtitlu",
      "",
      "Guvernul a aprobat [bugetul](https://example.ro) pe **2026**.",
    ].join("\n");
    expect(parseMarkdown(md, "buget", "buget.md")).toEqual({
      id: "buget",
      title: "Bugetul pe 2026",
      date: "2025-09-01",
      url: "https://www.hotnews.ro/bugetul-2026",
      source: "HotNews",
      body: "Subtitlu\nGuvernul a aprobat bugetul pe 2026.",
    });
  });

  it("takes an id from front matter, an ISO date-time, and drops unsafe urls", () => {
    const d = parseMarkdown(
      "---\nid: propriu\ntitle: T\ndate: 2025-08-20T10:00:00Z\nurl: javascript:alert(1)\n---\nCorp.",
      "x",
      "x.md",
    );
    expect(d.id).toBe("propriu");
    expect(d.date).toBe("2025-08-20");
    expect(d.url).toBeNull();
    expect(d.source).toBeNull();
  });

  it("rejects missing front matter, invalid YAML, a non-mapping and a missing title", () => {
    expect(() => parseMarkdown("# Doar markdown\n\nText.", "x", "x.md")).toThrow(/front matter/);
    expect(() => parseMarkdown("---\ntitle: [neînchis\n---\nText.", "x", "x.md")).toThrow(/not valid YAML/);
    expect(() => parseMarkdown("---\n- a\n- b\n---\nText.", "x", "x.md")).toThrow(/mapping/);
    expect(() => parseMarkdown("---\ndate: 2025-01-01\n---\nText.", "x", "x.md")).toThrow(/no title/);
    expect(() => parseMarkdown("---\ntitle: T\n---\nText.", "x", "x.md")).not.toThrow();
  });
});

describe("markdownToText", () => {
  it("keeps the text a reader sees and drops links, images, code and HTML", () => {
    const md = [
      "# Titlu mare",
      "",
      "Un [link](http://x.ro) și ![imagine](a.png) &amp; `cod` **îngroșat**.",
      "",
      "```",
      "cod ascuns",
      "```",
      "",
      "<div>html ascuns</div>",
      "",
      "- unu",
      "- doi",
      "",
      "> citat aici",
      "",
      "| a | b |",
      "|---|---|",
      "| 1 | 2 |",
      "",
      "Rând&nbsp;nou &#x219; &#537; &lt;b&gt;",
    ].join("\n");
    expect(markdownToText(md).split("\n")).toEqual([
      "Titlu mare",
      "Un link și  & cod îngroșat.",
      "unu",
      "doi",
      "citat aici",
      "a | b",
      "1 | 2",
      "Rând nou ș ș <b>",
    ]);
  });
});

describe("parseJsonl", () => {
  it("reads one article per line, reporting bad lines with their numbers", () => {
    const text = [
      JSON.stringify({
        id: "a1",
        title: "Primul",
        body: "Corp unu.",
        date: "2025-08-01",
        url: "https://digi24.ro/x",
        source: "Digi24",
      }),
      "{not json",
      "",
      JSON.stringify({ title: "Fără id", body: "Corp doi." }),
      JSON.stringify([1, 2]),
      JSON.stringify({ title: "Fără corp" }),
      JSON.stringify({ id: 7, title: "Id numeric", body: "Corp trei.", date: "nu e dată" }),
    ].join("\n");
    const errors: ContentError[] = [];
    const drafts = parseJsonl(text, "feed", "feed.jsonl", (e) => errors.push(e));
    expect(drafts.map((d) => d.id)).toEqual(["feed/a1", "feed#4", "feed/7"]);
    expect(drafts[0]).toEqual({
      id: "feed/a1",
      title: "Primul",
      date: "2025-08-01",
      url: "https://digi24.ro/x",
      source: "Digi24",
      body: "Corp unu.",
    });
    expect(drafts[2]!.date).toBeNull();
    expect(errors.map((e) => [e.file, e.line])).toEqual([
      ["feed.jsonl", 2],
      ["feed.jsonl", 5],
      ["feed.jsonl", 6],
    ]);
    expect(errors[0]!.message).toBe("content: skipped feed.jsonl:2: not valid JSON");
  });
});

describe("normalizeDate / normalizeUrl", () => {
  it("normalizes dates", () => {
    expect(normalizeDate("2025-08-20")).toBe("2025-08-20");
    expect(normalizeDate(" 2025-08-20T23:59:00+03:00")).toBe("2025-08-20");
    expect(normalizeDate(new Date("2024-02-29T12:00:00Z"))).toBe("2024-02-29");
    expect(normalizeDate("2025-02-29")).toBeNull();
    expect(normalizeDate("2025-13-01")).toBeNull();
    expect(normalizeDate("20 august 2025")).toBeNull();
    expect(normalizeDate(new Date("nope"))).toBeNull();
    expect(normalizeDate(20250820)).toBeNull();
  });

  it("keeps only absolute http(s) urls", () => {
    expect(normalizeUrl(" https://g4media.ro/a b ")).toBe("https://g4media.ro/a%20b");
    expect(normalizeUrl("http://x.ro")).toBe("http://x.ro/");
    expect(normalizeUrl("javascript:alert(1)")).toBeNull();
    expect(normalizeUrl("/relativ")).toBeNull();
    expect(normalizeUrl("")).toBeNull();
    expect(normalizeUrl(42)).toBeNull();
  });

  it("articleRef keeps only the metadata", () => {
    const a: Article = { id: "i", title: "t", date: null, url: null, source: "S", body: "lung" };
    expect(articleRef(a)).toEqual({ id: "i", title: "t", date: null, url: null, source: "S" });
  });
});

describe("outlets", () => {
  it("recognises an outlet by domain, including subdomains", () => {
    expect(outletFromUrl("https://www.g4media.ro/x")).toBe("G4Media");
    expect(outletFromUrl("https://romania.europalibera.org/a")).toBe("Europa Liberă România");
    expect(outletFromUrl("https://sport.hotnews.ro/a")).toBe("HotNews");
    expect(outletFromUrl("https://notg4media.ro/x")).toBeNull();
    expect(outletFromUrl("not a url")).toBeNull();
    expect(outletFromUrl(null)).toBeNull();
  });

  it("recognises an outlet by file-name prefix", () => {
    expect(outletFromFileName("g4media-2025-08-20-belarus-iran.txt")).toBe("G4Media");
    expect(outletFromFileName("arhiva/Digi24_2025.md")).toBe("Digi24");
    expect(outletFromFileName("reuters-2025.txt")).toBeNull();
  });
});
