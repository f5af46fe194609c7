/**
 * Every instance answers from the same articles: this keeps an instance's in-memory index in
 * step with the article store, which the (one) feed poller and every instance's content
 * watcher write to. Every `intervalMs` (2 s) it reads the articles stored since the newest it
 * has seen, minus `overlapMs` (clocks of the instances may differ a little, and a transaction
 * may commit an older timestamp after a newer one), and indexes those whose text it doesn't
 * have yet (same article hash: skipped). An article stored anywhere is thus in every index
 * within a few seconds; a new instance starts from its persisted index plus all stored
 * articles (load-engine.ts), then follows from here. Feed articles the leader pruned from the
 * store (FEED_RETENTION_DAYS) leave this index too, at the hourly `forgetPruned` round.
 */
import type { Logger } from "../logger.js";
import type { ArticleRepository } from "../storage/article-store.js";
import { articleHash, type PassageIndex } from "./passage-index.js";

export interface IndexSyncOptions {
  readonly intervalMs?: number;
  readonly overlapMs?: number;
  /** Called after articles were added (the index is saved a little later). */
  readonly onChange?: (added: number) => void;
  readonly now?: () => number;
  /** How often feed articles gone from the store are dropped from the index (1 h). */
  readonly forgetEveryMs?: number;
}

/** Ids of articles that came from feeds (feeds/feed-article.ts); content-folder ids never start so. */
const FEED_ID = /^feed:/;

export class IndexSync {
  private cursor: number;
  private timer: NodeJS.Timeout | null = null;
  private forgetTimer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private failing = false;
  private readonly intervalMs: number;
  private readonly overlapMs: number;

  constructor(
    private readonly articles: Pick<ArticleRepository, "storedSince" | "storedIds">,
    private readonly index: PassageIndex,
    private readonly logger: Logger,
    private readonly options: IndexSyncOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 2000;
    this.overlapMs = options.overlapMs ?? 60_000;
    // The index was loaded with every stored article: follow from now.
    this.cursor = (options.now ?? Date.now)();
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.syncOnce(), this.intervalMs);
    this.timer.unref();
    this.forgetTimer = setInterval(() => void this.forgetPruned(), this.options.forgetEveryMs ?? 3_600_000);
    this.forgetTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.forgetTimer) clearInterval(this.forgetTimer);
    this.timer = null;
    this.forgetTimer = null;
    await this.running;
  }

  /**
   * Drops from the index the feed articles no longer in the store (pruned by the leader);
   * returns how many. An article indexed by this instance's own publisher a moment before its
   * commit may be dropped too; the next round brings it back. Never throws.
   */
  async forgetPruned(): Promise<number> {
    let stored: Set<string>;
    try {
      stored = new Set(await this.articles.storedIds());
    } catch (err) {
      this.logger.warn(
        `index sync: cannot list the stored articles (${err instanceof Error ? err.message : String(err)}); pruning later`,
      );
      return 0;
    }
    let removed = 0;
    for (const a of this.index.articles()) {
      if (FEED_ID.test(a.id) && !stored.has(a.id) && this.index.remove(a.id)) removed++;
    }
    if (removed > 0) {
      this.logger.info(`index sync: ${removed} feed articles pruned from the store left the index`);
      this.options.onChange?.(0);
    }
    return removed;
  }

  /** One round; returns how many articles were (re-)indexed. Never throws. */
  syncOnce(): Promise<number> {
    this.running ??= this.round().finally(() => (this.running = null));
    return this.running;
  }

  private async round(): Promise<number> {
    let rows: Awaited<ReturnType<ArticleRepository["storedSince"]>>;
    try {
      rows = await this.articles.storedSince(this.cursor - this.overlapMs);
      if (this.failing) this.logger.info("index sync: the article store answers again");
      this.failing = false;
    } catch (err) {
      if (!this.failing)
        this.logger.warn(
          `index sync: cannot read the article store (${err instanceof Error ? err.message : String(err)}); retrying`,
        );
      this.failing = true;
      return 0;
    }
    let added = 0;
    for (const { article, addedAt } of rows) {
      this.cursor = Math.max(this.cursor, addedAt);
      if (this.index.articleHashOf(article.id) === articleHash(article)) continue;
      try {
        this.index.add(article);
        added++;
      } catch (err) {
        this.logger.warn(
          `index sync: article ${article.id} could not be indexed (${err instanceof Error ? err.message : String(err)})`,
        );
      }
    }
    if (added > 0) {
      this.logger.info(`index sync: ${added} articles from the article store indexed`);
      this.options.onChange?.(added);
    }
    return added;
  }
}
