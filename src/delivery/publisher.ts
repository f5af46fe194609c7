/**
 * Where new articles arrive, from the feeds and from the content folder: each is indexed (so
 * questions find it at once), matched against the subscriptions, and — in ONE transaction —
 * marked processed and queued for every matching chat. Either both happen or neither: a crash
 * before the commit means the article is processed again later, a crash after it means the
 * outbox has every notification. Nothing is ever queued twice for a chat (outbox uniqueness).
 *
 * Dedup: an article is known by keys — its guid, its canonical link, a hash of its title (for
 * three days: wire copies reach several outlets under one title). An article any of whose keys
 * was seen is a duplicate, across feeds and the content folder alike.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { Article } from "../content/article.js";
import type { Logger } from "../logger.js";
import type { AnswerEngine } from "../search/answer-engine.js";
import type { IndexStore } from "../search/index-store.js";
import { DATABASE_FILE, type Db } from "../storage/database.js";
import { matchArticle, type ArticleMatch } from "../subscriptions/match.js";
import type { SubscriptionStore } from "../subscriptions/subscription-store.js";
import { fold } from "../text/normalize.js";
import { systemClock, type Clock } from "./clock.js";
import { digestLine, langOfSubscription, renderDigest, renderNotification } from "./notification.js";
import type { Outbox, OutboxMessage } from "./outbox.js";

const DAY = 86_400_000;
/** Title keys only count for this long: "Horoscop" comes back every day. */
export const TITLE_KEY_WINDOW_MS = 3 * DAY;

export interface PublisherOptions {
  readonly clock?: Clock;
  /** The index is saved this long after the last change (changes come in bursts). */
  readonly saveDelayMs?: number;
  /** Called after notifications were queued (the sender's wake-up). */
  readonly onQueued?: () => void;
  /** Hour of the day (Europe/Bucharest) the daily digests go out. */
  readonly digestHour?: number;
  /** Content-folder articles dated longer ago than this are indexed but not notified. */
  readonly notifyMaxAgeMs?: number;
}

export type PublishOutcome = "published" | "duplicate" | "updated" | "unchanged";

export interface PublishResult {
  readonly outcome: PublishOutcome;
  /** Chats a notification (or digest entry) was queued for. */
  readonly queued: number;
}

/** Canonical form of an article URL for dedup: no fragment, no tracking parameters, no www., no trailing slash. */
export function canonicalUrl(url: string): string {
  try {
    const u = new URL(url);
    u.hash = "";
    u.hostname = u.hostname.toLowerCase().replace(/^www\./, "");
    for (const p of [...u.searchParams.keys()]) if (/^(utm_|fbclid$|gclid$|mc_|ref$|amp$)/i.test(p)) u.searchParams.delete(p);
    u.protocol = "https:";
    return u.href.replace(/\/+(?=$|\?)/, "");
  } catch {
    return url;
  }
}

const sha1 = (s: string) => createHash("sha1").update(s).digest("hex");

/** The dedup key of a title: folded, words only (punctuation and case never differ a story). */
export function titleKey(title: string): string | null {
  const words = fold(title).match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.length >= 3 ? `title:${sha1(words.join(" "))}` : null;
}

export function urlKey(url: string): string {
  return `url:${canonicalUrl(url)}`;
}

/** The dedup keys of an article: guid (scoped to its feed unless it is a URL), links, title. */
export function dedupKeys(input: { guid?: string | null; urls?: ReadonlyArray<string | null>; title: string; feedUrl?: string }): string[] {
  const keys = new Set<string>();
  const guid = input.guid?.trim();
  if (guid) keys.add(/^https?:\/\//i.test(guid) ? urlKey(guid) : `guid:${input.feedUrl ?? ""}#${guid}`);
  for (const u of input.urls ?? []) if (u) keys.add(urlKey(u));
  const t = titleKey(input.title);
  if (t) keys.add(t);
  return [...keys];
}

/** Y-M-D and hour in Bucharest for an instant. */
export function bucharestParts(ms: number): { date: string; hour: number; offsetMs: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Bucharest", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour), offsetMs: wall - Math.floor(ms / 1000) * 1000 };
}

/** A row of feed_articles: exactly an Article's fields. */
type StoredFeedArticle = Article;

export class Publisher {
  private readonly clock: Clock;
  private saveTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly engine: AnswerEngine,
    private readonly indexStore: IndexStore | null,
    private readonly outbox: Outbox,
    private readonly subscriptions: SubscriptionStore,
    private readonly logger: Logger,
    private readonly options: PublisherOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  /**
   * The articles feeds brought, read from DATA_DIR's database without creating or migrating it
   * (for `citat ask`, which must answer from the same articles as the bot); none when absent.
   */
  static storedFeedArticlesIn(dataDir: string): Article[] {
    let db: Db | null = null;
    try {
      db = new Database(join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
      return Publisher.storedFeedArticles(db);
    } catch {
      return [];
    } finally {
      db?.close();
    }
  }

  /** The articles feeds brought earlier, for the index at start-up. */
  static storedFeedArticles(db: Db): Article[] {
    return (db.prepare("SELECT id, title, date, url, source, body FROM feed_articles ORDER BY added_at").all() as StoredFeedArticle[]).map((r) => ({ ...r }));
  }

  /** Whether any of these keys belongs to an article already processed. */
  isDuplicate(keys: readonly string[]): boolean {
    const now = this.clock.now();
    const find = this.db.prepare("SELECT seen_at FROM seen_items WHERE key = ?");
    return keys.some((k) => {
      const row = find.get(k) as { seen_at: number } | undefined;
      return row !== undefined && (!k.startsWith("title:") || now - row.seen_at < TITLE_KEY_WINDOW_MS);
    });
  }

  /**
   * A new article from a feed: indexed, stored, its keys remembered and, with `notify`,
   * queued for every matching subscription — the last three in one transaction.
   */
  publishFeedArticle(article: Article, keys: readonly string[], feedUrl: string, options: { notify: boolean }): PublishResult {
    if (this.isDuplicate(keys)) return { outcome: "duplicate", queued: 0 };
    this.engine.index.add(article);
    const matches = options.notify ? this.match(article) : [];
    const now = this.clock.now();
    const queued = this.db.transaction(() => {
      this.db
        .prepare("INSERT OR REPLACE INTO feed_articles (id, feed_url, title, date, url, source, body, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .run(article.id, feedUrl, article.title, article.date, article.url, article.source, article.body, now);
      this.remember(keys, article.id, now);
      return this.queue(article, matches, now);
    })();
    this.afterChange(queued);
    return { outcome: "published", queued };
  }

  /**
   * An article of the content folder, new or changed: (re-)indexed. The first time its id is
   * seen it is processed — queued for matching subscriptions unless `notify` is false or a
   * feed already brought the same story.
   */
  publishContentArticle(article: Article, options: { notify: boolean }): PublishResult {
    const changed = this.engine.index.articleHashOf(article.id);
    this.engine.index.add(article);
    const known = this.db.prepare("SELECT 1 FROM content_articles WHERE id = ?").get(article.id) !== undefined;
    if (known) {
      this.afterChange(0);
      return { outcome: changed === undefined ? "published" : "updated", queued: 0 };
    }
    const keys = dedupKeys({ urls: [article.url], title: article.title });
    const duplicate = this.isDuplicate(keys);
    // An old article dropped into the folder (an archive import) is indexed, not news.
    const recent = article.date === null || Date.parse(`${article.date}T23:59:59Z`) >= this.clock.now() - (this.options.notifyMaxAgeMs ?? 2 * DAY);
    const matches = options.notify && !duplicate && recent ? this.match(article) : [];
    const now = this.clock.now();
    const queued = this.db.transaction(() => {
      if (this.db.prepare("INSERT OR IGNORE INTO content_articles (id, processed_at) VALUES (?, ?)").run(article.id, now).changes === 0) return 0;
      this.remember(keys, article.id, now);
      return this.queue(article, matches, now);
    })();
    this.afterChange(queued);
    return { outcome: duplicate ? "duplicate" : "published", queued };
  }

  /** Marks content articles processed without notifying (the first start: what is there is not news). */
  markContentProcessed(ids: readonly string[]): void {
    const now = this.clock.now();
    const insert = this.db.prepare("INSERT OR IGNORE INTO content_articles (id, processed_at) VALUES (?, ?)");
    this.db.transaction(() => {
      for (const id of ids) insert.run(id, now);
    })();
  }

  /** Content ids processed before (to tell new files from known ones at start-up). */
  processedContentIds(): Set<string> {
    return new Set((this.db.prepare("SELECT id FROM content_articles").all() as { id: string }[]).map((r) => r.id));
  }

  /** An article file was removed: out of the index (its "processed" mark stays: no re-notification). */
  removeArticle(id: string): boolean {
    const removed = this.engine.index.remove(id);
    if (removed) this.afterChange(0);
    return removed;
  }

  /** Drops feed articles added before `before` from the index and the store; their dedup keys stay a while longer. */
  pruneFeedArticles(before: number, keysBefore: number): number {
    const old = this.db.prepare("SELECT id FROM feed_articles WHERE added_at < ?").all(before) as { id: string }[];
    for (const { id } of old) this.engine.index.remove(id);
    this.db.transaction(() => {
      this.db.prepare("DELETE FROM feed_articles WHERE added_at < ?").run(before);
      this.db.prepare("DELETE FROM seen_items WHERE seen_at < ?").run(keysBefore);
      this.outbox.prune(this.clock.now() - 30 * DAY);
    })();
    if (old.length > 0) this.afterChange(0);
    return old.length;
  }

  /**
   * Queues each chat's daily digest once the digest hour has passed: every article collected
   * before it, in one message, and the collected entries removed — in one transaction.
   */
  queueDigests(): number {
    const now = this.clock.now();
    const { date, hour, offsetMs } = bucharestParts(now);
    const digestHour = this.options.digestHour ?? 8;
    if (hour < digestHour) return 0;
    const [y, m, d] = date.split("-").map(Number) as [number, number, number];
    const cutoff = Date.UTC(y, m - 1, d, digestHour) - offsetMs;
    const rows = this.db
      .prepare("SELECT chat_id, thread_id, lang, line FROM digest_items WHERE created_at < ? ORDER BY chat_id, created_at")
      .all(cutoff) as { chat_id: number; thread_id: number | null; lang: string; line: string }[];
    if (rows.length === 0) return 0;
    const byChat = new Map<number, typeof rows>();
    for (const r of rows) byChat.set(r.chat_id, [...(byChat.get(r.chat_id) ?? []), r]);
    const messages: OutboxMessage[] = [...byChat].map(([chatId, items]) => {
      const first = items[0] as (typeof rows)[number];
      return { chatId, threadId: first.thread_id, item: `digest:${date}`, text: renderDigest(date, items.map((i) => i.line), first.lang === "en" ? "en" : "ro") };
    });
    const queued = this.db.transaction(() => {
      const n = this.outbox.enqueue(messages, now);
      this.db.prepare("DELETE FROM digest_items WHERE created_at < ?").run(cutoff);
      return n;
    })();
    if (queued > 0) {
      this.logger.info(`delivery: queued ${queued} daily digests`);
      this.options.onQueued?.();
    }
    return queued;
  }

  /** Writes the index now (shutdown, tests). */
  async flush(): Promise<void> {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
    }
    if (this.indexStore) await this.indexStore.save(this.engine.index);
  }

  private match(article: Article): ArticleMatch[] {
    try {
      return matchArticle(article, this.subscriptions.all());
    } catch (err) {
      this.logger.error(`subscriptions: matching article ${article.id} failed; nobody is notified of it`, err);
      return [];
    }
  }

  private remember(keys: readonly string[], articleId: string, now: number): void {
    const insert = this.db.prepare("INSERT INTO seen_items (key, article_id, seen_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET article_id = excluded.article_id, seen_at = excluded.seen_at");
    for (const k of keys) insert.run(k, articleId, now);
  }

  /** One notification per chat (its instant subscriptions), or digest entries; inside the caller's transaction. */
  private queue(article: Article, matches: readonly ArticleMatch[], now: number): number {
    const byChat = new Map<number, ArticleMatch[]>();
    for (const m of matches) byChat.set(m.subscription.chatId, [...(byChat.get(m.subscription.chatId) ?? []), m]);
    const messages: OutboxMessage[] = [];
    const addDigest = this.db.prepare("INSERT OR IGNORE INTO digest_items (chat_id, thread_id, article_id, lang, line, created_at) VALUES (?, ?, ?, ?, ?, ?)");
    let digests = 0;
    for (const [chatId, chatMatches] of byChat) {
      const instant = chatMatches.filter((m) => !m.subscription.digest);
      if (instant.length > 0) {
        const first = instant[0] as ArticleMatch;
        const quote = instant.find((m) => m.quote)?.quote ?? null;
        const { text, markup } = renderNotification(article, quote, instant.map((m) => m.subscription), langOfSubscription(first.subscription));
        messages.push({ chatId, threadId: first.subscription.threadId, item: `article:${article.id}`, text, markup });
      } else {
        const first = chatMatches[0] as ArticleMatch;
        digests += addDigest.run(chatId, first.subscription.threadId, article.id, first.subscription.lang, digestLine(article), now).changes;
      }
    }
    return this.outbox.enqueue(messages, now) + digests;
  }

  private afterChange(queued: number): void {
    if (queued > 0) this.options.onQueued?.();
    if (!this.indexStore || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      void this.indexStore?.save(this.engine.index);
    }, this.options.saveDelayMs ?? 2000);
    this.saveTimer.unref();
  }
}
