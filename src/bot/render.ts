/**
 * Builds Telegram messages (HTML parse mode) from answers. Article text is arbitrary — it can
 * hold `<`, `&`, quotes, very long paragraphs — so every piece of it is escaped here and the
 * message is assembled quote by quote under Telegram's 4096-character limit. Nothing outside
 * this module writes HTML around article text.
 */
import type { Article } from "../content/article.js";
import type { Answer, Quote } from "../search/answer-engine.js";
import type { QuoteGroup } from "../search/wire-copy.js";

/** The words of the interface that rendering needs (a language's messages table has them). */
export interface RenderLabels {
  dateShort(date: string): string;
  readonly undated: string;
  alsoReportedBy(outletsHtml: string): string;
  followUpContext(words: readonly string[]): string;
}

/** Telegram's limit for one message's text. */
export const MESSAGE_LIMIT = 4096;
const TITLE_LIMIT = 160;
const SOURCE_LIMIT = 60;
/** Longest question echoed back in a message (the answer's first line, "not found"). */
export const QUESTION_LIMIT = 200;
/** Marks the question line of an answer; "More" reads the question back from it. */
export const QUESTION_MARK = "🔎 ";

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function escapeAttribute(text: string): string {
  return escapeHtml(text).replace(/"/g, "&quot;");
}

/** Shortens to `max` UTF-16 units at a word boundary, never splitting a surrogate pair. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.lastIndexOf(" ", max - 1);
  if (cut < max / 2) cut = max - 1;
  if (/[\ud800-\udbff]/.test(text[cut - 1] ?? "")) cut--;
  return `${text.slice(0, cut).trimEnd()}…`;
}

const MONTHS = ["ian.", "feb.", "mar.", "apr.", "mai", "iun.", "iul.", "aug.", "sept.", "oct.", "nov.", "dec."];

/** "2025-08-20" → "20 aug. 2025". */
export function formatDate(date: string): string {
  const [y, m, d] = date.split("-").map(Number);
  return `${d} ${MONTHS[(m ?? 1) - 1]} ${y}`;
}

/**
 * The source line's parts: outlet · date · title (the title links to the article when known).
 * With labels (the bot), every quote shows a date, "undated" when the article has none.
 */
export function sourceLineHtml(article: Article, labels?: RenderLabels): string {
  const parts: string[] = [];
  if (article.source) parts.push(escapeHtml(shorten(article.source, SOURCE_LIMIT)));
  if (article.date) parts.push(labels ? escapeHtml(labels.dateShort(article.date)) : formatDate(article.date));
  else if (labels) parts.push(escapeHtml(labels.undated));
  const title = escapeHtml(shorten(article.title, TITLE_LIMIT));
  parts.push(article.url ? `<a href="${escapeAttribute(article.url)}">${title}</a>` : title);
  return `— ${parts.join(" · ")}`;
}

/** The quote with its matched words in bold; "…" marks a cut inside a sentence. */
export function quoteHtml(quote: Quote): string {
  let html = "";
  let at = 0;
  for (const [start, end] of quote.highlights) {
    if (start < at) continue;
    html += `${escapeHtml(quote.text.slice(at, start))}<b>${escapeHtml(quote.text.slice(start, end))}</b>`;
    at = end;
  }
  html += escapeHtml(quote.text.slice(at));
  return `<blockquote>${quote.cutStart ? "…" : ""}${html}${quote.cutEnd ? "…" : ""}</blockquote>`;
}

/**
 * The question as the bot searches and shows it: one line, at most QUESTION_LIMIT characters.
 * Searching exactly what is shown keeps "More" (which reads the shown question back) on the
 * same results as the first page.
 */
export function normalizeQuestion(question: string): string {
  return shorten(question.replace(/\s+/g, " ").trim(), QUESTION_LIMIT);
}

export function questionLineHtml(question: string): string {
  return `${QUESTION_MARK}<i>${escapeHtml(normalizeQuestion(question))}</i>`;
}

/** Reads the question back from an answer message's plain text (its first line). */
export function questionFromMessageText(text: string | undefined): string | null {
  const first = text?.split("\n", 1)[0];
  if (!first?.startsWith(QUESTION_MARK)) return null;
  const q = first.slice(QUESTION_MARK.length).trim();
  return q === "" ? null : q;
}

export interface RenderedPage {
  readonly html: string;
  /** How many of the answer's quotes the message holds. */
  readonly shown: number;
}

/**
 * One message with as many of `answer.quotes` as fit under the limit (at least one, cut if a
 * single quote could ever exceed it). The question heads the message.
 */
export function renderAnswer(answer: Answer): RenderedPage {
  let html = questionLineHtml(answer.question);
  let shown = 0;
  for (const q of answer.quotes) {
    const block = `\n\n${quoteHtml(q)}\n${sourceLineHtml(q.article)}`;
    if (html.length + block.length > MESSAGE_LIMIT) break;
    html += block;
    shown++;
  }
  if (shown === 0 && answer.quotes.length > 0) {
    // Unreachable with the engine's quote budget; kept so the limit holds for any input.
    const q = answer.quotes[0] as Quote;
    const room = MESSAGE_LIMIT - html.length - 64;
    html += `\n\n<blockquote>${escapeHtml(shorten(q.text, Math.floor(room / 5)))}</blockquote>`;
    shown = 1;
  }
  return { html, shown };
}

const ALSO_LIMIT = 5;

/** "Also reported by" for wire copies: the other outlets (linked when known), once each. */
export function alsoLineHtml(group: QuoteGroup, labels: RenderLabels): string | null {
  const own = group.quote.article.source;
  const seen = new Set<string>(own ? [own] : []);
  const names: string[] = [];
  for (const a of group.also) {
    const name = a.source ?? a.title;
    if (seen.has(name)) continue;
    seen.add(name);
    const label = escapeHtml(shorten(name, SOURCE_LIMIT));
    names.push(a.url ? `<a href="${escapeAttribute(a.url)}">${label}</a>` : label);
  }
  if (names.length === 0) return null;
  const shown = names.slice(0, ALSO_LIMIT);
  return labels.alsoReportedBy(`${shown.join(", ")}${names.length > ALSO_LIMIT ? ` +${names.length - ALSO_LIMIT}` : ""}`);
}

/** One quote with its source line and, for wire copies, the other outlets. */
export function quoteBlockHtml(group: QuoteGroup, labels: RenderLabels): string {
  const also = alsoLineHtml(group, labels);
  return `${quoteHtml(group.quote)}
${sourceLineHtml(group.quote.article, labels)}${
  also
    ? `
${also}`
    : ""
}`;
}

export interface PageOptions {
  readonly labels: RenderLabels;
  /** Context words of a follow-up, shown under the question. */
  readonly contextWords?: readonly string[];
  /** A line under the question (HTML), e.g. the "most recent information" notice. */
  readonly notice?: string;
}

/**
 * The page's quote groups as stories: quotes of one article (that no other outlet carries) are
 * shown together under its source line, which then appears once instead of once per quote. The
 * order is that of each story's first quote, so the best quote still comes first.
 */
export function storyBlocks(groups: readonly QuoteGroup[]): QuoteGroup[][] {
  const blocks: QuoteGroup[][] = [];
  const byArticle = new Map<string, QuoteGroup[]>();
  for (const g of groups) {
    const own = g.also.length === 0 ? byArticle.get(g.quote.article.id) : undefined;
    if (own) {
      own.push(g);
      continue;
    }
    const block = [g];
    blocks.push(block);
    if (g.also.length === 0) byArticle.set(g.quote.article.id, block);
  }
  return blocks;
}

/** One story: a single quote as quoteBlockHtml; several under their article's source line, given once. */
export function storyHtml(block: readonly QuoteGroup[], labels: RenderLabels): string {
  if (block.length === 1) return quoteBlockHtml(block[0] as QuoteGroup, labels);
  const article = (block[0] as QuoteGroup).quote.article;
  return `${sourceLineHtml(article, labels)}\n${block.map((g) => quoteHtml(g.quote)).join("\n")}`;
}

/**
 * A page of quote groups in one message under Telegram's limit: the question, optional
 * context and notice lines, then as many quotes as fit (at least one, cut if ever needed), in
 * stories (see storyBlocks). `shown` counts the leading groups the message holds, so "More"
 * continues after them.
 */
export function renderPage(question: string, groups: readonly QuoteGroup[], options: PageOptions): RenderedPage {
  let head = questionLineHtml(question);
  if (options.contextWords?.length)
    head += `\n${options.labels.followUpContext(options.contextWords.map((w) => shorten(w, 40)))}`;
  if (options.notice) head += `\n${options.notice}`;
  const page = (n: number) =>
    head +
    storyBlocks(groups.slice(0, n))
      .map((b) => `\n\n${storyHtml(b, options.labels)}`)
      .join("");
  let html = head;
  let shown = 0;
  for (let n = 1; n <= groups.length; n++) {
    const next = page(n);
    if (next.length > MESSAGE_LIMIT) break;
    html = next;
    shown = n;
  }
  if (shown === 0 && groups.length > 0) {
    const q = (groups[0] as QuoteGroup).quote;
    const room = MESSAGE_LIMIT - html.length - 64;
    html += `\n\n<blockquote>${escapeHtml(shorten(q.text, Math.floor(room / 5)))}</blockquote>`;
    shown = 1;
  }
  return { html, shown };
}

/** Plain-text rendering for the command line. */
export function renderAnswerText(answer: Answer, notFound: string): string {
  if (!answer.found) return notFound;
  return answer.quotes
    .map((q) => {
      const a = q.article;
      const source = [a.source, a.date ? formatDate(a.date) : null, a.title].filter(Boolean).join(" · ");
      return `„${q.cutStart ? "…" : ""}${q.text}${q.cutEnd ? "…" : ""}”\n   — ${source}${a.url ? `\n     ${a.url}` : ""}`;
    })
    .join("\n\n");
}
