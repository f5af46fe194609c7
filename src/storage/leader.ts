/**
 * Which instance runs the singletons — the feed poller and the notification sender — when
 * several share one database.
 *
 * On Postgres: a session-level advisory lock, held on a connection of its own. The instance
 * whose `pg_try_advisory_lock` succeeds is the leader for as long as that connection lives;
 * the others retry every `retryMs`. When the leader dies (kill -9, a crash, a lost host) its
 * connection closes and Postgres releases the lock: another instance takes over at its next
 * try (within `retryMs`, 5 s by default; TCP keepalives bound a silent host's loss to ~20 s).
 * A leader that loses its connection (checked every `checkMs`) steps down at once.
 *
 * On SQLite (one process per database file) the instance is always the leader.
 */
import pg from "pg";
import type { Logger } from "../logger.js";
import { redactUrl } from "./postgres.js";

export interface Leadership {
  /** Whether this instance leads now. */
  readonly isLeader: boolean;
  /** Starts campaigning: `onElected` runs when this instance becomes the leader, `onDeposed` when it stops being one. */
  start(handlers: { onElected: () => void | Promise<void>; onDeposed: () => void | Promise<void> }): void;
  /** Steps down (running `onDeposed` if leading) and stops campaigning. */
  stop(): Promise<void>;
}

/** The only instance there is (SQLite). */
export class SoleLeader implements Leadership {
  isLeader = false;
  private onDeposed: (() => void | Promise<void>) | null = null;

  start(handlers: { onElected: () => void | Promise<void>; onDeposed: () => void | Promise<void> }): void {
    this.isLeader = true;
    this.onDeposed = handlers.onDeposed;
    void handlers.onElected();
  }

  async stop(): Promise<void> {
    if (this.isLeader) await this.onDeposed?.();
    this.isLeader = false;
  }
}

/** Advisory lock key of the live-news leader ("citat" + 2). */
export const LEADER_LOCK = 0x63697461_02;

export interface PostgresLeadershipOptions {
  /** How often a follower tries to take the lock. */
  readonly retryMs?: number;
  /** How often the leader checks its connection. */
  readonly checkMs?: number;
  readonly lockKey?: number;
}

export class PostgresLeadership implements Leadership {
  isLeader = false;
  private client: pg.Client | null = null;
  private stopped = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private readonly retryMs: number;
  private readonly checkMs: number;
  private readonly key: number;

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
    options: PostgresLeadershipOptions = {},
  ) {
    this.retryMs = options.retryMs ?? 5000;
    this.checkMs = options.checkMs ?? 5000;
    this.key = options.lockKey ?? LEADER_LOCK;
  }

  start(handlers: { onElected: () => void | Promise<void>; onDeposed: () => void | Promise<void> }): void {
    if (this.loop) return;
    this.stopped = false;
    this.loop = this.campaign(handlers).catch((err: unknown) =>
      this.logger.error("leader: campaign stopped by an unexpected error", err),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    await this.loop;
    this.loop = null;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.url,
      keepAlive: true,
      keepAliveInitialDelayMillis: 5000,
      connectionTimeoutMillis: 10_000,
      application_name: "citat-leader",
    });
    client.on("error", () => undefined); // a lost connection shows as a failed check
    await client.connect();
    // The server notices a vanished client (no FIN: a dead host) within ~20 s, then releases the lock.
    await client.query("SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 2");
    return client;
  }

  private async dropClient(): Promise<void> {
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }

  private async campaign(handlers: {
    onElected: () => void | Promise<void>;
    onDeposed: () => void | Promise<void>;
  }): Promise<void> {
    while (!this.stopped) {
      try {
        this.client ??= await this.connect();
        if (!this.isLeader) {
          const r = await this.client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [this.key]);
          if (r.rows[0]?.ok === true) {
            this.isLeader = true;
            this.logger.info(`leader: this instance now runs the feed poller and the sender (${redactUrl(this.url)})`);
            await handlers.onElected();
          }
        } else {
          await this.client.query("SELECT 1");
        }
      } catch (err) {
        if (this.isLeader) {
          this.isLeader = false;
          this.logger.warn(
            `leader: lost the database connection (${err instanceof Error ? err.message : String(err)}); stepping down`,
          );
          await handlers.onDeposed();
        } else {
          this.logger.warn(`leader: cannot reach the database (${err instanceof Error ? err.message : String(err)}); retrying`);
        }
        await this.dropClient();
      }
      if (!this.stopped) await this.sleep(this.isLeader ? this.checkMs : this.retryMs);
    }
    if (this.isLeader) {
      this.isLeader = false;
      await handlers.onDeposed();
    }
    // Closing the connection releases the lock: a follower takes over at its next try.
    await this.dropClient();
  }
}
