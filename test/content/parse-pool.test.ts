/**
 * The parsing worker pool: a job over its time limit is stopped by terminating its worker
 * (the event loop never waits for it), a job that eats memory kills only its worker, and the
 * pool goes on with fresh workers. A content file that makes `marked` quadratic is one such job.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { afterAll, describe, expect, it } from "vitest";
import { setLimits } from "../../src/content/limits.js";
import { loadContent } from "../../src/content/load-content.js";
import { ParseJobError, ParsePool } from "../../src/content/parse-pool.js";
import { createMemoryLogger } from "../../src/logger.js";

const pool = new ParsePool({ size: 1, memoryMb: 64 });
afterAll(() => pool.close());

describe("ParsePool", () => {
  it("terminates a job that never ends at its time limit, without blocking the event loop, and keeps working", async () => {
    await pool.run({ kind: "entry", title: "", contentHtml: "<p>pornire</p>", summaryHtml: null }); // the worker is up
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const err = await pool.run({ kind: "test-spin" }, 500).catch((e: unknown) => e);
    delay.disable();
    expect(err).toBeInstanceOf(ParseJobError);
    expect((err as ParseJobError).reason).toBe("timeout");
    expect(delay.max / 1e6).toBeLessThan(400); // the spin ran in the worker, not here
    expect(pool.killed).toBe(1);
    expect(await pool.run({ kind: "entry", title: "", contentHtml: "<p>Unu</p><p>doi</p>", summaryHtml: null })).toEqual({
      title: "",
      content: ["Unu", "doi"],
      summary: [],
    });
  }, 60_000);

  it("loses only the worker when a job exceeds the worker's heap", async () => {
    const err = await pool.run({ kind: "test-grow" }, 60_000).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: "crash" });
    expect(await pool.run({ kind: "entry", title: "", contentHtml: "<p>Încă merge</p>", summaryHtml: null })).toMatchObject({
      content: ["Încă merge"],
    });
  }, 90_000);
});

describe("a content file that makes marked quadratic", () => {
  const dir = mkdtempSync(join(tmpdir(), "citat-md-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("is skipped with a warning once its parse passes the time limit; the others load", async () => {
    writeFileSync(join(dir, "bomb.md"), `---\ntitle: Emfază fără sfârşit\ndate: 2025-08-21\n---\n${"_a".repeat(40_000)}\n`);
    writeFileSync(
      join(dir, "ok.txt"),
      "date 2025-08-21 Un articol obişnuit\nPrimăria a anunţat joi lucrări de reparaţii pe trei străzi din centru.\n",
    );
    const previous = setLimits({ parseTimeoutMs: 1500, parseMsPerMb: 0 });
    try {
      const logger = createMemoryLogger();
      const delay = monitorEventLoopDelay({ resolution: 10 });
      delay.enable();
      const { articles } = await loadContent(dir, logger);
      delay.disable();
      expect(articles.map((a) => a.id)).toEqual(["ok"]);
      expect(logger.lines).toContainEqual(expect.stringMatching(/bomb\.md.*parsing took longer than 1500 ms/));
      expect(delay.max / 1e6).toBeLessThan(1000); // the old synchronous parse blocked for ~12 s
    } finally {
      setLimits(previous);
    }
  }, 60_000);
});
