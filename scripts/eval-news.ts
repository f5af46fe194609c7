/**
 * The news half of `npm run eval`: the news-qa-ro questions (users' own words over Libertatea
 * and Viva articles, plus questions the articles do not answer) asked of Libertatea + Viva
 * (answer pool) among Digi24, the political articles and the seed (distractors).
 *
 * Scoring follows news-qa-ro's SOURCE.md: a first quote is right when it comes from the
 * question's article and holds one of its answer strings (case, diacritics and spacing aside);
 * an unanswerable question is right when the engine declines.
 *
 * Citat's tuned numbers (ranking weights and the decline threshold) are chosen by 5-fold
 * cross-validation by article: for each fold, the setting that does best on the other four folds
 * is measured on it, and the held-out results of the five folds are pooled. No reported figure of
 * the tuned engine comes from questions it was tuned on. The index does not depend on the tuned
 * numbers, so it is built once and shared by every setting.
 */
import type { Article } from "../src/content/article.js";
import { AnswerEngine, DEFAULT_TUNING, type Candidate, type Tuning } from "../src/search/answer-engine.js";
import { PassageIndex } from "../src/search/passage-index.js";
import { miniSearchDefault, stemmerBaseline, type Retriever, type SimpleQuote } from "./baselines.js";
import { percentile } from "./eval-data.js";
import { containsAnswer, loadNewsCorpus, loadNewsQuestions, NEWS_FOLDS, type NewsQuestion } from "./news-data.js";

/** Quotes longer than this are not counted as answers (a page is not a quote). */
const QUOTE_LIMIT = 400;
const SHOWN = 3;

export interface NewsFigures {
  firstQuoteHit: number;
  hitAt3: number;
  articleAt3: number;
  declinedRate: number;
  wronglyDeclinedRate: number;
  p50Ms: number;
  p99Ms: number;
}

/** One question's outcome under one engine setting. */
export interface Outcome {
  readonly q: NewsQuestion;
  readonly found: boolean;
  readonly first: boolean;
  readonly at3: boolean;
  readonly articleAt3: boolean;
  readonly ms: number;
  readonly quotes: SimpleQuote[];
}

export function outcomeOf(q: NewsQuestion, found: boolean, quotes: SimpleQuote[], ms: number): Outcome {
  const shown = found ? quotes.slice(0, SHOWN) : [];
  const right = (x: SimpleQuote) => x.articleId === q.articleId && x.text.length <= QUOTE_LIMIT && containsAnswer(x.text, q.answers);
  return {
    q,
    found,
    first: shown[0] !== undefined && right(shown[0]),
    at3: shown.some(right),
    articleAt3: shown.some((x) => x.articleId === q.articleId),
    ms,
    quotes: shown,
  };
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

export function figuresOf(outcomes: readonly Outcome[]): NewsFigures {
  const answerable = outcomes.filter((o) => o.q.articleId !== null);
  const unanswerable = outcomes.filter((o) => o.q.articleId === null);
  const share = (xs: readonly Outcome[], p: (o: Outcome) => boolean) => (xs.length === 0 ? 0 : round(xs.filter(p).length / xs.length));
  const ms = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  return {
    firstQuoteHit: share(answerable, (o) => o.first),
    hitAt3: share(answerable, (o) => o.at3),
    articleAt3: share(answerable, (o) => o.articleAt3),
    declinedRate: share(unanswerable, (o) => !o.found),
    wronglyDeclinedRate: share(answerable, (o) => !o.found),
    p50Ms: round(percentile(ms, 50), 2),
    p99Ms: round(percentile(ms, 99), 2),
  };
}

function runRetriever(r: Retriever, questions: readonly NewsQuestion[]): Outcome[] {
  return questions.map((q) => {
    const t = performance.now();
    const a = r.ask(q.question);
    return outcomeOf(q, a.found, a.quotes, performance.now() - t);
  });
}

/** A ranking setting under cross-validation: tuning overrides (the gate is chosen separately). */
export type Setting = Partial<Tuning>;

/**
 * Ranking settings tried by cross-validation. Small on purpose: every setting costs a pass over
 * the questions, and few settings keep the choice itself from over-fitting four folds.
 */
export const SETTINGS: Setting[] = [{}];

/** Decline thresholds tried by cross-validation (the gate's minConfidence). */
const THRESHOLDS = Array.from({ length: 19 }, (_, i) => round(0.05 * (i + 1), 2));

/** Largest share of answerable training questions the gate may decline. */
const MAX_WRONGLY_DECLINED = 0.05;

interface Ranked {
  readonly q: NewsQuestion;
  readonly ranked: Candidate[];
  readonly ms: number;
}

function rankAll(engine: AnswerEngine, questions: readonly NewsQuestion[]): Ranked[] {
  return questions.map((q) => {
    const t = performance.now();
    const ranked = engine.explain(q.question);
    return { q, ranked, ms: performance.now() - t };
  });
}

function outcomeAt(engine: AnswerEngine, r: Ranked, threshold: number): Outcome {
  const t = performance.now();
  const quotes = engine.quotesOf(r.ranked, threshold);
  const ms = r.ms + performance.now() - t;
  return outcomeOf(
    r.q,
    quotes.length > 0,
    quotes.map((x) => ({ text: x.text, articleId: x.article.id })),
    ms,
  );
}

/** Training objective: first-quote hits, plus declines, within the wrongly-declined budget. */
function objective(outcomes: readonly Outcome[]): number {
  const f = figuresOf(outcomes);
  if (f.wronglyDeclinedRate > MAX_WRONGLY_DECLINED) return -1 + f.firstQuoteHit;
  return f.firstQuoteHit + 0.5 * f.declinedRate;
}

export interface NewsReport {
  readonly engine: NewsFigures;
  readonly gateOff: NewsFigures;
  readonly minisearchDefault: NewsFigures;
  readonly stemmerBaseline: NewsFigures;
  /** Per fold: the setting and threshold chosen on the other folds. */
  readonly chosen: Array<{ fold: number; setting: number; threshold: number }>;
  readonly engineOutcomes: Outcome[];
  readonly gateOffOutcomes: Outcome[];
}

export interface NewsEvalOptions {
  readonly settings?: Setting[];
  readonly log?: (line: string) => void;
}

export function runNewsEval(options: NewsEvalOptions = {}): NewsReport {
  const log = options.log ?? (() => {});
  const settings = options.settings ?? SETTINGS;
  const questions = loadNewsQuestions();
  const corpus = loadNewsCorpus();
  log(`News: ${corpus.answerPool.length} Libertatea + Viva articles, ${corpus.distractors.length} distractors; ${questions.length} questions.`);
  const index = new PassageIndex(corpus.all);
  // Every setting ranks every question once; the gate threshold is applied afterwards.
  const ranked = settings.map((s, i) => {
    const engine = new AnswerEngine(index, { tuning: s });
    const r = rankAll(engine, questions);
    log(`  setting ${i}: ranked`);
    return { engine, r };
  });
  const chosen: NewsReport["chosen"] = [];
  const held: Outcome[] = [];
  const heldGateOff: Outcome[] = [];
  for (let k = 0; k < NEWS_FOLDS; k++) {
    let best = { score: -Infinity, setting: 0, threshold: DEFAULT_TUNING.minConfidence };
    ranked.forEach(({ engine, r }, s) => {
      const train = r.filter((x) => x.q.fold !== k);
      for (const th of THRESHOLDS) {
        const score = objective(train.map((x) => outcomeAt(engine, x, th)));
        if (score > best.score + 1e-9) best = { score, setting: s, threshold: th };
      }
    });
    chosen.push({ fold: k, setting: best.setting, threshold: best.threshold });
    const { engine, r } = ranked[best.setting]!;
    for (const x of r.filter((x) => x.q.fold === k)) {
      held.push(outcomeAt(engine, x, best.threshold));
      heldGateOff.push(outcomeAt(engine, x, 0));
    }
  }
  return {
    engine: figuresOf(held),
    gateOff: figuresOf(heldGateOff),
    minisearchDefault: figuresOf(runRetriever(miniSearchDefault(corpus.all), questions)),
    stemmerBaseline: figuresOf(runRetriever(stemmerBaseline(corpus.all), questions)),
    chosen,
    engineOutcomes: held,
    gateOffOutcomes: heldGateOff,
  };
}

export function printNewsTable(report: NewsReport, log: (line: string) => void): void {
  const rows: Array<[keyof NewsFigures, string]> = [
    ["firstQuoteHit", "first quote answers"],
    ["hitAt3", "answer in 3 quotes"],
    ["articleAt3", "article in 3 quotes"],
    ["declinedRate", "unanswerable declined"],
    ["wronglyDeclinedRate", "answerable declined"],
    ["p50Ms", "p50 ms"],
    ["p99Ms", "p99 ms"],
  ];
  const cols: Array<[string, NewsFigures]> = [
    ["engine (held out)", report.engine],
    ["gate off (held out)", report.gateOff],
    ["minisearchDefault", report.minisearchDefault],
    ["stemmerBaseline", report.stemmerBaseline],
  ];
  const pad = (s: string, n: number) => s.padEnd(n);
  log(`| ${pad("news metric", 22)} | ${cols.map(([n]) => pad(n, 19)).join(" | ")} |`);
  log(`| ${"-".repeat(22)} | ${cols.map(() => "-".repeat(19)).join(" | ")} |`);
  for (const [key, label] of rows) log(`| ${pad(label, 22)} | ${cols.map(([, f]) => pad(String(f[key]), 19)).join(" | ")} |`);
  log(`chosen per fold (setting, threshold): ${report.chosen.map((c) => `${c.fold}:${c.setting}/${c.threshold}`).join(" ")}`);
}

export function simpleQuotes(quotes: readonly { text: string; article: Article }[]): SimpleQuote[] {
  return quotes.map((q) => ({ text: q.text, articleId: q.article.id }));
}
