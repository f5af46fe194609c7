import type { Migration } from "./migrations.js";

/** Sessions, feedback and statistics (versions 1–99). */
export const CONVERSATION_MIGRATIONS: readonly Migration[] = [];
