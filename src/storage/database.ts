/**
 * Where the bot's state lives: sessions, questions and feedback, subscriptions, feed state,
 * stored feed articles and the delivery outbox. By default one SQLite file under DATA_DIR
 * (embedded, nothing to run; `openDatabase` below, with its file modes and refusals); with
 * DATABASE_URL=postgres://… a Postgres database that several instances share (`openPostgres`).
 * Either is reached through SqlDatabase (sql.ts) by the repositories (storage.ts).
 *
 * Schema changes go through numbered migrations (migrations.ts, one text per dialect), applied
 * in order at start-up, each in its own transaction, recorded in `schema_migrations`. On
 * Postgres each migration also takes an advisory lock, so instances starting together apply
 * it once.
 */
import { chmodSync, existsSync, linkSync, mkdirSync, openSync, closeSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { MIGRATIONS, type Migration } from "./migrations.js";
import { PostgresDatabase, redactUrl } from "./postgres.js";
import { StorageError, type SqlDatabase } from "./sql.js";
import { SqliteDatabase, type Db } from "./sqlite.js";

export { StorageError, type Db };

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
    const schema = db
      .prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
      .get() as { n: number };
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
    return new StorageError(
      path,
      `the disk holding DATA_DIR (${dataDir}) is full (${raw}). Free some space there, or set DATA_DIR to a folder on another disk, and start again.`,
    );
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
  db.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
  );
  const applied = new Set(
    (db.prepare("SELECT version FROM schema_migrations").all() as { version: number }[]).map((r) => r.version),
  );
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
        db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(
          m.version,
          m.name,
          new Date().toISOString(),
        );
      })();
    } catch (err) {
      throw new StorageError(path, `migration ${m.version} (${m.name}) failed: ${(err as Error).message}`, { cause: err });
    }
    count++;
  }
  return count;
}

// ---------------------------------------------------------------------------------------------
// The SqlDatabase side: SQLite (the file above) or Postgres, for the repositories.

/** Advisory lock key taken while migrating a Postgres database ("citat" + 1). */
const MIGRATION_LOCK = 0x63697461_01;

/** Whether a DATABASE_URL names a Postgres database. */
export const isPostgresUrl = (url: string | undefined | null): url is string =>
  typeof url === "string" && /^postgres(ql)?:\/\//i.test(url);

/** openDatabase behind SqlDatabase (":memory:" for a private one). */
export function openSqliteSync(dataDir: string, migrations: readonly Migration[] = MIGRATIONS): SqliteDatabase {
  return new SqliteDatabase(
    openDatabase(dataDir, migrations),
    dataDir === ":memory:" ? ":memory:" : join(dataDir, DATABASE_FILE),
  );
}

/** The same, with the asynchronous signature of openPostgres. */
export async function openSqlite(dataDir: string, migrations: readonly Migration[] = MIGRATIONS): Promise<SqliteDatabase> {
  return openSqliteSync(dataDir, migrations);
}

/** Connects to a Postgres database and applies pending migrations. */
export async function openPostgres(
  url: string,
  migrations: readonly Migration[] = MIGRATIONS,
  options: { max?: number } = {},
): Promise<PostgresDatabase> {
  const db = PostgresDatabase.connect(url, options);
  try {
    await db.get("SELECT 1 AS ok");
  } catch (err) {
    await db.close().catch(() => undefined);
    throw new StorageError(
      redactUrl(url),
      `cannot connect (${(err as Error).message}); check DATABASE_URL and that the server runs`,
    );
  }
  try {
    await migratePostgres(db, migrations);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return db;
}

/** Postgres when `databaseUrl` is a postgres:// URL, else SQLite in `dataDir`. */
export function openSqlDatabase(o: { databaseUrl?: string | null; dataDir: string }): Promise<SqlDatabase> {
  return isPostgresUrl(o.databaseUrl) ? openPostgres(o.databaseUrl) : openSqlite(o.dataDir);
}

/** migrate() for Postgres: the `postgres` text of each migration, under an advisory lock; returns how many were applied. */
export async function migratePostgres(db: SqlDatabase, migrations: readonly Migration[]): Promise<number> {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  const versions = new Set<number>();
  for (const m of sorted) {
    if (versions.has(m.version)) throw new StorageError(db.path, `two migrations share version ${m.version}`);
    versions.add(m.version);
  }
  await db.transaction(async (tx) => {
    await tx.run(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await tx.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
    );
  });
  let count = 0;
  for (const m of sorted) {
    try {
      const applied = await db.transaction(async (tx) => {
        await tx.run(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
        if (await tx.get("SELECT 1 AS x FROM schema_migrations WHERE version = ?", [m.version])) return false;
        await tx.exec(m.postgres);
        await tx.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", [
          m.version,
          m.name,
          new Date().toISOString(),
        ]);
        return true;
      });
      if (applied) count++;
    } catch (err) {
      throw new StorageError(db.path, `migration ${m.version} (${m.name}) failed: ${(err as Error).message}`, { cause: err });
    }
  }
  return count;
}
