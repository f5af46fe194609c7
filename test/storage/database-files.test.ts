/**
 * The database on disk: owner-only modes, and a start that refuses a database it cannot trust
 * (empty, corrupt, read-only, full disk) with a message naming DATA_DIR and what to do, leaving
 * the file as it was.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dataDirWarnings, DATABASE_FILE, openDatabase, StorageError, storageFailure } from "../../src/storage/database.js";
import type { Migration } from "../../src/storage/migrations.js";

const mode = (path: string) => statSync(path).mode & 0o777;
const fresh = () => join(mkdtempSync(join(tmpdir(), "citat-dbfiles-")), "data");

function openError(dataDir: string, migrations?: readonly Migration[]): StorageError {
  try {
    openDatabase(dataDir, migrations).close();
  } catch (err) {
    expect(err).toBeInstanceOf(StorageError);
    return err as StorageError;
  }
  throw new Error("openDatabase did not fail");
}

describe("database files", () => {
  it("creates DATA_DIR 0700 and the database and its WAL files 0600, even under a permissive umask", () => {
    const dir = fresh();
    const old = process.umask(0o000);
    try {
      const db = openDatabase(dir);
      db.prepare("INSERT INTO sessions (key, value, updated_at) VALUES ('k', '{}', 1)").run();
      expect(mode(dir)).toBe(0o700);
      for (const f of readdirSync(dir)) expect([f, mode(join(dir, f))]).toEqual([f, 0o600]);
      expect(readdirSync(dir)).toContain(`${DATABASE_FILE}-wal`);
      db.close();
    } finally {
      process.umask(old);
    }
    expect(readdirSync(dir)).toEqual([DATABASE_FILE]); // no temporary file left from the creation
    expect(dataDirWarnings(dir)).toEqual([]);
  });

  it("tightens a database an older version left world-readable, and warns about a readable DATA_DIR", () => {
    const dir = fresh();
    openDatabase(dir).close();
    chmodSync(join(dir, DATABASE_FILE), 0o644);
    chmodSync(dir, 0o755);
    expect(dataDirWarnings(dir).join("\n")).toMatch(/DATA_DIR .* is readable by other users; chmod 700/);
    openDatabase(dir).close();
    expect(mode(join(dir, DATABASE_FILE))).toBe(0o600);
  });

  it("refuses a 0-byte database instead of recreating it empty, and leaves it as it was", () => {
    const dir = fresh();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, DATABASE_FILE), "");
    const err = openError(dir);
    expect(err.message).toMatch(/empty \(0 bytes\)/);
    expect(err.message).toMatch(/Restore it from a backup.*mv /);
    expect(statSync(join(dir, DATABASE_FILE)).size).toBe(0);
  });

  it("refuses a corrupt database, says how to recover it, and leaves it as it was", () => {
    const dir = fresh();
    mkdirSync(dir, { recursive: true });
    const garbage = Buffer.from("SQLite format 3\0".padEnd(8192, "x"));
    writeFileSync(join(dir, DATABASE_FILE), garbage);
    const err = openError(dir);
    expect(err.message).toMatch(/is corrupt/);
    expect(err.message).toContain(`DATA_DIR=${dir}`);
    expect(err.message).toMatch(/\.recover/);
    expect(readFileSync(join(dir, DATABASE_FILE)).equals(garbage)).toBe(true);
  });

  it("refuses a database whose pages are damaged (integrity check)", () => {
    const dir = fresh();
    const db = openDatabase(dir);
    const insert = db.prepare("INSERT INTO sessions (key, value, updated_at) VALUES (?, ?, 1)");
    for (let i = 0; i < 2000; i++) insert.run(`k${i}`, JSON.stringify({ __d: "x".repeat(200) }));
    db.close();
    const path = join(dir, DATABASE_FILE);
    const bytes = readFileSync(path);
    bytes.fill(0xa5, 4096 * 3, 4096 * 6); // scribble over a few pages in the middle
    writeFileSync(path, bytes);
    expect(openError(dir).message).toMatch(/is corrupt/);
  });

  it("a full disk is named as such, with DATA_DIR, and leaves no half-made database", () => {
    const dir = fresh();
    // SQLite's page limit gives the very error a full disk gives (SQLITE_FULL).
    const filling: Migration[] = [
      {
        version: 1,
        name: "fill",
        up: "PRAGMA max_page_count = 2; CREATE TABLE a (x); CREATE TABLE b (x); CREATE TABLE c (x)",
        postgres: "",
      },
    ];
    const err = openError(dir, filling);
    expect(err.message).toMatch(new RegExp(`the disk holding DATA_DIR \\(${dir}\\) is full`));
    expect(readdirSync(dir)).toEqual([]);
  });

  it("file-system errors become instructions", () => {
    const e = (code: string) => Object.assign(new Error(`${code}: boom`), { code });
    expect(storageFailure("/d/citat.sqlite", "/d", e("EROFS")).message).toMatch(
      /DATA_DIR \(\/d\) or the database in it cannot be written.*writable/,
    );
    expect(storageFailure("/d/citat.sqlite", "/d", e("ENOSPC")).message).toMatch(/disk holding DATA_DIR \(\/d\) is full/);
    expect(storageFailure("/d/citat.sqlite", "/d", e("ENOTDIR")).message).toMatch(/is not a folder/);
    const file = join(mkdtempSync(join(tmpdir(), "citat-dbfiles-")), "a-file");
    writeFileSync(file, "not a folder");
    expect(openError(file).message).toMatch(/DATA_DIR \(.*a-file\) is not a folder/);
  });

  it("a read-only DATA_DIR and database fail at start with what to do (as an unprivileged user)", () => {
    const dir = fresh();
    openDatabase(dir).close();
    chmodSync(join(dir, DATABASE_FILE), 0o444);
    chmodSync(dir, 0o555);
    chmodSync(join(dir, ".."), 0o755);
    // Root ignores file modes: run the open as "nobody" then, as a real deployment would.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const r = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "-e",
        `import("./src/storage/database.ts").then((m) => m.openDatabase(${JSON.stringify(dir)})).then(() => console.log("opened"), (e) => { console.log(e.message); process.exit(3); })`,
      ],
      {
        encoding: "utf8",
        cwd: process.cwd(),
        env: { PATH: process.env.PATH, HOME: tmpdir() },
        timeout: 30_000,
        ...asNobody,
      },
    );
    expect(r.status, r.stderr).toBe(3);
    expect(r.stdout).toMatch(new RegExp(`DATA_DIR \\(${dir}\\) or the database in it cannot be written`));
    expect(existsSync(join(dir, DATABASE_FILE))).toBe(true);
  }, 30_000);
});
