import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { migrate, openDatabase, StorageError } from "../../src/storage/database.js";
import type { Migration } from "../../src/storage/migrations.js";

const M: Migration[] = [
  { version: 2, name: "notes", up: "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)" },
  { version: 1, name: "people", up: "CREATE TABLE people (id INTEGER PRIMARY KEY)" },
];

describe("openDatabase and migrations", () => {
  it("creates the file under DATA_DIR and applies migrations in version order, once", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "citat-db-")), "nested");
    const db = openDatabase(dir, M);
    expect((db.prepare("SELECT version, name FROM schema_migrations ORDER BY version").all() as unknown[])).toEqual([
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
    const bad: Migration[] = [
      { version: 1, name: "ok", up: "CREATE TABLE a (x)" },
      { version: 2, name: "broken", up: "CREATE TABLE b (y); THIS IS NOT SQL" },
    ];
    expect(() => migrate(db, bad)).toThrow(StorageError);
    expect(() => migrate(db, bad)).toThrow(/migration 2 \(broken\)/);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[]).map((r) => r.name);
    expect(tables).toContain("a");
    expect(tables).not.toContain("b");
  });

  it("refuses two migrations with one version", () => {
    const db = openDatabase(":memory:", []);
    expect(() => migrate(db, [M[0]!, { ...M[0]!, name: "dup" }])).toThrow(/share version 2/);
  });
});
