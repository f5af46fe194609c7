import type { Logger } from "../logger.js";

/**
 * Runs a Bot API call whose failure must never stop an answer: chat actions, command menus,
 * removing an old button. Some Bot API servers (self-hosted, test emulators) lack these
 * methods, and Telegram itself may refuse them; the failure is logged and the bot carries on.
 */
export async function nonEssential(logger: Logger, what: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (err) {
    logger.warn(`telegram: ${what} failed (ignored): ${err instanceof Error ? err.message : String(err)}`);
  }
}
