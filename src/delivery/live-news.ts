/**
 * Live news, assembled: the outbox sender, the feed poller and the content watcher around one
 * publisher. main.ts starts it next to the bot and stops it on SIGTERM; each part logs its
 * own failures and never stops the others.
 */
import type { ContentWatcherOptions } from "../content/content-watcher.js";
import { ContentWatcher } from "../content/content-watcher.js";
import type { FeedSource } from "../feeds/feed-config.js";
import { FeedPoller, type FeedPollerOptions } from "../feeds/feed-poller.js";
import type { Logger } from "../logger.js";
import type { AnswerEngine } from "../search/answer-engine.js";
import type { IndexStore } from "../search/index-store.js";
import type { Db } from "../storage/database.js";
import { SubscriptionStore } from "../subscriptions/subscription-store.js";
import type { Clock } from "./clock.js";
import { Outbox } from "./outbox.js";
import { Publisher } from "./publisher.js";
import { Sender, type SendApi, type SenderOptions } from "./sender.js";

export interface LiveNewsOptions {
  readonly db: Db;
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
  readonly poller?: FeedPollerOptions;
  readonly sender?: SenderOptions;
  readonly watcher?: ContentWatcherOptions;
}

export interface LiveNews {
  readonly publisher: Publisher;
  readonly sender: Sender;
  readonly poller: FeedPoller;
  readonly watcher: ContentWatcher | null;
  readonly outbox: Outbox;
  /** Resolves once the content folder has been reconciled (the watcher's first scan). */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

export function startLiveNews(o: LiveNewsOptions): LiveNews {
  const outbox = new Outbox(o.db);
  const subscriptions = new SubscriptionStore(o.db);
  const clock = o.clock ? { clock: o.clock } : {};
  const sender = new Sender(outbox, o.api, subscriptions, o.logger, { ...clock, ...o.sender });
  const publisher = new Publisher(o.db, o.engine, o.indexStore, outbox, subscriptions, o.logger, {
    ...clock,
    onQueued: () => sender.wake(),
    ...(o.digestHour !== undefined ? { digestHour: o.digestHour } : {}),
  });
  const poller = new FeedPoller(o.feeds, o.db, publisher, outbox, o.logger, { ...clock, adminIds: o.adminIds ?? [], ...o.poller });
  const watcher = o.contentDir === null ? null : new ContentWatcher(o.contentDir, o.engine.index, publisher, o.logger, o.watcher);

  const pending = outbox.pendingCount();
  sender.start();
  if (pending > 0) o.logger.info(`delivery: ${pending} notifications pending from before; sending them`);
  poller.start();
  const ready = (watcher?.start() ?? Promise.resolve()).catch((err: unknown) => o.logger.error("content: the watcher could not start; new files need a restart", err));
  const subs = subscriptions.stats();
  o.logger.info(
    `live news: ${o.feeds.length} feeds${o.contentDir !== null ? `, watching ${o.contentDir}` : ""}; ${subs.subscriptions} subscriptions in ${subs.chats} chats`,
  );

  return {
    publisher,
    sender,
    poller,
    watcher,
    outbox,
    ready,
    stop: async () => {
      await Promise.all([poller.stop(), watcher?.stop(), sender.stop()]);
      await publisher.flush();
    },
  };
}
