/**
 * Every schema change, numbered, in both dialects: `up` for SQLite and `postgres` for
 * Postgres carry the same version and the same meaning (the types differ: Postgres needs
 * BIGINT for chat ids and millisecond times, identity columns for generated ids). Both
 * backends run the same list, so a database of either kind has the same tables at the same
 * version. Conversation state (sessions, questions, feedback) uses versions 1–99; feeds,
 * subscriptions and delivery use 100–199, the webhook server 300–309, so features can add migrations independently.
 * Never edit an applied migration: add a new one.
 */
import { CONVERSATION_MIGRATIONS } from "./migrations-conversation.js";
import { DELIVERY_MIGRATIONS } from "./migrations-delivery.js";
import { WEBHOOK_MIGRATIONS } from "./migrations-webhook.js";

export interface Migration {
  readonly version: number;
  readonly name: string;
  /** SQLite: statements run inside one transaction. */
  readonly up: string;
  /** Postgres: the same change, inside one transaction. */
  readonly postgres: string;
}

export const MIGRATIONS: readonly Migration[] = [...CONVERSATION_MIGRATIONS, ...DELIVERY_MIGRATIONS, ...WEBHOOK_MIGRATIONS];
