import { Composer } from "grammy";
import type { CitatContext } from "../context.js";
import type { BotDeps } from "../deps.js";
import { nonEssential } from "../non-essential.js";

/** Last in line: unknown commands and non-text messages in private chats get a short hint. */
export function fallbackFeature(deps: BotDeps): Composer<CitatContext> {
  const composer = new Composer<CitatContext>();
  const privateChat = composer.chatType("private");
  privateChat.on("message:text", (ctx) => ctx.reply(ctx.t.unknownCommand));
  privateChat.on("message", (ctx) => ctx.reply(ctx.t.textOnly));
  // Stale or foreign buttons: answer so the client stops its spinner.
  composer.on("callback_query", (ctx) => nonEssential(deps.logger, "answerCallbackQuery", () => ctx.answerCallbackQuery()));
  return composer;
}
