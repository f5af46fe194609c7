/**
 * Builds the bot from its dependencies without starting it, so tests, the terminal chat and
 * main.ts all run the very same middleware.
 */
import { autoRetry } from "@grammyjs/auto-retry";
import { Bot, type BotConfig, type Context } from "grammy";
import type { BotDeps } from "./deps.js";
import { askFeature } from "./features/ask.js";
import { fallbackFeature } from "./features/fallback.js";
import { startFeature } from "./features/start.js";
import { messages } from "./messages.js";
import { nonEssential } from "./non-essential.js";

export interface CreateBotOptions {
  readonly token: string;
  /** Bot API root (TELEGRAM_API_ROOT); grammY's default is Telegram's. */
  readonly apiRoot?: string;
  /** Known bot info skips the getMe call (tests, terminal chat). */
  readonly botInfo?: BotConfig<Context>["botInfo"];
  /** Retries after 429/5xx; off in tests that want to see the raw error. */
  readonly autoRetry?: boolean;
}

export function createBot(deps: BotDeps, options: CreateBotOptions): Bot {
  const bot = new Bot(options.token, {
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
    client: options.apiRoot ? { apiRoot: options.apiRoot } : {},
  });
  if (options.autoRetry !== false) {
    bot.api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 120, rethrowInternalServerErrors: false }));
  }

  // An error in a feature is logged and the user told; the update is done, the bot goes on.
  const features = bot.errorBoundary(async (err) => {
    deps.logger.error(`bot: update ${err.ctx.update.update_id} failed`, err.error);
    if (err.ctx.chat) await nonEssential(deps.logger, "error reply", () => err.ctx.reply(messages.failure));
  });
  features.use(startFeature(deps), askFeature(deps), fallbackFeature(deps));

  bot.catch((err) => deps.logger.error(`bot: unhandled error in update ${err.ctx.update.update_id}`, err.error));
  return bot;
}

/** Publishes the command menu; servers without setMyCommands are tolerated. */
export async function publishCommands(bot: Bot, deps: BotDeps): Promise<void> {
  await nonEssential(deps.logger, "setMyCommands", () => bot.api.setMyCommands([...messages.commands]));
}
