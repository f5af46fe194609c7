/**
 * The messages the outbox carries, rendered on the bot's side and handed to the publisher and
 * the feed poller as a NotificationRenderer (delivery never imports the bot), rendered when they are enqueued (in the subscriber's
 * language): one notification per new matching article, one digest a day, a notice to the
 * admins. Article text is escaped through render.ts's helpers; every message stays far below
 * Telegram's 4096 characters (a title of at most 160, one quote of about 300, a few topics).
 */
import type { Article } from "../content/article.js";
import type { NotificationRenderer } from "../delivery/publisher.js";
import type { Quote } from "../search/answer-engine.js";
import type { Subscription } from "../subscriptions/subscription-store.js";
import { messagesFor, type Lang, type Messages } from "./i18n.js";
import { messages } from "./messages.js";
import { escapeHtml, MESSAGE_LIMIT, quoteHtml, shorten } from "./render.js";

const TITLE_LIMIT = 160;
const SOURCE_LIMIT = 60;
const LEAD_LIMIT = 300;
const TOPIC_LABEL_LIMIT = 60;
/** Articles listed in one digest; the rest are counted. */
export const DIGEST_LIMIT = 15;

/** Callback data of the "stop" button under a notification: `unsub:<subscription id>`. */
export const UNSUBSCRIBE_PREFIX = "unsub:";

const attr = (s: string) => escapeHtml(s).replace(/"/g, "&quot;");

export const langOfSubscription = (s: Pick<Subscription, "lang">): Lang => (s.lang === "en" ? "en" : "ro");

/** How a subscription is named in messages: its words, or "outlet X". Plain text. */
export function subscriptionLabel(s: Pick<Subscription, "kind" | "query">, t: Messages): string {
  const name = shorten(s.query, TOPIC_LABEL_LIMIT);
  return s.kind === "outlet" ? t.sub.outletLabel(name) : name;
}

function titleHtml(article: Article): string {
  const title = escapeHtml(shorten(article.title, TITLE_LIMIT));
  return article.url ? `<a href="${attr(article.url)}">${title}</a>` : title;
}

function metaLine(article: Article, t: Messages): string {
  const parts: string[] = [];
  if (article.source) parts.push(escapeHtml(shorten(article.source, SOURCE_LIMIT)));
  parts.push(escapeHtml(article.date ? t.dateShort(article.date) : t.undated));
  return parts.join(" · ");
}

/** The article's opening, verbatim: what an outlet subscription quotes. */
export function leadQuoteHtml(article: Article): string {
  const first = article.body.split("\n").find((l) => l.trim() !== "") ?? "";
  return `<blockquote>${escapeHtml(shorten(first.trim(), LEAD_LIMIT))}</blockquote>`;
}

export interface RenderedNotification {
  readonly text: string;
  readonly markup: { inline_keyboard: Array<Array<{ text: string; url?: string; callback_data?: string }>> };
}

/**
 * One notification: 🔔 title (linked) · outlet · date · the best-matching quote (matched
 * words in bold) · which subscriptions it answers; buttons to open the article and to stop
 * the (first) subscription.
 */
export function renderNotification(
  article: Article,
  quote: Quote | null,
  subscriptions: readonly Subscription[],
  lang: Lang,
): RenderedNotification {
  const t = messagesFor(lang);
  const labels = subscriptions.map((s) => escapeHtml(subscriptionLabel(s, t)));
  let text = [
    `🔔 <b>${titleHtml(article)}</b>`,
    metaLine(article, t),
    quote ? quoteHtml(quote) : leadQuoteHtml(article),
    t.sub.because(labels.join(" · ")),
  ].join("\n");
  if (text.length > MESSAGE_LIMIT)
    text = [`🔔 <b>${titleHtml(article)}</b>`, metaLine(article, t), t.sub.because(labels[0] ?? "")].join("\n");
  const row: Array<{ text: string; url?: string; callback_data?: string }> = [];
  if (article.url) row.push({ text: t.sub.readArticle, url: article.url });
  const first = subscriptions[0];
  if (first) row.push({ text: t.sub.stop, callback_data: `${UNSUBSCRIBE_PREFIX}${first.id}` });
  return { text, markup: { inline_keyboard: row.length > 0 ? [row] : [] } };
}

/** A digest's line for one article: title (linked) — outlet. */
export function digestLine(article: Article): string {
  return `• ${titleHtml(article)}${article.source ? ` — ${escapeHtml(shorten(article.source, SOURCE_LIMIT))}` : ""}`;
}

/** The day's digest: a title, up to DIGEST_LIMIT lines, and how many more there were. */
export function renderDigest(date: string, lines: readonly string[], lang: Lang): string {
  const t = messagesFor(lang);
  const shown: string[] = [];
  let text = t.sub.digestTitle(date);
  for (const line of lines.slice(0, DIGEST_LIMIT)) {
    if (text.length + line.length + 200 > MESSAGE_LIMIT) break;
    shown.push(line);
    text += `\n${line}`;
  }
  const more = lines.length - shown.length;
  if (more > 0) text += `\n${t.sub.digestMore(more)}`;
  return text;
}

/** What the publisher and the poller render with (injected by main.ts). */
export const notificationRenderer: NotificationRenderer = {
  notification: (article, quote, subscriptions, lang) =>
    renderNotification(article, quote, subscriptions, lang === "en" ? "en" : "ro"),
  digestLine,
  digest: (date, lines, lang) => renderDigest(date, lines, lang === "en" ? "en" : "ro"),
  feedDisabled: (name, url, failures, reason) => messages.sub.feedDisabled(name, url, failures, reason),
};
