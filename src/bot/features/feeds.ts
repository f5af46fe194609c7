/**
 * /feeds for the admins (ADMIN_IDS), in private chats: each configured feed's health (working,
 * failing, turned off, not read yet) with its last successful read, a button to turn a feed
 * that was turned off back on (the poller picks it up at its next round), and the delivery
 * queue. To anyone else the command doesn't exist.
 */
import { Composer, InlineKeyboard } from "grammy";
import { bucharestDateTime } from "../../clock.js";
import type { CitatContext } from "../context.js";
import type { Messages } from "../i18n.js";
import { nonEssential } from "../non-essential.js";
import type { BotServices } from "../services.js";

export function feedsFeature(s: BotServices, feedNames: readonly string[]): Composer<CitatContext> {
  const composer = new Composer<CitatContext>();
  const { outbox, subscriptions, feeds: feedStore } = s.storage;

  const render = async (t: Messages): Promise<{ text: string; keyboard: InlineKeyboard }> => {
    const feeds = await feedStore.statusByNames(feedNames);
    const keyboard = new InlineKeyboard();
    const lines = feeds.map((f) => {
      const state = f.disabledAt !== null ? "off" : f.failures > 0 ? "failing" : f.polls > 0 ? "ok" : "new";
      if (state === "off") keyboard.text(t.sub.feedOn(f.name), `feed:on:${f.id}`).row();
      return t.sub.feedLine(f.name, state, f.failures, f.lastOkAt === null ? null : bucharestDateTime(f.lastOkAt));
    });
    const counts = await outbox.counts();
    const subs = await subscriptions.stats();
    const text = [
      t.sub.feedsTitle,
      ...(lines.length > 0 ? lines : [t.sub.feedsNone]),
      "",
      t.sub.deliveryLine({ ...counts, ...subs }),
    ].join("\n");
    return { text, keyboard };
  };

  const admin = composer.chatType("private").filter((ctx) => s.admins.has(ctx.from.id));

  admin.command("feeds", async (ctx) => {
    const { text, keyboard } = await render(ctx.t);
    await ctx.reply(text, { parse_mode: "HTML", reply_markup: keyboard });
  });

  admin.callbackQuery(/^feed:on:(\d+)$/, async (ctx) => {
    const name = await feedStore.enable(Number(ctx.match[1]));
    if (name !== undefined) s.logger.info(`feeds: ${name} turned back on by admin ${ctx.from.id}`);
    await nonEssential(s.logger, "answerCallbackQuery", () =>
      ctx.answerCallbackQuery(name !== undefined ? { text: ctx.t.sub.feedEnabled(name) } : {}),
    );
    const { text, keyboard } = await render(ctx.t);
    await nonEssential(s.logger, "editMessageText", () =>
      ctx.editMessageText(text, { parse_mode: "HTML", reply_markup: keyboard }),
    );
  });

  return composer;
}
