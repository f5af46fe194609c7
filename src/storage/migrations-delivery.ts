import type { Migration } from "./migrations.js";

/** Feeds, subscriptions and the delivery outbox (versions 100–199). */
export const DELIVERY_MIGRATIONS: readonly Migration[] = [];
