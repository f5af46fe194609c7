/**
 * The storage backends the repository tests run against: SQLite (in memory) always, and
 * Postgres when CITAT_TEST_DATABASE_URL names a server (scripts/pg-cluster.sh starts a
 * throwaway one; .ci/run does so in CI). Each Postgres test gets a schema of its own (its
 * search_path), dropped afterwards, so tests never see each other's rows.
 *
 * Without a server the Postgres suites skip (test/support/postgres-setup.ts prints the one
 * line saying so); with CI=true a missing server fails the run instead.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openPostgres, openSqlite } from "../../src/storage/database.js";
import { storageOn, type Storage } from "../../src/storage/storage.js";

export const PG_URL = process.env.CITAT_TEST_DATABASE_URL?.trim() || undefined;
export const hasPostgres = PG_URL !== undefined;

export interface TestBackend {
  readonly name: "sqlite" | "postgres";
  /** Whether it runs here (Postgres needs a server). */
  readonly available: boolean;
  /** A fresh, migrated, empty storage. */
  open(): Promise<OpenedStorage>;
}

export interface OpenedStorage {
  readonly storage: Storage;
  /** A URL reaching the same data (Postgres: with its schema; SQLite: none). */
  readonly url: string | null;
  /** Closes the storage and deletes its data. */
  dispose(): Promise<void>;
}

/** A URL on the test server whose connections use `schema`. */
export function urlWithSchema(schema: string): string {
  if (!PG_URL) throw new Error("no CITAT_TEST_DATABASE_URL");
  const u = new URL(PG_URL);
  u.searchParams.set("options", `-c search_path=${schema}`);
  return u.href;
}

/** Creates an empty schema on the test server; returns its name and a URL using it. */
export async function createSchema(): Promise<{ schema: string; url: string; drop: () => Promise<void> }> {
  const schema = `t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  return {
    schema,
    url: urlWithSchema(schema),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
}

export const sqliteBackend: TestBackend = {
  name: "sqlite",
  available: true,
  open: async () => {
    const storage = storageOn(await openSqlite(":memory:"));
    return { storage, url: null, dispose: () => storage.close() };
  },
};

export const postgresBackend: TestBackend = {
  name: "postgres",
  available: hasPostgres,
  open: async () => {
    const { url, drop } = await createSchema();
    const storage = storageOn(await openPostgres(url, undefined, { max: 4 }));
    return {
      storage,
      url,
      dispose: async () => {
        await storage.close();
        await drop();
      },
    };
  },
};

export const BACKENDS: readonly TestBackend[] = [sqliteBackend, postgresBackend];
