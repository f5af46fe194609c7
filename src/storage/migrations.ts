/**
 * Every schema change, numbered. Conversation state (sessions, feedback) uses versions 1–99,
 * feeds, subscriptions and delivery use 100–199, so features can add migrations independently.
 * Never edit an applied migration: add a new one.
 */
import { CONVERSATION_MIGRATIONS } from "./migrations-conversation.js";
import { DELIVERY_MIGRATIONS } from "./migrations-delivery.js";

export interface Migration {
  readonly version: number;
  readonly name: string;
  /** SQL run inside one transaction. */
  readonly up: string;
}

export const MIGRATIONS: readonly Migration[] = [...CONVERSATION_MIGRATIONS, ...DELIVERY_MIGRATIONS];
