/**
 * Searching inside the story: a follow-up ("și de ce a făcut asta?", "unde l-au prins?") is
 * first answered from the articles the previous answer quoted — every sentence of them, not
 * only the quoted ones, and not only those the full-text index would propose (a follow-up's
 * few words often match nothing; "de ce" matches no word of "pentru că").
 *
 * Each sentence is scored by a weighted sum of StoryFeatures: how much of the follow-up's own
 * words it holds (exactly, in a neighbour, or as another inflection), whether it holds the kind
 * of answer asked for (a cause for "de ce", a number for "cât"… that the turn, the topic and the
 * title don't already give), the topic's words, the lead, the answer engine's own ranking inside
 * the story (asked with the topic's words, and the turn alone), whether the user has already read
 * it (the quote the previous answer opened with, or a further one), and its length. The weights
 * are fitted by `npm run eval:followup` (pairwise, on training folds only for every figure it
 * reports); a follow-up asks for something else than what was just read, and its few words often
 * are the story's detail only.
 *
 * `fit` says how well the story covers the follow-up's own words (0…1): the caller leaves the
 * story only when that is low and another article answers the words better.
 */
import type { Article } from "../content/article.js";
import type { Quote } from "../search/answer-engine.js";
import { articleParagraphs } from "../search/passage-index.js";
import { cutSentence, highlightRanges, QUOTE_BUDGET, QUOTE_HARD_LIMIT, type QuoteSpan } from "../search/quote.js";
import { questionWordSet } from "../search/answer-type.js";
import { termOf, tokenize } from "../text/analyzer.js";
import type { Span } from "../text/sentences.js";
import { holdsKind, type AskedKind } from "./asked-kind.js";

/**
 * What a sentence of the story is scored on (each in 0…1 but `long`). The follow-up's own words
 * are the detail asked about; the topic's words are the story, which every sentence shares.
 */
export interface StoryFeatures {
  /** IDF-weighted share of the follow-up's own words the sentence holds. */
  own: number;
  /** Share of its own words found only in the previous or next sentence of the paragraph. */
  neighbour: number;
  /** Share of its own words met only as another inflection (same first letters: "prinseseră"/"prins"). */
  loose: number;
  /** 1 when the sentence holds the kind of answer asked for (a cause for "de ce", a number for "cât"…). */
  kind: number;
  /** IDF-weighted share of the topic's words (previous questions) the sentence holds. */
  topic: number;
  /** Lead prior: exp(-position in the article / 8). */
  lead: number;
  /** The answer engine's own score of the sentence inside the story (asked with the topic's words), as a share of its best there. */
  engine: number;
  /** The same, the engine asked the turn alone inside the story (0 when the story holds none of its words). */
  engineTurn: number;
  /** 1 when the sentence is in the quote the previous answer opened with (the answer the user just read). */
  answered: number;
  /** 1 when the user has seen the sentence in one of the previous answer's further quotes. */
  seen: number;
  /** How much longer than a typical sentence: ln(words / 30), 0 when shorter. */
  long: number;
}

export const STORY_FEATURES = [
  "own",
  "neighbour",
  "loose",
  "kind",
  "topic",
  "lead",
  "engine",
  "engineTurn",
  "answered",
  "seen",
  "long",
] as const satisfies ReadonlyArray<keyof StoryFeatures>;

/** One weight per StoryFeatures feature: a sentence scores the weighted sum. */
export type StoryTuning = { [K in keyof StoryFeatures]: number };

/**
 * Hand-set weights (the scorer as it was first written: own words 1, neighbours half, the asked
 * kind 0.4, a seen sentence and a long one damped). `npm run eval:followup` fits them on training
 * folds and reports them on held-out ones; the defaults are its fit on all folds.
 */
export const HAND_STORY_TUNING: StoryTuning = {
  own: 1,
  neighbour: 0.5,
  loose: 0,
  kind: 0.4,
  topic: 0,
  lead: 0.1,
  engine: 0.5,
  engineTurn: 0,
  answered: -0.6,
  seen: -0.6,
  long: -0.5,
};

/** Fitted by `npm run eval:followup` on all folds of the news dialogues (see "Fitted on all folds"). */
export const DEFAULT_STORY_TUNING: StoryTuning = {
  own: 1.44,
  neighbour: 0.38,
  loose: 0.08,
  kind: 0.64,
  topic: -0.09,
  lead: -0.08,
  engine: 0.66,
  engineTurn: 0.4,
  answered: -0.59,
  seen: -0.4,
  long: -0.37,
};

/** Sentences longer than this many words count as long (they hold every kind of token by chance). */
const TYPICAL_WORDS = 30;

/** Letters a word must share at its start with a follow-up's word to count as another inflection of it. */
const LOOSE_PREFIX = 5;

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
  /** Shown quotes as `articleId#start#end`, the one the previous answer opened with first. */
  readonly shown: readonly string[];
  /** The topic's words as typed (previous questions): a token of the asked kind among them is no answer. */
  readonly topicText?: string;
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
  /** The first LOOSE_PREFIX letters of its terms long enough to have them. */
  readonly prefixes: ReadonlySet<string>;
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
      const terms = termsOf(text);
      const prefixes = new Set([...terms].filter((t) => t.length >= LOOSE_PREFIX).map((t) => t.slice(0, LOOSE_PREFIX)));
      sentences.push({ span, terms, prefixes, words: tokenize(text).length });
    }
    if (sentences.length > 0) out.push(sentences);
    if (count >= MAX_STORY_SENTENCES) break;
  }
  return out;
}

/** The answer engine's scores of a story sentence (StoryFeatures.engine and engineTurn). */
export type EngineScores = (article: Article, span: Span) => { engine: number; engineTurn: number };
const NO_ENGINE = { engine: 0, engineTurn: 0 };

/** A sentence of the story with what it is scored on. */
export interface StoryCandidate {
  readonly article: Article;
  readonly span: Span;
  readonly features: StoryFeatures;
  /** Share of the follow-up's own words it holds, its neighbours counting half (1 when it has none). */
  readonly fit: number;
  /** The follow-up's own terms it holds (for the quote's cut and bold). */
  readonly matched: ReadonlySet<string>;
}

/** A story's sentences with their features, and how much of the follow-up the story holds. */
export function storyCandidates(
  articles: readonly Article[],
  query: StoryQuery,
  idf: (term: string) => number,
  engineScore: EngineScores = () => NO_ENGINE,
  sentencesOf: (article: Article) => StorySentence[][] = storySentences,
): { candidates: StoryCandidate[]; fit: number; storyShare: number } {
  const own = [...new Set(query.ownTerms)];
  const topic = [...new Set(query.topicTerms)].filter((t) => !own.includes(t));
  const ownTotal = own.reduce((a, t) => a + idf(t), 0);
  const topicTotal = topic.reduce((a, t) => a + idf(t), 0);
  const shown = shownSpans(query.shown);
  const opened = shownSpans(query.shown.slice(0, 1));
  const candidates: StoryCandidate[] = [];
  const anywhere = new Set<string>();
  let bestFit = 0;
  for (const article of articles) {
    const body = article.body;
    const seen = shown.get(article.id) ?? [];
    const read = opened.get(article.id) ?? [];
    // A token of the asked kind counts only when it is new: not in the turn, the topic or the title.
    const known = questionWordSet(`${query.question} ${query.topicText ?? ""} ${article.title}`);
    let ordinal = 0;
    for (const paragraph of sentencesOf(article)) {
      paragraph.forEach(({ span, words, terms: here, prefixes }, i) => {
        const prev = paragraph[i - 1]?.terms;
        const next = paragraph[i + 1]?.terms;
        let inSentence = 0;
        let inNeighbour = 0;
        let loose = 0;
        const matched = new Set<string>();
        for (const t of own) {
          if (here.has(t)) {
            anywhere.add(t);
            inSentence += idf(t);
            matched.add(t);
          } else if (prev?.has(t) || next?.has(t)) inNeighbour += idf(t);
          else if (t.length >= LOOSE_PREFIX && prefixes.has(t.slice(0, LOOSE_PREFIX))) loose += idf(t);
        }
        const share = (x: number) => (ownTotal > 0 ? x / ownTotal : 0);
        const fit = ownTotal > 0 ? share(inSentence + inNeighbour / 2) : 1;
        bestFit = Math.max(bestFit, fit);
        let topicCovered = 0;
        for (const t of topic) if (here.has(t)) topicCovered += idf(t);
        const text = body.slice(span.start, span.end);
        const overlaps = ([s, e]: [number, number]) =>
          Math.min(span.end, e) - Math.max(span.start, s) >= (span.end - span.start) / 2;
        const wasRead = read.some(overlaps);
        const features: StoryFeatures = {
          own: share(inSentence),
          neighbour: share(inNeighbour),
          loose: share(loose),
          kind: query.kind !== null && holdsKind(text, query.kind, known) ? 1 : 0,
          topic: topicTotal > 0 ? topicCovered / topicTotal : 0,
          lead: Math.exp(-ordinal / 8),
          ...engineScore(article, span),
          answered: wasRead ? 1 : 0,
          seen: !wasRead && seen.some(overlaps) ? 1 : 0,
          long: words > TYPICAL_WORDS ? Math.log(words / TYPICAL_WORDS) : 0,
        };
        // A heading-like scrap ("Citește și", a two-word line) is no answer.
        if (words >= 4) candidates.push({ article, span, features, fit, matched });
        ordinal++;
      });
    }
  }
  let share = 0;
  for (const t of anywhere) share += idf(t);
  return { candidates, fit: ownTotal > 0 ? bestFit : 1, storyShare: ownTotal > 0 ? share / ownTotal : 1 };
}

/** The quote a candidate is shown as: its sentence, cut around the matched words when too long. */
export function storyQuoteSpan(c: StoryCandidate): QuoteSpan {
  const { article, span } = c;
  return span.end - span.start > QUOTE_HARD_LIMIT
    ? cutSentence(article.body, span, c.matched, QUOTE_BUDGET)
    : { start: span.start, end: span.end, cutStart: false, cutEnd: false };
}

/** A candidate's score under `tuning`. */
export function storyScore(features: StoryFeatures, tuning: StoryTuning): number {
  let x = 0;
  for (const k of STORY_FEATURES) x += tuning[k] * features[k];
  return x;
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
  engineScore: EngineScores = () => NO_ENGINE,
  sentencesOf: (article: Article) => StorySentence[][] = storySentences,
): StoryAnswer {
  const { candidates, fit, storyShare } = storyCandidates(articles, query, idf, engineScore, sentencesOf);
  const topic = [...new Set(query.topicTerms)];
  const scored = candidates.map((c) => ({ c, score: storyScore(c.features, tuning) })).sort((a, b) => b.score - a.score);
  const quotes: Quote[] = [];
  for (const { c, score } of scored.slice(0, limit)) {
    const { article } = c;
    const quote = storyQuoteSpan(c);
    const text = article.body.slice(quote.start, quote.end);
    const highlight = new Set([...c.matched, ...topic]);
    quotes.push({ ...quote, text, score, confidence: c.fit, article, highlights: highlightRanges(text, highlight) });
  }
  return { quotes, fit, storyShare };
}
