/**
 * Conversation sessions in the `sessions` table, shared by every instance on one database.
 *
 * SessionRepository is the storage side: values are JSON text with a write counter
 * (`version`). `write` with the version that was read succeeds only if nobody wrote in
 * between (compare-and-set); otherwise the stored, newer value stays and `write` returns
 * false. Two instances answering one chat at the same moment therefore never overwrite the
 * newer conversation state with one computed from an older read.
 *
 * SessionStorage adapts it to grammY's StorageAdapter (read, write, delete by key), below
 * grammY's `enhanceStorage`, which wraps each value with its expiry (`{ __d, e }`); the
 * expiry is copied to `expires_at` so `prune` deletes sessions of chats that never came back.
 * It runs every `pruneEvery` writes and from the periodic retention job (storage/retention.ts),
 * so an idle bot deletes them too.
 */
import type { SqlDatabase } from "./sql.js";

export interface StoredSession {
  readonly value: string;
  readonly version: number;
}

export interface SessionRepository {
  read(key: string): Promise<StoredSession | undefined>;
  /**
   * Stores `value`; with `expectedVersion` only if the stored version is still that one (null:
   * only if there is no session yet). Returns false when another write came first.
   */
  write(key: string, value: string, expiresAt: number | null, now: number, expectedVersion?: number | null): Promise<boolean>;
  delete(key: string): Promise<void>;
  /**
   * Deletes expired sessions, and rows without an expiry (not written through enhanceStorage,
   * or not JSON) a day after their last write; returns how many.
   */
  prune(now: number): Promise<number>;
}

/** A row without an expiry goes this long after its last write. */
export const SESSION_FALLBACK_TTL_MS = 86_400_000;

export class SqlSessionRepository implements SessionRepository {
  constructor(private readonly db: SqlDatabase) {}

  read(key: string): Promise<StoredSession | undefined> {
    return this.db.get<StoredSession>("SELECT value, version FROM sessions WHERE key = ?", [key]);
  }

  async write(
    key: string,
    value: string,
    expiresAt: number | null,
    now: number,
    expectedVersion?: number | null,
  ): Promise<boolean> {
    if (expectedVersion === undefined) {
      await this.db.run(
        "INSERT INTO sessions (key, value, updated_at, version, expires_at) VALUES (?, ?, ?, 1, ?) " +
          "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, version = sessions.version + 1, expires_at = excluded.expires_at",
        [key, value, now, expiresAt],
      );
      return true;
    }
    if (expectedVersion === null) {
      return (
        (await this.db.run(
          "INSERT INTO sessions (key, value, updated_at, version, expires_at) VALUES (?, ?, ?, 1, ?) ON CONFLICT (key) DO NOTHING",
          [key, value, now, expiresAt],
        )) > 0
      );
    }
    return (
      (await this.db.run(
        "UPDATE sessions SET value = ?, updated_at = ?, version = version + 1, expires_at = ? WHERE key = ? AND version = ?",
        [value, now, expiresAt, key, expectedVersion],
      )) > 0
    );
  }

  async delete(key: string): Promise<void> {
    await this.db.run("DELETE FROM sessions WHERE key = ?", [key]);
  }

  prune(now: number): Promise<number> {
    return this.db.run("DELETE FROM sessions WHERE expires_at < ? OR (expires_at IS NULL AND updated_at < ?)", [
      now,
      now - SESSION_FALLBACK_TTL_MS,
    ]);
  }
}

/** What a stale write reports (logged by the caller; the newer value stays). */
export type ConflictHandler = (key: string) => void;

/**
 * grammY StorageAdapter over a SessionRepository. Remembers the version each key was read at
 * (grammY reads a session at the start of an update and writes it at the end, one update per
 * key at a time within an instance), so the write is a compare-and-set against that version.
 */
export class SessionStorage<T> {
  private writes = 0;
  /** Version read per key (null: no session existed). */
  private readonly readVersions = new Map<string, number | null>();

  constructor(
    private readonly repo: SessionRepository,
    private readonly now: () => number = Date.now,
    /** Prune expired rows every this many writes. */
    private readonly pruneEvery = 500,
    private readonly onConflict: ConflictHandler = () => undefined,
  ) {}

  async read(key: string): Promise<T | undefined> {
    const row = await this.repo.read(key);
    if (this.readVersions.size > 10_000) this.readVersions.clear();
    this.readVersions.set(key, row ? row.version : null);
    if (!row) return undefined;
    try {
      return JSON.parse(row.value) as T;
    } catch {
      // A value that can't be read is a fresh start, not a crash.
      return undefined;
    }
  }

  async write(key: string, value: T): Promise<void> {
    const expected = this.readVersions.get(key);
    const e = (value as { e?: unknown } | null)?.e;
    const ok = await this.repo.write(key, JSON.stringify(value), typeof e === "number" ? e : null, this.now(), expected);
    // The same update may write again (an early save, then grammY's write at the end): after a
    // successful compare-and-set it expects the version it wrote; after a conflict it keeps the
    // stale version, so its later write fails too instead of overwriting the newer state.
    if (ok && expected !== undefined) this.readVersions.set(key, expected === null ? 1 : expected + 1);
    else if (ok) this.readVersions.delete(key);
    if (!ok) this.onConflict(key);
    if (++this.writes % this.pruneEvery === 0) await this.prune();
  }

  async delete(key: string): Promise<void> {
    this.readVersions.delete(key);
    await this.repo.delete(key);
  }

  /** Deletes expired sessions; returns how many. */
  prune(): Promise<number> {
    return this.repo.prune(this.now());
  }
}
