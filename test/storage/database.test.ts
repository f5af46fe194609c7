import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { migrate, migratePostgres, openDatabase, openPostgres, openSqlite, StorageError } from "../../src/storage/database.js";
import type { Migration } from "../../src/storage/migrations.js";
import type { SqlDatabase } from "../../src/storage/sql.js";
import { createSchema, hasPostgres } from "../support/backends.js";

const M: Migration[] = [
  {
    version: 2,
    name: "notes",
    up: "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)",
    postgres: "CREATE TABLE notes (id SERIAL PRIMARY KEY, text TEXT NOT NULL)",
  },
  {
    version: 1,
    name: "people",
    up: "CREATE TABLE people (id INTEGER PRIMARY KEY)",
    postgres: "CREATE TABLE people (id INTEGER PRIMARY KEY)",
  },
];
const BAD: Migration[] = [
  { version: 1, name: "ok", up: "CREATE TABLE a (x INTEGER)", postgres: "CREATE TABLE a (x INTEGER)" },
  {
    version: 2,
    name: "broken",
    up: "CREATE TABLE b (y INTEGER); THIS IS NOT SQL",
    postgres: "CREATE TABLE b (y INTEGER); THIS IS NOT SQL",
  },
];

const versions = async (db: SqlDatabase) =>
  (await db.all<{ version: number; name: string }>("SELECT version, name FROM schema_migrations ORDER BY version")).map((r) => ({
    version: Number(r.version),
    name: r.name,
  }));

describe("SQLite: openDatabase and migrations", () => {
  it("creates the file under DATA_DIR and applies migrations in version order, once", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "citat-db-")), "nested");
    const db = openDatabase(dir, M);
    expect(db.prepare("SELECT version, name FROM schema_migrations ORDER BY version").all() as unknown[]).toEqual([
      { version: 1, name: "people" },
      { version: 2, name: "notes" },
    ]);
    db.prepare("INSERT INTO notes (text) VALUES (?)").run("kept");
    db.close();
    const again = openDatabase(dir, M);
    expect(migrate(again, M)).toBe(0);
    expect(again.prepare("SELECT text FROM notes").get()).toEqual({ text: "kept" });
    again.close();
  });

  it("a failing migration is rolled back whole and named in the error", () => {
    const db = openDatabase(":memory:", []);
    expect(() => migrate(db, BAD)).toThrow(StorageError);
    expect(() => migrate(db, BAD)).toThrow(/migration 2 \(broken\)/);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[]).map(
      (r) => r.name,
    );
    expect(tables).toContain("a");
    expect(tables).not.toContain("b");
  });

  it("refuses two migrations with one version", () => {
    const db = openDatabase(":memory:", []);
    expect(() => migrate(db, [M[0]!, { ...M[0]!, name: "dup" }])).toThrow(/share version 2/);
  });

  it("openSqlite gives the same database behind SqlDatabase", async () => {
    const db = await openSqlite(":memory:", M);
    expect(await versions(db)).toEqual([
      { version: 1, name: "people" },
      { version: 2, name: "notes" },
    ]);
    await db.close();
  });
});

describe.skipIf(!hasPostgres)("Postgres: openPostgres and migrations", () => {
  it("applies migrations once even when two instances start together; a broken one rolls back whole", async () => {
    const { url, drop } = await createSchema();
    try {
      const [a, b] = await Promise.all([openPostgres(url, M), openPostgres(url, M)]);
      expect(await versions(a)).toEqual([
        { version: 1, name: "people" },
        { version: 2, name: "notes" },
      ]);
      await b.close();
      await expect(migratePostgres(a, [...M, { ...BAD[1]!, version: 3 }])).rejects.toThrow(/migration 3 \(broken\)/);
      expect(await a.get("SELECT to_regclass('b') AS t")).toEqual({ t: null });
      await a.close();
    } finally {
      await drop();
    }
  });

  it("an unreachable server is a StorageError naming the URL without its password", async () => {
    await expect(openPostgres("postgres://user:secret@127.0.0.1:1/none", M)).rejects.toThrow(/cannot connect.*127\.0\.0\.1:1/);
    await expect(openPostgres("postgres://user:secret@127.0.0.1:1/none", M)).rejects.not.toThrow(/secret/);
  });
});
