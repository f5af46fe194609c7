/**
 * Stored articles and processed-article keys: what feeds brought (so every instance's index
 * has it, after a restart too), the dedup keys of every article processed (guid, canonical
 * link, title hash), and which content-folder articles were processed.
 *
 * The two `commit…` methods are the crash guarantee of live news: "article processed" (its
 * keys, its stored copy) and "one outbox row per subscriber" (plus digest entries) are
 * written in ONE transaction, in SQLite and in Postgres alike. A crash before the commit
 * means the article is processed again later; after it, the outbox holds every notification.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import type { Article } from "../content/article.js";
import { insertDigestItems, insertOutbox, type DigestItem, type OutboxMessage } from "../delivery/outbox.js";
import { DATABASE_FILE } from "./database.js";
import { placeholders, type SqlDatabase, type SqlExecutor } from "./sql.js";

/** What processing one article queues: notifications and digest entries. */
export interface Deliveries {
  readonly messages: readonly OutboxMessage[];
  readonly digests: readonly DigestItem[];
}

export interface StoredArticle {
  readonly article: Article;
  readonly addedAt: number;
}

/** `feed_url` of the content-folder articles stored for the other instances. */
export const CONTENT_ORIGIN = "content:";

export interface ArticleRepository {
  /** Every stored article (feeds' and content folders'), oldest first (the index at start-up). */
  storedArticles(): Promise<Article[]>;
  /** Stored articles added at or after `since` (another instance's poller; catching up). */
  storedSince(since: number): Promise<StoredArticle[]>;
  /** The ids of every stored article. */
  storedIds(): Promise<string[]>;
  /** When each of these keys was seen (absent: never). */
  seenKeys(keys: readonly string[]): Promise<Map<string, number>>;
  /** Stores a feed article, remembers its keys and queues its deliveries, atomically; returns how many were queued. */
  commitFeedArticle(c: { article: Article; feedUrl: string; keys: readonly string[]; now: number } & Deliveries): Promise<number>;
  /**
   * Marks a content article processed, stores its text (for the other instances' indexes),
   * remembers its keys and queues its deliveries, atomically; null when it was already
   * processed (nothing written).
   */
  commitContentArticle(c: { article: Article; keys: readonly string[]; now: number } & Deliveries): Promise<number | null>;
  /** A content article changed: its stored copy follows (the other instances re-index it). */
  storeContentArticle(article: Article, now: number): Promise<void>;
  isContentProcessed(id: string): Promise<boolean>;
  markContentProcessed(ids: readonly string[], now: number): Promise<void>;
  processedContentIds(): Promise<Set<string>>;
  /** Ids of feed articles (not content-folder ones) added before `before`. */
  feedArticleIdsBefore(before: number): Promise<string[]>;
  /** Deletes feed articles (not content-folder ones) added before `before`, keys seen before `keysBefore`, finished outbox rows created before `outboxBefore`. */
  prune(before: number, keysBefore: number, outboxBefore: number): Promise<void>;
}

const ARTICLE_COLUMNS = "id, title, date, url, source, body";

async function remember(tx: SqlExecutor, keys: readonly string[], articleId: string, now: number): Promise<void> {
  for (const k of keys) {
    await tx.run(
      "INSERT INTO seen_items (key, article_id, seen_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET article_id = excluded.article_id, seen_at = excluded.seen_at",
      [k, articleId, now],
    );
  }
}

async function upsertArticle(tx: SqlExecutor, a: Article, origin: string, now: number): Promise<void> {
  await tx.run(
    "INSERT INTO feed_articles (id, feed_url, title, date, url, source, body, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) " +
      "ON CONFLICT (id) DO UPDATE SET feed_url = excluded.feed_url, title = excluded.title, date = excluded.date, url = excluded.url, source = excluded.source, body = excluded.body, added_at = excluded.added_at",
    [a.id, origin, a.title, a.date, a.url, a.source, a.body, now],
  );
}

async function deliver(tx: SqlExecutor, d: Deliveries, now: number): Promise<number> {
  return (await insertOutbox(tx, d.messages, now)) + (await insertDigestItems(tx, d.digests, now));
}

export class ArticleStore implements ArticleRepository {
  constructor(private readonly db: SqlDatabase) {}

  /**
   * The articles feeds brought, read from DATA_DIR's SQLite database without creating or
   * migrating it (for `citat ask`, which must answer from the same articles as the bot); none
   * when absent.
   */
  static storedArticlesIn(dataDir: string): Article[] {
    let db: Database.Database | null = null;
    try {
      db = new Database(join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
      return (db.prepare(`SELECT ${ARTICLE_COLUMNS} FROM feed_articles ORDER BY added_at`).all() as Article[]).map((r) => ({
        ...r,
      }));
    } catch {
      return [];
    } finally {
      db?.close();
    }
  }

  async storedArticles(): Promise<Article[]> {
    return (await this.db.all<Article>(`SELECT ${ARTICLE_COLUMNS} FROM feed_articles ORDER BY added_at, id`)).map((r) => ({
      ...r,
    }));
  }

  async storedSince(since: number): Promise<StoredArticle[]> {
    const rows = await this.db.all<Article & { added_at: number }>(
      `SELECT ${ARTICLE_COLUMNS}, added_at FROM feed_articles WHERE added_at >= ? ORDER BY added_at, id`,
      [since],
    );
    return rows.map(({ added_at, ...article }) => ({ article, addedAt: added_at }));
  }

  async storedIds(): Promise<string[]> {
    return (await this.db.all<{ id: string }>("SELECT id FROM feed_articles")).map((r) => r.id);
  }

  async seenKeys(keys: readonly string[]): Promise<Map<string, number>> {
    if (keys.length === 0) return new Map();
    const rows = await this.db.all<{ key: string; seen_at: number }>(
      `SELECT key, seen_at FROM seen_items WHERE key IN (${placeholders(keys.length)})`,
      keys,
    );
    return new Map(rows.map((r) => [r.key, r.seen_at]));
  }

  commitFeedArticle(
    c: { article: Article; feedUrl: string; keys: readonly string[]; now: number } & Deliveries,
  ): Promise<number> {
    const a = c.article;
    return this.db.transaction(async (tx) => {
      await upsertArticle(tx, a, c.feedUrl, c.now);
      await remember(tx, c.keys, a.id, c.now);
      return deliver(tx, c, c.now);
    });
  }

  commitContentArticle(c: { article: Article; keys: readonly string[]; now: number } & Deliveries): Promise<number | null> {
    return this.db.transaction(async (tx) => {
      if (
        (await tx.run("INSERT INTO content_articles (id, processed_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING", [
          c.article.id,
          c.now,
        ])) === 0
      )
        return null;
      await upsertArticle(tx, c.article, CONTENT_ORIGIN, c.now);
      await remember(tx, c.keys, c.article.id, c.now);
      return deliver(tx, c, c.now);
    });
  }

  async storeContentArticle(article: Article, now: number): Promise<void> {
    await this.db.transaction((tx) => upsertArticle(tx, article, CONTENT_ORIGIN, now));
  }

  async isContentProcessed(id: string): Promise<boolean> {
    return (await this.db.get("SELECT 1 AS x FROM content_articles WHERE id = ?", [id])) !== undefined;
  }

  async markContentProcessed(ids: readonly string[], now: number): Promise<void> {
    if (ids.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const id of ids)
        await tx.run("INSERT INTO content_articles (id, processed_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING", [id, now]);
    });
  }

  async processedContentIds(): Promise<Set<string>> {
    return new Set((await this.db.all<{ id: string }>("SELECT id FROM content_articles")).map((r) => r.id));
  }

  async feedArticleIdsBefore(before: number): Promise<string[]> {
    return (
      await this.db.all<{ id: string }>("SELECT id FROM feed_articles WHERE added_at < ? AND feed_url <> ?", [
        before,
        CONTENT_ORIGIN,
      ])
    ).map((r) => r.id);
  }

  async prune(before: number, keysBefore: number, outboxBefore: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run("DELETE FROM feed_articles WHERE added_at < ? AND feed_url <> ?", [before, CONTENT_ORIGIN]);
      await tx.run("DELETE FROM seen_items WHERE seen_at < ?", [keysBefore]);
      await tx.run("DELETE FROM outbox WHERE status <> 'pending' AND created_at < ?", [outboxBefore]);
    });
  }
}
