/**
 * The one seam between the repositories and a database engine: run a statement, read rows,
 * run several statements in one transaction. Two drivers implement it — SQLite (sqlite.ts,
 * better-sqlite3, the default and embedded choice) and Postgres (postgres.ts, node-postgres,
 * for several instances on one database). The repositories above it are written once, in the
 * SQL both engines accept (`?` placeholders, `ON CONFLICT`, `RETURNING`, `COUNT(*) FILTER`);
 * where the engines differ (the schema's DDL, a column name), `dialect` says which one runs.
 *
 * Values are numbers, strings or null. Every numeric column holds whole numbers (ids,
 * milliseconds, counts), so both drivers round a fractional number (a virtual clock's
 * 33.3 ms) before binding it: Postgres would refuse it for a BIGINT, SQLite would store it
 * as a float. Postgres BIGINTs come back as numbers (chat ids and millisecond times stay far
 * below 2^53).
 */
export type Dialect = "sqlite" | "postgres";

export type SqlValue = string | number | null;

export interface SqlExecutor {
  /** Every row the statement returns. */
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** The first row, or undefined. */
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** A statement without rows; how many rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface SqlDatabase extends SqlExecutor {
  readonly dialect: Dialect;
  /** Where the data lives, for messages (a file path or a Postgres URL without its password). */
  readonly path: string;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws.
   * `fn` should only talk to the database (no network, no waiting on other work): the
   * SQLite driver holds every other statement until it is done.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The database cannot be opened, migrated or reached; the message says why and what to do. */
export class StorageError extends Error {
  constructor(
    /** The SQLite file, or the Postgres URL without its password. */
    readonly path: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`storage: ${path}: ${reason}`, options);
    this.name = "StorageError";
  }
}

/** `a, b, c` placeholders for an IN list of `n` values (n ≥ 1). */
export const placeholders = (n: number): string => Array.from({ length: n }, () => "?").join(", ");

/** Parameters as both drivers bind them: fractional numbers rounded (see above). */
export const bindable = (params: readonly SqlValue[]): SqlValue[] =>
  params.map((v) => (typeof v === "number" && !Number.isInteger(v) ? Math.round(v) : v));
