/**
 * Does a new article match a subscription?
 *
 * - A topic matches when the answer engine, asked the topic over an index of that article
 *   alone, answers with good confidence: the same analyzer (diacritics, ş/ș, stems), the same
 *   coverage rules ("Belarus Iran" needs both, near each other), the same calibrated
 *   confidence that decides what a question is answered with. The best quote comes with it,
 *   for the notification.
 * - An outlet matches the article's source (folded: "Adevarul" is "Adevărul").
 */
import type { Article } from "../content/article.js";
import { AnswerEngine, type Quote } from "../search/answer-engine.js";
import { outletKey, topicKey, type Subscription } from "./subscription-store.js";

/** A quote must reach this calibrated confidence for a topic to match (the engine answers from 0.7). */
export const MATCH_CONFIDENCE = 0.75;
/**
 * Largest share of a topic's terms the article may lack. Over an index of one article, a word
 * "unknown to the index" is simply a word the article doesn't have; the engine tolerates some
 * (a question's own phrasing), a subscription wants its words: all of a 1–3 word topic, all but
 * one of four.
 */
export const MAX_MISSING_SHARE = 0.25;

export interface ArticleMatch {
  readonly subscription: Subscription;
  /** The best quote for a topic; null for an outlet (the notification quotes the lead). */
  readonly quote: Quote | null;
}

export interface MatchOptions {
  readonly minConfidence?: number;
  readonly now?: () => Date;
}

/** The subscriptions this article matches, each with its best quote. */
export function matchArticle(
  article: Article,
  subscriptions: readonly Subscription[],
  options: MatchOptions = {},
): ArticleMatch[] {
  if (subscriptions.length === 0) return [];
  const minConfidence = options.minConfidence ?? MATCH_CONFIDENCE;
  const source = article.source ? outletKey(article.source) : null;
  let engine: AnswerEngine | null = null;
  // Many chats follow the same topics: ask each distinct topic once.
  const answers = new Map<string, Quote | null>();
  const matches: ArticleMatch[] = [];
  for (const s of subscriptions) {
    if (s.kind === "outlet") {
      if (source !== null && source === s.key) matches.push({ subscription: s, quote: null });
      continue;
    }
    const key = topicKey(s.query) || s.key;
    let quote = answers.get(key);
    if (quote === undefined) {
      engine ??= AnswerEngine.fromArticles([article], options.now ? { now: options.now } : {});
      const terms = key.split(" ");
      const index = engine.index;
      const missing = terms.filter((t) => index.documentFrequency(t) === 0).length / terms.length;
      const answer = missing <= MAX_MISSING_SHARE ? engine.ask(s.query, { limit: 1 }) : null;
      const best = answer?.found ? answer.quotes[0] : undefined;
      quote = best && best.confidence >= minConfidence ? best : null;
      answers.set(key, quote);
    }
    if (quote) matches.push({ subscription: s, quote });
  }
  return matches;
}
