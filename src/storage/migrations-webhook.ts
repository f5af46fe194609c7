import type { Migration } from "./migrations.js";

/** The webhook server's state uses versions 300–309. */
export const WEBHOOK_MIGRATIONS: readonly Migration[] = [
  {
    version: 300,
    name: "webhook update log",
    // The update_ids the webhook has taken on, so an update Telegram sends again (it re-sends
    // when it thinks a delivery failed) is handled once. Old ids are pruned (server/update-log.ts).
    up: `CREATE TABLE webhook_updates (
      update_id INTEGER PRIMARY KEY,
      claimed_at INTEGER NOT NULL
    );
    CREATE INDEX webhook_updates_claimed_at ON webhook_updates (claimed_at);`,
    postgres: `CREATE TABLE webhook_updates (
      update_id BIGINT PRIMARY KEY,
      claimed_at BIGINT NOT NULL
    );
    CREATE INDEX webhook_updates_claimed_at ON webhook_updates (claimed_at);`,
  },
];
