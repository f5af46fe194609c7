/**
 * Subscriptions: `/subscribe <words>` follows a topic, `/subscribe <outlet>` an outlet;
 * "🔔 Follow this story" under an answer follows the question's topic; `/subscriptions` lists
 * them with ✖ (remove) and 📅/⚡ (daily digest or instant) buttons; `/unsubscribe <words>`
 * stops one, `/unsubscribe` alone shows the list. In groups only administrators change them.
 * Notifications are sent by the delivery sender (src/delivery), not here.
 */
import { Composer, InlineKeyboard } from "grammy";
import { knownOutletNames } from "../../content/outlets.js";
import { keywordsOf } from "../../conversation/follow-up.js";
import { UNSUBSCRIBE_PREFIX, subscriptionLabel } from "../notifications.js";
import {
  MAX_SUBSCRIPTIONS_PER_CHAT,
  outletKey,
  TOPIC_LIMIT,
  topicKey,
  type Subscription,
} from "../../subscriptions/subscription-store.js";
import type { CitatContext } from "../context.js";
import type { Messages } from "../i18n.js";
import { nonEssential } from "../non-essential.js";
import { escapeHtml, questionFromMessageText, shorten } from "../render.js";
import { remember, type BotServices } from "../services.js";

/** Callback data of the answer's follow button. */
export const FOLLOW = "follow";
/** Telegram's account that stands for anonymous group administrators. */
const GROUP_ANONYMOUS_BOT = 1087968824;
const BUTTON_LABEL_LIMIT = 32;
const TOPIC_WORDS = 6;

/** The outlet a /subscribe argument names, if it names one (known outlets and feed names). */
export function findOutlet(text: string, extra: readonly string[] = []): string | null {
  const key = outletKey(text);
  if (key === "") return null;
  return [...extra, ...knownOutletNames()].find((name) => outletKey(name) === key) ?? null;
}

/**
 * The topic of an answered question, for "follow this story": its names when it has at least
 * two ("Belarusul Iranul"), else its key words.
 */
export function storyTopic(keywords: readonly string[]): string {
  const names = keywords.filter((w) => /^\p{Lu}/u.test(w));
  return (names.length >= 2 ? names : keywords).slice(0, TOPIC_WORDS).join(" ");
}

function storedKeywords(state: unknown): string[] | null {
  const keywords = (state as { context?: { keywords?: unknown } } | null)?.context?.keywords;
  return Array.isArray(keywords) && keywords.every((k) => typeof k === "string") && keywords.length > 0
    ? (keywords as string[])
    : null;
}

function listText(t: Messages, subs: readonly Subscription[]): string {
  if (subs.length === 0) return t.sub.empty;
  const lines = subs.map(
    (s, i) =>
      `${i + 1}. ${escapeHtml(subscriptionLabel(s, t))} · ${s.digest ? `📅 ${t.sub.digestLabel}` : `⚡ ${t.sub.instantLabel}`}`,
  );
  return [t.sub.list(subs.length, MAX_SUBSCRIPTIONS_PER_CHAT), "", ...lines].join("\n");
}

function listKeyboard(t: Messages, subs: readonly Subscription[]): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const s of subs) {
    const label = shorten(subscriptionLabel(s, t), BUTTON_LABEL_LIMIT);
    keyboard
      .text(`✖ ${label}`, `sub:rm:${s.id}`)
      .text(s.digest ? `⚡ ${t.sub.instantLabel}` : `📅 ${t.sub.digestLabel}`, `sub:dg:${s.id}`)
      .row();
  }
  if (subs.length > 1) keyboard.text(t.sub.unsubscribeAll, "sub:rmall");
  return keyboard;
}

const threadOf = (ctx: CitatContext): number | null => {
  const m = ctx.msg;
  return m && "is_topic_message" in m && m.is_topic_message && m.message_thread_id !== undefined ? m.message_thread_id : null;
};

export function subscriptionsFeature(s: BotServices, options: { outlets?: readonly string[] } = {}): Composer<CitatContext> {
  const composer = new Composer<CitatContext>();
  const store = s.storage.subscriptions;
  const outlets = options.outlets ?? [];

  /** Private chats: the user. Groups: administrators (and anonymous admins) only. */
  async function canManage(ctx: CitatContext): Promise<boolean> {
    const chat = ctx.chat;
    if (!chat || chat.type === "channel") return false;
    if (chat.type === "private") return true;
    if (ctx.from?.id === GROUP_ANONYMOUS_BOT || ctx.senderChat?.id === chat.id) return true;
    if (!ctx.from) return false;
    try {
      const member = await ctx.getChatMember(ctx.from.id);
      return member.status === "creator" || member.status === "administrator";
    } catch (err) {
      s.logger.warn(
        `telegram: getChatMember failed (${err instanceof Error ? err.message : String(err)}); subscription change refused`,
      );
      return false;
    }
  }

  const replyHtml = (ctx: CitatContext, html: string, extra: Record<string, unknown> = {}) =>
    ctx.reply(html, { parse_mode: "HTML", link_preview_options: { is_disabled: true }, ...extra });

  async function subscribe(ctx: CitatContext, text: string): Promise<void> {
    const t = ctx.t;
    const chat = ctx.chat;
    if (!chat) return;
    const outlet = findOutlet(text, outlets);
    const result = await store.add({
      chatId: chat.id,
      threadId: threadOf(ctx),
      kind: outlet ? "outlet" : "topic",
      query: outlet ?? text,
      lang: ctx.lang,
      now: s.clock().getTime(),
    });
    if (result.status === "no-terms") await replyHtml(ctx, t.sub.noTerms);
    else if (result.status === "limit") await replyHtml(ctx, t.sub.limit(MAX_SUBSCRIPTIONS_PER_CHAT));
    else if (result.status === "exists") await replyHtml(ctx, t.sub.exists(subscriptionLabel(result.subscription, t)));
    else {
      s.logger.info(`subscriptions: chat ${chat.id} follows ${result.subscription.kind} "${result.subscription.query}"`);
      await replyHtml(ctx, outlet ? t.sub.addedOutlet(outlet) : t.sub.added(result.subscription.query));
    }
  }

  composer.command("subscribe", async (ctx) => {
    const text = ctx.match.trim();
    if (text === "") return void (await replyHtml(ctx, ctx.t.sub.usage));
    if (!(await canManage(ctx))) return void (await ctx.reply(ctx.t.sub.adminsOnly));
    await subscribe(ctx, text);
  });

  const showList = async (ctx: CitatContext) => {
    const subs = ctx.chat ? await store.listForChat(ctx.chat.id) : [];
    await replyHtml(ctx, listText(ctx.t, subs), subs.length > 0 ? { reply_markup: listKeyboard(ctx.t, subs) } : {});
  };

  composer.command("subscriptions", showList);

  composer.command("unsubscribe", async (ctx) => {
    const text = ctx.match.trim();
    if (text === "") return showList(ctx);
    if (!(await canManage(ctx))) return void (await ctx.reply(ctx.t.sub.adminsOnly));
    const outlet = findOutlet(text, outlets);
    const wanted = outlet ? outletKey(outlet) : topicKey(text);
    const sub = (await store.listForChat(ctx.chat.id)).find((x) => x.key === wanted && x.kind === (outlet ? "outlet" : "topic"));
    // The words are echoed back: on one line and no longer than a topic can be.
    if (!sub) return void (await replyHtml(ctx, ctx.t.sub.unsubscribeNone(shorten(text.replace(/\s+/g, " "), TOPIC_LIMIT))));
    await store.remove(ctx.chat.id, sub.id);
    await ctx.reply(ctx.t.sub.removed(subscriptionLabel(sub, ctx.t)));
  });

  const toast = (ctx: CitatContext, text: string) =>
    nonEssential(s.logger, "answerCallbackQuery", () => ctx.answerCallbackQuery({ text: shorten(text, 190) }));

  /** After a change from the list's buttons: the list, redrawn in place. */
  const redraw = async (ctx: CitatContext) => {
    const subs = ctx.chat ? await store.listForChat(ctx.chat.id) : [];
    await nonEssential(s.logger, "editMessageText", () =>
      ctx.editMessageText(listText(ctx.t, subs), { parse_mode: "HTML", reply_markup: listKeyboard(ctx.t, subs) }),
    );
  };

  composer.callbackQuery(/^sub:rm:(\d+)$/, async (ctx) => {
    if (!(await canManage(ctx))) return toast(ctx, ctx.t.sub.adminsOnly);
    const id = Number(ctx.match[1]);
    const sub = await store.get(id);
    if (!sub || !ctx.chat || sub.chatId !== ctx.chat.id || !(await store.remove(ctx.chat.id, id)))
      await toast(ctx, ctx.t.sub.gone);
    else await toast(ctx, ctx.t.sub.removed(subscriptionLabel(sub, ctx.t)));
    await redraw(ctx);
  });

  composer.callbackQuery(/^sub:dg:(\d+)$/, async (ctx) => {
    if (!(await canManage(ctx))) return toast(ctx, ctx.t.sub.adminsOnly);
    const sub = await store.get(Number(ctx.match[1]));
    if (!sub || !ctx.chat || sub.chatId !== ctx.chat.id) {
      await toast(ctx, ctx.t.sub.gone);
    } else {
      await store.setDigest(ctx.chat.id, sub.id, !sub.digest);
      const label = subscriptionLabel(sub, ctx.t);
      await toast(ctx, sub.digest ? ctx.t.sub.digestOff(label) : ctx.t.sub.digestOn(label));
    }
    await redraw(ctx);
  });

  composer.callbackQuery("sub:rmall", async (ctx) => {
    if (!(await canManage(ctx))) return toast(ctx, ctx.t.sub.adminsOnly);
    const n = ctx.chat ? await store.removeChat(ctx.chat.id) : 0;
    await toast(ctx, n > 0 ? ctx.t.sub.removedAll(n) : ctx.t.sub.gone);
    await redraw(ctx);
  });

  // "🔕 Unfollow" under a notification.
  composer.callbackQuery(new RegExp(`^${UNSUBSCRIBE_PREFIX}(\\d+)$`), async (ctx) => {
    if (!(await canManage(ctx))) return toast(ctx, ctx.t.sub.adminsOnly);
    const sub = await store.get(Number(ctx.match[1]));
    if (!sub || !ctx.chat || sub.chatId !== ctx.chat.id || !(await store.remove(ctx.chat.id, sub.id)))
      return toast(ctx, ctx.t.sub.gone);
    s.logger.info(`subscriptions: chat ${ctx.chat.id} stopped following ${sub.kind} "${sub.query}" (from a notification)`);
    await toast(ctx, ctx.t.sub.removed(subscriptionLabel(sub, ctx.t)));
  });

  // "🔔 Follow this story" under an answer: the topic stored with the answer, else its question line.
  composer.callbackQuery(FOLLOW, async (ctx) => {
    const t = ctx.t;
    const message = ctx.callbackQuery.message;
    if (!message || !ctx.chat) return toast(ctx, t.sub.followFailed);
    if (!(await canManage(ctx))) return toast(ctx, t.sub.adminsOnly);
    const record = await remember(s, "reading an answer", () => s.store.findAnswer(message.chat.id, message.message_id));
    const question = record?.question ?? questionFromMessageText("text" in message ? message.text : undefined);
    const keywords = storedKeywords(record?.state) ?? (question ? keywordsOf(question) : null);
    const topic = keywords ? storyTopic(keywords) : "";
    if (topic === "") return toast(ctx, t.sub.followFailed);
    const thread = "is_topic_message" in message && message.is_topic_message ? (message.message_thread_id ?? null) : null;
    const result = await store.add({
      chatId: ctx.chat.id,
      threadId: thread,
      kind: "topic",
      query: topic,
      lang: ctx.lang,
      now: s.clock().getTime(),
    });
    if (result.status === "limit") return toast(ctx, t.sub.limit(MAX_SUBSCRIPTIONS_PER_CHAT));
    if (result.status === "no-terms") return toast(ctx, t.sub.followFailed);
    if (result.status === "added") s.logger.info(`subscriptions: chat ${ctx.chat.id} follows topic "${topic}" (from an answer)`);
    await toast(ctx, t.sub.followed(result.subscription.query));
  });

  return composer;
}
