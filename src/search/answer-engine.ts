/**
 * The answer engine: question in, verbatim quotes with their sources out. It knows nothing of
 * Telegram, so the bot, the CLI, the benchmarks and the evaluation all call the same code.
 *
 * Ranking: MiniSearch (BM25 over sentence, neighbours and title) proposes candidate sentences;
 * they are re-ranked by IDF-weighted *coverage* of the question's terms — in the sentence
 * itself and in its surroundings — because a sentence that mentions every key word of the
 * question is far likelier to hold the answer than one that repeats a single word. Coverage is
 * also the "nothing found" signal: below MIN_COVERAGE the engine says so instead of padding.
 */
import { articleRef, type Article, type ArticleRef } from "../content/article.js";
import { distinctTerms } from "../text/analyzer.js";
import { PassageIndex, type Passage } from "./passage-index.js";
import { growQuote, highlightRanges, type QuoteSpan } from "./quote.js";

export interface Quote extends QuoteSpan {
  /** The verbatim excerpt: `article.body.slice(start, end)`. */
  readonly text: string;
  readonly score: number;
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

export interface AskOptions {
  /** Quotes to skip (paging); default 0. */
  offset?: number;
  /** Quotes to return; default 3. */
  limit?: number;
}

export interface AnswerEngineOptions {
  /** "Today" for the recency prior; injectable for tests. */
  now?: () => Date;
}

/** Share of the question's (IDF-weighted) terms a passage and its surroundings must contain. */
export const MIN_COVERAGE = 0.5;
/** Further quotes must come close to the best one. */
const RELATIVE_COVERAGE = 0.75;
const RELATIVE_SCORE = 0.3;
/** Candidates taken from the full-text index before re-ranking. */
const CANDIDATES = 80;
/** Most quotes computed per question (3 pages of 3). */
const MAX_QUOTES = 9;
/** Recency prior: at most +4 % for an article from today, fading over about half a year. */
const RECENCY_WEIGHT = 0.04;
const RECENCY_DAYS = 180;
const FUZZY_CREDIT = 0.7;
/** Lead prior: news puts the key facts first; up to +30 % for the opening sentences. */
const LEAD_WEIGHT = 0.3;
const LEAD_DECAY = 3;

interface Candidate {
  passage: Passage;
  score: number;
  coverage: number;
  sentenceCoverage: number;
  /** Index terms that matched (including fuzzy variants), for highlighting. */
  matched: Set<string>;
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

export class AnswerEngine {
  private readonly now: () => Date;

  constructor(
    readonly index: PassageIndex,
    options: AnswerEngineOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  static fromArticles(articles: Iterable<Article>, options?: AnswerEngineOptions): AnswerEngine {
    return new AnswerEngine(new PassageIndex(articles), options);
  }

  ask(question: string, options: AskOptions = {}): Answer {
    const offset = Math.max(0, options.offset ?? 0);
    const limit = Math.max(1, options.limit ?? 3);
    const terms = distinctTerms(question);
    if (terms.length === 0) return { question, found: false, reason: "no-terms", quotes: [], total: 0 };
    const ranked = this.rank(question, terms);
    const quotes = this.selectQuotes(ranked);
    if (quotes.length === 0) return { question, found: false, reason: "no-match", quotes: [], total: 0 };
    return { question, found: true, quotes: quotes.slice(offset, offset + limit), total: quotes.length };
  }

  /**
   * Weight of each question term in coverage: its IDF, except that a term found in no article
   * at all weighs as much as the rarest term that is found. Unknown words are often just the
   * question's own phrasing ("încheie" for an article's "convenit"); a question made only of
   * unknown words still finds nothing, since there is nothing to cover.
   */
  private termWeights(terms: string[]): Map<string, number> {
    const known = terms.filter((t) => this.index.documentFrequency(t) > 0);
    const cap = Math.max(0, ...known.map((t) => this.index.idf(t)));
    return new Map(terms.map((t) => [t, known.includes(t) ? this.index.idf(t) : cap]));
  }

  private rank(question: string, terms: string[]): Candidate[] {
    const idf = this.termWeights(terms);
    const totalIdf = [...idf.values()].reduce((a, b) => a + b, 0);
    const today = this.now().getTime();
    const candidates: Candidate[] = [];
    for (const r of this.index.search(question).slice(0, CANDIDATES)) {
      const passage = this.index.passage(r.id as number);
      if (!passage) continue;
      let covered = 0;
      let inSentence = 0;
      const matched = new Set<string>();
      for (const q of terms) {
        let best: { credit: number; sentence: boolean } | null = null;
        for (const [indexTerm, fields] of Object.entries(r.match)) {
          const exact = indexTerm === q;
          if (!exact && !(q.length >= 6 && editDistanceAtMost1(indexTerm, q))) continue;
          matched.add(indexTerm);
          const credit = exact ? 1 : FUZZY_CREDIT;
          const sentence = fields.includes("text");
          if (!best || credit > best.credit || (sentence && !best.sentence)) best = { credit, sentence };
        }
        if (best) {
          const w = (idf.get(q) ?? 0) * best.credit;
          covered += w;
          if (best.sentence) inSentence += w;
        }
      }
      const coverage = totalIdf > 0 ? covered / totalIdf : 0;
      const sentenceCoverage = totalIdf > 0 ? inSentence / totalIdf : 0;
      let score = r.score * (0.25 + 0.75 * sentenceCoverage) * (0.5 + 0.5 * coverage);
      score *= 1 + LEAD_WEIGHT * Math.exp(-passage.ordinal / LEAD_DECAY);
      const date = passage.article.date;
      if (date) {
        const ageDays = Math.max(0, (today - Date.parse(`${date}T00:00:00Z`)) / 86_400_000);
        score *= 1 + RECENCY_WEIGHT * Math.exp(-ageDays / RECENCY_DAYS);
      }
      candidates.push({ passage, score, coverage, sentenceCoverage, matched });
    }
    return candidates.sort((a, b) => b.score - a.score);
  }

  private selectQuotes(ranked: Candidate[]): Quote[] {
    const best = ranked[0];
    if (!best || best.coverage < MIN_COVERAGE || best.sentenceCoverage === 0) return [];
    const minCoverage = Math.max(MIN_COVERAGE, RELATIVE_COVERAGE * best.coverage);
    const quotes: Quote[] = [];
    const taken = new Map<string, QuoteSpan[]>();
    for (const c of ranked) {
      if (quotes.length >= MAX_QUOTES) break;
      if (c.coverage < minCoverage || c.sentenceCoverage === 0 || c.score < RELATIVE_SCORE * best.score) continue;
      const { article, span, paragraph, position } = c.passage;
      const spans = taken.get(article.id) ?? [];
      if (spans.some((s) => span.start < s.end && span.end > s.start)) continue;
      const q = growQuote(article.body, paragraph, position, c.matched);
      // Quotes of one article never overlap: shrink back to the sentence if growing would.
      const quote = spans.some((s) => q.start < s.end && q.end > s.start)
        ? growQuote(article.body, [span], 0, c.matched)
        : q;
      spans.push(quote);
      taken.set(article.id, spans);
      const text = article.body.slice(quote.start, quote.end);
      quotes.push({ ...quote, text, score: c.score, article, highlights: highlightRanges(text, c.matched) });
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
    for (let round = 0; round < 3 && examples.length < n; round++) {
      for (const a of articles) {
        if (examples.length >= n) break;
        const name = prominentNames(a).find((x) => !used.has(x.toLowerCase()));
        if (!name) continue;
        used.add(name.toLowerCase());
        const q = `Ce s-a întâmplat cu ${name}?`;
        if (this.ask(q).found) examples.push(q);
        if (articles.length > 1 && round === 0) continue;
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
