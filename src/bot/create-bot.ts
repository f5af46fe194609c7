/**
 * Builds the bot from its dependencies without starting it, so tests, the terminal chat and
 * main.ts all run the very same middleware.
 */
import { autoRetry } from "@grammyjs/auto-retry";
import { Bot, type BotConfig, type Transformer } from "grammy";
import type { CitatContext } from "./context.js";
import type { BotDeps } from "./deps.js";
import { askFeature } from "./features/ask.js";
import { fallbackFeature } from "./features/fallback.js";
import { feedbackFeature } from "./features/feedback.js";
import { feedsFeature } from "./features/feeds.js";
import { inlineFeature } from "./features/inline.js";
import { startFeature } from "./features/start.js";
import { statsFeature } from "./features/stats.js";
import { subscriptionsFeature } from "./features/subscriptions.js";
import { languageMiddleware } from "./i18n.js";
import { messages } from "./messages.js";
import { messagesEn } from "./messages-en.js";
import { nonEssential } from "./non-essential.js";
import { createServices } from "./services.js";
import { conversationSession } from "./session.js";

export interface CreateBotOptions {
  readonly token: string;
  /** Bot API root (TELEGRAM_API_ROOT); grammY's default is Telegram's. */
  readonly apiRoot?: string;
  /** Known bot info skips the getMe call (tests, terminal chat). */
  readonly botInfo?: BotConfig<CitatContext>["botInfo"];
  /** Retries after 429/5xx; off in tests that want to see the raw error. */
  readonly autoRetry?: boolean;
  /** API transformers installed beneath auto-retry, so they see every attempt (the outage monitor). */
  readonly apiTransformers?: readonly Transformer[];
}

export function createBot(deps: BotDeps, options: CreateBotOptions): Bot<CitatContext> {
  const bot = new Bot<CitatContext>(options.token, {
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
    client: options.apiRoot ? { apiRoot: options.apiRoot } : {},
  });
  if (options.apiTransformers) bot.api.config.use(...options.apiTransformers);
  if (options.autoRetry !== false) {
    bot.api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 120, rethrowInternalServerErrors: false }));
  }

  // An error in a feature is logged and the user told; the update is done, the bot goes on.
  const features = bot.errorBoundary(async (err) => {
    deps.logger.error(`bot: update ${err.ctx.update.update_id} failed`, err.error);
    const t = (err.ctx as Partial<CitatContext>).t ?? messages;
    if (err.ctx.chat) await nonEssential(deps.logger, "error reply", () => err.ctx.reply(t.failure));
  });
  const services = createServices(deps);
  // Every feature sees the user's language and, in chats, the conversation session.
  features.use(languageMiddleware(), conversationSession(services.storage.sessions, deps.logger));
  features.use(
    startFeature(deps),
    askFeature(services),
    inlineFeature(services),
    feedbackFeature(services),
    statsFeature(services),
    subscriptionsFeature(services, { outlets: deps.feedNames ?? [] }),
    feedsFeature(services, deps.feedNames ?? []),
    fallbackFeature(deps),
  );

  bot.catch((err) => deps.logger.error(`bot: unhandled error in update ${err.ctx.update.update_id}`, err.error));
  return bot;
}

/**
 * Publishes the command menus: Romanian for users whose Telegram language is Romanian, English
 * (the default list) for everyone else, as the bot answers them. Servers without setMyCommands
 * are tolerated.
 */
export async function publishCommands(bot: Pick<Bot, "api">, deps: BotDeps): Promise<void> {
  await nonEssential(deps.logger, "setMyCommands", () => bot.api.setMyCommands([...messagesEn.commands]));
  await nonEssential(deps.logger, "setMyCommands (ro)", () => bot.api.setMyCommands([...messages.commands], { language_code: "ro" }));
}
