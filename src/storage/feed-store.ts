/**
 * Feed state: per configured feed URL its HTTP validators, when to poll it next, its
 * failures and whether it was turned off. Written by the (one) feed poller, read by /feeds.
 */
import { insertOutbox, type OutboxMessage } from "../delivery/outbox.js";
import { placeholders, type SqlDatabase } from "./sql.js";

export interface FeedState {
  readonly url: string;
  readonly name: string;
  readonly etag: string | null;
  readonly lastModified: string | null;
  readonly nextPollAt: number;
  readonly polls: number;
  readonly failures: number;
  readonly disabledAt: number | null;
}

/** A feed's health for /feeds. */
export interface FeedStatus {
  readonly id: number;
  readonly name: string;
  readonly polls: number;
  readonly failures: number;
  readonly disabledAt: number | null;
  readonly lastOkAt: number | null;
}

export interface FeedStateRepository {
  /** Adds configured feeds and turns disabled ones back on (a restart retries them). */
  register(feeds: readonly { url: string; name: string }[]): Promise<void>;
  get(url: string): Promise<FeedState | undefined>;
  /** When the first of these (enabled) feeds is due; null when none. */
  nextPollAt(urls: readonly string[]): Promise<number | null>;
  recordSuccess(
    url: string,
    s: { etag: string | null; lastModified: string | null; intervalMs: number; now: number },
  ): Promise<void>;
  recordFailure(url: string, f: { failures: number; error: string; now: number; nextPollAt: number }): Promise<void>;
  /** Turns a feed off and queues `notices` (to the admins), atomically. */
  disable(url: string, f: { failures: number; error: string; now: number }, notices: readonly OutboxMessage[]): Promise<void>;
  /** The feeds with these names, in the order they were added. */
  statusByNames(names: readonly string[]): Promise<FeedStatus[]>;
  /** Turns a feed back on (polled at the next round); its name, or undefined when there is no such feed. */
  enable(id: number): Promise<string | undefined>;
}

interface Row {
  url: string;
  name: string;
  etag: string | null;
  last_modified: string | null;
  next_poll_at: number;
  polls: number;
  failures: number;
  disabled_at: number | null;
}

export class FeedStore implements FeedStateRepository {
  /** SQLite's implicit rowid; Postgres has an identity column. */
  private readonly idColumn: string;

  constructor(private readonly db: SqlDatabase) {
    this.idColumn = db.dialect === "sqlite" ? "rowid" : "id";
  }

  async register(feeds: readonly { url: string; name: string }[]): Promise<void> {
    if (feeds.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const f of feeds) {
        await tx.run(
          "INSERT INTO feeds (url, name, next_poll_at) VALUES (?, ?, 0) ON CONFLICT (url) DO UPDATE SET name = excluded.name, disabled_at = NULL, failures = CASE WHEN feeds.disabled_at IS NULL THEN feeds.failures ELSE 0 END",
          [f.url, f.name],
        );
      }
    });
  }

  async get(url: string): Promise<FeedState | undefined> {
    const r = await this.db.get<Row>(
      "SELECT url, name, etag, last_modified, next_poll_at, polls, failures, disabled_at FROM feeds WHERE url = ?",
      [url],
    );
    return r
      ? {
          url: r.url,
          name: r.name,
          etag: r.etag,
          lastModified: r.last_modified,
          nextPollAt: r.next_poll_at,
          polls: r.polls,
          failures: r.failures,
          disabledAt: r.disabled_at,
        }
      : undefined;
  }

  async nextPollAt(urls: readonly string[]): Promise<number | null> {
    if (urls.length === 0) return null;
    return (
      (
        await this.db.get<{ at: number | null }>(
          `SELECT MIN(next_poll_at) AS at FROM feeds WHERE disabled_at IS NULL AND url IN (${placeholders(urls.length)})`,
          urls,
        )
      )?.at ?? null
    );
  }

  async recordSuccess(
    url: string,
    s: { etag: string | null; lastModified: string | null; intervalMs: number; now: number },
  ): Promise<void> {
    await this.db.run(
      "UPDATE feeds SET etag = ?, last_modified = ?, interval_s = ?, next_poll_at = ?, last_polled_at = ?, last_ok_at = ?, polls = polls + 1, failures = 0, last_error = NULL WHERE url = ?",
      [s.etag, s.lastModified, Math.round(s.intervalMs / 1000), s.now + s.intervalMs, s.now, s.now, url],
    );
  }

  async recordFailure(url: string, f: { failures: number; error: string; now: number; nextPollAt: number }): Promise<void> {
    await this.db.run("UPDATE feeds SET failures = ?, last_error = ?, last_polled_at = ?, next_poll_at = ? WHERE url = ?", [
      f.failures,
      f.error,
      f.now,
      f.nextPollAt,
      url,
    ]);
  }

  async disable(
    url: string,
    f: { failures: number; error: string; now: number },
    notices: readonly OutboxMessage[],
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run("UPDATE feeds SET failures = ?, last_error = ?, last_polled_at = ?, disabled_at = ? WHERE url = ?", [
        f.failures,
        f.error,
        f.now,
        f.now,
        url,
      ]);
      await insertOutbox(tx, notices, f.now);
    });
  }

  async statusByNames(names: readonly string[]): Promise<FeedStatus[]> {
    if (names.length === 0) return [];
    const rows = await this.db.all<{
      id: number;
      name: string;
      polls: number;
      failures: number;
      disabled_at: number | null;
      last_ok_at: number | null;
    }>(
      `SELECT ${this.idColumn} AS id, name, polls, failures, disabled_at, last_ok_at FROM feeds WHERE name IN (${placeholders(names.length)}) ORDER BY ${this.idColumn}`,
      names,
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      polls: r.polls,
      failures: r.failures,
      disabledAt: r.disabled_at,
      lastOkAt: r.last_ok_at,
    }));
  }

  async enable(id: number): Promise<string | undefined> {
    const row = await this.db.get<{ name: string }>(
      `UPDATE feeds SET disabled_at = NULL, failures = 0, next_poll_at = 0 WHERE ${this.idColumn} = ? RETURNING name`,
      [id],
    );
    return row?.name;
  }
}
