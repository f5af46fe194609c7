import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/storage/database.js";
import { SqliteSessionStorage } from "../../src/storage/session-storage.js";

describe("SqliteSessionStorage", () => {
  it("reads, writes, replaces and deletes JSON values by key", () => {
    const db = openDatabase(":memory:");
    const s = new SqliteSessionStorage<{ __d: { n: number }; e?: number }>(db);
    expect(s.read("1")).toBeUndefined();
    s.write("1", { __d: { n: 1 } });
    s.write("1", { __d: { n: 2 } });
    s.write("-5:7", { __d: { n: 3 } });
    expect(s.read("1")).toEqual({ __d: { n: 2 } });
    s.delete("1");
    expect(s.read("1")).toBeUndefined();
    expect(s.read("-5:7")).toEqual({ __d: { n: 3 } });
  });

  it("prunes expired sessions at start and every N writes; a corrupt value reads as none", () => {
    const db = openDatabase(":memory:");
    let now = 1_000;
    const s = new SqliteSessionStorage<{ __d: number; e: number }>(db, () => now, 2);
    s.write("old", { __d: 1, e: 1_500 });
    s.write("new", { __d: 2, e: 5_000 }); // second write: prunes (nothing expired yet)
    now = 2_000;
    expect(s.prune()).toBe(1);
    expect(s.read("old")).toBeUndefined();
    expect(s.read("new")).toEqual({ __d: 2, e: 5_000 });
    db.prepare("UPDATE sessions SET value = '{not json' WHERE key = 'new'").run();
    expect(s.read("new")).toBeUndefined();
  });
});
