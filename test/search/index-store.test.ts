import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Article } from "../../src/content/article.js";
import { createMemoryLogger } from "../../src/logger.js";
import { INDEX_FILE, IndexStore } from "../../src/search/index-store.js";
import { PassageIndex } from "../../src/search/passage-index.js";
import { article, BUGET, INUNDATII } from "./fixtures.js";

const ALEGERI = article("alegeri", "Alegerile prezidențiale au loc în noiembrie. Candidații își depun dosarele.");
const ALL = [BUGET, INUNDATII, ALEGERI];
const SPORT = article("sport", "Echipa a câștigat meciul de aseară.");
const TEHNOLOGIE = article("tehnologie", "Noul telefon costă 5.000 de lei.");

/** Ids of the articles whose passages match a query, best first, without repeats. */
const hits = (index: PassageIndex, query: string) => [
  ...new Set(index.search(query).map((r) => index.passage(r.id as number)!.article.id)),
];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "citat-index-"));
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

async function openWith(articles: Article[], dataDir = dir) {
  const logger = createMemoryLogger();
  const store = new IndexStore(dataDir, logger);
  const result = await store.open(articles);
  return { ...result, logger, store };
}

describe("IndexStore", () => {
  it("builds and saves the index when there is no file", async () => {
    const { index, stats, logger } = await openWith(ALL);
    expect(stats).toMatchObject({ source: "built", indexed: 3, kept: 0, saved: true });
    expect(stats.reason).toBeUndefined();
    expect(index.passageCount).toBe(7);
    expect(existsSync(join(dir, INDEX_FILE))).toBe(true);
    expect(logger.lines).toEqual([]);
    // Written atomically: no temporary file is left behind.
    expect(readdirSync(dir)).toEqual([INDEX_FILE]);
  });

  it("loads unchanged content from disk without re-indexing", async () => {
    const built = (await openWith(ALL)).index;
    const before = readFileSync(join(dir, INDEX_FILE), "utf8");
    // Every indexed sentence and title goes through analyze: count them.
    const analyzed = vi.spyOn(PassageIndex.prototype as unknown as { analyze: () => number }, "analyze");
    const { index, stats, logger } = await openWith(ALL.map((a) => ({ ...a })));
    expect(analyzed).not.toHaveBeenCalled();
    expect(stats).toMatchObject({ source: "loaded", kept: 3, indexed: 0, changed: 0, removed: 0, saved: false });
    expect(logger.lines).toEqual([]);
    expect(readFileSync(join(dir, INDEX_FILE), "utf8")).toBe(before);
    expect(index.passageCount).toBe(built.passageCount);
    expect(index.articleCount).toBe(3);
    for (const q of ["galati", "ministrul finantelor", "alegerile din noiembrie", "deficit buget 2026"]) {
      expect(index.search(q)).toEqual(built.search(q));
    }
    expect(index.documentFrequency("bugetul")).toBe(built.documentFrequency("bugetul"));
    const p = index.passage(index.search("galati")[0]!.id as number)!;
    expect(p.article.body.slice(p.span.start, p.span.end)).toBe("Apele Dunării au crescut la Galați.");
  });

  it("uses the current article object when only metadata changed", async () => {
    await openWith(ALL);
    const dated = { ...INUNDATII, date: "2025-09-09", url: "https://example.ro/x" };
    const { index, stats } = await openWith([BUGET, dated, ALEGERI]);
    expect(stats).toMatchObject({ kept: 3, indexed: 0 });
    expect(index.passage(index.search("galati")[0]!.id as number)!.article).toBe(dated);
  });

  it("re-indexes a changed article, drops a removed one and adds a new one", async () => {
    await openWith([...ALL, SPORT, TEHNOLOGIE]);
    const changed = article("buget", "Parlamentul a respins bugetul.", { title: "Buget respins" });
    const added = article("vreme", "Ninge abundent la Brașov de două zile.");
    const analyzed = vi.spyOn(PassageIndex.prototype as unknown as { analyze: () => number }, "analyze");
    const { index, stats } = await openWith([changed, ALEGERI, added, SPORT, TEHNOLOGIE]);
    expect(stats).toMatchObject({ source: "loaded", kept: 3, indexed: 2, changed: 1, removed: 1, saved: true });
    // Only the changed and the new article were analysed: one title and one sentence each.
    expect(analyzed).toHaveBeenCalledTimes(4);
    expect(hits(index, "parlamentul")).toEqual(["buget"]);
    expect(hits(index, "deficitul")).toEqual([]);
    expect(hits(index, "galati")).toEqual([]);
    expect(index.hasArticle("inundatii")).toBe(false);
    expect(hits(index, "ninge brasov")).toEqual(["vreme"]);
    expect(index.articleCount).toBe(5);
    expect(index.passageCount).toBe(6);
    expect(index.documentFrequency("deficit")).toBe(0);
    // Saving vacuumed the removed passages' postings: the file holds none of them.
    expect(index.dirtCount).toBe(0);
    expect(readFileSync(join(dir, INDEX_FILE), "utf8")).not.toMatch(/"defic"|"galat"/);

    // The saved file holds the update: the next start keeps everything.
    const again = await openWith([changed, ALEGERI, added, SPORT, TEHNOLOGIE]);
    expect(again.stats).toMatchObject({ source: "loaded", kept: 5, indexed: 0, saved: false });
    expect(hits(again.index, "parlamentul")).toEqual(["buget"]);
    expect(hits(again.index, "galati")).toEqual([]);
    expect(again.index.search("ninge")).toEqual(index.search("ninge"));
  });

  it("rebuilds from a fresh start when most of the content changed", async () => {
    await openWith(ALL);
    const { index, stats } = await openWith([article("nou", "Un articol cu totul nou despre trenuri.")]);
    expect(stats.source).toBe("built");
    expect(stats.reason).toMatch(/3 of 3 articles changed/);
    expect(hits(index, "trenuri")).toEqual(["nou"]);
    expect(index.idSpace).toBe(1);
  });

  it.each([
    ["garbage", () => "\u0000\u0001 not an index"],
    ["truncated", (text: string) => text.slice(0, Math.floor(text.length / 2))],
    ["a damaged sentence index", (text: string) => text.replace(/\n\{"documentCount"/, '\n{"documentCount":oops,')],
    ["an inconsistent header", (text: string) => text.replace(/"nextId":\d+/, '"nextId":2')],
  ])("rebuilds a corrupt file (%s) with a warning", async (_name, damage) => {
    await openWith(ALL);
    const path = join(dir, INDEX_FILE);
    writeFileSync(path, damage(readFileSync(path, "utf8")));
    const { index, stats, logger } = await openWith(ALL);
    expect(stats).toMatchObject({ source: "built", indexed: 3, saved: true });
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatch(/^warn index: .*passage-index\.json is unreadable \(.+\); rebuilding it from the content/);
    expect(hits(index, "galati")).toEqual(["inundatii"]);
    // The rewritten file is good again.
    expect((await openWith(ALL)).stats).toMatchObject({ source: "loaded", kept: 3 });
  });

  it("rebuilds a file written with another analyzer or other options", async () => {
    await openWith(ALL);
    const path = join(dir, INDEX_FILE);
    writeFileSync(path, readFileSync(path, "utf8").replace(/"fingerprint":"[0-9a-f]+"/, '"fingerprint":"0123456789abcdef"'));
    const { index, stats, logger } = await openWith(ALL);
    expect(stats).toMatchObject({ source: "built", indexed: 3 });
    expect(stats.reason).toMatch(/another analyzer or other index options/);
    expect(logger.lines).toEqual([
      expect.stringMatching(/^warn index: .* was built with another analyzer or other index options; rebuilding it/),
    ]);
    expect(hits(index, "galati")).toEqual(["inundatii"]);
  });

  it("rebuilds a file of another format version", async () => {
    await openWith(ALL);
    const path = join(dir, INDEX_FILE);
    writeFileSync(path, readFileSync(path, "utf8").replace(/"version":\d+,/, '"version":99,'));
    const { stats, logger } = await openWith(ALL);
    expect(stats.source).toBe("built");
    expect(logger.lines[0]).toMatch(/file format 99/);
  });

  it("rebuilds a file of the three-line format 1 (before the sentences' words were stored) as an upgrade", async () => {
    await openWith(ALL);
    const path = join(dir, INDEX_FILE);
    const lines = readFileSync(path, "utf8").split("\n");
    writeFileSync(path, `${[lines[0]!.replace(/"version":\d+,/, '"version":1,'), lines[1], lines[2]].join("\n")}\n`);
    const { index, stats, logger } = await openWith(ALL);
    expect(stats).toMatchObject({ source: "built", saved: true });
    expect(logger.lines).toEqual([expect.stringMatching(/was built with file format 1 \(this version reads \d+\); rebuilding/)]);
    expect(index.sentenceWords(0)).toBeDefined();
    expect(hits(index, "galati")).toEqual(["inundatii"]);
  });

  it("rebuilds a file whose words line is missing", async () => {
    await openWith(ALL);
    const path = join(dir, INDEX_FILE);
    const lines = readFileSync(path, "utf8").split("\n");
    writeFileSync(path, `${lines.slice(0, 3).join("\n")}\n`);
    const { stats, logger } = await openWith(ALL);
    expect(stats.source).toBe("built");
    expect(logger.lines[0]).toMatch(/unreadable \(truncated file\)/);
  });

  it("keeps working when the data folder cannot be written", async () => {
    const notADir = join(dir, "file");
    writeFileSync(notADir, "x");
    const { index, stats, logger } = await openWith(ALL, join(notADir, "data"));
    expect(stats).toMatchObject({ source: "built", saved: false });
    expect(logger.lines).toEqual([
      expect.stringMatching(/^warn index: could not write .*; the bot works, but the next start will re-index/),
    ]);
    expect(hits(index, "galati")).toEqual(["inundatii"]);
  });

  it("saves live updates: add or remove, then save", async () => {
    const { index, store } = await openWith(ALL);
    index.add(article("vreme", "Ninge abundent la Brașov de două zile."));
    index.remove("buget");
    // Saves requested while one is running are coalesced; all resolve once the latest is on disk.
    const saves = [store.save(index), store.save(index), store.save(index)];
    expect(await Promise.all(saves)).toEqual([true, true, true]);
    const { index: reopened, stats } = await openWith([
      INUNDATII,
      ALEGERI,
      article("vreme", "Ninge abundent la Brașov de două zile."),
    ]);
    expect(stats).toMatchObject({ source: "loaded", kept: 3, indexed: 0, removed: 0 });
    expect(hits(reopened, "ninge")).toEqual(["vreme"]);
    expect(hits(reopened, "bugetul")).toEqual([]);
  });
});
