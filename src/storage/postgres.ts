/**
 * The Postgres driver: a node-postgres pool behind SqlDatabase. Statements are written with
 * `?` placeholders (shared with SQLite) and numbered here. BIGINT (int8) columns and counts
 * are parsed to numbers for this pool only (no global type parser is changed).
 */
import pg from "pg";
import { bindable, StorageError, type Dialect, type SqlDatabase, type SqlExecutor, type SqlValue } from "./sql.js";

const INT8 = 20;

/** `?` → `$1, $2, …` (the repositories never put a `?` inside a string literal). */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** A Postgres URL without its password, for log lines. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.href;
  } catch {
    return "postgres://(invalid URL)";
  }
}

const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

function executor(q: pg.Pool | pg.PoolClient): SqlExecutor {
  const query = async <T>(sql: string, params: readonly SqlValue[]) =>
    q.query<T & pg.QueryResultRow>(numberPlaceholders(sql), bindable(params));
  return {
    all: async <T>(sql: string, params: readonly SqlValue[] = []) => (await query<T>(sql, params)).rows as T[],
    get: async <T>(sql: string, params: readonly SqlValue[] = []) => (await query<T>(sql, params)).rows[0] as T | undefined,
    run: async (sql: string, params: readonly SqlValue[] = []) => (await query(sql, params)).rowCount ?? 0,
    exec: async (sql: string) => void (await q.query(sql)),
  };
}

export class PostgresDatabase implements SqlDatabase {
  readonly dialect: Dialect = "postgres";
  readonly path: string;
  private readonly direct: SqlExecutor;

  constructor(
    readonly pool: pg.Pool,
    url: string,
  ) {
    this.path = redactUrl(url);
    this.direct = executor(pool);
  }

  /** A pool on `url` (not yet connected: the first query connects). */
  static connect(url: string, options: { max?: number; applicationName?: string } = {}): PostgresDatabase {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.max ?? 10,
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
      application_name: options.applicationName ?? "citat",
      types,
    });
    const db = new PostgresDatabase(pool, url);
    // An idle client losing its connection must not crash the process; the next query reconnects.
    pool.on("error", () => undefined);
    return db;
  }

  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.direct.all<T>(sql, params);
  }

  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return this.direct.get<T>(sql, params);
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.direct.run(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.direct.exec(sql);
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw new StorageError(this.path, `cannot connect (${(err as Error).message})`);
    }
    try {
      await client.query("BEGIN");
      const value = await fn(executor(client));
      await client.query("COMMIT");
      return value;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
