import type { Migration } from "./migrations.js";

/** Feeds, subscriptions and the delivery outbox (versions 100–199). */
export const DELIVERY_MIGRATIONS: readonly Migration[] = [
  {
    version: 100,
    name: "feeds, seen items and stored feed articles",
    // One row per configured feed URL: HTTP validators, when to poll next, failures. `polls`
    // counts successful polls; the first one only records what the feed already holds.
    // `seen_items` holds every dedup key (guid, canonical link, title hash) of every article
    // processed; `feed_articles` keeps what feeds brought so the index has it after a restart;
    // `content_articles` marks the content folder's articles that were processed.
    up: `CREATE TABLE feeds (
      url TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      etag TEXT,
      last_modified TEXT,
      interval_s INTEGER,
      next_poll_at INTEGER NOT NULL DEFAULT 0,
      last_polled_at INTEGER,
      last_ok_at INTEGER,
      polls INTEGER NOT NULL DEFAULT 0,
      failures INTEGER NOT NULL DEFAULT 0,
      last_error TEXT,
      disabled_at INTEGER
    );
    CREATE TABLE seen_items (
      key TEXT PRIMARY KEY,
      article_id TEXT NOT NULL,
      seen_at INTEGER NOT NULL
    );
    CREATE INDEX seen_items_article ON seen_items (article_id);
    CREATE TABLE feed_articles (
      id TEXT PRIMARY KEY,
      feed_url TEXT NOT NULL,
      title TEXT NOT NULL,
      date TEXT,
      url TEXT,
      source TEXT,
      body TEXT NOT NULL,
      added_at INTEGER NOT NULL
    );
    CREATE INDEX feed_articles_added ON feed_articles (added_at);
    CREATE TABLE content_articles (
      id TEXT PRIMARY KEY,
      processed_at INTEGER NOT NULL
    )`,
  },
  {
    version: 101,
    name: "subscriptions",
    // A topic (words, matched by the answer engine) or an outlet, per chat (and forum topic).
    // `key` is the analyzed form, so "Iran Belarus" and "belarus iran" are one subscription.
    up: `CREATE TABLE subscriptions (
      id INTEGER PRIMARY KEY,
      chat_id INTEGER NOT NULL,
      thread_id INTEGER,
      kind TEXT NOT NULL CHECK (kind IN ('topic', 'outlet')),
      query TEXT NOT NULL,
      key TEXT NOT NULL,
      lang TEXT NOT NULL,
      digest INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL,
      UNIQUE (chat_id, kind, key)
    );
    CREATE INDEX subscriptions_chat ON subscriptions (chat_id)`,
  },
  {
    version: 102,
    name: "outbox and digest items",
    // One row per message to send. UNIQUE (chat_id, item) keeps an article from being queued
    // twice for a chat. A row is 'pending' until Telegram accepted it ('sent'), refused it for
    // good ('failed') or its chat is gone ('dropped'). Articles for daily-digest subscriptions
    // wait in digest_items until the day's digest message is queued.
    up: `CREATE TABLE outbox (
      id INTEGER PRIMARY KEY,
      chat_id INTEGER NOT NULL,
      thread_id INTEGER,
      item TEXT NOT NULL,
      text TEXT NOT NULL,
      markup TEXT,
      status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'dropped')),
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      sent_at INTEGER,
      message_id INTEGER,
      last_error TEXT,
      UNIQUE (chat_id, item)
    );
    CREATE INDEX outbox_pending ON outbox (status, next_attempt_at, id);
    CREATE TABLE digest_items (
      chat_id INTEGER NOT NULL,
      thread_id INTEGER,
      article_id TEXT NOT NULL,
      lang TEXT NOT NULL,
      line TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (chat_id, article_id)
    )`,
  },
];
