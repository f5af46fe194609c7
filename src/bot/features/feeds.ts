/**
 * /feeds for the admins (ADMIN_IDS), in private chats: each configured feed's health (working,
 * failing, turned off, not read yet) with its last successful read, a button to turn a feed
 * that was turned off back on (the poller picks it up at its next round), and the delivery
 * queue. To anyone else the command doesn't exist.
 */
import { Composer, InlineKeyboard } from "grammy";
import { Outbox } from "../../delivery/outbox.js";
import { SubscriptionStore } from "../../subscriptions/subscription-store.js";
import type { CitatContext } from "../context.js";
import type { Messages } from "../i18n.js";
import { nonEssential } from "../non-essential.js";
import type { BotServices } from "../services.js";

interface FeedRow {
  id: number;
  name: string;
  polls: number;
  failures: number;
  disabled_at: number | null;
  last_ok_at: number | null;
}

const when = (ms: number) =>
  new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Bucharest", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }).format(new Date(ms));

export function feedsFeature(s: BotServices, feedNames: readonly string[]): Composer<CitatContext> {
  const composer = new Composer<CitatContext>();
  const outbox = new Outbox(s.db);
  const subscriptions = new SubscriptionStore(s.db);

  const rows = (): FeedRow[] =>
    feedNames.length === 0
      ? []
      : (s.db
          .prepare(`SELECT rowid AS id, name, polls, failures, disabled_at, last_ok_at FROM feeds WHERE name IN (${feedNames.map(() => "?").join(",")}) ORDER BY rowid`)
          .all(...feedNames) as FeedRow[]);

  const render = (t: Messages): { text: string; keyboard: InlineKeyboard } => {
    const feeds = rows();
    const keyboard = new InlineKeyboard();
    const lines = feeds.map((f) => {
      const state = f.disabled_at !== null ? "off" : f.failures > 0 ? "failing" : f.polls > 0 ? "ok" : "new";
      if (state === "off") keyboard.text(t.sub.feedOn(f.name), `feed:on:${f.id}`).row();
      return t.sub.feedLine(f.name, state, f.failures, f.last_ok_at === null ? null : when(f.last_ok_at));
    });
    const counts = outbox.counts();
    const subs = subscriptions.stats();
    const text = [t.sub.feedsTitle, ...(lines.length > 0 ? lines : [t.sub.feedsNone]), "", t.sub.deliveryLine({ ...counts, ...subs })].join("\n");
    return { text, keyboard };
  };

  const admin = composer.chatType("private").filter((ctx) => s.admins.has(ctx.from.id));

  admin.command("feeds", async (ctx) => {
    const { text, keyboard } = render(ctx.t);
    await ctx.reply(text, { parse_mode: "HTML", reply_markup: keyboard });
  });

  admin.callbackQuery(/^feed:on:(\d+)$/, async (ctx) => {
    const feed = s.db.prepare("SELECT name FROM feeds WHERE rowid = ?").get(Number(ctx.match[1])) as { name: string } | undefined;
    if (feed) {
      s.db.prepare("UPDATE feeds SET disabled_at = NULL, failures = 0, next_poll_at = 0 WHERE rowid = ?").run(Number(ctx.match[1]));
      s.logger.info(`feeds: ${feed.name} turned back on by admin ${ctx.from.id}`);
    }
    await nonEssential(s.logger, "answerCallbackQuery", () => ctx.answerCallbackQuery(feed ? { text: ctx.t.sub.feedEnabled(feed.name) } : {}));
    const { text, keyboard } = render(ctx.t);
    await nonEssential(s.logger, "editMessageText", () => ctx.editMessageText(text, { parse_mode: "HTML", reply_markup: keyboard }));
  });

  return composer;
}
