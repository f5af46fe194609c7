/**
 * The answer engine: question in, verbatim quotes with their sources out. It knows nothing of
 * Telegram, so the bot, the CLI, the benchmarks and the evaluation all call the same code.
 *
 * 1. MiniSearch (BM25 over sentence, neighbours and title) proposes candidate sentences.
 * 2. Each candidate gets a quote window: the run of sentences around it, within the quote
 *    budget, that covers most of the question (and holds the kind of token the question asks
 *    for: a number for "câți", a date for "când", a name for "cine").
 * 3. Candidates are re-ranked by BM25 × IDF-weighted coverage of the question by the sentence
 *    and by its quote, with a mild lead-of-article prior and a small recency prior.
 * 4. A calibrated confidence (logistic over coverage features) decides whether a quote answers
 *    at all: below it the engine says it found nothing instead of padding.
 */
import { articleRef, type Article, type ArticleRef } from "../content/article.js";
import { distinctTerms, termOf, tokenize } from "../text/analyzer.js";
import type { Span } from "../text/sentences.js";
import { answerTypeOf, hasAnswerToken, questionWordSet, type AnswerType } from "./answer-type.js";
import { PassageIndex, type Passage } from "./passage-index.js";
import { cutSentence, highlightRanges, QUOTE_HARD_LIMIT, type QuoteSpan } from "./quote.js";

export interface Quote extends QuoteSpan {
  /** The verbatim excerpt: `article.body.slice(start, end)`. */
  readonly text: string;
  readonly score: number;
  /** Calibrated probability-like confidence that this quote answers the question (0…1). */
  readonly confidence: number;
  readonly article: Article;
  /** Ranges of `text` that matched the question, for bold. */
  readonly highlights: ReadonlyArray<readonly [number, number]>;
}

export type NotFoundReason = "no-terms" | "no-match";

export interface Answer {
  readonly question: string;
  readonly found: boolean;
  /** Why nothing was found: the question had no searchable words, or nothing matched well. */
  readonly reason?: NotFoundReason;
  /** The page of quotes asked for. */
  readonly quotes: Quote[];
  /** How many good quotes exist in all (for a "More" button). */
  readonly total: number;
}

/**
 * Passages the index ranks before `AskOptions.articles` filters them: enough for a few
 * articles' every matching sentence in practice, bounded so a common word can't cost a walk
 * over the whole index.
 */
const RESTRICTED_SEARCH_LIMIT = 3000;

export interface AskOptions {
  /** Quotes to skip (paging); default 0. */
  offset?: number;
  /** Quotes to return; default 3. */
  limit?: number;
  /**
   * Articles to favour: a follow-up question prefers the articles of the previous answer. Their
   * candidates that would answer on their own (confidence at the threshold) score
   * `tuning.preferBoost` times higher.
   */
  preferArticles?: ReadonlySet<string>;
  /**
   * Words from the conversation (a follow-up's topic), searched with the question: their terms
   * weigh `tuning.contextWeight` as much as the question's own in ranking and confidence.
   */
  context?: string;
  /**
   * Only these articles (a follow-up searched inside its story): their passages among the
   * index's best RESTRICTED_SEARCH_LIMIT are candidates, not only those among its best `candidates`.
   */
  articles?: ReadonlySet<string>;
}

/**
 * Every number that shapes ranking and the "nothing found" decision, in one place. The values
 * were chosen on the even-numbered XQuAD-ro articles only (`npm run eval` reports the odd ones
 * as held out) and on a development set of out-of-corpus questions; see scripts/calibrate.ts.
 */
export interface Tuning {
  /** Candidates taken from the full-text index before re-ranking. */
  candidates: number;
  /** Candidates (best by a first estimate) that get a quote window and a final score. */
  windowCandidates: number;
  /** How much the sentence's own coverage of the question scales BM25 (0 = not at all). */
  sentenceWeight: number;
  /** How much the quote window's coverage scales BM25. */
  quoteWeight: number;
  /** Bonus for a quote holding the kind of token the question asks for. */
  answerTypeBonus: number;
  /** Lead prior: news puts the key facts first. */
  leadWeight: number;
  leadDecay: number;
  /** Recency prior: small enough never to beat relevance. */
  recencyWeight: number;
  recencyDays: number;
  /** IDF smoothing: the collection is treated as at least this many passages larger. */
  priorPassages: number;
  /** Credit for a term matched only through a one-letter typo. */
  fuzzyCredit: number;
  /** Further quotes must score at least this share of the best one. */
  relativeScore: number;
  /** Target quote length in characters. */
  quoteBudget: number;
  /** Most quotes computed per question. */
  maxQuotes: number;
  /** Score factor for candidates of preferred articles (AskOptions.preferArticles). */
  preferBoost: number;
  /** Weight of a context term (AskOptions.context) relative to a question term. */
  contextWeight: number;
  /** Logistic confidence: bias and one weight per feature (see ConfidenceFeatures). */
  confidence: ConfidenceWeights;
  /** A quote is shown only at or above this confidence. */
  minConfidence: number;
}

/** What the confidence of a quote is computed from; every feature lies in 0…1. */
export interface ConfidenceFeatures {
  /** Share of the question covered by the sentence, its neighbours and the title. */
  coverage: number;
  /** Share of the question covered by the quote itself. */
  quoteCoverage: number;
  /** The largest share of one known question term that the quote lacks. */
  missingMax: number;
  /** Share of the question made of words that occur in no article. */
  unknown: number;
  /** BM25 score per unit of question weight, squashed to 0…1. */
  strength: number;
  /** 1 when the question asks for a kind of token and the quote has one. */
  typed: number;
}

export type ConfidenceWeights = { bias: number } & { [K in keyof ConfidenceFeatures]: number };

export const DEFAULT_TUNING: Tuning = {
  candidates: 100,
  windowCandidates: 10,
  sentenceWeight: 0.75,
  quoteWeight: 0.5,
  answerTypeBonus: 0.15,
  leadWeight: 0.5,
  leadDecay: 5,
  recencyWeight: 0.04,
  recencyDays: 180,
  priorPassages: 2000,
  fuzzyCredit: 0.7,
  relativeScore: 0.3,
  quoteBudget: 300,
  maxQuotes: 9,
  preferBoost: 1.5,
  contextWeight: 0.35,
  // Fitted by `npm run calibrate` (even XQuAD articles + development out-of-corpus questions).
  confidence: { bias: -3.7, coverage: 5.8, quoteCoverage: 4.7, missingMax: -2.44, unknown: -0.99, strength: -0.74, typed: -0.33 },
  minConfidence: 0.7,
};

export interface AnswerEngineOptions {
  /** "Today" for the recency prior; injectable for tests. */
  now?: () => Date;
  /** Overrides of DEFAULT_TUNING (evaluation and calibration scripts). */
  tuning?: Partial<Tuning>;
}

/** A scored candidate sentence with its quote window: what ranking produces. */
export interface Candidate {
  readonly passage: Passage;
  readonly quote: QuoteSpan;
  readonly score: number;
  readonly features: ConfidenceFeatures;
  readonly confidence: number;
  /** Index terms that matched (including typo variants), for highlighting. */
  readonly matched: ReadonlySet<string>;
}

interface QueryTerm {
  readonly term: string;
  readonly weight: number;
  readonly known: boolean;
}

function editDistanceAtMost1(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (b.length > a.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

function termsOfSpan(body: string, span: Span): Set<string> {
  const terms = new Set<string>();
  for (const t of tokenize(body.slice(span.start, span.end))) {
    const term = termOf(t.text);
    if (term !== null) terms.add(term);
  }
  return terms;
}

export class AnswerEngine {
  private readonly now: () => Date;
  readonly tuning: Tuning;

  constructor(
    readonly index: PassageIndex,
    options: AnswerEngineOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.tuning = { ...DEFAULT_TUNING, ...options.tuning };
  }

  static fromArticles(articles: Iterable<Article>, options?: AnswerEngineOptions): AnswerEngine {
    return new AnswerEngine(new PassageIndex(articles), options);
  }

  ask(question: string, options: AskOptions = {}): Answer {
    const offset = Math.max(0, options.offset ?? 0);
    const limit = Math.max(1, options.limit ?? 3);
    const context = options.context ?? "";
    if (distinctTerms(`${question} ${context}`).length === 0) return { question, found: false, reason: "no-terms", quotes: [], total: 0 };
    const ranked = this.explain(question, context, options.articles);
    const quotes = this.selectQuotes(options.preferArticles?.size ? this.prefer(ranked, options.preferArticles) : ranked);
    if (quotes.length === 0) return { question, found: false, reason: "no-match", quotes: [], total: 0 };
    return { question, found: true, quotes: quotes.slice(offset, offset + limit), total: quotes.length };
  }

  /** Candidates of preferred articles that answer on their own, scored up; re-sorted. */
  private prefer(ranked: Candidate[], articles: ReadonlySet<string>): Candidate[] {
    const t = this.tuning;
    return ranked
      .map((c) => (articles.has(c.passage.article.id) && c.confidence >= t.minConfidence ? { ...c, score: c.score * t.preferBoost } : c))
      .sort((a, b) => b.score - a.score);
  }

  /**
   * Weight of each question term: its IDF, smoothed as if the index held at least
   * `tuning.priorPassages` more passages without the term. In a small collection raw IDF is
   * noise (every word is "rare"); smoothing brings the weights towards plain term counts there
   * and changes nothing in a large one. A term found in no article weighs as much as the rarest
   * term that is found: unknown words are often just the question's own phrasing ("încheie"
   * for an article's "convenit"), and a question made only of unknown words finds nothing.
   */
  private queryTerms(terms: string[]): QueryTerm[] {
    const n = this.index.passageCount + this.tuning.priorPassages;
    const idf = (df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));
    const known = terms.filter((t) => this.index.documentFrequency(t) > 0);
    const cap = Math.max(0, ...known.map((t) => idf(this.index.documentFrequency(t))));
    return terms.map((term) => {
      const isKnown = known.includes(term);
      return { term, weight: isKnown ? idf(this.index.documentFrequency(term)) : cap, known: isKnown };
    });
  }

  /** All candidates for a question, best first, with their quote windows and features. */
  explain(question: string, context = "", articles?: ReadonlySet<string>): Candidate[] {
    const t = this.tuning;
    const own = distinctTerms(question);
    const extra = distinctTerms(context).filter((term) => !own.includes(term));
    // The context's own words (not their stems) go to the full-text index, which analyzes them itself.
    const extraWords = tokenize(context).filter((w) => extra.includes(termOf(w.text) ?? "")).map((w) => w.text);
    const query = this.queryTerms([...own, ...extra]).map((q, i) => (i < own.length ? q : { ...q, weight: q.weight * t.contextWeight }));
    const total = query.reduce((a, q) => a + q.weight, 0);
    if (total === 0) return [];
    const unknown = query.filter((q) => !q.known).reduce((a, q) => a + q.weight, 0) / total;
    const type = answerTypeOf(question);
    const questionWords = questionWordSet(question);
    const today = this.now().getTime();
    const candidates: Candidate[] = [];
    const stage: Array<{
      passage: Passage;
      bm25: number;
      base: number;
      estimate: number;
      variants: Map<string, { indexTerm: string; credit: number }[]>;
      matched: Set<string>;
      anywhere: number;
    }> = [];
    // Context words weigh less in BM25 too: a passage scores what the question alone gives it
    // plus `contextWeight` of what the context words add.
    // (Every passage's own score is needed there, not only the question's own top ones.)
    const ownScores =
      extraWords.length > 0 && own.length > 0 ? new Map(this.index.search(question, Infinity).map((r) => [r.id, r.score])) : null;
    const found = this.index.search(extraWords.length > 0 ? `${question} ${extraWords.join(" ")}` : question, articles ? RESTRICTED_SEARCH_LIMIT : t.candidates);
    const results = articles ? found.filter((r) => articles.has(this.index.passage(r.id as number)?.article.id ?? "")).slice(0, t.candidates) : found;
    for (const r of results) {
      const ownScore = ownScores?.get(r.id) ?? 0;
      const bm25 = ownScores ? ownScore + t.contextWeight * Math.max(0, r.score - ownScore) : r.score;
      const passage = this.index.passage(r.id as number);
      if (!passage) continue;
      // Which question terms this passage matches, where, and through which index terms.
      const variants = new Map<string, { indexTerm: string; credit: number }[]>();
      const matched = new Set<string>();
      let anywhere = 0;
      let inSentence = 0;
      for (const q of query) {
        let best: { credit: number; sentence: boolean } | null = null;
        for (const [indexTerm, fields] of Object.entries(r.match)) {
          const exact = indexTerm === q.term;
          if (!exact && !(q.term.length >= 6 && editDistanceAtMost1(indexTerm, q.term))) continue;
          matched.add(indexTerm);
          const credit = exact ? 1 : t.fuzzyCredit;
          const list = variants.get(q.term) ?? [];
          list.push({ indexTerm, credit });
          variants.set(q.term, list);
          const sentence = fields.includes("text");
          if (!best || credit > best.credit || (sentence && !best.sentence)) best = { credit, sentence };
        }
        if (best) {
          anywhere += q.weight * best.credit;
          if (best.sentence) inSentence += q.weight * best.credit;
        }
      }
      const sentenceCoverage = inSentence / total;
      let prior = (1 + t.leadWeight * Math.exp(-passage.ordinal / t.leadDecay));
      const date = passage.article.date;
      if (date) {
        const ageDays = Math.max(0, (today - Date.parse(`${date}T00:00:00Z`)) / 86_400_000);
        prior *= 1 + t.recencyWeight * Math.exp(-ageDays / t.recencyDays);
      }
      const base = bm25 * (1 - t.sentenceWeight + t.sentenceWeight * sentenceCoverage) * prior;
      // The sentence's own coverage stands in for its quote's until the quote is built.
      stage.push({ passage, bm25, base, estimate: base * (1 - t.quoteWeight + t.quoteWeight * sentenceCoverage), variants, matched, anywhere });
    }
    // Building quote windows is the costly part (every neighbour sentence is analysed): only
    // the most promising candidates get one.
    stage.sort((x, y) => y.estimate - x.estimate);
    for (const c of stage.slice(0, t.windowCandidates)) {
      const coverageOf = (terms: ReadonlySet<string>) => {
        let covered = 0;
        let missingMax = 0;
        for (const q of query) {
          let credit = 0;
          for (const v of c.variants.get(q.term) ?? []) if (v.credit > credit && terms.has(v.indexTerm)) credit = v.credit;
          covered += q.weight * credit;
          if (q.known) missingMax = Math.max(missingMax, q.weight * (1 - credit));
        }
        return { coverage: covered / total, missingMax: missingMax / total };
      };
      const window = this.quoteWindow(c.passage, c.matched, coverageOf, type, questionWords);
      const score = c.base * (1 - t.quoteWeight + t.quoteWeight * window.coverage) * (1 + (window.typed ? t.answerTypeBonus : 0));
      const features: ConfidenceFeatures = {
        coverage: c.anywhere / total,
        quoteCoverage: window.coverage,
        missingMax: window.missingMax,
        unknown,
        strength: 1 - Math.exp(-c.bm25 / total),
        typed: type !== null && window.typed ? 1 : 0,
      };
      candidates.push({ passage: c.passage, quote: window.span, score, features, confidence: this.confidenceOf(features), matched: c.matched });
    }
    return candidates.sort((a, b) => b.score - a.score);
  }

  confidenceOf(f: ConfidenceFeatures): number {
    const w = this.tuning.confidence;
    return sigmoid(
      w.bias + w.coverage * f.coverage + w.quoteCoverage * f.quoteCoverage + w.missingMax * f.missingMax +
        w.unknown * f.unknown + w.strength * f.strength + w.typed * f.typed,
    );
  }

  /**
   * The quote for a candidate sentence: among the runs of whole sentences of its paragraph that
   * contain it and fit the budget, the one covering most of the question (a typed answer token
   * counts as a bonus), ties going to the longer run, then to the one reaching further ahead.
   * A sentence too long on its own is cut around its matched words.
   */
  private quoteWindow(
    passage: Passage,
    matched: ReadonlySet<string>,
    coverageOf: (terms: ReadonlySet<string>) => { coverage: number; missingMax: number },
    type: AnswerType | null,
    questionWords: ReadonlySet<string>,
  ): { span: QuoteSpan; coverage: number; missingMax: number; typed: boolean } {
    const { article, paragraph, position } = passage;
    const body = article.body;
    const budget = this.tuning.quoteBudget;
    const core = paragraph[position] as Span;
    if (core.end - core.start > QUOTE_HARD_LIMIT) {
      const span = cutSentence(body, core, matched, budget);
      const c = coverageOf(termsOfSpan(body, span));
      return { span, ...c, typed: type !== null && hasAnswerToken(body.slice(span.start, span.end), type, questionWords) };
    }
    const termCache = new Map<number, Set<string>>();
    const termsAt = (i: number) => {
      let s = termCache.get(i);
      if (!s) termCache.set(i, (s = termsOfSpan(body, paragraph[i] as Span)));
      return s;
    };
    const typedCache = new Map<number, boolean>();
    const typedAt = (i: number) => {
      let v = typedCache.get(i);
      if (v === undefined) typedCache.set(i, (v = type !== null && hasAnswerToken(body.slice(paragraph[i]!.start, paragraph[i]!.end), type, questionWords)));
      return v;
    };
    let best: { lo: number; hi: number; value: number; coverage: number; missingMax: number; typed: boolean } | null = null;
    // The sentence alone is always a window (it may exceed the budget up to the hard limit).
    for (let lo = position; lo >= 0 && (lo === position || core.end - paragraph[lo]!.start <= budget); lo--) {
      for (let hi = position; hi < paragraph.length && (hi === position || paragraph[hi]!.end - paragraph[lo]!.start <= budget); hi++) {
        if (lo !== position && hi === position && core.end - paragraph[lo]!.start > budget) break;
        const terms = new Set<string>();
        let typed = false;
        for (let i = lo; i <= hi; i++) {
          for (const x of termsAt(i)) terms.add(x);
          typed ||= typedAt(i);
        }
        const c = coverageOf(terms);
        const value = c.coverage + (typed ? this.tuning.answerTypeBonus : 0);
        const better =
          !best ||
          value > best.value + 1e-9 ||
          (Math.abs(value - best.value) <= 1e-9 && (hi - lo > best.hi - best.lo || (hi - lo === best.hi - best.lo && hi > best.hi)));
        if (better) best = { lo, hi, value, coverage: c.coverage, missingMax: c.missingMax, typed };
      }
    }
    const w = best ?? { lo: position, hi: position, coverage: 0, missingMax: 1, typed: false };
    return {
      span: { start: paragraph[w.lo]!.start, end: paragraph[w.hi]!.end, cutStart: false, cutEnd: false },
      coverage: w.coverage,
      missingMax: w.missingMax,
      typed: w.typed,
    };
  }

  /**
   * The quotes `ask` would show for ranked candidates (all pages), with the decline threshold
   * given: the evaluation ranks once and tries several thresholds.
   */
  quotesOf(ranked: Candidate[], minConfidence = this.tuning.minConfidence): Quote[] {
    return this.selectQuotes(ranked, minConfidence);
  }

  private selectQuotes(ranked: Candidate[], minConfidence = this.tuning.minConfidence): Quote[] {
    const t = this.tuning;
    // The best-ranked candidate decides whether the question is answered at all.
    const best = ranked[0];
    if (!best || best.confidence < minConfidence) return [];
    const quotes: Quote[] = [];
    const taken = new Map<string, QuoteSpan[]>();
    for (const c of ranked) {
      if (quotes.length >= t.maxQuotes) break;
      if (c.confidence < minConfidence || c.score < t.relativeScore * best.score) continue;
      const { article, span } = c.passage;
      const spans = taken.get(article.id) ?? [];
      const overlaps = (s: { start: number; end: number }) => spans.some((x) => s.start < x.end && s.end > x.start);
      if (overlaps(span)) continue;
      // Quotes of one article never overlap: fall back to the bare sentence if the window would.
      const quote = overlaps(c.quote)
        ? span.end - span.start > QUOTE_HARD_LIMIT
          ? cutSentence(article.body, span, c.matched, t.quoteBudget)
          : { start: span.start, end: span.end, cutStart: false, cutEnd: false }
        : c.quote;
      if (overlaps(quote)) continue;
      spans.push(quote);
      taken.set(article.id, spans);
      const text = article.body.slice(quote.start, quote.end);
      quotes.push({
        ...quote,
        text,
        score: c.score,
        confidence: c.confidence,
        article,
        highlights: highlightRanges(text, c.matched),
      });
    }
    return quotes;
  }

  /**
   * Up to `n` example questions drawn from the indexed content (for /start): the most
   * mentioned names of the newest articles, each checked to really get an answer.
   */
  exampleQuestions(n = 3): string[] {
    const articles = this.index
      .articles()
      .sort((a, b) => (b.date ?? "").localeCompare(a.date ?? ""))
      .slice(0, 20);
    const examples: string[] = [];
    const used = new Set<string>();
    const names = new Map(articles.map((a) => [a.id, prominentNames(a)]));
    // Round-robin over the newest articles so the examples span several stories.
    for (let round = 0; round < 5 && examples.length < n; round++) {
      for (const a of articles) {
        if (examples.length >= n) break;
        const name = names.get(a.id)?.find((x) => !used.has(x.toLowerCase()));
        if (!name) continue;
        used.add(name.toLowerCase());
        const q = `Ce s-a întâmplat cu ${name}?`;
        if (this.ask(q).found) examples.push(q);
      }
    }
    return examples;
  }
}

/** Capitalised words not at the start of a sentence, most frequent first. */
function prominentNames(article: Article): string[] {
  const counts = new Map<string, number>();
  for (const m of article.body.matchAll(/(?<=[\p{Ll},;:] )\p{Lu}[\p{Ll}]{3,}/gu)) {
    counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([w]) => w);
}

/** The JSON shape of `citat ask --json`. */
export interface AnswerJson {
  question: string;
  found: boolean;
  answers: Array<{ quote: string; score: number; article: ArticleRef }>;
}

export function answerToJson(answer: Answer): AnswerJson {
  return {
    question: answer.question,
    found: answer.found,
    answers: answer.quotes.map((q) => ({
      quote: q.text,
      score: Math.round(q.score * 1000) / 1000,
      article: articleRef(q.article),
    })),
  };
}
