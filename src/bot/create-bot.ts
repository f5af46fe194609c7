/**
 * Builds the bot from its dependencies without starting it, so tests, the terminal chat and
 * main.ts all run the very same middleware.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { performance } from "node:perf_hooks";
import { autoRetry } from "@grammyjs/auto-retry";
import { sequentialize } from "@grammyjs/runner";
import { Bot, type BotConfig, type MiddlewareFn, type Transformer } from "grammy";
import type { SearchResult } from "../conversation/conversation.js";
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
import { createServices, type BotServices } from "./services.js";
import { conversationSession, sessionKey } from "./session.js";

/** A question was answered with quotes, or declined (nothing good enough was found). */
export type QuestionOutcome = "answered" | "declined";

/** Told about every question the bot handles (metrics.ts counts them); must not throw. */
export interface BotObserver {
  /** `seconds`: from the start of handling the update to the end of it (the answer sent). */
  question(outcome: QuestionOutcome, channel: "chat" | "inline", seconds: number): void;
}

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
  /** Counts questions and their latency (metrics); none in tests and the terminal chat. */
  readonly observer?: BotObserver;
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

  const services = createServices(deps);
  // First, so a question's time includes any wait behind the same chat's earlier updates.
  if (options.observer) bot.use(observeQuestions(services, options.observer, deps.logger));
  // Updates run concurrently under the runner or the webhook (main.ts); the updates of one
  // conversation (a private chat, one user in a group: the session key) still run one after the
  // other, in the order they arrived, so answers keep their order and a session is never read
  // by one update while another is about to write it.
  bot.use(sequentialize(sessionKey));

  // An error in a feature is logged and the user told; the update is done, the bot goes on.
  const features = bot.errorBoundary(async (err) => {
    deps.logger.error(`bot: update ${err.ctx.update.update_id} failed`, err.error);
    const t = (err.ctx as Partial<CitatContext>).t ?? messages;
    if (err.ctx.chat) await nonEssential(deps.logger, "error reply", () => err.ctx.reply(t.failure));
  });
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

interface QuestionProbe {
  readonly channel: "chat" | "inline";
  outcome?: QuestionOutcome;
}

/**
 * Counts questions without touching the features: the conversation's `ask` (chat questions)
 * and, for inline queries, `search` report their outcome to the update that runs them
 * (AsyncLocalStorage keeps concurrent updates apart); when the update is done, the observer
 * hears the outcome and the time it took, the reply included.
 */
function observeQuestions(
  services: BotServices,
  observer: BotObserver,
  logger: BotServices["logger"],
): MiddlewareFn<CitatContext> {
  const probes = new AsyncLocalStorage<QuestionProbe>();
  const conversation = services.conversation;
  const outcome = (r: SearchResult): QuestionOutcome => (r.answer.found && r.groups.length > 0 ? "answered" : "declined");
  const ask = conversation.ask.bind(conversation);
  const search = conversation.search.bind(conversation);
  conversation.ask = (...args) => {
    const turn = ask(...args);
    const probe = probes.getStore();
    if (probe?.channel === "chat" && probe.outcome === undefined) probe.outcome = outcome(turn);
    return turn;
  };
  conversation.search = (...args) => {
    const result = search(...args);
    const probe = probes.getStore();
    if (probe?.channel === "inline" && probe.outcome === undefined) probe.outcome = outcome(result);
    return result;
  };
  return async (ctx, next) => {
    const probe: QuestionProbe = { channel: ctx.inlineQuery ? "inline" : "chat" };
    const started = performance.now();
    try {
      await probes.run(probe, next);
    } finally {
      if (probe.outcome !== undefined) {
        try {
          observer.question(probe.outcome, probe.channel, (performance.now() - started) / 1000);
        } catch (err) {
          logger.warn(`metrics: observer failed (ignored): ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }
  };
}

/**
 * Publishes the command menus: Romanian for users whose Telegram language is Romanian, English
 * (the default list) for everyone else, as the bot answers them. Servers without setMyCommands
 * are tolerated.
 */
export async function publishCommands(bot: Pick<Bot, "api">, deps: BotDeps): Promise<void> {
  await nonEssential(deps.logger, "setMyCommands", () => bot.api.setMyCommands([...messagesEn.commands]));
  await nonEssential(deps.logger, "setMyCommands (ro)", () =>
    bot.api.setMyCommands([...messages.commands], { language_code: "ro" }),
  );
}
