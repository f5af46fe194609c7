/**
 * /stats for the admins (ADMIN_IDS), in private chats only: questions asked, share answered,
 * follow-ups, inline use and feedback. To anyone else the command doesn't exist (the fallback
 * answers as for any unknown command).
 */
import { Composer } from "grammy";
import type { CitatContext } from "../context.js";
import type { BotServices } from "../services.js";

export function statsFeature(s: BotServices): Composer<CitatContext> {
  const composer = new Composer<CitatContext>();
  composer.chatType("private").command("stats", async (ctx, next) => {
    if (!s.admins.has(ctx.from.id)) return next();
    await ctx.reply(ctx.t.stats(await s.store.stats(s.clock().getTime())), { parse_mode: "HTML" });
  });
  return composer;
}
