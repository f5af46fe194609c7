/** The persisted index on disk: owner-only, and no copies left behind by interrupted writes. */
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMemoryLogger } from "../../src/logger.js";
import { INDEX_FILE, IndexStore } from "../../src/search/index-store.js";
import { BUGET, INUNDATII } from "./fixtures.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "citat-index-files-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("IndexStore files", () => {
  it("writes the index (through its temporary file) owner-only, whatever the umask", async () => {
    const dataDir = join(dir, "data");
    const old = process.umask(0o000);
    try {
      await new IndexStore(dataDir, createMemoryLogger()).open([BUGET, INUNDATII]);
    } finally {
      process.umask(old);
    }
    // rename keeps the temporary file's mode: 0600 here means it was 0600 while being written.
    expect(statSync(join(dataDir, INDEX_FILE)).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  });

  it("an index file an older version left readable becomes owner-only at start", async () => {
    await new IndexStore(dir, createMemoryLogger()).open([BUGET]);
    chmodSync(join(dir, INDEX_FILE), 0o644);
    await new IndexStore(dir, createMemoryLogger()).open([BUGET]);
    expect(statSync(join(dir, INDEX_FILE)).mode & 0o777).toBe(0o600);
  });

  it("removes temporary files left by interrupted writes at start, not those of a live writer", async () => {
    const tmp = (pid: number, hex = "0a1b2c3d") => `${INDEX_FILE}.${pid}.${hex}.tmp`;
    const dead = tmp(99_999_999); // above any pid_max: no such process
    const mine = tmp(process.pid); // a previous process with this pid (pid 1 in a container)
    const live = tmp(process.ppid); // a running process: a write in progress
    const liveButOld = tmp(process.ppid, "ffff0000");
    const unrelated = [`${INDEX_FILE}.bak`, "notes.tmp", `${INDEX_FILE}.x.y.tmp`];
    for (const f of [dead, mine, live, liveButOld, ...unrelated]) writeFileSync(join(dir, f), "partial");
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    utimesSync(join(dir, liveButOld), twoHoursAgo, twoHoursAgo);

    const logger = createMemoryLogger();
    await new IndexStore(dir, logger).open([BUGET]);
    expect(readdirSync(dir).sort()).toEqual([INDEX_FILE, live, ...unrelated].sort());
    expect(logger.lines).toContain(`info index: removed 3 temporary file(s) left by an interrupted write in ${dir}`);
  });
});
