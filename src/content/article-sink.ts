/**
 * Where the sources (the content folder, the feeds) hand their articles: the article store,
 * the index and — for news — the publisher behind it. The sources only know these interfaces;
 * delivery/publisher.ts implements them. Data flows one way: sources → article store → index
 * (every instance) and publisher → outbox → sender → Telegram; nothing below imports what is
 * above it.
 */
import type { Article } from "./article.js";

export type PublishOutcome = "published" | "duplicate" | "updated" | "unchanged";

export interface PublishResult {
  readonly outcome: PublishOutcome;
  /** Chats a notification (or digest entry) was queued for. */
  readonly queued: number;
}

/** What the content watcher needs. */
export interface ContentArticleSink {
  /** A new or changed article of the content folder: (re-)indexed; processed (and notified, with `notify`) the first time its id is seen. */
  publishContentArticle(article: Article, options: { notify: boolean }): Promise<PublishResult>;
  /** Marks content articles processed without notifying (the first start). */
  markContentProcessed(ids: readonly string[]): Promise<void>;
  /** Content ids processed before. */
  processedContentIds(): Promise<Set<string>>;
  /** An article file was removed: out of the index. */
  removeArticle(id: string): boolean;
}

/** What the feed poller needs. */
export interface FeedArticleSink {
  /** Whether any of these dedup keys belongs to an article already processed. */
  isDuplicate(keys: readonly string[]): Promise<boolean>;
  /** A new article from a feed: indexed, stored, its keys remembered and, with `notify`, queued for subscribers. */
  publishFeedArticle(
    article: Article,
    keys: readonly string[],
    feedUrl: string,
    options: { notify: boolean },
  ): Promise<PublishResult>;
  /** Daily digests whose hour has come; returns how many were queued. */
  queueDigests(): Promise<number>;
  /** Drops feed articles added before `before` (their keys before `keysBefore`); returns how many left the index. */
  pruneFeedArticles(before: number, keysBefore: number): Promise<number>;
}
