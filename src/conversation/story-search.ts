/**
 * Searching inside the story: a follow-up ("și de ce a făcut asta?", "unde l-au prins?") is
 * first answered from the articles the previous answer quoted — every sentence of them, not
 * only the quoted ones, and not only those the full-text index would propose (a follow-up's
 * few words often match nothing; "de ce" matches no word of "pentru că").
 *
 * Each sentence is scored by
 * - how much of the follow-up's own words it holds (IDF-weighted; its neighbours count half);
 * - whether it holds the kind of answer asked for (a cause for "de ce", a number for "cât"…);
 * - a little for the topic's words (the story is the topic: they no longer pick a sentence);
 * - a little for being near the lead;
 * and sentences the user has already seen count less: a follow-up asks for something else.
 *
 * `fit` says how well the story covers the follow-up's own words (0…1): the caller leaves the
 * story only when that is low and another article answers the words better.
 */
import type { Article } from "../content/article.js";
import type { Quote } from "../search/answer-engine.js";
import { articleParagraphs } from "../search/passage-index.js";
import { cutSentence, highlightRanges, QUOTE_BUDGET, QUOTE_HARD_LIMIT } from "../search/quote.js";
import { termOf, tokenize } from "../text/analyzer.js";
import type { Span } from "../text/sentences.js";
import { holdsKind, type AskedKind } from "./asked-kind.js";

export interface StoryTuning {
  /** Weight of a sentence holding the asked kind of answer (own-word coverage weighs 1). */
  kindWeight: number;
  /** Weight of the topic's words in a sentence. */
  topicWeight: number;
  /** Lead prior: weight and decay (in sentences). */
  leadWeight: number;
  leadDecay: number;
  /** Score factor for a sentence the user has already seen. */
  seenFactor: number;
  /** Weight of the answer engine's own ranking of the sentence inside the story (0…1 of its best), when given. */
  engineWeight: number;
  /** How much a long sentence's score is damped: (TYPICAL_WORDS / words) ^ lengthNorm when longer. */
  lengthNorm: number;
}

export const DEFAULT_STORY_TUNING: StoryTuning = {
  kindWeight: 0.4,
  topicWeight: 0,
  leadWeight: 0.1,
  leadDecay: 8,
  seenFactor: 0.4,
  lengthNorm: 0.5,
  engineWeight: 0.5,
};

/** Sentences longer than this many words are scored as if shorter by `lengthNorm` (they hold every kind of token by chance). */
const TYPICAL_WORDS = 30;

/**
 * Scraped articles often glue sentences ("concertul.Eu și trupa…"): the sentence splitter sees
 * one long sentence. Inside a story every sentence counts, so a long one is split again at a
 * full stop followed directly by a capital (the quote stays a verbatim span of the body).
 */
function resplit(body: string, span: Span): Span[] {
  if (span.end - span.start <= QUOTE_BUDGET) return [span];
  const out: Span[] = [];
  let start = span.start;
  const text = body.slice(span.start, span.end);
  for (const m of text.matchAll(/[.!?…]["”'’]?(?=[„"]?\p{Lu})/gu)) {
    const end = span.start + (m.index ?? 0) + m[0].length;
    if (end - start >= 20) {
      out.push({ start, end });
      start = end;
    }
  }
  if (span.end - start > 0) out.push({ start, end: span.end });
  return out;
}

export interface StoryQuery {
  /** The follow-up as typed (for the asked kind's tokens). */
  readonly question: string;
  /** Index terms of the follow-up's own content words. */
  readonly ownTerms: readonly string[];
  /** Index terms of the topic (previous questions). */
  readonly topicTerms: readonly string[];
  readonly kind: AskedKind | null;
  /** Shown quotes as `articleId#start#end`. */
  readonly shown: readonly string[];
}

export interface StoryAnswer {
  /** Best first; at most `limit`. */
  readonly quotes: Quote[];
  /** The largest IDF-weighted share of the follow-up's own words one sentence holds, its neighbours counting half (1 when it has none). */
  readonly fit: number;
  /** IDF-weighted share of the follow-up's own words found anywhere in the story. */
  readonly storyShare: number;
}

const termsOf = (text: string) => {
  const out = new Set<string>();
  for (const t of tokenize(text)) {
    const term = termOf(t.text);
    if (term !== null) out.add(term);
  }
  return out;
};

/** Shown-quote keys (`articleId#start#end`) as spans per article. */
export function shownSpans(shown: readonly string[]): Map<string, Array<[number, number]>> {
  const out = new Map<string, Array<[number, number]>>();
  for (const key of shown) {
    const m = /^(.*)#(\d+)#(\d+)$/.exec(key);
    if (!m) continue;
    const list = out.get(m[1] as string) ?? [];
    list.push([Number(m[2]), Number(m[3])]);
    out.set(m[1] as string, list);
  }
  return out;
}

/** One sentence of a story article, analysed once: its span, its terms, its word count. */
export interface StorySentence {
  readonly span: Span;
  readonly terms: ReadonlySet<string>;
  readonly words: number;
}

/** Most sentences of one article a story search reads (outside text is hostile: bounded work). */
export const MAX_STORY_SENTENCES = 400;

/** The paragraphs of an article as analysed sentences, at most MAX_STORY_SENTENCES in all. */
export function storySentences(article: Article): StorySentence[][] {
  const body = article.body;
  const out: StorySentence[][] = [];
  let count = 0;
  for (const paragraph of articleParagraphs(body)) {
    const sentences: StorySentence[] = [];
    for (const span of paragraph.flatMap((p) => resplit(body, p))) {
      if (count++ >= MAX_STORY_SENTENCES) break;
      const text = body.slice(span.start, span.end);
      sentences.push({ span, terms: termsOf(text), words: tokenize(text).length });
    }
    if (sentences.length > 0) out.push(sentences);
    if (count >= MAX_STORY_SENTENCES) break;
  }
  return out;
}

/**
 * The best sentences of `articles` for a follow-up. `idf` weighs a term (the index's IDF);
 * `limit` quotes at most, one per sentence.
 */
export function searchStory(
  articles: readonly Article[],
  query: StoryQuery,
  idf: (term: string) => number,
  tuning: StoryTuning = DEFAULT_STORY_TUNING,
  limit = 9,
  engineScore: (article: Article, span: Span) => number = () => 0,
  sentencesOf: (article: Article) => StorySentence[][] = storySentences,
): StoryAnswer {
  const own = [...new Set(query.ownTerms)];
  const topic = [...new Set(query.topicTerms)].filter((t) => !own.includes(t));
  const ownTotal = own.reduce((a, t) => a + idf(t), 0);
  const topicTotal = topic.reduce((a, t) => a + idf(t), 0);
  const shown = shownSpans(query.shown);
  const scored: Array<{ article: Article; span: Span; score: number; fit: number; matched: Set<string> }> = [];
  const anywhere = new Set<string>();
  let bestFit = 0;
  for (const article of articles) {
    const body = article.body;
    const seen = shown.get(article.id) ?? [];
    let ordinal = 0;
    for (const paragraph of sentencesOf(article)) {
      const terms = paragraph.map((s) => s.terms);
      paragraph.forEach(({ span, words }, i) => {
        const here = terms[i] as ReadonlySet<string>;
        for (const t of own) if (here.has(t)) anywhere.add(t);
        let covered = 0;
        const matched = new Set<string>();
        for (const t of own) {
          if (here.has(t)) {
            covered += idf(t);
            matched.add(t);
          } else if (terms[i - 1]?.has(t) || terms[i + 1]?.has(t)) covered += idf(t) / 2;
        }
        const fit = ownTotal > 0 ? covered / ownTotal : 1;
        bestFit = Math.max(bestFit, fit);
        let topicCovered = 0;
        for (const t of topic) if (here.has(t)) topicCovered += idf(t);
        const text = body.slice(span.start, span.end);
        const typed = query.kind !== null && holdsKind(text, query.kind, query.question);
        let score =
          (ownTotal > 0 ? fit : 0) +
          (typed ? tuning.kindWeight : 0) +
          (topicTotal > 0 ? (tuning.topicWeight * topicCovered) / topicTotal : 0) +
          tuning.leadWeight * Math.exp(-ordinal / tuning.leadDecay) +
          tuning.engineWeight * engineScore(article, span);
        const wasSeen = seen.some(([s, e]) => Math.min(span.end, e) - Math.max(span.start, s) >= (span.end - span.start) / 2);
        if (wasSeen) score *= tuning.seenFactor;
        if (words > TYPICAL_WORDS) score *= (TYPICAL_WORDS / words) ** tuning.lengthNorm;
        // A heading-like scrap ("Citește și", a two-word line) is no answer.
        if (words >= 4) scored.push({ article, span, score, fit, matched });
        ordinal++;
      });
    }
  }
  scored.sort((a, b) => b.score - a.score);
  const quotes: Quote[] = [];
  for (const c of scored.slice(0, limit)) {
    const { article, span } = c;
    const quote =
      span.end - span.start > QUOTE_HARD_LIMIT
        ? cutSentence(article.body, span, c.matched, QUOTE_BUDGET)
        : { start: span.start, end: span.end, cutStart: false, cutEnd: false };
    const text = article.body.slice(quote.start, quote.end);
    const highlight = new Set([...c.matched, ...topic]);
    quotes.push({ ...quote, text, score: c.score, confidence: c.fit, article, highlights: highlightRanges(text, highlight) });
  }
  let share = 0;
  for (const t of anywhere) share += idf(t);
  return { quotes, fit: ownTotal > 0 ? bestFit : 1, storyShare: ownTotal > 0 ? share / ownTotal : 1 };
}
