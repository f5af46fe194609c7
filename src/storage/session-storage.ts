/**
 * Session values in the `sessions` table, in the shape of grammY's StorageAdapter (read, write,
 * delete by key). Values are JSON. grammY's `enhanceStorage` wraps each value with its expiry
 * (`{ __d, e }`); `prune` deletes the rows whose expiry has passed, so chats that never come
 * back don't stay in the database forever.
 */
import type { Db } from "./database.js";

export class SqliteSessionStorage<T> {
  private writes = 0;

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
    /** Prune expired rows every this many writes (and once at start). */
    private readonly pruneEvery = 500,
  ) {
    this.prune();
  }

  read(key: string): T | undefined {
    const row = this.db.prepare("SELECT value FROM sessions WHERE key = ?").get(key) as { value: string } | undefined;
    if (!row) return undefined;
    try {
      return JSON.parse(row.value) as T;
    } catch {
      // A value that can't be read is a fresh start, not a crash.
      return undefined;
    }
  }

  write(key: string, value: T): void {
    this.db
      .prepare("INSERT INTO sessions (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at")
      .run(key, JSON.stringify(value), this.now());
    if (++this.writes % this.pruneEvery === 0) this.prune();
  }

  delete(key: string): void {
    this.db.prepare("DELETE FROM sessions WHERE key = ?").run(key);
  }

  /** Deletes expired sessions; returns how many. */
  prune(): number {
    return this.db.prepare("DELETE FROM sessions WHERE json_extract(value, '$.e') < ?").run(this.now()).changes;
  }
}
