/**
 * The one SQLite database under DATA_DIR that holds the bot's state: conversation sessions,
 * feedback, subscriptions, feed state and the delivery outbox. better-sqlite3 is synchronous,
 * which keeps transactions simple: "mark processed + enqueue" is one atomic write.
 *
 * Schema changes go through numbered migrations (migrations.ts), applied in order at start-up,
 * each in its own transaction, recorded in `schema_migrations`.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { MIGRATIONS, type Migration } from "./migrations.js";

export type Db = Database.Database;

/** The database cannot be opened or migrated. */
export class StorageError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`storage: ${path}: ${reason}`);
    this.name = "StorageError";
  }
}

export const DATABASE_FILE = "citat.sqlite";

/** Opens (creating if needed) the database in `dataDir` and applies pending migrations. */
export function openDatabase(dataDir: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  const path = dataDir === ":memory:" ? ":memory:" : join(dataDir, DATABASE_FILE);
  let db: Db;
  try {
    if (path !== ":memory:") mkdirSync(dataDir, { recursive: true });
    db = new Database(path);
  } catch (err) {
    throw new StorageError(path, `cannot open (${(err as Error).message}); check DATA_DIR and its permissions`);
  }
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  migrate(db, migrations, path);
  return db;
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
      throw new StorageError(path, `migration ${m.version} (${m.name}) failed: ${(err as Error).message}`);
    }
    count++;
  }
  return count;
}
