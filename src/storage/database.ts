/**
 * The one SQLite database under DATA_DIR that holds the bot's state: conversation sessions,
 * feedback, subscriptions, feed state and the delivery outbox. better-sqlite3 is synchronous,
 * which keeps transactions simple: "mark processed + enqueue" is one atomic write.
 *
 * Schema changes go through numbered migrations (migrations.ts), applied in order at start-up,
 * each in its own transaction, recorded in `schema_migrations`.
 */
import { chmodSync, existsSync, linkSync, mkdirSync, openSync, closeSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { MIGRATIONS, type Migration } from "./migrations.js";

export type Db = Database.Database;

/** The database cannot be opened or migrated; the message says why and what to do. */
export class StorageError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`storage: ${path}: ${reason}`, options);
    this.name = "StorageError";
  }
}

export const DATABASE_FILE = "citat.sqlite";
/** The database and its WAL files hold chats' ids, questions and subscriptions: owner only. */
export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;
const SIDE_FILES = ["-wal", "-shm", "-journal"];

/**
 * Opens the database in `dataDir` and applies pending migrations. A new database is created
 * whole under a temporary name and linked into place, so a crash or a full disk during the
 * first start never leaves a half-made `citat.sqlite` behind.
 *
 * It refuses, with a StorageError saying what to do, rather than start on a database it
 * cannot trust: a file that exists but is empty (0 bytes, or no Citat schema — truncated by a
 * full disk, a failed copy or restore) or corrupt. Starting anyway would silently drop every
 * subscription and the delivery queue; the operator decides (restore, recover, or move it
 * aside). A read-only or full DATA_DIR is named with its fix instead of SQLite's raw error.
 */
export function openDatabase(dataDir: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  if (dataDir === ":memory:") {
    const db = new Database(":memory:");
    configure(db);
    migrate(db, migrations, ":memory:");
    return db;
  }
  const path = join(dataDir, DATABASE_FILE);
  try {
    mkdirSync(dataDir, { recursive: true, mode: DIR_MODE });
    if (!existsSync(path)) createDatabase(path, migrations);
    return openExisting(path, migrations);
  } catch (err) {
    throw storageFailure(path, dataDir, err);
  }
}

function configure(db: Db): void {
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
}

/** Owner-only modes on the database and the WAL files SQLite made beside it (best effort). */
function restrictModes(path: string): void {
  for (const file of [path, ...SIDE_FILES.map((s) => path + s)]) {
    try {
      if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, FILE_MODE);
    } catch {
      // Absent, or not ours to change: dataDirWarnings() reports what stays readable.
    }
  }
}

function createDatabase(path: string, migrations: readonly Migration[]): void {
  const tmp = `${path}.creating-${process.pid}`;
  const removeTmp = () => {
    for (const f of [tmp, ...SIDE_FILES.map((s) => tmp + s)]) rmSync(f, { force: true });
  };
  removeTmp();
  try {
    // Made 0600 before SQLite touches it: its -wal and -shm files take the same mode.
    closeSync(openSync(tmp, "wx", FILE_MODE));
    const db = new Database(tmp);
    try {
      configure(db);
      migrate(db, migrations, path);
    } finally {
      db.close();
    }
    // WAL files left by a database that was deleted belong to it, not to this one.
    for (const side of SIDE_FILES) rmSync(path + side, { force: true });
    try {
      linkSync(tmp, path);
    } catch (err) {
      // Another process created it meanwhile: use theirs.
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  } finally {
    removeTmp();
  }
}

function openExisting(path: string, migrations: readonly Migration[]): Db {
  const db = new Database(path, { fileMustExist: true });
  try {
    restrictModes(path);
    // Read before anything writes: a 0-byte file would otherwise be turned into a fresh database.
    const schema = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get() as { n: number };
    if (schema.n === 0) {
      const size = statSync(path).size;
      throw new StorageError(
        path,
        `exists but is ${size === 0 ? "empty (0 bytes)" : "not a Citat database (no schema)"}. It may have been truncated by a full disk or a failed copy or restore. ` +
          `Citat does not start on it, so that subscriptions and pending notifications are not silently dropped. ` +
          `Restore it from a backup, or, to start with an empty database, move it aside: mv ${path} ${path}.empty-${Date.now()}`,
      );
    }
    const check = (db.pragma("quick_check(1)") as { quick_check: string }[])[0]?.quick_check;
    if (check !== "ok") throw Object.assign(new Error(`integrity check: ${check ?? "no result"}`), { code: "SQLITE_CORRUPT" });
    configure(db);
    migrate(db, migrations, path);
    // A database SQLite could open only read-only answers reads; find out now, not at the first vote.
    db.prepare("UPDATE schema_migrations SET name = name WHERE 0").run();
    restrictModes(path);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** SQLite's or the file system's error, turned into what the operator should do about it. */
export function storageFailure(path: string, dataDir: string, err: unknown): StorageError {
  // A failed migration wraps SQLite's error: classify by that one.
  const cause = err instanceof StorageError ? err.cause : err;
  const code = String((cause as { code?: unknown } | undefined)?.code ?? "");
  const raw = cause instanceof Error ? cause.message : String(cause);
  if (/^SQLITE_(NOTADB|CORRUPT)/.test(code)) {
    return new StorageError(
      path,
      `is corrupt (${raw}). Citat does not start on it, so that subscriptions and pending notifications are not silently dropped. ` +
        `Restore it from a backup; or recover what can be read: sqlite3 ${path} ".recover" | sqlite3 ${path}.recovered, then move that into place; ` +
        `or move it aside to start with an empty database: mv ${path} ${path}.corrupt-${Date.now()} (DATA_DIR=${dataDir})`,
    );
  }
  if (/^SQLITE_FULL/.test(code) || code === "ENOSPC" || code === "EDQUOT") {
    return new StorageError(path, `the disk holding DATA_DIR (${dataDir}) is full (${raw}). Free some space there, or set DATA_DIR to a folder on another disk, and start again.`);
  }
  if (/^SQLITE_(READONLY|CANTOPEN|PERM|AUTH)/.test(code) || code === "EROFS" || code === "EACCES" || code === "EPERM") {
    return new StorageError(
      path,
      `DATA_DIR (${dataDir}) or the database in it cannot be written (${raw}). Citat keeps its state there: make the folder and the files in it writable ` +
        `by the user running Citat (e.g. chown -R that user ${dataDir}), mount it read-write, or set DATA_DIR to a writable folder.`,
    );
  }
  if (code === "ENOTDIR" || code === "EEXIST") {
    return new StorageError(path, `DATA_DIR (${dataDir}) is not a folder (${raw}). Set DATA_DIR to a folder.`);
  }
  if (err instanceof StorageError) return err;
  return new StorageError(path, `cannot open (${raw}); check DATA_DIR (${dataDir}), its disk and its permissions`);
}

/**
 * What in DATA_DIR others than its owner can read, for a start-up warning: a folder made
 * before Citat restricted it, or files whose mode could not be changed.
 */
export function dataDirWarnings(dataDir: string): string[] {
  const out: string[] = [];
  const check = (file: string, what: string, fix: string) => {
    try {
      if ((statSync(file).mode & 0o077) !== 0) out.push(`${what} ${file} is readable by other users; ${fix}`);
    } catch {
      // Absent.
    }
  };
  check(dataDir, "DATA_DIR", `chmod 700 ${dataDir}`);
  check(join(dataDir, DATABASE_FILE), "the database", `chmod 600 ${join(dataDir, DATABASE_FILE)}*`);
  return out;
}

/** Applies the migrations newer than the database's version, each atomically. */
export function migrate(db: Db, migrations: readonly Migration[], path = "(database)"): number {
  db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
  const applied = new Set((db.prepare("SELECT version FROM schema_migrations").all() as { version: number }[]).map((r) => r.version));
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  const versions = new Set<number>();
  for (const m of sorted) {
    if (versions.has(m.version)) throw new StorageError(path, `two migrations share version ${m.version}`);
    versions.add(m.version);
  }
  let count = 0;
  for (const m of sorted) {
    if (applied.has(m.version)) continue;
    try {
      db.transaction(() => {
        db.exec(m.up);
        db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(m.version, m.name, new Date().toISOString());
      })();
    } catch (err) {
      throw new StorageError(path, `migration ${m.version} (${m.name}) failed: ${(err as Error).message}`, { cause: err });
    }
    count++;
  }
  return count;
}
