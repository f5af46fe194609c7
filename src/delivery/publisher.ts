/**
 * Where new articles arrive, from the feeds and from the content folder: each is indexed (so
 * questions find it at once), matched against the subscriptions, and — in ONE transaction —
 * marked processed and queued for every matching chat (ArticleRepository.commit…). Either both happen or neither: a crash
 * before the commit means the article is processed again later, a crash after it means the
 * outbox has every notification. Nothing is ever queued twice for a chat (outbox uniqueness).
 *
 * Dedup: an article is known by keys — its guid, its canonical link, a hash of its title (for
 * three days: wire copies reach several outlets under one title). An article any of whose keys
 * was seen is a duplicate, across feeds and the content folder alike.
 */
import type { Article } from "../content/article.js";
import { dedupKeys } from "../content/article-keys.js";
import type { ContentArticleSink, FeedArticleSink, PublishResult } from "../content/article-sink.js";
import type { Logger } from "../logger.js";
import type { AnswerEngine, Quote } from "../search/answer-engine.js";
import { IndexBudget } from "../search/index-budget.js";
import type { IndexStore } from "../search/index-store.js";
import type { ArticleRepository, Deliveries } from "../storage/article-store.js";
import { matchArticle, type ArticleMatch } from "../subscriptions/match.js";
import type { Subscription, SubscriptionRepository } from "../subscriptions/subscription-store.js";
import { bucharestParts, systemClock, type Clock } from "../clock.js";
import type { DigestItem, OutboxMessage, OutboxRepository } from "./outbox.js";

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
  /** The index's budget in passages (INDEX_MAX_PASSAGES): the oldest feed articles leave first. */
  readonly maxPassages?: number;
}

/**
 * The texts of what the outbox carries, rendered by the bot's side (bot/notifications.ts) and
 * injected: delivery sits below the bot and never imports it. HTML for parse_mode HTML.
 */
export interface NotificationRenderer {
  /** One notification for a chat: the article, its best quote, the subscriptions it answers. */
  notification(
    article: Article,
    quote: Quote | null,
    subscriptions: readonly Subscription[],
    lang: string,
  ): { text: string; markup?: unknown };
  /** A digest's line for one article. */
  digestLine(article: Article): string;
  /** The day's digest of a chat. */
  digest(date: string, lines: readonly string[], lang: string): string;
  /** The notice to the admins that a feed was turned off. */
  feedDisabled(name: string, url: string, failures: number, reason: string): string;
}

export type { PublishOutcome, PublishResult } from "../content/article-sink.js";

export class Publisher implements ContentArticleSink, FeedArticleSink {
  private readonly clock: Clock;
  private saveTimer: NodeJS.Timeout | null = null;
  private readonly budget: IndexBudget | null;

  constructor(
    private readonly storage: {
      readonly articles: ArticleRepository;
      readonly outbox: OutboxRepository;
      readonly subscriptions: SubscriptionRepository;
    },
    private readonly engine: AnswerEngine,
    private readonly indexStore: IndexStore | null,
    private readonly render: NotificationRenderer,
    private readonly logger: Logger,
    private readonly options: PublisherOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.budget =
      options.maxPassages === undefined
        ? null
        : new IndexBudget(
            options.maxPassages,
            engine.index,
            // Oldest first by date (the storage keeps them: a restart loads the newest that fit).
            () =>
              engine.index
                .articles()
                .filter((a) => a.id.startsWith("feed:"))
                .sort((a, b) => (a.date ?? "").localeCompare(b.date ?? ""))
                .map((a) => a.id),
            (id: string) => void engine.index.remove(id),
            logger,
          );
  }

  /** Whether any of these keys belongs to an article already processed. */
  async isDuplicate(keys: readonly string[]): Promise<boolean> {
    const now = this.clock.now();
    const seen = await this.storage.articles.seenKeys(keys);
    return keys.some((k) => {
      const at = seen.get(k);
      return at !== undefined && (!k.startsWith("title:") || now - at < TITLE_KEY_WINDOW_MS);
    });
  }

  /**
   * A new article from a feed: indexed, stored, its keys remembered and, with `notify`,
   * queued for every matching subscription — the last three in one transaction.
   */
  async publishFeedArticle(
    article: Article,
    keys: readonly string[],
    feedUrl: string,
    options: { notify: boolean },
  ): Promise<PublishResult> {
    if (await this.isDuplicate(keys)) return { outcome: "duplicate", queued: 0 };
    this.engine.index.add(article);
    const matches = options.notify ? await this.match(article) : [];
    const now = this.clock.now();
    const queued = await this.storage.articles.commitFeedArticle({
      article,
      feedUrl,
      keys,
      now,
      ...this.deliveries(article, matches),
    });
    this.afterChange(queued);
    // Over the index budget, the oldest feed articles leave the index (logged).
    this.budget?.enforce(article.id);
    return { outcome: "published", queued };
  }

  /**
   * An article of the content folder, new or changed: (re-)indexed. The first time its id is
   * seen it is processed — queued for matching subscriptions unless `notify` is false or a
   * feed already brought the same story.
   */
  async publishContentArticle(article: Article, options: { notify: boolean }): Promise<PublishResult> {
    const changed = this.engine.index.articleHashOf(article.id);
    this.engine.index.add(article);
    this.budget?.enforce(article.id);
    if (await this.storage.articles.isContentProcessed(article.id)) {
      // Changed: the stored copy follows, so the other instances re-index it too.
      if (changed !== undefined && changed !== this.engine.index.articleHashOf(article.id))
        await this.storage.articles.storeContentArticle(article, this.clock.now());
      this.afterChange(0);
      return { outcome: changed === undefined ? "published" : "updated", queued: 0 };
    }
    const keys = dedupKeys({ urls: [article.url], title: article.title });
    const duplicate = await this.isDuplicate(keys);
    // An old article dropped into the folder (an archive import) is indexed, not news.
    const recent =
      article.date === null ||
      Date.parse(`${article.date}T23:59:59Z`) >= this.clock.now() - (this.options.notifyMaxAgeMs ?? 2 * DAY);
    const matches = options.notify && !duplicate && recent ? await this.match(article) : [];
    const now = this.clock.now();
    const queued =
      (await this.storage.articles.commitContentArticle({ article, keys, now, ...this.deliveries(article, matches) })) ?? 0;
    this.afterChange(queued);
    return { outcome: duplicate ? "duplicate" : "published", queued };
  }

  /** Marks content articles processed without notifying (the first start: what is there is not news). */
  markContentProcessed(ids: readonly string[]): Promise<void> {
    return this.storage.articles.markContentProcessed(ids, this.clock.now());
  }

  /** Content ids processed before (to tell new files from known ones at start-up). */
  processedContentIds(): Promise<Set<string>> {
    return this.storage.articles.processedContentIds();
  }

  /** An article file was removed: out of the index (its "processed" mark stays: no re-notification). */
  removeArticle(id: string): boolean {
    const removed = this.engine.index.remove(id);
    if (removed) this.afterChange(0);
    return removed;
  }

  /** Drops feed articles added before `before` from the index and the store; their dedup keys stay a while longer. */
  async pruneFeedArticles(before: number, keysBefore: number): Promise<number> {
    const old = await this.storage.articles.feedArticleIdsBefore(before);
    for (const id of old) this.engine.index.remove(id);
    await this.storage.articles.prune(before, keysBefore, this.clock.now() - 30 * DAY);
    if (old.length > 0) this.afterChange(0);
    return old.length;
  }

  /**
   * Queues each chat's daily digest once the digest hour has passed: every article collected
   * before it, in one message, and the collected entries removed — in one transaction.
   */
  async queueDigests(): Promise<number> {
    const now = this.clock.now();
    const { date, hour, offsetMs } = bucharestParts(now);
    const digestHour = this.options.digestHour ?? 8;
    if (hour < digestHour) return 0;
    const [y, m, d] = date.split("-").map(Number) as [number, number, number];
    const cutoff = Date.UTC(y, m - 1, d, digestHour) - offsetMs;
    const queued = await this.storage.outbox.takeDigests(cutoff, now, (chatId, items) => {
      const first = items[0] as DigestItem;
      return {
        chatId,
        threadId: first.threadId,
        item: `digest:${date}`,
        text: this.render.digest(
          date,
          items.map((i) => i.line),
          first.lang,
        ),
      };
    });
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

  private async match(article: Article): Promise<ArticleMatch[]> {
    try {
      return matchArticle(article, await this.storage.subscriptions.all());
    } catch (err) {
      this.logger.error(`subscriptions: matching article ${article.id} failed; nobody is notified of it`, err);
      return [];
    }
  }

  /** One notification per chat (its instant subscriptions), or digest entries. */
  private deliveries(article: Article, matches: readonly ArticleMatch[]): Deliveries {
    const byChat = new Map<number, ArticleMatch[]>();
    for (const m of matches) byChat.set(m.subscription.chatId, [...(byChat.get(m.subscription.chatId) ?? []), m]);
    const messages: OutboxMessage[] = [];
    const digests: DigestItem[] = [];
    for (const [chatId, chatMatches] of byChat) {
      const instant = chatMatches.filter((m) => !m.subscription.digest);
      if (instant.length > 0) {
        const first = instant[0] as ArticleMatch;
        const quote = instant.find((m) => m.quote)?.quote ?? null;
        const { text, markup } = this.render.notification(
          article,
          quote,
          instant.map((m) => m.subscription),
          first.subscription.lang,
        );
        messages.push({
          chatId,
          threadId: first.subscription.threadId,
          item: `article:${article.id}`,
          text,
          ...(markup !== undefined ? { markup } : {}),
        });
      } else {
        const first = chatMatches[0] as ArticleMatch;
        digests.push({
          chatId,
          threadId: first.subscription.threadId,
          articleId: article.id,
          lang: first.subscription.lang,
          line: this.render.digestLine(article),
        });
      }
    }
    return { messages, digests };
  }

  /** The index changed elsewhere (IndexSync): save it a little later, like after a publish. */
  indexChanged(): void {
    this.afterChange(0);
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
