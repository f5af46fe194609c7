/**
 * Live news, assembled: the outbox sender, the feed poller and the content watcher around one
 * publisher; with several instances on one Postgres database, only the leader (leader.ts)
 * polls feeds and sends, and every instance's index follows the article store (IndexSync). main.ts starts it next to the bot and stops it on SIGTERM; each part logs its
 * own failures and never stops the others.
 */
import type { ContentWatcherOptions } from "../content/content-watcher.js";
import { ContentWatcher } from "../content/content-watcher.js";
import type { FeedSource } from "../feeds/feed-config.js";
import { FeedPoller, type FeedPollerOptions } from "../feeds/feed-poller.js";
import type { Logger } from "../logger.js";
import type { AnswerEngine } from "../search/answer-engine.js";
import type { IndexStore } from "../search/index-store.js";
import { SoleLeader, type Leadership } from "../storage/leader.js";
import type { Storage } from "../storage/storage.js";
import { IndexSync } from "../search/index-sync.js";
import type { Clock } from "../clock.js";
import type { OutboxRepository } from "./outbox.js";
import { Publisher, type NotificationRenderer } from "./publisher.js";
import { Sender, type SendApi, type SenderOptions } from "./sender.js";

export interface LiveNewsOptions {
  readonly storage: Storage;
  /** The texts of notifications, digests and notices (the bot's side renders them). */
  readonly render: NotificationRenderer;
  readonly engine: AnswerEngine;
  readonly indexStore: IndexStore | null;
  readonly api: SendApi;
  readonly logger: Logger;
  /** Feeds to poll (empty: none). */
  readonly feeds: readonly FeedSource[];
  /** The content folder to watch (null: not watched). */
  readonly contentDir: string | null;
  readonly adminIds?: readonly number[];
  readonly clock?: Clock;
  readonly digestHour?: number;
  /** The index's budget in passages (INDEX_MAX_PASSAGES). */
  readonly maxPassages?: number;
  readonly poller?: FeedPollerOptions;
  readonly sender?: SenderOptions;
  readonly watcher?: ContentWatcherOptions;
  /**
   * Several instances on one database: who runs the feed poller and the sender (default: this
   * instance, alone), and whether this instance's index follows the article store (IndexSync).
   */
  readonly leadership?: Leadership;
  readonly indexSync?: boolean | { intervalMs?: number };
}

export interface LiveNews {
  readonly publisher: Publisher;
  readonly sender: Sender;
  readonly poller: FeedPoller;
  readonly watcher: ContentWatcher | null;
  readonly outbox: OutboxRepository;
  readonly leadership: Leadership;
  readonly sync: IndexSync | null;
  /** Resolves once the content folder has been reconciled (the watcher's first scan). */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

export function startLiveNews(o: LiveNewsOptions): LiveNews {
  const { outbox, subscriptions } = o.storage;
  const clock = o.clock ? { clock: o.clock } : {};
  const sender = new Sender(outbox, o.api, subscriptions, o.logger, { ...clock, ...o.sender });
  const publisher = new Publisher(o.storage, o.engine, o.indexStore, o.render, o.logger, {
    ...clock,
    onQueued: () => sender.wake(),
    ...(o.digestHour !== undefined ? { digestHour: o.digestHour } : {}),
    ...(o.maxPassages !== undefined ? { maxPassages: o.maxPassages } : {}),
  });
  const poller = new FeedPoller(o.feeds, o.storage.feeds, publisher, o.logger, {
    ...clock,
    adminIds: o.adminIds ?? [],
    renderFeedDisabled: o.render.feedDisabled,
    ...o.poller,
  });
  const watcher = o.contentDir === null ? null : new ContentWatcher(o.contentDir, o.engine.index, publisher, o.logger, o.watcher);

  // The poller and the sender run on one instance at a time (the leader); the content watcher
  // and the index sync on every instance.
  const leadership = o.leadership ?? new SoleLeader();
  leadership.start({
    onElected: () => {
      sender.start();
      poller.start();
    },
    onDeposed: async () => {
      await Promise.all([poller.stop(), sender.stop()]);
    },
  });
  const sync = o.indexSync
    ? new IndexSync(o.storage.articles, o.engine.index, o.logger, {
        onChange: () => publisher.indexChanged(),
        ...(typeof o.indexSync === "object" ? o.indexSync : {}),
      })
    : null;
  sync?.start();
  const ready = (watcher?.start() ?? Promise.resolve()).catch((err: unknown) =>
    o.logger.error("content: the watcher could not start; new files need a restart", err),
  );
  void (async () => {
    const pending = await outbox.pendingCount();
    if (pending > 0) o.logger.info(`delivery: ${pending} notifications pending from before; sending them`);
    const subs = await subscriptions.stats();
    o.logger.info(
      `live news: ${o.feeds.length} feeds${o.contentDir !== null ? `, watching ${o.contentDir}` : ""}; ${subs.subscriptions} subscriptions in ${subs.chats} chats`,
    );
  })().catch((err: unknown) =>
    o.logger.warn(`live news: cannot read the outbox's state (${err instanceof Error ? err.message : String(err)})`),
  );

  return {
    publisher,
    sender,
    poller,
    watcher,
    outbox,
    leadership,
    sync,
    ready,
    stop: async () => {
      await Promise.all([leadership.stop(), watcher?.stop(), sync?.stop()]);
      await Promise.all([poller.stop(), sender.stop()]);
      await publisher.flush();
    },
  };
}
