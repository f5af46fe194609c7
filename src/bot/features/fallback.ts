import { Composer, type Context } from "grammy";
import type { BotDeps } from "../deps.js";
import { messages } from "../messages.js";
import { nonEssential } from "../non-essential.js";

/** Last in line: unknown commands and non-text messages in private chats get a short hint. */
export function fallbackFeature(deps: BotDeps): Composer<Context> {
  const composer = new Composer<Context>();
  const privateChat = composer.chatType("private");
  privateChat.on("message:text", (ctx) => ctx.reply(messages.unknownCommand));
  privateChat.on("message", (ctx) => ctx.reply(messages.textOnly));
  // Stale or foreign buttons: answer so the client stops its spinner.
  composer.on("callback_query", (ctx) => nonEssential(deps.logger, "answerCallbackQuery", () => ctx.answerCallbackQuery()));
  return composer;
}
