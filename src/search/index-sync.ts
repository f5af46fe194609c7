/**
 * Every instance answers from the same articles: this keeps an instance's in-memory index in
 * step with the article store, which the (one) feed poller and every instance's content
 * watcher write to. Every `intervalMs` (2 s) it reads the articles stored since the newest it
 * has seen, minus `overlapMs` (clocks of the instances may differ a little, and a transaction
 * may commit an older timestamp after a newer one), and indexes those whose text it doesn't
 * have yet (same article hash: skipped). An article stored anywhere is thus in every index
 * within a few seconds; a new instance starts from its persisted index plus all stored
 * articles (load-engine.ts), then follows from here.
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
}

export class IndexSync {
  private cursor: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private failing = false;
  private readonly intervalMs: number;
  private readonly overlapMs: number;

  constructor(
    private readonly articles: Pick<ArticleRepository, "storedSince">,
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
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One round; returns how many articles were (re-)indexed. Never throws. */
  syncOnce(): Promise<number> {
    this.running ??= this.round().finally(() => (this.running = null));
    return this.running;
  }

  private async round(): Promise<number> {
    let rows;
    try {
      rows = await this.articles.storedSince(this.cursor - this.overlapMs);
      if (this.failing) this.logger.info("index sync: the article store answers again");
      this.failing = false;
    } catch (err) {
      if (!this.failing) this.logger.warn(`index sync: cannot read the article store (${err instanceof Error ? err.message : String(err)}); retrying`);
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
        this.logger.warn(`index sync: article ${article.id} could not be indexed (${err instanceof Error ? err.message : String(err)})`);
      }
    }
    if (added > 0) {
      this.logger.info(`index sync: ${added} articles from the article store indexed`);
      this.options.onChange?.(added);
    }
    return added;
  }
}
