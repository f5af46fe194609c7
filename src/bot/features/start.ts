import { Composer } from "grammy";
import type { CitatContext } from "../context.js";
import type { BotDeps } from "../deps.js";

/** /start and /help. Examples are drawn from the indexed content and computed once. */
export function startFeature(deps: BotDeps): Composer<CitatContext> {
  const composer = new Composer<CitatContext>();
  let examples: string[] | null = null;
  composer.command("start", async (ctx) => {
    examples ??= deps.engine.exampleQuestions(3);
    await ctx.reply(ctx.t.welcome(examples), { parse_mode: "HTML" });
  });
  composer.command("help", async (ctx) => {
    await ctx.reply(ctx.t.help(deps.engine.index.articleCount), { parse_mode: "HTML" });
  });
  return composer;
}
