import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { finishArticle, loadContent, parseFile } from "../../src/content/load-content.js";
import type { ContentError } from "../../src/content/parse-article.js";
import { createMemoryLogger } from "../../src/logger.js";

// Parsing runs in worker threads that load TypeScript when they start: seconds on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "citat-content-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(rel: string, content: string | Uint8Array): Promise<void> {
  const path = join(dir, rel);
  await mkdir(join(path, ".."), { recursive: true });
  await writeFile(path, content);
}

const warnings = (lines: string[]) => lines.filter((l) => l.startsWith("warn "));

describe("loadContent", () => {
  it("loads .txt, .md and .jsonl files (recursively) with cleaned bodies", async () => {
    await put(
      "hotnews-2025-09-01-buget.txt",
      "date 2025-09-01 Bugetul pe 2026\n\nDimensiune text Dimensiune text Mică Normală Mare\n\nGuvernul a aprobat bugetul.\n\nCiteşte şi: Altă ştire\n\nDeficitul scade.",
    );
    await put(
      "sub/inundatii.md",
      "---\ntitle: Inundații la Galați\ndate: 2025-07-10\nurl: https://www.digi24.ro/inundatii\n---\nApele au crescut **mult**.\n\nAu fost evacuați 200 de oameni.",
    );
    await put(
      "feed.jsonl",
      [
        JSON.stringify({
          id: "n1",
          title: "Alegeri",
          body: "Prezența la vot a fost mare.",
          date: "2025-05-04",
          source: "Agerpres",
        }),
        JSON.stringify({ title: "Fără id", body: "Text fără id." }),
      ].join("\n"),
    );
    const logger = createMemoryLogger();
    const result = await loadContent(dir, logger);
    expect(warnings(logger.lines)).toEqual([]);
    expect(result.files).toBe(3);
    expect(result.skipped).toBe(0);
    const byId = new Map(result.articles.map((a) => [a.id, a]));
    expect([...byId.keys()].sort()).toEqual(["feed#2", "feed/n1", "hotnews-2025-09-01-buget", "sub/inundatii"]);

    const txt = byId.get("hotnews-2025-09-01-buget")!;
    expect(txt).toEqual({
      id: "hotnews-2025-09-01-buget",
      title: "Bugetul pe 2026",
      date: "2025-09-01",
      url: null,
      source: "HotNews", // from the file name
      body: "Guvernul a aprobat bugetul.\n\nDeficitul scade.",
    });
    const md = byId.get("sub/inundatii")!;
    expect(md.source).toBe("Digi24"); // from the url
    expect(md.body).toBe("Apele au crescut mult.\n\nAu fost evacuați 200 de oameni.");
    expect(byId.get("feed/n1")!.source).toBe("Agerpres");
    expect(byId.get("feed#2")!.source).toBeNull();
  });

  it("skips a malformed file with a warning naming it, and loads the rest", async () => {
    await put("bun.txt", "date 2025-01-01 Bun\nText bun.");
    await put("stricat.txt", "Fără antet de dată.\nText.");
    await put("stricat.md", "Fără front matter.");
    const logger = createMemoryLogger();
    const result = await loadContent(dir, logger);
    expect(result.articles.map((a) => a.id)).toEqual(["bun"]);
    expect(result.skipped).toBe(2);
    const warned = warnings(logger.lines);
    expect(warned).toHaveLength(2);
    expect(warned.some((w) => w.includes("stricat.txt") && w.includes("date YYYY-MM-DD"))).toBe(true);
    expect(warned.some((w) => w.includes("stricat.md") && w.includes("front matter"))).toBe(true);
  });

  it("skips a malformed JSONL line with a warning naming file and line, keeping the other lines", async () => {
    await put(
      "flux.jsonl",
      [
        JSON.stringify({ id: "a", title: "A", body: "Text A." }),
        '{"id": "b", "title": "B", "body": ',
        JSON.stringify({ id: "c", title: "C", body: "Text C." }),
      ].join("\n"),
    );
    const logger = createMemoryLogger();
    const result = await loadContent(dir, logger);
    expect(result.articles.map((a) => a.id)).toEqual(["flux/a", "flux/c"]);
    expect(result.skipped).toBe(1);
    expect(warnings(logger.lines)).toEqual(["warn content: skipped flux.jsonl:2: not valid JSON"]);
  });

  it("skips a file that is not valid UTF-8", async () => {
    await put("bun.txt", "date 2025-01-01 Bun\nText bun.");
    await put("latin1.txt", Buffer.concat([Buffer.from("date 2025-01-01 Titlu\nTar"), Buffer.from([0xe3, 0xff, 0x0a])]));
    const logger = createMemoryLogger();
    const result = await loadContent(dir, logger);
    expect(result.articles.map((a) => a.id)).toEqual(["bun"]);
    expect(result.skipped).toBe(1);
    expect(warnings(logger.lines)).toEqual(["warn content: skipped latin1.txt: not valid UTF-8 text"]);
  });

  it("keeps the first of two articles with the same id and warns about the second", async () => {
    await put("dublu.md", "---\ntitle: Din markdown\n---\nText md.");
    await put("dublu.txt", "date 2025-01-01 Din txt\nText txt.");
    await put(
      "feed.jsonl",
      [JSON.stringify({ id: "x", title: "X1", body: "Unu." }), JSON.stringify({ id: "x", title: "X2", body: "Doi." })].join("\n"),
    );
    const logger = createMemoryLogger();
    const result = await loadContent(dir, logger);
    expect(result.articles.map((a) => [a.id, a.title])).toEqual([
      ["dublu", "Din markdown"],
      ["feed/x", "X1"],
    ]);
    expect(result.skipped).toBe(2);
    const warned = warnings(logger.lines);
    expect(warned.some((w) => w.includes("dublu.txt") && w.includes('duplicate article id "dublu"'))).toBe(true);
    expect(warned.some((w) => w.includes("feed.jsonl") && w.includes('duplicate article id "feed/x"'))).toBe(true);
  });

  it("skips an article with no text left after cleaning", async () => {
    await put("gol.txt", "date 2025-01-01 Gol\nDimensiune text Dimensiune text Mică Normală Mare\nÎnapoi la Homepage");
    const logger = createMemoryLogger();
    const result = await loadContent(dir, logger);
    expect(result.articles).toEqual([]);
    expect(result.skipped).toBe(1);
    expect(warnings(logger.lines)[0]).toContain("no text left after cleaning");
  });

  it("ignores hidden folders and other extensions", async () => {
    await put("vizibil.txt", "date 2025-01-01 Vizibil\nText.");
    await put(".ascuns/secret.txt", "date 2025-01-01 Ascuns\nText.");
    await put("note.csv", "a,b\n1,2");
    await put("README", "nimic");
    const logger = createMemoryLogger();
    const result = await loadContent(dir, logger);
    expect(result.files).toBe(1);
    expect(result.articles.map((a) => a.id)).toEqual(["vizibil"]);
  });

  it("warns and returns no articles when the folder does not exist", async () => {
    const missing = join(dir, "nu-exista");
    const logger = createMemoryLogger();
    const result = await loadContent(missing, logger);
    expect(result).toEqual({ articles: [], files: 0, skipped: 0 });
    expect(warnings(logger.lines)).toHaveLength(1);
    expect(logger.lines[0]).toContain(missing);
    expect(logger.lines[0]).toContain("does not exist");
  });
});

describe("the seed article", () => {
  it("loads with its metadata and without boilerplate", async () => {
    const logger = createMemoryLogger();
    const { articles, files, skipped } = await loadContent("content", logger);
    expect(warnings(logger.lines)).toEqual([]);
    expect(files).toBeGreaterThanOrEqual(1);
    expect(skipped).toBe(0);
    const seed = articles.find((a) => a.id === "g4media-2025-08-20-belarus-iran");
    expect(seed).toBeDefined();
    expect(seed!.title).toBe(
      "Ţări prietene cu Rusia, Belarusul şi Iranul vor să-şi consolideze legăturile, inclusiv în privinţa apărării",
    );
    expect(seed!.date).toBe("2025-08-20");
    expect(seed!.source).toBe("G4Media");
    expect(seed!.url).toBeNull();
    const paragraphs = seed!.body.split("\n\n");
    expect(paragraphs).toHaveLength(10);
    expect(paragraphs[0]).toMatch(/^Belarusul şi Iranul – două ţări/);
    for (const p of paragraphs) {
      expect(p).not.toContain("\n");
      expect(p).toBe(p.trim());
      expect(p).not.toContain("Dimensiune text");
      expect(p).not.toContain("Urmărește cele mai noi producții video");
      expect(p).not.toMatch(/articolul continuă mai jos/i);
    }
  });
});

describe("parseFile / finishArticle", () => {
  it("derives ids from the relative path and sends line errors to the callback", () => {
    const errors: ContentError[] = [];
    const articles = parseFile(
      `${JSON.stringify({ id: 1, title: "T", body: "Text." })}\nnu e json`,
      join("arhiva", "2025", "flux.jsonl"),
      (e) => errors.push(e),
    );
    expect(articles.map((a) => a.id)).toEqual(["arhiva/2025/flux/1"]);
    expect(errors.map((e) => e.line)).toEqual([2]);
  });

  it("prefers explicit source, then an outlet named in the text, then url, then file name", () => {
    const draft = { id: "x", title: "  Un   titlu\n", date: null, url: "https://www.digi24.ro/x", source: null };
    const promo = "Text.\nUrmărește cele mai noi producții video G4Media - articolul continuă mai jos -";
    expect(finishArticle({ ...draft, source: "Reuters", body: promo }, "hotnews-a.txt").source).toBe("Reuters");
    expect(finishArticle({ ...draft, body: promo }, "hotnews-a.txt").source).toBe("G4Media");
    expect(finishArticle({ ...draft, body: "Text." }, "hotnews-a.txt").source).toBe("Digi24");
    expect(finishArticle({ ...draft, url: null, body: "Text." }, "hotnews-a.txt").source).toBe("HotNews");
    expect(finishArticle({ ...draft, url: null, body: "Text." }, "a.txt").source).toBeNull();
    expect(finishArticle({ ...draft, body: "Text." }, "a.txt").title).toBe("Un titlu");
  });
});
