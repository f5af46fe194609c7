import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadEngine } from "../src/load-engine.js";
import { createMemoryLogger } from "../src/logger.js";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "citat-engine-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const line = (title: string, body: string) => `${JSON.stringify({ title, body, date: "2026-01-05", source: "Test" })}\n`;

describe("loadEngine", () => {
  it("persists the index in the data folder and loads it on the next start", async () => {
    const content = join(root, "content");
    const data = join(root, "data");
    mkdirSync(content);
    writeFileSync(
      join(content, "a.jsonl"),
      line("Vremea", "Ninge abundent la Brașov de două zile.") + line("Trafic", "Autostrada A1 a fost închisă azi."),
    );

    const first = createMemoryLogger();
    const engine = await loadEngine(content, data, first);
    expect(engine.ask("unde ninge").found).toBe(true);
    expect(first.lines).toEqual([
      expect.stringMatching(
        /^info content: 2 articles, 2 passages from 1 files; index built and saved to .*passage-index\.json; in \d+ ms$/,
      ),
    ]);

    const second = createMemoryLogger();
    expect((await loadEngine(content, data, second)).ask("unde ninge").quotes[0]?.text).toBe(
      "Ninge abundent la Brașov de două zile.",
    );
    expect(second.lines).toEqual([
      expect.stringMatching(
        /^info content: 2 articles, 2 passages from 1 files; index loaded from .*passage-index\.json; in \d+ ms$/,
      ),
    ]);

    writeFileSync(
      join(content, "a.jsonl"),
      line("Vremea", "Plouă torențial la Brașov.") + line("Trafic", "Autostrada A1 a fost închisă azi."),
    );
    const third = createMemoryLogger();
    const updated = await loadEngine(content, data, third);
    expect(third.lines[0]).toMatch(/index loaded from .* \(updated: 1 changed\)/);
    expect(updated.ask("unde ploua la brasov").quotes[0]?.text).toBe("Plouă torențial la Brașov.");
    expect(updated.ask("ninge abundent").found).toBe(false);
  });
});
