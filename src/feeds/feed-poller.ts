/**
 * Polls the configured feeds, one at a time, each when it is due, and hands new entries to
 * the publisher. Per feed, in the database: the HTTP validators (ETag, Last-Modified), when to
 * poll next, and its failures.
 *
 * - Interval: the server's Cache-Control max-age or the feed's <ttl>, whichever is longer,
 *   else the default; always clamped to 5 min … 6 h.
 * - A failure (network, timeout, HTTP error, oversized or unparsable body) backs that feed
 *   off exponentially (5 min, 10, 20, … 6 h; longer when the server sends Retry-After); after
 *   `maxFailures` in a row (or at once on 410 Gone) the feed is turned off and every admin
 *   gets a notice through the outbox. A restart turns it back on.
 * - The first successful poll of a feed indexes what it holds without notifying anyone (that
 *   is not news); later, an entry older than `notifyMaxAgeMs` is indexed but not notified.
 * A feed's failure is one log line; it never stops the others or the bot.
 */
import type { Logger } from "../logger.js";
import { systemClock, type Clock } from "../clock.js";
import type { FeedArticleSink } from "../content/article-sink.js";
import type { FeedState, FeedStateRepository } from "../storage/feed-store.js";
import type { FeedSource } from "./feed-config.js";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { ParseJobError, parseInWorker } from "../content/parse-pool.js";
import { titleKey } from "../content/article-keys.js";
import { entryKeys, prepareEntry, type PageFetcher } from "./feed-article.js";
import { fetchBytes, FetchError, type FetchLimits } from "./fetch-feed.js";
import { FeedParseError, type FeedEntry } from "./parse-feed.js";

const MINUTE = 60_000;

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
/** The admins' notice when no renderer was given (tools, tests). */
const plainFeedDisabled = (name: string, url: string, failures: number, reason: string) =>
  escapeHtml(`Feed ${name} (${url}) turned off after ${failures} failures: ${reason}`);

export interface FeedPollerOptions {
  readonly clock?: Clock;
  readonly defaultIntervalMs?: number;
  readonly minIntervalMs?: number;
  readonly maxIntervalMs?: number;
  /** Consecutive failures after which a feed is turned off. */
  readonly maxFailures?: number;
  /** Entries published longer ago than this are indexed but not notified. */
  readonly notifyMaxAgeMs?: number;
  readonly fetchLimits?: FetchLimits;
  /** Article-page fetcher (null: never fetch pages). */
  readonly fetchPage?: PageFetcher | null;
  /** Who is told when a feed is turned off. */
  readonly adminIds?: readonly number[];
  /** How long feed articles stay in the index. */
  readonly retentionMs?: number;
  /** Budgets of one poll of one feed (see FeedBudget). */
  readonly budget?: Partial<FeedBudget>;
  /** The admins' notice that a feed was turned off (rendered by the bot's side). */
  readonly renderFeedDisabled?: (name: string, url: string, failures: number, reason: string) => string;
}

/**
 * What one poll of one feed may cost. A hostile or broken feed could otherwise hold the poller
 * (and with it every other feed) for an hour, or flood the index in one go.
 */
export interface FeedBudget {
  /** New (not yet seen) entries taken per poll, newest first (FEED_MAX_NEW_ITEMS); the rest wait for the next poll. */
  readonly maxNewItems: number;
  /** Article pages fetched per poll (FEED_MAX_PAGE_FETCHES); entries beyond keep their summary. */
  readonly maxPageFetches: number;
  /** Entries prepared (pages fetched and parsed) at once (FEED_PAGE_CONCURRENCY). */
  readonly concurrency: number;
  /** Total time of one poll, fetch and pages included (FEED_POLL_BUDGET_SECONDS, in ms here). */
  readonly timeMs: number;
}

export const DEFAULT_FEED_BUDGET: FeedBudget = { maxNewItems: 50, maxPageFetches: 20, concurrency: 3, timeMs: 30_000 };

/** An entry that failed this many polls in a row is given up (while the bot runs): not retried forever. */
const MAX_ENTRY_ATTEMPTS = 3;

/** Runs `task` over `items` with at most `limit` running at once; results in the items' order. */
function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R>[] {
  const results: Promise<R>[] = [];
  let running = 0;
  const waiting: (() => void)[] = [];
  const acquire = (): Promise<void> => {
    if (running >= limit) return new Promise<void>((r) => waiting.push(r));
    running++;
    return Promise.resolve();
  };
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  for (const item of items) {
    results.push(
      acquire().then(async () => {
        try {
          return await task(item);
        } finally {
          release();
        }
      }),
    );
  }
  return results;
}

export interface PollReport {
  readonly url: string;
  readonly status: "ok" | "not-modified" | "failed" | "disabled";
  readonly entries: number;
  readonly published: number;
  readonly queued: number;
  readonly error?: string;
}

export class FeedPoller {
  private readonly clock: Clock;
  private readonly minInterval: number;
  private readonly maxInterval: number;
  private readonly defaultInterval: number;
  private readonly maxFailures: number;
  private controller = new AbortController();
  private running: Promise<void> | null = null;
  private lastPrune = 0;
  private readonly budget: FeedBudget;
  /** Failed attempts per entry (its first dedup key); MAX_ENTRY_ATTEMPTS means given up. */
  private readonly entryFailures = new Map<string, number>();
  private registered: Promise<void> | null = null;

  constructor(
    private readonly feeds: readonly FeedSource[],
    private readonly state: FeedStateRepository,
    private readonly publisher: FeedArticleSink,
    private readonly logger: Logger,
    private readonly options: FeedPollerOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.minInterval = options.minIntervalMs ?? 5 * MINUTE;
    this.maxInterval = options.maxIntervalMs ?? 360 * MINUTE;
    this.defaultInterval = this.clamp(options.defaultIntervalMs ?? 15 * MINUTE);
    this.maxFailures = options.maxFailures ?? 10;
    this.budget = { ...DEFAULT_FEED_BUDGET, ...options.budget };
  }

  private clamp(ms: number): number {
    return Math.min(this.maxInterval, Math.max(this.minInterval, ms));
  }

  /** Adds configured feeds to the table and turns disabled ones back on (a restart retries them); once. */
  register(): Promise<void> {
    this.registered ??= this.state.register(this.feeds);
    return this.registered;
  }

  private async row(url: string): Promise<FeedState> {
    await this.register();
    const row = await this.state.get(url);
    if (!row) throw new Error(`feed ${url} is not registered`);
    return row;
  }

  /** Polls in the background until `stop` (with no feeds, it still sends the digests and prunes). */
  start(): void {
    if (this.running) return;
    // Restartable: an instance that leads again after stepping down polls again.
    if (this.controller.signal.aborted) this.controller = new AbortController();
    this.running = this.loop().catch((err: unknown) => this.logger.error("feeds: poller stopped by an unexpected error", err));
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.running;
    this.running = null;
  }

  private async loop(): Promise<void> {
    const signal = this.controller.signal;
    while (!signal.aborted) {
      try {
        await this.pollDue();
      } catch (err) {
        this.logger.error("feeds: a polling round failed (database?); retrying in a minute", err);
      }
      await this.housekeeping();
      const next = await this.nextPollAt().catch(() => null);
      // Wake at least every minute: the digest hour and pruning are checked here too.
      const wait = Math.min(MINUTE, next === null ? MINUTE : Math.max(1000, next - this.clock.now()));
      await this.clock.sleep(wait, signal);
    }
  }

  /** Digests whose hour has come, and old feed articles out of the index (daily). */
  async housekeeping(): Promise<void> {
    try {
      await this.publisher.queueDigests();
      const now = this.clock.now();
      if (now - this.lastPrune > 24 * 60 * MINUTE) {
        this.lastPrune = now;
        const retention = this.options.retentionMs ?? 30 * 24 * 60 * MINUTE;
        const pruned = await this.publisher.pruneFeedArticles(now - retention, now - 3 * retention);
        if (pruned > 0)
          this.logger.info(`feeds: ${pruned} articles older than ${Math.round(retention / 86_400_000)} days left the index`);
      }
    } catch (err) {
      this.logger.error("feeds: housekeeping failed (digests, pruning); retrying later", err);
    }
  }

  private nextPollAt(): Promise<number | null> {
    return this.state.nextPollAt(this.feeds.map((f) => f.url));
  }

  /** Polls every enabled feed that is due; returns what each poll did. */
  async pollDue(): Promise<PollReport[]> {
    const reports: PollReport[] = [];
    for (const feed of this.feeds) {
      if (this.controller.signal.aborted) break;
      const row = await this.row(feed.url);
      if (row.disabledAt !== null || row.nextPollAt > this.clock.now()) continue;
      reports.push(await this.poll(feed));
    }
    return reports;
  }

  /** Polls one feed now, whatever its schedule (unless it is turned off). */
  async poll(feed: FeedSource): Promise<PollReport> {
    const row = await this.row(feed.url);
    if (row.disabledAt !== null) return { url: feed.url, status: "disabled", entries: 0, published: 0, queued: 0 };
    const started = this.clock.now();
    try {
      const result = await fetchBytes(feed.url, {
        validators: { etag: row.etag, lastModified: row.lastModified },
        signal: this.controller.signal,
        ...(this.options.fetchLimits ? { limits: this.options.fetchLimits } : {}),
      });
      if (result.status === "not-modified") {
        await this.succeeded(feed, row, started, this.intervalFor(result.cache.maxAgeSeconds, null), row.etag, row.lastModified);
        return { url: feed.url, status: "not-modified", entries: 0, published: 0, queued: 0 };
      }
      // Decoded and parsed in a worker with a hard time limit: a hostile document fails this poll, nothing else.
      const job = {
        kind: "feed-bytes",
        bytes: result.bytes,
        contentType: result.contentType,
        baseUrl: result.url,
        now: started,
      } as const;
      const parsed = await parseInWorker(job, undefined, [result.bytes.buffer as ArrayBuffer]).catch((err: unknown) => {
        throw err instanceof ParseJobError && err.reason !== "error"
          ? new FeedParseError(`parsing stopped: ${err.message}`)
          : new FeedParseError((err as Error).message.replace(/^FeedParseError: /, ""));
      });
      if (parsed.entries.length === 0 && parsed.title === null) throw new FeedParseError("no title and no entries");
      const notifyAfter = started - (this.options.notifyMaxAgeMs ?? 2 * 24 * 60 * MINUTE);
      const baseline = row.polls === 0;
      let published = 0;
      let queued = 0;
      let skipped = 0;
      // The newest entries not seen before (nor given up), up to the budget; the rest wait for the next poll.
      const fresh: { entry: FeedEntry; keys: string[] }[] = [];
      let deferred = 0;
      for (const entry of parsed.entries) {
        const keys = entryKeys(entry, feed);
        if ((this.entryFailures.get(keys[0] ?? "") ?? 0) >= MAX_ENTRY_ATTEMPTS) continue;
        if (await this.publisher.isDuplicate(keys)) continue;
        if (fresh.length >= this.budget.maxNewItems) deferred++;
        else fresh.push({ entry, keys });
      }
      // One time budget for the whole poll: pages are fetched only while it lasts.
      const deadline = AbortSignal.timeout(Math.max(1, this.budget.timeMs - (this.clock.now() - started)));
      const signal = AbortSignal.any([this.controller.signal, deadline]);
      let pages = 0;
      const mayFetchPage = () => !signal.aborted && pages++ < this.budget.maxPageFetches;
      // Oldest first, so notifications follow the order of publication; pages fetched a few at a time.
      const ordered = fresh.reverse();
      const prepared = mapLimited(ordered, Math.max(1, this.budget.concurrency), async ({ entry }) => {
        if (signal.aborted) return "late" as const;
        return prepareEntry(entry, feed, {
          now: started,
          isDuplicate: (keys) => this.publisher.isDuplicate(keys),
          ...(this.options.fetchPage !== undefined ? { fetchPage: this.options.fetchPage } : {}),
          signal,
          mayFetchPage,
        });
      });
      for (const [k, { entry, keys }] of ordered.entries()) {
        if (this.controller.signal.aborted) break;
        try {
          const ready = await (prepared[k] as Promise<Awaited<ReturnType<typeof prepareEntry>> | "late">);
          if (ready === "late") {
            deferred++;
            continue;
          }
          if (!ready) continue;
          // Indexing is the one piece of work left on the main thread: one article per turn of the event loop.
          await yieldToEventLoop();
          const isFresh = entry.published === null || entry.published.getTime() >= notifyAfter;
          // A wire copy (this title seen from another outlet within three days) is indexed under its
          // outlet but not notified again; the first copy remembers the global title key.
          const wire = titleKey(ready.article.title);
          const wireSeen = wire !== null && (await this.publisher.isDuplicate([wire]));
          const keysToStore = wire !== null && !wireSeen ? [...ready.keys, wire] : ready.keys;
          const r = await this.publisher.publishFeedArticle(ready.article, keysToStore, feed.url, {
            notify: !baseline && isFresh && !wireSeen,
          });
          if (r.outcome === "published") published++;
          queued += r.queued;
          this.entryFailures.delete(keys[0] ?? "");
        } catch (err) {
          skipped++;
          const attempts = (this.entryFailures.get(keys[0] ?? "") ?? 0) + 1;
          this.entryFailures.set(keys[0] ?? "", attempts);
          const reason = err instanceof Error ? err.message : String(err);
          this.logger.warn(
            `feeds: ${feed.name}: the entry "${entry.title.slice(0, 80)}" failed (${reason}); ${attempts >= MAX_ENTRY_ATTEMPTS ? `given up after ${attempts} attempts` : "retried at the next poll"}`,
          );
        }
      }
      if (deferred > 0)
        this.logger.info(`feeds: ${feed.name}: ${deferred} more new entries than this poll's budget; read at the next poll`);
      // Stopped half-way: nothing is recorded, so the next start reads the whole feed again.
      if (this.controller.signal.aborted)
        return { url: feed.url, status: "failed", entries: parsed.entries.length, published, queued, error: "stopped" };
      // An entry failed or waits: forget the validators, so the next poll gets the whole feed (not a 304) and reads it.
      const keep = skipped === 0 && deferred === 0;
      await this.succeeded(
        feed,
        row,
        started,
        this.intervalFor(result.cache.maxAgeSeconds, parsed.ttlMinutes),
        keep ? result.etag : null,
        keep ? result.lastModified : null,
      );
      if (published > 0 || queued > 0) {
        this.logger.info(
          `feeds: ${feed.name}: ${published} new articles${baseline ? " (first poll: indexed, not notified)" : `, ${queued} notifications queued`}`,
        );
      }
      return { url: feed.url, status: "ok", entries: parsed.entries.length, published, queued };
    } catch (err) {
      if (this.controller.signal.aborted)
        return { url: feed.url, status: "failed", entries: 0, published: 0, queued: 0, error: "stopped" };
      return this.failed(feed, row, started, err);
    }
  }

  private intervalFor(maxAgeSeconds: number | undefined, ttlMinutes: number | null): number {
    const hints = [
      maxAgeSeconds !== undefined ? maxAgeSeconds * 1000 : null,
      ttlMinutes !== null ? ttlMinutes * MINUTE : null,
    ].filter((h): h is number => h !== null);
    return hints.length > 0 ? this.clamp(Math.max(...hints)) : this.defaultInterval;
  }

  private async succeeded(
    feed: FeedSource,
    row: FeedState,
    now: number,
    interval: number,
    etag: string | null,
    lastModified: string | null,
  ): Promise<void> {
    await this.state.recordSuccess(feed.url, { etag, lastModified, intervalMs: interval, now });
    if (row.failures > 0) this.logger.info(`feeds: ${feed.name} works again after ${row.failures} failures`);
  }

  private async failed(feed: FeedSource, row: FeedState, now: number, err: unknown): Promise<PollReport> {
    const reason =
      err instanceof FetchError || err instanceof FeedParseError
        ? err.message
        : `unexpected error: ${err instanceof Error ? err.message : String(err)}`;
    const failures = row.failures + 1;
    const gone = err instanceof FetchError && err.kind === "gone";
    if (gone || failures >= this.maxFailures) {
      const notices = (this.options.adminIds ?? []).map((chatId) => ({
        chatId,
        threadId: null,
        item: `feed-off:${feed.url}:${now}`,
        text: (this.options.renderFeedDisabled ?? plainFeedDisabled)(feed.name, feed.url, failures, reason),
      }));
      await this.state.disable(feed.url, { failures, error: reason, now }, notices);
      this.logger.error(
        `feeds: ${feed.name} (${feed.url}) turned off after ${failures} failures in a row: ${reason}${notices.length > 0 ? "; admins notified" : "; set ADMIN_IDS to be told"}`,
      );
      return { url: feed.url, status: "disabled", entries: 0, published: 0, queued: 0, error: reason };
    }
    const backoff = this.clamp(this.minInterval * 2 ** (failures - 1));
    const retryAfter =
      err instanceof FetchError && err.retryAfterMs !== undefined ? Math.min(this.maxInterval, err.retryAfterMs) : 0;
    const delay = Math.max(backoff, retryAfter);
    await this.state.recordFailure(feed.url, { failures, error: reason, now, nextPollAt: now + delay });
    this.logger.warn(
      `feeds: ${feed.name} failed (${reason}); failure ${failures} of ${this.maxFailures}, next try in ${Math.round(delay / MINUTE)} min`,
    );
    return { url: feed.url, status: "failed", entries: 0, published: 0, queued: 0, error: reason };
  }
}
