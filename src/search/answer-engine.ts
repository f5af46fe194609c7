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
import { analyze, distinctTerms, termOf, type Token, tokenize } from "../text/analyzer.js";
import { fold } from "../text/normalize.js";
import type { Span } from "../text/sentences.js";
import {
  answerTokenIndexes,
  answerTokens,
  answerTokensOf,
  answerTypeOf,
  hasAnswerTokenIn,
  questionWordSet,
  type AnswerTokens,
  type AnswerType,
} from "./answer-type.js";
import { PassageIndex, type Passage } from "./passage-index.js";
import { askedUnit, asksLive, questionNumbers, storyGate, type StoryGate } from "./story-gate.js";
import { cutSentence, highlightRanges, QUOTE_HARD_LIMIT, type QuoteSpan } from "./quote.js";
import {
  type SentenceWords,
  sentenceAnswerTokens,
  sentenceNames,
  sentenceHasPrefix,
  TermList,
  sentenceWordTerms,
  wordsOfText,
} from "./sentence-words.js";

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
  /**
   * When nothing answers but the best candidate's article names everyone the question names and
   * holds much of the rest (RELATED_COVERAGE): that article, so that the user learns the news
   * covers the subject but does not say what was asked.
   */
  readonly related?: Article;
}

/**
 * Share of the question an article must hold, every name the question names among it, to be
 * named as `Answer.related` of a declined question: the article is about whom it asks.
 */
const RELATED_COVERAGE = 0.5;

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
  /** Share of minConfidence that quotes after the first need. */
  furtherConfidence: number;
  /** Target quote length in characters. */
  quoteBudget: number;
  /** Most quotes computed per question. */
  maxQuotes: number;
  /** Score factor for candidates of preferred articles (AskOptions.preferArticles). */
  preferBoost: number;
  /** Weight of a context term (AskOptions.context) relative to a question term. */
  contextWeight: number;
  /** Stories whose sentences are all ranked (the best by full-text relevance). */
  rankArticles: number;
  /** The sentence ranker: bias and one weight per feature (see SentenceFeatures). */
  rank: RankWeights;
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
  /**
   * BM25 score per unit of question weight, squashed to 0…1. The weight is the question's IDF as
   * the full-text index computes it (no smoothing prior, see strengthScale): in a small index
   * BM25 scores are small too, and a smoothed weight would make every passage look weak.
   */
  strength: number;
  /** 1 when the question asks for a kind of token and the quote has one. */
  typed: number;
  /** Share of the question's detail (its words beyond the story's title and lead) the quote covers. */
  fresh: number;
  /** Share of the question's detail found anywhere in the quote's article. */
  articleFresh: number;
  /** 1 when the question asks for a kind of token and the quote has none. */
  untyped: number;
  /** Share of the question found anywhere in the quote's article (title included). */
  articleCoverage: number;
  /** The largest share of one known question term that the whole article lacks. */
  articleMissingMax: number;
  /** The sentence ranker's score, squashed to 0…1. */
  rank: number;
  /**
   * "The asked kind is there": the largest share of the question's detail words (all its words
   * when the story holds them all) that one sentence of the quote's article holds, counting for
   * a typed question (a number, date, name or place asked) only the words that stand within
   * NEAR_TOKENS (story-gate.ts) words of a new token of that kind, and for "de ce"/"cum" only sentences holding
   * a cause or manner phrase (or beside one). Low when the article names the people asked about
   * but reports nothing of the kind asked (a covered official's salary, an athlete's grade).
   */
  askedNear: number;
  /** Share of the question's words other than proper names found anywhere in the quote's article (1 when it has none). */
  otherArticle: number;
  /**
   * Share of the question's detail words that the quote's article holds nowhere, not even as
   * another inflection (story-gate.ts detailAbsent): a fact the story never mentions.
   */
  detailAbsent: number;
  /** 1 when the question writes a number (a year, an edition) that the quote's article does not. */
  numberAbsent: number;
  /** 1 when the question asks about the present moment ("azi", "acum", "anul acesta"): see asksLive. */
  live: number;
  /**
   * 1 when the question asks a count of something (money, years, "câte medalii") that the quote's
   * article never counts: no number of it anywhere, though it names the thing (for money, whether or
   * not it names a currency; story-gate.ts unitUncounted).
   */
  unitUncounted: number;
}

export const CONFIDENCE_FEATURES = [
  "coverage",
  "quoteCoverage",
  "missingMax",
  "unknown",
  "strength",
  "typed",
  "fresh",
  "articleFresh",
  "untyped",
  "articleCoverage",
  "articleMissingMax",
  "rank",
  "askedNear",
  "otherArticle",
  "detailAbsent",
  "numberAbsent",
  "live",
  "unitUncounted",
] as const satisfies ReadonlyArray<keyof ConfidenceFeatures>;

export type ConfidenceWeights = { bias: number } & { [K in keyof ConfidenceFeatures]: number };

/**
 * What a sentence of a candidate story is ranked on (every feature in 0…1). "Story" words are
 * the question's words that the article's title or lead already holds; the rest is the detail
 * the question asks about.
 */
export interface SentenceFeatures {
  /** Share of the question's detail words the sentence holds. */
  fresh: number;
  /** Share of the question's detail words met only as another inflection (same first letters). */
  loose: number;
  /** Share of the question's story words the sentence holds. */
  story: number;
  /** The better `fresh` of the previous and next sentence of its paragraph. */
  neighbour: number;
  /** 1 when the sentence holds the kind of token the question asks for (a number for "câți"…). */
  typed: number;
  /** Lead prior: exp(-position in the article / leadDecay). */
  lead: number;
  /** The story's full-text relevance relative to the best story's. */
  article: number;
  /** 1 in the best story. */
  top: number;
  /** The sentence's length in distinct terms, up to 20, over 20. */
  length: number;
  /** The sentence's own BM25 relative to the best passage's (0 when the index did not propose it). */
  bm25: number;
  /** Products of the above: a detail word counts more beside the token asked for, in the best story. */
  freshTyped: number;
  freshTop: number;
  typedTop: number;
  freshArticle: number;
  neighbourTyped: number;
  /** How close the asked-for token stands to a detail word of the question: exp(-(words between) / 4); 0 without both. */
  typedNear: number;
  /** The next sentence of the paragraph holds the asked-for token, times this one's `fresh` (an answer over two sentences). */
  nextTyped: number;
  /** For a question of no asked type ("ce", "care"): 1 when the sentence holds a new capitalised name. */
  nameUntyped: number;
  /**
   * Share of the sentence's terms that the story's title (and, for a later sentence, its lead)
   * already holds: a sentence that only restates the story adds no detail.
   */
  echo: number;
  /** 1 when the sentence holds the question's heaviest detail word (its rarest word beyond the story's). */
  rarest: number;
}

export const SENTENCE_FEATURES = [
  "fresh",
  "loose",
  "story",
  "neighbour",
  "typed",
  "lead",
  "article",
  "top",
  "length",
  "bm25",
  "freshTyped",
  "freshTop",
  "typedTop",
  "freshArticle",
  "neighbourTyped",
  "typedNear",
  "nextTyped",
  "nameUntyped",
  "echo",
  "rarest",
] as const satisfies ReadonlyArray<keyof SentenceFeatures>;

export type RankWeights = { bias: number } & { [K in keyof SentenceFeatures]: number };

/** Hand-set sentence-ranking weights: what the fitted ones (DEFAULT_TUNING.rank) are compared with. */
export const HAND_RANK: RankWeights = {
  bias: -4,
  fresh: 3,
  loose: 1,
  story: 0.5,
  neighbour: 0.7,
  typed: 1,
  lead: 0.3,
  article: 3,
  top: 0.5,
  length: 0.3,
  bm25: 1,
  freshTyped: 0,
  freshTop: 0,
  typedTop: 0,
  freshArticle: 0,
  neighbourTyped: 0,
  typedNear: 0,
  nextTyped: 0,
  nameUntyped: 0,
  echo: 0,
  rarest: 0,
};

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
  relativeScore: 0.03,
  // The gate fitted on news questions gives the second and third quotes of an answer less
  // confidence than the first (they hold less of the question): half the line is enough for them.
  furtherConfidence: 0.5,
  quoteBudget: 300,
  maxQuotes: 9,
  preferBoost: 1.5,
  contextWeight: 0.35,
  rankArticles: 3,
  // Fitted by `npm run calibrate` on the news questions (see scripts/calibrate.ts); `npm run eval`
  // refits both per fold and reports them on held-out folds only.
  rank: {
    bias: -4,
    fresh: 0.46,
    loose: 0.5,
    story: 0.36,
    neighbour: 0.03,
    typed: 1.27,
    lead: 0.81,
    article: 2.35,
    top: 0.83,
    length: 0.53,
    bm25: 2.75,
    freshTyped: 0.25,
    freshTop: 0.23,
    typedTop: 1.12,
    freshArticle: 0.59,
    neighbourTyped: -0.85,
    typedNear: 1.43,
    nextTyped: -0.36,
    nameUntyped: 0.82,
    echo: -0.71,
    rarest: 0.1,
  },
  // Fitted by `npm run calibrate` (scripts/calibrate.ts: XQuAD's tuning half against the development
  // out-of-corpus questions, weighed by gateGroups; news choose the threshold, 0.1, folded into the bias).
  confidence: {
    bias: -1.31,
    coverage: 1.14,
    quoteCoverage: 0.46,
    missingMax: -3.15,
    unknown: -3.08,
    strength: 4.27,
    typed: -2.05,
    fresh: -0.96,
    articleFresh: -0.95,
    untyped: -2.21,
    articleCoverage: 2.05,
    articleMissingMax: -2.14,
    rank: -0.23,
    askedNear: 0.18,
    otherArticle: 0.24,
    detailAbsent: -1.13,
    numberAbsent: -1.18,
    live: -1.78,
    // Chosen on the news questions with the threshold, not fitted (scripts/eval-news.ts fitGateChoosing).
    unitUncounted: -2,
  },
  minConfidence: 0.5,
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
  /** What the sentence was ranked on. */
  readonly sentence: SentenceFeatures;
  /** The quote's article holds every proper name of the question (false when the question names none). */
  readonly namesHeld: boolean;
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

/** Date.parse of a YYYY-MM-DD day's UTC midnight, remembered: every passage found reads its article's date. */
const dayStarts = new Map<string, number>();
function dayStart(date: string): number {
  let t = dayStarts.get(date);
  if (t === undefined) {
    if (dayStarts.size >= 10_000) dayStarts.clear();
    dayStarts.set(date, (t = Date.parse(`${date}T00:00:00Z`)));
  }
  return t;
}

/** Most sentences of one story ranked per question; LEAD_SENTENCES of them from its start. */
const RANKED_SENTENCES = 150;
/** Stories after the best `rankArticles` whose proposed sentences are ranked too (later pages). */
const FURTHER_ARTICLES = 12;
const LEAD_SENTENCES = 30;

/** Letters a word and a question word must share at the start to count as inflections of each other. */
const LOOSE_PREFIX = 5;

/**
 * What ranking needs of a sentence, remembered per passage (see passageInfo). Its terms and
 * prefixes come from the words the index kept at build time (sentence-words.ts), so the
 * sentence is not analysed again; its answer tokens are built only when a question needs them
 * (an untyped question never reads `tokens`).
 */
class PassageInfo {
  /** The sentence's distinct index terms (a compact set: see TermList). */
  readonly terms: TermList;
  private nameList: string[] | undefined;
  private answer: AnswerTokens | undefined;

  constructor(
    private readonly words: SentenceWords,
    private readonly text: string,
  ) {
    this.terms = TermList.of(words);
  }

  /**
   * Whether a word of the sentence starts with `prefix` (folded, LOOSE_PREFIX letters). Only the
   * `loose` feature asks, for a detail word the sentence lacks: that is most sentences ranked, so
   * their words are scanned each time rather than a set of prefixes kept per sentence (which
   * made every first-time sentence larger for the scavenger to copy).
   */
  hasPrefix(prefix: string): boolean {
    return sentenceHasPrefix(this.words, LOOSE_PREFIX, prefix);
  }

  /**
   * The folded words that are names (isCapitalisedName), for the `nameUntyped` feature: an
   * untyped question then needs no answer tokens. Built when first read (by an untyped question).
   */
  get names(): readonly string[] {
    return (this.nameList ??= sentenceNames(this.words));
  }

  private termsInOrder: ReadonlyArray<string | null> | undefined;

  /** How many words the sentence has (the length of `wordTerms` and `tokens.words`). */
  get wordCount(): number {
    return this.words.to - this.words.from;
  }

  /** `wordTerms[j]` without building the array: the index term of the sentence's j-th word, or null. */
  wordTermAt(j: number): string | null {
    const { codes, table, from } = this.words;
    return table.terms[(codes[from + j] as number) >>> 1] ?? null;
  }

  /** Each word's index term, in the order of `tokens.words` (typedNear), built when first read. */
  get wordTerms(): ReadonlyArray<string | null> {
    return (this.termsInOrder ??= sentenceWordTerms(this.words));
  }

  /** The sentence's answer tokens (hasAnswerTokenIn), built the first time a typed question reads them. */
  get tokens(): AnswerTokens {
    return (this.answer ??= sentenceAnswerTokens(this.words, this.text));
  }
}

/**
 * The words of `text.slice(from, to)` given the words of `text` (`tokenize(text)`), offsets made
 * relative to the slice: what tokenising the slice gives when it starts and ends at word
 * boundaries (a cut quote does: cutSentence cuts at its words' edges), since a word is a
 * maximal run of letters and digits.
 */
function wordsWithin(words: readonly Token[], from: number, to: number): Token[] {
  const out: Token[] = [];
  for (const w of words) if (w.start >= from && w.end <= to) out.push({ text: w.text, start: w.start - from, end: w.end - from });
  return out;
}

/**
 * A title's index terms, folded words (questionWordSet) and word prefixes (LOOSE_PREFIX): every
 * story ranked needs them.
 */
interface TitleInfo {
  readonly terms: ReadonlySet<string>;
  readonly words: ReadonlySet<string>;
  readonly prefixes: ReadonlySet<string>;
}
/** TitleInfo per article object. */
const titles = new WeakMap<Article, TitleInfo>();
/** The same by title text: copies of a story (wire copies, republished pieces) share their analysis. */
const titleTexts = new Map<string, TitleInfo>();
const TITLE_TEXT_LIMIT = 20_000;
function titleOf(article: Article): TitleInfo {
  let t = titles.get(article);
  if (!t) {
    t = titleTexts.get(article.title);
    if (!t) {
      if (titleTexts.size >= TITLE_TEXT_LIMIT) titleTexts.clear();
      t = {
        terms: new Set(analyze(article.title)),
        words: questionWordSet(article.title),
        prefixes: new Set(
          tokenize(article.title)
            .filter((w) => w.text.length >= LOOSE_PREFIX + 1 && !/\d/.test(w.text))
            .map((w) => fold(w.text).slice(0, LOOSE_PREFIX)),
        ),
      };
      titleTexts.set(article.title, t);
    }
    titles.set(article, t);
  }
  return t;
}

/** Each feature's position in SENTENCE_FEATURES: a ranked sentence's slot in its story's feature values. */
const F = Object.fromEntries(SENTENCE_FEATURES.map((k, i) => [k, i])) as { readonly [K in keyof SentenceFeatures]: number };
const FEATURE_COUNT = SENTENCE_FEATURES.length;

/** The first position of `sorted` (ascending) whose value is at least `min` (its length when none is). */
function firstAtLeast(sorted: Int32Array, min: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < min) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** What every ranked sentence of one story shares: built once per story, not once per sentence. */
interface StoryRanking {
  readonly titleTerms: ReadonlySet<string>;
  /** The story's credit for the question's detail words (ConfidenceFeatures.articleFresh). */
  readonly articleFresh: number;
  readonly article: { coverage: number; missingMax: number };
  /** `fresh` of any set of terms (a quote window's) against this story's split of the question. */
  readonly fresh: (terms: ReadonlySet<string>) => number;
  /** Facts about the whole story for the decline gate (ConfidenceFeatures). */
  readonly gate: StoryGate;
  /** Index terms of the question's detail words as met in the story (see quoteWindow). */
  readonly detail: ReadonlySet<string>;
}

/**
 * One ranked sentence. Ranking builds one per sentence of every story ranked (a few thousand a
 * question), so it is kept small: its features stay in the story's Float64Array (no object of
 * twenty boxed numbers) and the set of nearby terms is built only for the few sentences that get
 * a quote window. Only allocation differs from plain objects: every value is the same.
 */
class RankedSentence {
  constructor(
    readonly passage: Passage,
    /** The ranker's linear score (rankOf of `features`). */
    readonly rank: number,
    readonly terms: ReadonlySet<string>,
    private readonly prev: ReadonlySet<string> | undefined,
    private readonly next: ReadonlySet<string> | undefined,
    readonly story: StoryRanking,
    private readonly values: Float64Array,
    private readonly at: number,
  ) {}

  /** The ranking features, as an object (built on each read: only the best few and calibration read them). */
  get features(): SentenceFeatures {
    const v = this.values;
    const at = this.at;
    return {
      fresh: v[at + F.fresh]!,
      loose: v[at + F.loose]!,
      story: v[at + F.story]!,
      neighbour: v[at + F.neighbour]!,
      typed: v[at + F.typed]!,
      lead: v[at + F.lead]!,
      article: v[at + F.article]!,
      top: v[at + F.top]!,
      length: v[at + F.length]!,
      bm25: v[at + F.bm25]!,
      freshTyped: v[at + F.freshTyped]!,
      freshTop: v[at + F.freshTop]!,
      typedTop: v[at + F.typedTop]!,
      freshArticle: v[at + F.freshArticle]!,
      neighbourTyped: v[at + F.neighbourTyped]!,
      typedNear: v[at + F.typedNear]!,
      nextTyped: v[at + F.nextTyped]!,
      nameUntyped: v[at + F.nameUntyped]!,
      echo: v[at + F.echo]!,
      rarest: v[at + F.rarest]!,
    };
  }

  /** The sentence's, its paragraph neighbours' and the title's terms. */
  near(): Set<string> {
    return new Set([...this.terms, ...(this.prev ?? []), ...(this.next ?? []), ...this.story.titleTerms]);
  }
}

/** Passages whose terms the engine remembers (see passageTerms). */
const TERM_CACHE_LIMIT = 50_000;

export class AnswerEngine {
  private readonly now: () => Date;
  private readonly termCache = new Map<number, PassageInfo>();
  /**
   * The same PassageInfo objects by sentence text: a story carried by several outlets (wire
   * copies, republished pieces) repeats its sentences under other passage ids, and everything
   * PassageInfo holds is a function of the text alone (its words' codes, capitalised flags
   * included, are encodeSentence's of the text), so equal texts share one analysis.
   */
  private readonly textCache = new Map<string, PassageInfo>();
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
    if (distinctTerms(`${question} ${context}`).length === 0)
      return { question, found: false, reason: "no-terms", quotes: [], total: 0 };
    const ranked = this.explain(question, context, options.articles);
    const quotes = this.selectQuotes(options.preferArticles?.size ? this.prefer(ranked, options.preferArticles) : ranked);
    if (quotes.length === 0) {
      const related = relatedArticle(question, ranked[0]);
      return { question, found: false, reason: "no-match", quotes: [], total: 0, ...(related ? { related } : {}) };
    }
    return { question, found: true, quotes: quotes.slice(offset, offset + limit), total: quotes.length };
  }

  /** Candidates of preferred articles that answer on their own, scored up; re-sorted. */
  private prefer(ranked: Candidate[], articles: ReadonlySet<string>): Candidate[] {
    const t = this.tuning;
    return ranked
      .map((c) =>
        articles.has(c.passage.article.id) && c.confidence >= t.minConfidence ? { ...c, score: c.score * t.preferBoost } : c,
      )
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
    // Each term's frequency looked up once (a walk down the index's radix tree).
    const dfs = new Map(terms.map((t) => [t, this.index.documentFrequency(t)]));
    const df = (t: string) => dfs.get(t) as number;
    const known = terms.filter((t) => df(t) > 0);
    const cap = Math.max(0, ...known.map((t) => idf(df(t))));
    return terms.map((term) => {
      const isKnown = known.includes(term);
      return { term, weight: isKnown ? idf(df(term)) : cap, known: isKnown };
    });
  }

  /**
   * All candidates for a question, best first, with their quote windows and features.
   *
   * The full-text index finds the stories; the sentence is then chosen inside the best few
   * stories (`tuning.rankArticles`), over every sentence of each, by a linear ranker over
   * SentenceFeatures. Its key idea: question words that the story's title and lead already hold
   * are the story ("the German finance minister"), not the detail asked about, so a sentence is
   * ranked mainly on the question words it adds (`fresh`) and on holding the kind of token the
   * question asks for (`typed`).
   */
  explain(question: string, context = "", articles?: ReadonlySet<string>): Candidate[] {
    const stage = this.rankSentences(question, context, articles);
    if (!stage) return [];
    const { scored, coverageOf, type, questionWords, unknown, matchedAll, bm25Of, strengthScale } = stage;
    const t = this.tuning;
    const live = asksLive(question) ? 1 : 0;
    // Building quote windows is the costly part: only the best-ranked sentences get one.
    scored.sort((x, y) => y.rank - x.rank);
    const candidates: Candidate[] = [];
    for (const c of scored.slice(0, t.windowCandidates)) {
      const near = c.near();
      const matched = new Set([...matchedAll].filter((x) => near.has(x)));
      const known = new Set([...questionWords, ...titleOf(c.passage.article).words]);
      const window = this.quoteWindow(c.passage, matched, coverageOf, type, known, c.story.detail);
      const windowTerms = window.terms;
      const bm25 = bm25Of.get(c.passage.id) ?? 0;
      const features: ConfidenceFeatures = {
        coverage: coverageOf(near).coverage,
        quoteCoverage: window.coverage,
        missingMax: window.missingMax,
        unknown,
        strength: 1 - Math.exp(-bm25 / strengthScale),
        typed: type !== null && window.typed ? 1 : 0,
        fresh: c.story.fresh(windowTerms),
        articleFresh: c.story.articleFresh,
        articleCoverage: c.story.article.coverage,
        articleMissingMax: c.story.article.missingMax,
        untyped: type !== null && !window.typed ? 1 : 0,
        rank: sigmoid(c.rank),
        askedNear: c.story.gate.askedNear(),
        otherArticle: c.story.gate.otherArticle,
        detailAbsent: c.story.gate.detailAbsent,
        numberAbsent: c.story.gate.numberAbsent,
        live,
        unitUncounted: c.story.gate.unitUncounted(),
      };
      candidates.push({
        passage: c.passage,
        quote: window.span,
        score: Math.exp(c.rank),
        features,
        confidence: this.confidenceOf(features),
        matched,
        sentence: c.features,
        namesHeld: c.story.gate.namesHeld,
      });
    }
    return candidates.sort((a, b) => b.score - a.score);
  }

  /** Every sentence of the best stories with its ranking features and score (unsorted). */
  private rankSentences(question: string, context: string, articles?: ReadonlySet<string>) {
    const t = this.tuning;
    const own = distinctTerms(question);
    const extra = distinctTerms(context).filter((term) => !own.includes(term));
    // The context's own words (not their stems) go to the full-text index, which analyzes them itself.
    const extraWords = tokenize(context)
      .filter((w) => extra.includes(termOf(w.text) ?? ""))
      .map((w) => w.text);
    const query = this.queryTerms([...own, ...extra]).map((q, i) =>
      i < own.length ? q : { ...q, weight: q.weight * t.contextWeight },
    );
    const total = query.reduce((a, q) => a + q.weight, 0);
    if (total === 0) return null;
    const unknown = query.filter((q) => !q.known).reduce((a, q) => a + q.weight, 0) / total;
    const type = answerTypeOf(question);
    const questionWords = questionWordSet(question);
    const today = this.now().getTime();
    // Per question term: the index terms that count for it (itself, and one-typo variants the
    // full-text index matched), with their credit.
    const variants = new Map<string, Map<string, number>>(query.map((q) => [q.term, new Map([[q.term, 1]])]));
    const matchedAll = new Set<string>();
    const bm25Of = new Map<number, number>();
    const articleScore = new Map<string, number>();
    let bestBm25 = 0;
    const found = this.index.search(
      extraWords.length > 0 ? `${question} ${extraWords.join(" ")}` : question,
      articles ? RESTRICTED_SEARCH_LIMIT : t.candidates,
    );
    const results = articles
      ? found.filter((r) => articles.has(this.index.passageArticle(r.id as number)?.article.id ?? "")).slice(0, t.candidates)
      : found;
    // Context words weigh less in BM25 too: a passage scores what the question alone gives it
    // plus `contextWeight` of what the context words add (the question's own score of each
    // passage found, not only of the question's own top ones).
    const ownScores =
      extraWords.length > 0 && own.length > 0
        ? this.index.scoresFor(
            question,
            results.map((r) => r.id as number),
          )
        : null;
    for (const r of results) {
      const ownScore = ownScores?.get(r.id) ?? 0;
      const bm25 = ownScores ? ownScore + t.contextWeight * Math.max(0, r.score - ownScore) : r.score;
      const passage = this.index.passageArticle(r.id as number);
      if (!passage) continue;
      let inSentence = 0;
      const matches = Object.entries(r.match);
      for (const q of query) {
        // The best match of the term (two locals, not an object per match: this runs for every
        // term of every passage found).
        let found = false;
        let bestCredit = 0;
        let bestInSentence = false;
        for (const [indexTerm, fields] of matches) {
          const exact = indexTerm === q.term;
          if (!exact && !(q.term.length >= 6 && editDistanceAtMost1(indexTerm, q.term))) continue;
          matchedAll.add(indexTerm);
          const credit = exact ? 1 : t.fuzzyCredit;
          const known = variants.get(q.term)!;
          if ((known.get(indexTerm) ?? 0) < credit) known.set(indexTerm, credit);
          const sentence = fields.includes("text");
          if (!found || credit > bestCredit || (sentence && !bestInSentence)) {
            found = true;
            bestCredit = credit;
            bestInSentence = sentence;
          }
        }
        if (found && bestInSentence) inSentence += q.weight * bestCredit;
      }
      let prior = 1 + t.leadWeight * Math.exp(-passage.ordinal / t.leadDecay);
      const date = passage.article.date;
      if (date) {
        const ageDays = Math.max(0, (today - dayStart(date)) / 86_400_000);
        prior *= 1 + t.recencyWeight * Math.exp(-ageDays / t.recencyDays);
      }
      const base = bm25 * (1 - t.sentenceWeight + (t.sentenceWeight * inSentence) / total) * prior;
      bm25Of.set(r.id as number, bm25);
      bestBm25 = Math.max(bestBm25, bm25);
      const id = passage.article.id;
      if ((articleScore.get(id) ?? 0) < base) articleScore.set(id, base);
    }
    // The best stories have every sentence ranked; the next ones (for further pages) only the
    // sentences the index proposed, beside their lead.
    const stories = [...articleScore.entries()].sort((a, b) => b[1] - a[1]).slice(0, t.rankArticles + FURTHER_ARTICLES);
    if (stories.length === 0) return null;
    const topScore = stories[0]![1];
    const loosePrefix = new Map<string, string>();
    for (const w of tokenize(question)) {
      const term = termOf(w.text);
      if (term !== null && w.text.length >= LOOSE_PREFIX + 1 && !/\d/.test(w.text))
        loosePrefix.set(term, fold(w.text).slice(0, LOOSE_PREFIX));
    }
    // Per question term (by position in `query`), its variants as arrays: creditAt runs for
    // every term of every ranked sentence.
    const loosePrefixAt = query.map((q) => loosePrefix.get(q.term));
    const variantTerms = query.map((q) => [...variants.get(q.term)!.keys()]);
    const variantCredits = query.map((q) => [...variants.get(q.term)!.values()]);
    const creditAt = (k: number, terms: ReadonlySet<string>) => {
      const ts = variantTerms[k]!;
      const cs = variantCredits[k]!;
      let credit = 0;
      for (let v = 0; v < ts.length; v++) if (cs[v]! > credit && terms.has(ts[v]!)) credit = cs[v]!;
      return credit;
    };
    /** Coverage from each question term's credit (same order of sums as coverageOf). */
    const coverageWith = (credit: ArrayLike<number>) => {
      let covered = 0;
      let missingMax = 0;
      query.forEach((q, k) => {
        covered += q.weight * credit[k]!;
        if (q.known) missingMax = Math.max(missingMax, q.weight * (1 - credit[k]!));
      });
      return { coverage: covered / total, missingMax: missingMax / total };
    };
    const coverageOf = (terms: ReadonlySet<string>) => coverageWith(query.map((_, k) => creditAt(k, terms)));
    // For the decline gate and Answer.related.
    const names = capitalisedNames(question);
    const gateQuery = query.map((q, k) => ({ weight: q.weight, name: k < own.length && names.has(q.term) }));
    const gatePrefixes = query.map((q) => loosePrefix.get(q.term));
    const numbers = questionNumbers(question);
    const unit = askedUnit(question, type);
    const scored: RankedSentence[] = [];
    // The ranker's weights in SENTENCE_FEATURES order, for ranking straight from a story's
    // feature values (the same products summed in the same order as rankOf).
    const weights = SENTENCE_FEATURES.map((k) => t.rank[k]);
    // The passages found, by id: each story reads the ones inside it (a binary search, not a
    // walk over every passage found per story).
    const foundIds = Int32Array.from(bm25Of.keys()).sort();
    stories.forEach(([articleId, score], a) => {
      const range = this.index.articlePassages(articleId);
      if (!range) return;
      const end = range.firstId + range.count;
      // Every sentence of the story; of a very long one (a live text, a hostile page), the lead
      // and the sentences the index proposed with their neighbours, so the cost stays bounded.
      const ids: number[] = [];
      if (a >= t.rankArticles) {
        ids.push(range.firstId);
        // Ascending already (foundIds is sorted), so no sort is needed.
        for (let f = firstAtLeast(foundIds, range.firstId + 1); f < foundIds.length && foundIds[f]! < end; f++)
          ids.push(foundIds[f]!);
      } else if (range.count <= RANKED_SENTENCES) for (let id = range.firstId; id < end; id++) ids.push(id);
      else {
        const wanted = new Set<number>();
        for (let id = range.firstId; id < range.firstId + LEAD_SENTENCES; id++) wanted.add(id);
        for (let f = firstAtLeast(foundIds, range.firstId); f < foundIds.length && foundIds[f]! < end; f++) {
          const id = foundIds[f]!;
          for (let d = -1; d <= 1; d++) if (id + d >= range.firstId && id + d < end) wanted.add(id + d);
        }
        ids.push(...[...wanted].sort((x, y) => x - y).slice(0, RANKED_SENTENCES));
      }
      const passages = this.index.passagesAt(ids);
      if (passages.length === 0) return;
      const n = passages.length;
      const infos = passages.map((p) => this.passageInfo(p));
      const terms = infos.map((x) => x.terms);
      const title = titleOf(passages[0]!.article);
      const titleTerms = title.terms;
      // A token of the asked type counts only when it is new: not in the question nor the title.
      const known = new Set(questionWords);
      for (const w of title.words) known.add(w);
      const story = new Set(titleTerms);
      for (let j = 0; j < terms[0]!.size; j++) story.add(terms[0]!.termAt(j));
      // The question's words split into the story's (title and lead hold them) and the detail's.
      const isStory = query.map((_, k) => creditAt(k, story) > 0);
      const storyWeight = query.reduce((x, q, i) => x + (isStory[i] ? q.weight : 0), 0);
      const freshWeight = total - storyWeight;
      const freshWith = (credit: ArrayLike<number>) =>
        freshWeight === 0 ? 0 : query.reduce((x, q, i) => x + (isStory[i] ? 0 : q.weight * credit[i]!), 0) / freshWeight;
      const fresh = (ts: ReadonlySet<string>) => freshWith(query.map((_, k) => creditAt(k, ts)));
      // Per sentence, the credit of each question term, computed once for all features.
      const credits: number[][] = [];
      for (let i = 0; i < n; i++) {
        const c: number[] = [];
        for (let k = 0; k < query.length; k++) c.push(creditAt(k, terms[i]!));
        credits.push(c);
      }
      // fresh and story of each sentence: plain loops (the same sums in the same order as a
      // reduce over `query`), no closure per sentence.
      const freshOf = new Float64Array(n);
      const storyOf = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const c = credits[i]!;
        let xf = 0;
        let xs = 0;
        for (let k = 0; k < query.length; k++) {
          const w = query[k]!.weight;
          xf += isStory[k] ? 0 : w * c[k]!;
          xs += isStory[k] ? w * c[k]! : 0;
        }
        freshOf[i] = freshWeight === 0 ? 0 : xf / freshWeight;
        storyOf[i] = storyWeight === 0 ? 0 : xs / storyWeight;
      }
      // The sentence's terms the title (and the lead, for a later sentence) already holds.
      const echoOf = (i: number) => {
        const own = terms[i]!;
        if (own.size === 0) return 0;
        let n = 0;
        // By index, not for-of: an iterator over every sentence's terms allocated a result per term.
        for (let j = 0; j < own.size; j++) {
          const x = own.termAt(j);
          if (titleTerms.has(x) || (i > 0 && passages[0]!.ordinal === 0 && terms[0]!.has(x))) n++;
        }
        return n / own.size;
      };
      // The question's heaviest detail word (by index of `query`), -1 when the story holds them all.
      let heaviest = -1;
      query.forEach((q, k) => {
        if (!isStory[k] && q.known && (heaviest < 0 || q.weight > query[heaviest]!.weight)) heaviest = k;
      });
      // A term's credit in the whole article is its best credit in any sentence (and the title).
      const inArticle = query.map((_, k) => credits.reduce((m, c) => Math.max(m, c[k]!), 0));
      const articleFresh = freshWeight === 0 ? 1 : freshWith(inArticle);
      const articleCover = coverageWith(inArticle.map((c, k) => Math.max(c, creditAt(k, titleTerms))));
      const gate = storyGate({
        query: gateQuery,
        isStory,
        inStory: inArticle.map((c, k) => Math.max(c, creditAt(k, titleTerms))),
        credits,
        variantTerms,
        passages,
        tokensAt: (i) => infos[i]!.tokens,
        wordTermsAt: (i) => infos[i]!.wordTerms,
        type,
        known,
        prefixes: gatePrefixes,
        hasPrefixAt: (i, prefix) => infos[i]!.hasPrefix(prefix),
        titlePrefixes: titleOf(passages[0]!.article).prefixes,
        numbers,
        unit,
        storyTokens: () => this.storyTokens(passages[0]!.article, range),
      });
      // Inflections Snowball stems apart ("Rusia"/"Rusiei", "câștigat"/"câștigătoarea"): a
      // detail word of the question whose first letters start a word of the sentence.
      const loose = (i: number) => {
        if (freshWeight === 0) return 0;
        let x = 0;
        for (let k = 0; k < query.length; k++) {
          const prefix = loosePrefixAt[k];
          if (isStory[k] || prefix === undefined || credits[i]![k]! > 0) continue;
          if (infos[i]!.hasPrefix(prefix)) x += query[k]!.weight;
        }
        return x / freshWeight;
      };
      // The detail words' terms as met in this story's sentences (their variants), for typedNear.
      const detailTerms = new Set<string>();
      query.forEach((_, k) => {
        if (!isStory[k]) for (const v of variantTerms[k]!) detailTerms.add(v);
      });
      const typedOf = new Uint8Array(n);
      if (type !== null) for (let i = 0; i < n; i++) typedOf[i] = hasAnswerTokenIn(infos[i]!.tokens, type, known) ? 1 : 0;
      const nearness = (i: number) => {
        if (type === null || typedOf[i] === 0 || detailTerms.size === 0) return 0;
        const tokens = infos[i]!.tokens;
        const at = answerTokenIndexes(tokens, type, known);
        if (at.length === 0) return 0;
        let best = Infinity;
        // termOf(word) as the index stored it (the same as termOf of the folded word), read
        // word by word: no wordTerms array is built (and kept) for every typed sentence.
        const info = infos[i]!;
        for (let j = 0; j < info.wordCount; j++) {
          const term = info.wordTermAt(j);
          if (term === null || !detailTerms.has(term)) continue;
          for (const x of at) best = Math.min(best, Math.abs(x - j));
        }
        return best === Infinity ? 0 : Math.exp(-(best - 1) / 4);
      };
      /** The sentence holds a name that is neither in the question nor in the title (nameUntyped). */
      const hasNewName = (i: number) => {
        for (const w of infos[i]!.names) if (!known.has(w)) return true;
        return false;
      };
      const shared: StoryRanking = { titleTerms, articleFresh, article: articleCover, fresh, gate, detail: detailTerms };
      // Every sentence's features in one typed array (SENTENCE_FEATURES order, FEATURE_COUNT per
      // sentence) instead of an object of twenty boxed numbers each: most sentences only need
      // their rank; RankedSentence#features builds the object for the few that are read.
      const values = new Float64Array(n * FEATURE_COUNT);
      for (let i = 0; i < n; i++) {
        const p = passages[i]!;
        const own = terms[i]!;
        // Neighbours in the same paragraph (of a long story only some sentences are ranked).
        const hasPrev = p.position > 0 && passages[i - 1]?.id === p.id - 1;
        const hasNext = p.position < p.paragraph.length - 1 && passages[i + 1]?.id === p.id + 1;
        const at = i * FEATURE_COUNT;
        const sentenceFresh = freshOf[i]!;
        const typed = typedOf[i]!;
        const article = score / topScore;
        const top = a === 0 ? 1 : 0;
        const neighbour = Math.max(hasPrev ? freshOf[i - 1]! : 0, hasNext ? freshOf[i + 1]! : 0);
        values[at + F.fresh] = sentenceFresh;
        values[at + F.loose] = loose(i);
        values[at + F.story] = storyOf[i]!;
        values[at + F.neighbour] = neighbour;
        values[at + F.typed] = typed;
        values[at + F.lead] = Math.exp(-p.ordinal / t.leadDecay);
        values[at + F.article] = article;
        values[at + F.top] = top;
        values[at + F.length] = Math.min(1, own.size / 20);
        values[at + F.bm25] = bestBm25 > 0 ? (bm25Of.get(p.id) ?? 0) / bestBm25 : 0;
        values[at + F.freshTyped] = sentenceFresh * typed;
        values[at + F.freshTop] = sentenceFresh * top;
        values[at + F.typedTop] = typed * top;
        values[at + F.freshArticle] = sentenceFresh * article;
        values[at + F.neighbourTyped] = neighbour * typed;
        values[at + F.typedNear] = nearness(i);
        values[at + F.nextTyped] = hasNext ? typedOf[i + 1]! * sentenceFresh : 0;
        values[at + F.nameUntyped] = type === null && hasNewName(i) ? 1 : 0;
        values[at + F.echo] = echoOf(i);
        values[at + F.rarest] = heaviest >= 0 && credits[i]![heaviest]! > 0 ? 1 : 0;
        // rankOf over the stored values: the same products, summed in the same order.
        let rank = t.rank.bias;
        for (let j = 0; j < FEATURE_COUNT; j++) rank += weights[j]! * values[at + j]!;
        scored.push(
          new RankedSentence(
            p,
            rank,
            own,
            hasPrev ? terms[i - 1] : undefined,
            hasNext ? terms[i + 1] : undefined,
            shared,
            values,
            at,
          ),
        );
      }
    });
    // The question's weight in the index's own IDF (no prior): what BM25 scores are measured against.
    const n = this.index.passageCount;
    const strengthScale = query.reduce((a, q, i) => {
      const df = this.index.documentFrequency(q.term);
      const idf = df > 0 ? Math.log(1 + (n - df + 0.5) / (df + 0.5)) : Math.log(1 + (n + 0.5) / 0.5);
      return a + idf * (i < own.length ? 1 : t.contextWeight);
    }, 0);
    return { scored, coverageOf, type, questionWords, unknown, total, matchedAll, bm25Of, strengthScale };
  }

  /**
   * A passage's terms, remembered: the same stories come up question after question, and
   * analysing their sentences is most of the cost of ranking them. Passage ids are never reused
   * by an index, so an id always means the same sentence.
   */
  /** The answer tokens of a story's title and of every sentence, from the words the index stored. */
  private storyTokens(article: Article, range: { firstId: number; count: number }): AnswerTokens[] {
    const out = [answerTokens(article.title)];
    for (let id = range.firstId; id < range.firstId + range.count; id++) {
      const p = this.index.passage(id);
      if (!p) continue;
      const text = article.body.slice(p.span.start, p.span.end);
      const words = this.index.sentenceWords(id);
      out.push(words ? sentenceAnswerTokens(words, text) : answerTokens(text));
    }
    return out;
  }

  private passageInfo(p: Passage): PassageInfo {
    return this.sentenceInfo(p.id, p.article.body, p.span);
  }

  /** passageInfo by passage id: `span` must be that passage's sentence in `body`. */
  private sentenceInfo(id: number, body: string, span: Span): PassageInfo {
    let info = this.termCache.get(id);
    if (!info) {
      if (this.termCache.size >= TERM_CACHE_LIMIT) {
        this.termCache.clear();
        this.textCache.clear();
      }
      const text = body.slice(span.start, span.end);
      info = this.textCache.get(text);
      if (!info) {
        info = new PassageInfo(this.index.sentenceWords(id) ?? wordsOfText(text), text);
        this.textCache.set(text, info);
      }
      this.termCache.set(id, info);
    }
    return info;
  }

  /** The ranker's linear score of a sentence (before the sigmoid). */
  rankOf(f: SentenceFeatures): number {
    const w = this.tuning.rank;
    let x = w.bias;
    for (const k of SENTENCE_FEATURES) x += w[k] * f[k];
    return x;
  }

  /**
   * Every sentence of the best stories with its ranking features, for fitting the ranker
   * (scripts/calibrate.ts, the evaluation's cross-validation).
   */
  sentenceFeatures(question: string): Array<{ passage: Passage; features: SentenceFeatures }> {
    return (this.rankSentences(question, "")?.scored ?? []).map(({ passage, features }) => ({ passage, features }));
  }

  confidenceOf(f: ConfidenceFeatures): number {
    return this.confidenceWith(this.tuning.confidence, f);
  }

  /** The confidence under other weights (calibration tries several on the same candidates). */
  confidenceWith(w: ConfidenceWeights, f: ConfidenceFeatures): number {
    let x = w.bias;
    for (const k of CONFIDENCE_FEATURES) x += w[k] * f[k];
    return sigmoid(x);
  }

  /**
   * The quote for a candidate sentence: among the runs of whole sentences of its paragraph that
   * contain it and fit the budget, the one covering most of the question (a typed answer token
   * counts as a bonus), ties going to the longer run, then to the one reaching further ahead.
   * The sentence with the next one is a run up to QUOTE_HARD_LIMIT even past the budget. A
   * sentence too long on its own is cut around its matched words, the question's `detail` words
   * (index terms beyond the story's title and lead) counting most (see cutSentence).
   */
  private quoteWindow(
    passage: Passage,
    matched: ReadonlySet<string>,
    coverageOf: (terms: ReadonlySet<string>) => { coverage: number; missingMax: number },
    type: AnswerType | null,
    questionWords: ReadonlySet<string>,
    detail: ReadonlySet<string>,
  ): { span: QuoteSpan; terms: ReadonlySet<string>; coverage: number; missingMax: number; typed: boolean } {
    const { article, paragraph, position } = passage;
    const body = article.body;
    const budget = this.tuning.quoteBudget;
    const core = paragraph[position] as Span;
    if (core.end - core.start > QUOTE_HARD_LIMIT) {
      // The sentence is tokenised once: the cut, its terms and its token of the asked kind read these words.
      // Their terms are the index's stored ones (PassageInfo.wordTerms, one per word in order).
      const words = tokenize(body.slice(core.start, core.end));
      const info = this.sentenceInfo(passage.id, body, core);
      const wordTerms = info.wordTerms;
      // The window keeps a token of the asked kind when the sentence has one (see cutSentence).
      const anchors = new Set<number>();
      if (type !== null) {
        for (const i of answerTokenIndexes(info.tokens, type, questionWords)) {
          const w = words[i];
          if (w) anchors.add(core.start + w.start);
        }
      }
      const span = cutSentence(body, core, matched, budget, anchors, detail, words, wordTerms);
      const from = span.start - core.start;
      const to = span.end - core.start;
      const cut = wordsWithin(words, from, to);
      const terms = new Set<string>();
      words.forEach((w, i) => {
        const term = wordTerms[i];
        if (term != null && w.start >= from && w.end <= to) terms.add(term);
      });
      const c = coverageOf(terms);
      const typed = type !== null && hasAnswerTokenIn(answerTokensOf(body.slice(span.start, span.end), cut), type, questionWords);
      return { span, terms, ...c, typed };
    }
    // The paragraph's sentences are consecutive passages: their analysis is the ranker's, cached.
    const firstId = passage.id - position;
    const infoAt = (i: number) => this.sentenceInfo(firstId + i, body, paragraph[i] as Span);
    const termsAt = (i: number) => infoAt(i).terms;
    const typedCache = new Map<number, boolean>();
    const typedAt = (i: number) => {
      let v = typedCache.get(i);
      if (v === undefined) typedCache.set(i, (v = type !== null && hasAnswerTokenIn(infoAt(i).tokens, type, questionWords)));
      return v;
    };
    let best: {
      lo: number;
      hi: number;
      value: number;
      terms: ReadonlySet<string>;
      coverage: number;
      missingMax: number;
      typed: boolean;
    } | null = null;
    // The sentence alone is always a window (it may exceed the budget up to the hard limit).
    for (let lo = position; lo >= 0 && (lo === position || core.end - paragraph[lo]!.start <= budget); lo--) {
      for (
        let hi = position;
        hi < paragraph.length &&
        (hi === position ||
          paragraph[hi]!.end - paragraph[lo]!.start <= budget ||
          // The sentence with the next one may reach the hard limit: an answer often ends a
          // statement's next sentence ("…a declarat ministrul. Acesta a precizat că…").
          (lo === position && hi === position + 1 && paragraph[hi]!.end - paragraph[lo]!.start <= QUOTE_HARD_LIMIT));
        hi++
      ) {
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
          (Math.abs(value - best.value) <= 1e-9 &&
            (hi - lo > best.hi - best.lo || (hi - lo === best.hi - best.lo && hi > best.hi)));
        if (better) best = { lo, hi, value, terms, coverage: c.coverage, missingMax: c.missingMax, typed };
      }
    }
    const w = best ?? { lo: position, hi: position, terms: termsAt(position), coverage: 0, missingMax: 1, typed: false };
    return {
      span: { start: paragraph[w.lo]!.start, end: paragraph[w.hi]!.end, cutStart: false, cutEnd: false },
      // The union of its sentences' terms is the window's: sentences are split only where a
      // terminator, a closing mark or a space stands, and only spaces lie between them, so no
      // word runs across two sentences (termsOfSpan of the window gives the same set).
      terms: w.terms,
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
      // Once the best quote answers, further ones need less: they are more of the same answer.
      if (c.confidence < minConfidence * t.furtherConfidence || c.score < t.relativeScore * best.score) continue;
      // A further quote shares at least one word with the question (the first one need not:
      // "Cauza: …" answers "de ce" without repeating it).
      if (c !== best && c.features.quoteCoverage === 0) continue;
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
        // The first phrasing the engine answers: "what happened" is declined when the story does
        // not say "happened" (the gate wants the question's words in the article).
        const q = EXAMPLE_TEMPLATES.map((f) => f(name)).find((x) => this.ask(x).found);
        if (q) examples.push(q);
      }
    }
    return examples;
  }
}

const EXAMPLE_TEMPLATES: ReadonlyArray<(name: string) => string> = [
  (name) => `Ce s-a întâmplat cu ${name}?`,
  (name) => `Ce a declarat ${name}?`,
  (name) => `Ce a anunțat ${name}?`,
  (name) => `Ce a făcut ${name}?`,
];

/** Capitalised words not at the start of a sentence, most frequent first. */
function prominentNames(article: Article): string[] {
  const counts = new Map<string, number>();
  for (const m of article.body.matchAll(/(?<=[\p{Ll},;:] )\p{Lu}[\p{Ll}]{3,}/gu)) {
    counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([w]) => w);
}

/** A question's proper names as it writes them (capitalised after its first word, acronyms): their index terms. */
function capitalisedNames(question: string): Set<string> {
  const names = new Set<string>();
  tokenize(question).forEach((w, i) => {
    const term = (i > 0 && /^\p{Lu}/u.test(w.text)) || /^\p{Lu}{2,}$/u.test(w.text) ? termOf(w.text) : null;
    if (term !== null) names.add(term);
  });
  return names;
}

/** How often an article writes each name (a capitalised word inside a sentence; any in the title), by index term. */
const articleNames = new WeakMap<Article, ReadonlyMap<string, number>>();
function namesOf(article: Article): ReadonlyMap<string, number> {
  let names = articleNames.get(article);
  if (!names) {
    const counts = new Map<string, number>();
    const count = (word: string, n: number) => {
      const term = termOf(word);
      if (term !== null) counts.set(term, (counts.get(term) ?? 0) + n);
    };
    for (const m of article.body.matchAll(/(?<=[\p{Ll}\d,;:] )\p{Lu}\p{Ll}{2,}/gu)) count(m[0], 1);
    // A name in the title is what the article is about: as good as being written twice.
    for (const m of article.title.matchAll(/\p{Lu}\p{Ll}{2,}/gu)) count(m[0], 2);
    articleNames.set(article, (names = counts));
  }
  return names;
}

/**
 * The article a declined question is about (Answer.related), so the user learns the news covers
 * the subject but does not say what was asked. It must hold every name the question writes
 * capitalised, and the question is about it when it also holds much of the rest
 * (RELATED_COVERAGE) or when every such name is prominent in it (in the title, or written at
 * least twice): a passing mention is not the story asked about. People type names in lower case
 * too ("ce nota a luat lukasenko"): then the question's words the article writes as names stand
 * for them.
 */
function relatedArticle(question: string, best: Candidate | undefined): Article | undefined {
  if (!best) return undefined;
  const article = best.passage.article;
  const capitalised = capitalisedNames(question);
  if (capitalised.size > 0 && !best.namesHeld) return undefined;
  const written = namesOf(article);
  const prominent = (t: string) => (written.get(t) ?? 0) >= 2;
  if (capitalised.size > 0)
    return best.features.articleCoverage >= RELATED_COVERAGE || [...capitalised].every(prominent) ? article : undefined;
  // Typed in lower case: the words the article writes as names (some, like "Olimpice" in
  // "Jocurile Olimpice", are names only there), one of them prominent.
  const lower = tokenize(question)
    .map((w) => termOf(w.text))
    .filter((t): t is string => t !== null && written.has(t));
  if (lower.length === 0) return undefined;
  return best.features.articleCoverage >= RELATED_COVERAGE || lower.some(prominent) ? article : undefined;
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
