import { Composer, type Context } from "grammy";
import type { BotDeps } from "../deps.js";
import { messages } from "../messages.js";

/** /start and /help. Examples are drawn from the indexed content and computed once. */
export function startFeature(deps: BotDeps): Composer<Context> {
  const composer = new Composer<Context>();
  let examples: string[] | null = null;
  composer.command("start", async (ctx) => {
    examples ??= deps.engine.exampleQuestions(3);
    await ctx.reply(messages.welcome(examples), { parse_mode: "HTML" });
  });
  composer.command("help", async (ctx) => {
    await ctx.reply(messages.help(deps.engine.index.articleCount), { parse_mode: "HTML" });
  });
  return composer;
}
