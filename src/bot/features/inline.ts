/**
 * Inline mode: `@bot question` in any chat offers up to 5 quote cards — title the article's,
 * description the quote, and the message sent is the quote with its source — so a user can drop
 * a sourced quote into any conversation. An empty or too short query gets the latest headlines,
 * each with its lead. Needs inline mode switched on with @BotFather (/setinline).
 */
import { createHash } from "node:crypto";
import { Composer } from "grammy";
import type { InlineQueryResultArticle } from "grammy/types";
import type { Article } from "../../content/article.js";
import type { QuoteGroup } from "../../search/wire-copy.js";
import { distinctTerms } from "../../text/analyzer.js";
import type { CitatContext } from "../context.js";
import type { Messages } from "../i18n.js";
import { escapeHtml, normalizeQuestion, quoteBlockHtml, shorten, sourceLineHtml } from "../render.js";
import { remember, type BotServices } from "../services.js";

/** Telegram shows at most this many cards comfortably; the issue asks for up to 5. */
export const INLINE_RESULTS = 5;
/** Shorter queries (or ones without searchable words) get the latest headlines. */
export const MIN_QUERY_LENGTH = 3;
const TITLE_LIMIT = 256;
const DESCRIPTION_LIMIT = 200;
const LEAD_LIMIT = 300;

const resultId = (key: string) => createHash("sha1").update(key).digest("base64url").slice(0, 27);

function card(id: string, title: string, description: string, html: string): InlineQueryResultArticle {
  return {
    type: "article",
    id,
    title: shorten(title, TITLE_LIMIT),
    description: shorten(description.replace(/\s+/g, " "), DESCRIPTION_LIMIT),
    input_message_content: { message_text: html, parse_mode: "HTML", link_preview_options: { is_disabled: true } },
  };
}

export function quoteCard(group: QuoteGroup, t: Messages): InlineQueryResultArticle {
  const q = group.quote;
  return card(resultId(`q:${q.article.id}#${q.start}#${q.end}`), q.article.title, q.text, quoteBlockHtml(group, t));
}

/** The opening of an article, verbatim, cut at a sentence end (or a word) near LEAD_LIMIT. */
export function leadOf(article: Article): string {
  const first = article.body.split(/\n\s*\n/, 1)[0]?.trim() ?? "";
  if (first.length <= LEAD_LIMIT) return first;
  const end = first.slice(0, LEAD_LIMIT).search(/[.!?…][”"»]?\s[^.!?…]*$/);
  return end > LEAD_LIMIT / 3 ? first.slice(0, end + 1) : shorten(first, LEAD_LIMIT);
}

export function headlineCard(article: Article, t: Messages): InlineQueryResultArticle {
  const lead = leadOf(article);
  const html = `<blockquote>${escapeHtml(lead)}</blockquote>\n${sourceLineHtml(article, t)}`;
  const when = article.date ? t.dateShort(article.date) : t.undated;
  return card(
    resultId(`h:${article.id}`),
    article.title,
    `${article.source ? `${article.source} · ` : ""}${when} — ${lead}`,
    html,
  );
}

/** The newest articles (dated ones first), without sorting the whole collection. */
export function latestArticles(articles: readonly Article[], n: number): Article[] {
  const newest: Article[] = [];
  for (const a of articles) {
    if (newest.length < n) newest.push(a);
    else if ((a.date ?? "") > (newest[n - 1]?.date ?? "")) newest[n - 1] = a;
    else continue;
    newest.sort((x, y) => (y.date ?? "").localeCompare(x.date ?? ""));
  }
  return newest;
}

export function inlineFeature(s: BotServices): Composer<CitatContext> {
  const composer = new Composer<CitatContext>();
  composer.on("inline_query", async (ctx) => {
    const t = ctx.t;
    const query = normalizeQuestion(ctx.inlineQuery.query);
    let results: InlineQueryResultArticle[];
    if (query.length < MIN_QUERY_LENGTH || distinctTerms(query).length === 0) {
      results = latestArticles(s.engine.index.articles(), INLINE_RESULTS).map((a) => headlineCard(a, t));
    } else {
      const { answer, groups } = s.conversation.search(query);
      results = groups.slice(0, INLINE_RESULTS).map((g) => quoteCard(g, t));
      await remember(s, "recording an inline question", () =>
        s.store.recordQuestion({
          askedAt: s.clock().getTime(),
          chatType: "inline",
          lang: ctx.lang,
          kind: "inline",
          found: answer.found,
          question: query,
        }),
      );
    }
    await ctx.answerInlineQuery(results, {
      cache_time: 30,
      is_personal: true,
      ...(results.length === 0 ? { button: { text: t.inlineNothing, start_parameter: "inline" } } : {}),
    });
  });
  return composer;
}
