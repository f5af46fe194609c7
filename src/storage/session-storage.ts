/**
 * Session values in the `sessions` table, in the shape of grammY's StorageAdapter (read, write,
 * delete by key). Values are JSON. grammY's `enhanceStorage` wraps each value with its expiry
 * (`{ __d, e }`); `prune` deletes the rows whose expiry has passed, so chats that never come
 * back don't stay in the database forever. It runs every `pruneEvery` writes, at start, and
 * from the periodic retention job (storage/retention.ts), so an idle bot deletes them too.
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
    return pruneSessions(this.db, this.now());
  }
}

/** A row without an expiry (not written through enhanceStorage) goes this long after its last write. */
export const SESSION_FALLBACK_TTL_MS = 86_400_000;

/**
 * Deletes the sessions whose expiry (`e`) has passed, rows without one a day after their last
 * write, and rows that are not JSON (they would be read as a fresh start anyway; json_extract
 * on them would throw and stop the start-up). Returns how many.
 */
export function pruneSessions(db: Db, now: number): number {
  return db
    .prepare(
      "DELETE FROM sessions WHERE CASE WHEN json_valid(value) THEN coalesce(json_extract(value, '$.e'), updated_at + ?) < ? ELSE 1 END",
    )
    .run(SESSION_FALLBACK_TTL_MS, now).changes;
}
