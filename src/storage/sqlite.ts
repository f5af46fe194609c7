/**
 * The SQLite driver: better-sqlite3 behind the asynchronous SqlDatabase interface.
 *
 * better-sqlite3 is synchronous, so a single statement can never interleave with another. A
 * transaction, though, spans several awaited calls, during which other callers' statements
 * would land inside it (one connection). So while a transaction is open every other statement
 * waits for it, and transactions run one after another: the same isolation Postgres gives.
 */
import type Database from "better-sqlite3";
import { bindable, type Dialect, type SqlDatabase, type SqlExecutor, type SqlValue } from "./sql.js";

export type Db = Database.Database;

export class SqliteDatabase implements SqlDatabase {
  readonly dialect: Dialect = "sqlite";
  private readonly statements = new Map<string, Database.Statement>();
  /** The open transaction's completion (null: none open). */
  private active: Promise<unknown> | null = null;
  /** Transactions run in this order. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly direct: SqlExecutor;

  constructor(
    readonly raw: Db,
    readonly path: string,
  ) {
    this.direct = {
      all: async <T>(sql: string, params: readonly SqlValue[] = []) => this.statement(sql).all(...bindable(params)) as T[],
      get: async <T>(sql: string, params: readonly SqlValue[] = []) =>
        this.statement(sql).all(...bindable(params))[0] as T | undefined,
      run: async (sql: string, params: readonly SqlValue[] = []) => this.statement(sql).run(...bindable(params)).changes,
      exec: async (sql: string) => void this.raw.exec(sql),
    };
  }

  private statement(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.raw.prepare(sql);
      if (this.statements.size > 500) this.statements.clear();
      this.statements.set(sql, s);
    }
    return s;
  }

  /** Resolves when no transaction is open. */
  private async outsideTransaction(): Promise<void> {
    while (this.active) await this.active.catch(() => undefined);
  }

  async all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    await this.outsideTransaction();
    return this.direct.all<T>(sql, params);
  }

  async get<T>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    await this.outsideTransaction();
    return this.direct.get<T>(sql, params);
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    await this.outsideTransaction();
    return this.direct.run(sql, params);
  }

  async exec(sql: string): Promise<void> {
    await this.outsideTransaction();
    return this.direct.exec(sql);
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const result = this.queue.then(async () => {
      await this.outsideTransaction();
      const done = (async () => {
        this.raw.exec("BEGIN IMMEDIATE");
        try {
          const value = await fn(this.direct);
          this.raw.exec("COMMIT");
          return value;
        } catch (err) {
          if (this.raw.inTransaction) this.raw.exec("ROLLBACK");
          throw err;
        }
      })();
      this.active = done;
      try {
        return await done;
      } finally {
        this.active = null;
      }
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    await this.queue;
    if (this.raw.open) this.raw.close();
  }
}
