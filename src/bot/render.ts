/**
 * Builds Telegram messages (HTML parse mode) from answers. Article text is arbitrary — it can
 * hold `<`, `&`, quotes, very long paragraphs — so every piece of it is escaped here and the
 * message is assembled quote by quote under Telegram's 4096-character limit. Nothing outside
 * this module writes HTML around article text.
 */
import type { Article } from "../content/article.js";
import type { Answer, Quote } from "../search/answer-engine.js";

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

/** The source line's parts: outlet · date · title (the title links to the article when known). */
export function sourceLineHtml(article: Article): string {
  const parts: string[] = [];
  if (article.source) parts.push(escapeHtml(shorten(article.source, SOURCE_LIMIT)));
  if (article.date) parts.push(formatDate(article.date));
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
