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
import {
  AnswerEngine,
  CONFIDENCE_FEATURES,
  SENTENCE_FEATURES,
  type Candidate,
  type ConfidenceFeatures,
  type ConfidenceWeights,
  HAND_RANK,
  type RankWeights,
  type SentenceFeatures,
} from "../src/search/answer-engine.js";
import { fitLogistic, fitSoftmax, type Sample } from "./fit.js";
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
  const right = (x: SimpleQuote) =>
    x.articleId === q.articleId && x.text.length <= QUOTE_LIMIT && containsAnswer(x.text, q.answers);
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

const EMPTY: NewsFigures = {
  firstQuoteHit: 0,
  hitAt3: 0,
  articleAt3: 0,
  declinedRate: 0,
  wronglyDeclinedRate: 0,
  p50Ms: 0,
  p99Ms: 0,
};

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

export function figuresOf(outcomes: readonly Outcome[]): NewsFigures {
  const answerable = outcomes.filter((o) => o.q.articleId !== null);
  const unanswerable = outcomes.filter((o) => o.q.articleId === null);
  const share = (xs: readonly Outcome[], p: (o: Outcome) => boolean) =>
    xs.length === 0 ? 0 : round(xs.filter(p).length / xs.length);
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

export interface Ranked {
  readonly q: NewsQuestion;
  readonly ranked: Candidate[];
  readonly ms: number;
}

export function rankAll(engine: AnswerEngine, questions: readonly NewsQuestion[]): Ranked[] {
  return questions.map((q) => {
    const t = performance.now();
    const ranked = engine.explain(q.question);
    return { q, ranked, ms: performance.now() - t };
  });
}

export function outcomeAt(engine: AnswerEngine, r: Ranked, threshold: number): Outcome {
  const t = performance.now();
  const quotes = engine.quotesOf(r.ranked, threshold);
  return outcomeOf(r.q, quotes.length > 0, simpleQuotes(quotes), r.ms + performance.now() - t);
}

/** Decline thresholds tried by cross-validation (the gate's minConfidence). */
export const THRESHOLDS = [
  ...Array.from({ length: 20 }, (_, i) => round(0.005 * (i + 1), 3)),
  ...Array.from({ length: 34 }, (_, i) => round(0.125 + 0.025 * i, 3)),
];

/** Largest share of answerable training questions the gate may decline. */
export const MAX_WRONGLY_DECLINED = 0.04;

/** A question's ranked sentences with their labels: does the sentence (or it and the next) answer? */
export interface Labelled {
  readonly q: NewsQuestion;
  readonly x: number[][];
  readonly y: Array<0 | 1>;
}

export function labelSentences(
  engine: AnswerEngine,
  q: NewsQuestion,
  featureKeys: readonly (keyof SentenceFeatures)[],
): Labelled {
  const list = engine.sentenceFeatures(q.question);
  const x: number[][] = [];
  const y: Array<0 | 1> = [];
  for (const { passage, features } of list) {
    x.push(featureKeys.map((k) => features[k]));
    let yes = false;
    if (q.articleId !== null && passage.article.id === q.articleId) {
      const body = passage.article.body;
      const next = passage.paragraph[passage.position + 1];
      yes =
        containsAnswer(body.slice(passage.span.start, passage.span.end), q.answers) ||
        (next !== undefined &&
          containsAnswer(body.slice(passage.span.start, next.end), q.answers) &&
          !containsAnswer(body.slice(next.start, next.end), q.answers));
    }
    y.push(yes ? 1 : 0);
  }
  return { q, x, y };
}

/**
 * The ranker fitted on some questions: a listwise softmax model (scripts/fit.ts fitSoftmax), "of
 * this question's ranked sentences, the answering one comes first", every question weighing the
 * same. `pairwise` fits the earlier model instead (for comparison): a logistic model of "this
 * sentence answers and that one does not" over feature differences, at most PAIR_NEGATIVES
 * non-answering sentences per question, evenly spread over its ranked list.
 */
const PAIR_NEGATIVES = 40;
export function fitRanker(
  train: readonly Labelled[],
  keys: readonly (keyof SentenceFeatures)[],
  options: { pairwise?: boolean } = {},
): RankWeights {
  const w = Object.fromEntries(SENTENCE_FEATURES.map((k) => [k, 0])) as Record<keyof SentenceFeatures, number>;
  const fitted = options.pairwise ? fitPairwise(train, keys.length) : fitSoftmax(train, keys.length, RANKER_FIT);
  keys.forEach((k, i) => {
    w[k] = fitted[i]!;
  });
  // Neither fit fixes a bias: centre the score so that sigmoid(score) stays informative.
  return { ...w, bias: HAND_RANK.bias };
}

/** The listwise fit's settings, chosen on held-out news folds (l2 0.001–0.03, 150–1000 epochs tried). */
export const RANKER_FIT = { l2: 0.01, epochs: 300, rate: 1 } as const;

function fitPairwise(train: readonly Labelled[], dims: number): number[] {
  const data: Sample[] = [];
  for (const l of train) {
    const pos = l.x.filter((_, i) => l.y[i] === 1);
    const allNeg = l.x.filter((_, i) => l.y[i] === 0);
    if (pos.length === 0 || allNeg.length === 0) continue;
    const step = Math.ceil(allNeg.length / PAIR_NEGATIVES);
    const neg = allNeg.filter((_, j) => j % step === 0);
    const w = 1 / (pos.length * neg.length);
    for (const p of pos) {
      for (const n of neg) {
        const d = p.map((v, i) => v - n[i]!);
        data.push({ x: d, y: 1, w }, { x: d.map((v) => -v), y: 0, w });
      }
    }
  }
  return fitLogistic(data, dims, { epochs: 800 }).weights;
}

/**
 * Share of questions whose best-ranked sentence answers (a quick, window-free ranking figure),
 * or with `n` > 1 one of the `n` best.
 */
function topSentenceHit(items: readonly Labelled[], keys: readonly (keyof SentenceFeatures)[], w: RankWeights, n = 1): number {
  let hits = 0;
  for (const l of items) {
    const z = l.x.map((x, i) => ({ z: keys.reduce((a, k, j) => a + w[k] * x[j]!, w.bias), y: l.y[i]! }));
    z.sort((a, b) => b.z - a.z);
    if (z.slice(0, n).some((s) => s.y === 1)) hits++;
  }
  return items.length === 0 ? 0 : round(hits / items.length);
}

/** Feature sets compared by cross-validation (each one's effect goes in the report). */
const without = (...names: string[]) =>
  SENTENCE_FEATURES.filter((k) => !names.some((n) => k.toLowerCase().includes(n.toLowerCase())));
const except = (...names: (keyof SentenceFeatures)[]) => SENTENCE_FEATURES.filter((k) => !names.includes(k));
/** The features before issue 8's second round (typedNear, nextTyped, nameUntyped). */
const FIRST_ROUND = SENTENCE_FEATURES.slice(0, 15);
export const ABLATIONS: Record<string, readonly (keyof SentenceFeatures)[]> = {
  "all features": SENTENCE_FEATURES,
  "without story/detail split (fresh, story)": without("fresh", "story"),
  "without answer type (typed)": without("typed"),
  "without neighbour": without("neighbour"),
  "without inflection prefixes (loose)": without("loose"),
  "without type proximity (typedNear)": except("typedNear"),
  "without next sentence typed (nextTyped)": except("nextTyped"),
  "without names for untyped questions (nameUntyped)": except("nameUntyped"),
  "first-round features only": FIRST_ROUND,
  "full-text only (bm25, article, top, lead)": ["bm25", "article", "top", "lead"],
};

const gateVector = (f: ConfidenceFeatures) => CONFIDENCE_FEATURES.map((k) => f[k]);

export function fitGate(positives: readonly ConfidenceFeatures[], negatives: readonly ConfidenceFeatures[]): ConfidenceWeights {
  const data: Sample[] = [
    ...positives.map((f) => ({ x: gateVector(f), y: 1 as const, w: 0.5 / positives.length })),
    ...negatives.map((f) => ({ x: gateVector(f), y: 0 as const, w: 0.5 / negatives.length })),
  ];
  const model = fitLogistic(data, CONFIDENCE_FEATURES.length, { l2: 3e-3 });
  return {
    bias: model.bias,
    ...Object.fromEntries(CONFIDENCE_FEATURES.map((k, i) => [k, model.weights[i]!])),
  } as ConfidenceWeights;
}

export interface NewsReport {
  readonly engine: NewsFigures;
  readonly gateOff: NewsFigures;
  /** The hand-set ranking weights (DEFAULT_TUNING before fitting), gate off. */
  readonly handWeights: NewsFigures;
  readonly minisearchDefault: NewsFigures;
  readonly stemmerBaseline: NewsFigures;
  /** Held-out top-sentence hit per feature set. */
  readonly ablations: Record<string, number>;
  /** Held-out share whose answer is among the 3 best-ranked sentences, per feature set. */
  readonly ablationsAt3: Record<string, number>;
  /** Per fold: the threshold chosen on the other folds. */
  readonly chosen: Array<{ fold: number; threshold: number }>;
  readonly engineOutcomes: Outcome[];
  readonly gateOffOutcomes: Outcome[];
}

export interface NewsEvalOptions {
  readonly log?: (line: string) => void;
  /** Out-of-corpus questions used as extra negatives when fitting the gate (never reported). */
  readonly devNegatives?: readonly string[];
  /**
   * Best-candidate features of answerable questions from elsewhere (the XQuAD tuning half), added
   * to the gate's positives so that it does not learn to decline every question unlike news.
   */
  readonly extraPositives?: readonly ConfidenceFeatures[];
  /** Likewise further negatives: the development out-of-corpus questions asked of the XQuAD index. */
  readonly extraNegatives?: readonly ConfidenceFeatures[];
  /** Run the two plain baselines too (default true; MiniSearch defaults are slow on this corpus). */
  readonly baselines?: boolean;
  /** Only the sentence-ranker ablations (the quick loop for ranking work): no folds of the full engine. */
  readonly rankOnly?: boolean;
}

export function runNewsEval(options: NewsEvalOptions = {}): NewsReport {
  const log = options.log ?? (() => {});
  const questions = loadNewsQuestions();
  const corpus = loadNewsCorpus();
  log(
    `News: ${corpus.answerPool.length} Libertatea + Viva articles, ${corpus.distractors.length} distractors; ${questions.length} questions.`,
  );
  const index = new PassageIndex(corpus.all);
  const base = new AnswerEngine(index);
  const hand = new AnswerEngine(index, { tuning: { rank: HAND_RANK } });
  const answerable = questions.filter((q) => q.articleId !== null);
  // Sentence features do not depend on the ranker's weights: computed once, fitted per fold.
  const labelled = answerable.map((q) => labelSentences(base, q, SENTENCE_FEATURES));
  const ablations: Record<string, number> = {};
  const ablationsAt3: Record<string, number> = {};
  const runs: Array<[string, readonly (keyof SentenceFeatures)[], boolean]> = [
    ...Object.entries(ABLATIONS).map(
      ([name, keys]) => [name, keys, false] as [string, readonly (keyof SentenceFeatures)[], boolean],
    ),
    ["all features, pairwise fit (the previous fitter)", SENTENCE_FEATURES, true],
    ["first-round features, pairwise fit (before round 2)", FIRST_ROUND, true],
  ];
  for (const [name, keys, pairwise] of runs) {
    const pick = (l: Labelled) => ({ ...l, x: l.x.map((x) => keys.map((k) => x[SENTENCE_FEATURES.indexOf(k)]!)) });
    let hits = 0;
    let hits3 = 0;
    for (let k = 0; k < NEWS_FOLDS; k++) {
      const w = fitRanker(labelled.filter((l) => l.q.fold !== k).map(pick), keys, { pairwise });
      const test = labelled.filter((l) => l.q.fold === k).map(pick);
      hits += topSentenceHit(test, keys, w) * test.length;
      hits3 += topSentenceHit(test, keys, w, 3) * test.length;
    }
    ablations[name] = round(hits / labelled.length);
    ablationsAt3[name] = round(hits3 / labelled.length);
  }
  ablations["hand-set weights"] = topSentenceHit(labelled, SENTENCE_FEATURES, HAND_RANK);
  ablationsAt3["hand-set weights"] = topSentenceHit(labelled, SENTENCE_FEATURES, HAND_RANK, 3);
  if (options.rankOnly)
    return {
      engine: EMPTY,
      gateOff: EMPTY,
      handWeights: EMPTY,
      minisearchDefault: EMPTY,
      stemmerBaseline: EMPTY,
      ablations,
      ablationsAt3,
      chosen: [],
      engineOutcomes: [],
      gateOffOutcomes: [],
    };
  const dev = options.devNegatives ?? [];
  const chosen: NewsReport["chosen"] = [];
  const held: Outcome[] = [];
  const heldGateOff: Outcome[] = [];
  for (let k = 0; k < NEWS_FOLDS; k++) {
    const rank = fitRanker(
      labelled.filter((l) => l.q.fold !== k),
      SENTENCE_FEATURES,
    );
    const engine = new AnswerEngine(index, { tuning: { rank } });
    const ranked = rankAll(engine, questions);
    const train = ranked.filter((r) => r.q.fold !== k);
    const top = (r: Ranked) => r.ranked[0]?.features;
    const positives = train
      .filter((r) => r.q.articleId !== null)
      .map(top)
      .filter((f) => f !== undefined);
    const negatives = [
      ...train.filter((r) => r.q.articleId === null).map(top),
      ...dev.map((d) => engine.explain(d)[0]?.features),
    ].filter((f) => f !== undefined);
    const gate = fitGate([...positives, ...(options.extraPositives ?? [])], [...negatives, ...(options.extraNegatives ?? [])]);
    const rescore = (r: Ranked): Ranked => ({
      ...r,
      ranked: r.ranked.map((c) => ({ ...c, confidence: engine.confidenceWith(gate, c.features) })),
    });
    let best = { score: -Infinity, threshold: 0 };
    const trainScored = train.map(rescore);
    for (const th of THRESHOLDS) {
      const f = figuresOf(trainScored.map((x) => outcomeAt(engine, x, th)));
      const score = f.wronglyDeclinedRate > MAX_WRONGLY_DECLINED ? -1 : f.declinedRate + f.firstQuoteHit;
      if (score > best.score + 1e-9) best = { score, threshold: th };
    }
    chosen.push({ fold: k, threshold: best.threshold });
    for (const x of ranked.filter((x) => x.q.fold === k)) {
      held.push(outcomeAt(engine, rescore(x), best.threshold));
      heldGateOff.push(outcomeAt(engine, x, 0));
    }
    log(`  fold ${k}: fitted`);
  }
  return {
    engine: figuresOf(held),
    gateOff: figuresOf(heldGateOff),
    handWeights: figuresOf(rankAll(hand, questions).map((x) => outcomeAt(hand, x, 0))),
    minisearchDefault: options.baselines === false ? EMPTY : figuresOf(runRetriever(miniSearchDefault(corpus.all), questions)),
    stemmerBaseline: options.baselines === false ? EMPTY : figuresOf(runRetriever(stemmerBaseline(corpus.all), questions)),
    ablations,
    ablationsAt3,
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
    ["hand weights, no gate", report.handWeights],
    ["minisearchDefault", report.minisearchDefault],
    ["stemmerBaseline", report.stemmerBaseline],
  ];
  const pad = (s: string, n: number) => s.padEnd(n);
  log(`| ${pad("news metric", 22)} | ${cols.map(([n]) => pad(n, 19)).join(" | ")} |`);
  log(`| ${"-".repeat(22)} | ${cols.map(() => "-".repeat(19)).join(" | ")} |`);
  for (const [key, label] of rows) log(`| ${pad(label, 22)} | ${cols.map(([, f]) => pad(String(f[key]), 19)).join(" | ")} |`);
  log(`decline threshold chosen per fold on the other folds: ${report.chosen.map((c) => `${c.fold}:${c.threshold}`).join(" ")}`);
  log("\nSentence ranker, held-out share of questions whose best-ranked sentence answers (one of the 3 best):");
  for (const [name, v] of Object.entries(report.ablations)) log(`  ${name.padEnd(44)} ${v} (${report.ablationsAt3[name] ?? ""})`);
}

export function simpleQuotes(quotes: readonly { text: string; article: Article }[]): SimpleQuote[] {
  return quotes.map((q) => ({ text: q.text, articleId: q.article.id }));
}
