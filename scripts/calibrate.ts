/**
 * `npm run calibrate`: fits the two learned parts of the answer engine on the news questions
 * (news-qa-ro over Libertatea + Viva among the distractors, as in `npm run eval`) and prints
 * the values to copy into DEFAULT_TUNING:
 *
 * 1. the sentence ranker (`rank`): a listwise softmax model over SentenceFeatures, "of this
 *    question's ranked sentences, the answering one comes first", every question weighing the
 *    same (scripts/eval-news.ts fitRanker);
 * 2. the decline gate (`confidence`, `minConfidence`): a logistic model over the best
 *    candidate's ConfidenceFeatures, answerable questions against the unanswerable ones and the
 *    development out-of-corpus questions (test/fixtures/eval/unanswerable-dev-ro.txt), and the
 *    lowest threshold that declines at most MAX_WRONGLY_DECLINED of the answerable questions.
 *
 * Here every question is used: these are the shipped values. `npm run eval` never reports them
 * on the questions they were fitted on: it refits both per fold and measures held-out folds.
 */
import { join } from "node:path";
import { AnswerEngine, DEFAULT_TUNING, SENTENCE_FEATURES, type RankWeights } from "../src/search/answer-engine.js";
import { PassageIndex } from "../src/search/passage-index.js";
import { loadRoclico, loadXquad, readQuestionList, requireShared, XQUAD_PATH } from "./eval-data.js";
import {
  figuresOf,
  fitGate,
  fitRanker,
  labelSentences,
  MAX_WRONGLY_DECLINED,
  outcomeAt,
  rankAll,
  THRESHOLDS,
} from "./eval-news.js";
import { loadNewsCorpus, loadNewsQuestions, NEWS_DATA_PATHS } from "./news-data.js";

requireShared([...NEWS_DATA_PATHS, XQUAD_PATH]);
const questions = loadNewsQuestions();
const index = new PassageIndex(loadNewsCorpus().all);
const base = new AnswerEngine(index);
const labelled = questions.filter((q) => q.articleId !== null).map((q) => labelSentences(base, q, SENTENCE_FEATURES));
const rank = fitRanker(labelled, SENTENCE_FEATURES);
const engine = new AnswerEngine(index, { tuning: { rank } });
const ranked = rankAll(engine, questions);
const dev = readQuestionList(join(process.cwd(), "test/fixtures/eval/unanswerable-dev-ro.txt"));
const positives = ranked
  .filter((r) => r.q.articleId !== null)
  .map((r) => r.ranked[0]?.features)
  .filter((f) => f !== undefined);
const negatives = [
  ...ranked.filter((r) => r.q.articleId === null).map((r) => r.ranked[0]?.features),
  ...dev.map((d) => engine.explain(d)[0]?.features),
].filter((f) => f !== undefined);
// The XQuAD tuning half (even articles, among the Digi24 articles) as further positives: questions
// worded like their paragraph, which the gate must not learn to decline.
const { articles: xquad, questions: xquadQuestions } = loadXquad();
const xquadEngine = AnswerEngine.fromArticles([...xquad, ...loadRoclico("digi")]);
const xquadPositives = xquadQuestions
  .filter((q) => q.xquadArticle % 2 === 0)
  .map((q) => xquadEngine.explain(q.question)[0]?.features)
  .filter((f) => f !== undefined);
const xquadNegatives = dev.map((d) => xquadEngine.explain(d)[0]?.features).filter((f) => f !== undefined);
const confidence = fitGate([...positives, ...xquadPositives], [...negatives, ...xquadNegatives]);
const rescored = ranked.map((r) => ({
  ...r,
  ranked: r.ranked.map((c) => ({ ...c, confidence: engine.confidenceWith(confidence, c.features) })),
}));

console.log(`answerable ${positives.length}, negatives ${negatives.length} (unanswerable + development out-of-corpus)\n`);
console.log("threshold | first quote | declined (unanswerable) | wrongly declined (answerable)");
let chosen = THRESHOLDS[0]!;
let best = -Infinity;
for (const th of THRESHOLDS) {
  const f = figuresOf(rescored.map((r) => outcomeAt(engine, r, th)));
  console.log(
    `${String(th).padEnd(9)} | ${String(f.firstQuoteHit).padEnd(11)} | ${String(f.declinedRate).padEnd(23)} | ${f.wronglyDeclinedRate}`,
  );
  const score = f.wronglyDeclinedRate > MAX_WRONGLY_DECLINED ? -1 : f.declinedRate + f.firstQuoteHit;
  if (score > best + 1e-9) {
    best = score;
    chosen = th;
  }
}
const round = (w: object) => Object.fromEntries(Object.entries(w).map(([k, v]) => [k, Math.round((v as number) * 100) / 100]));
console.log(`\nrank: ${JSON.stringify(round(rank as RankWeights))}`);
console.log(`confidence: ${JSON.stringify(round(confidence))}`);
console.log(`minConfidence: ${chosen} (wrongly declined ≤ ${MAX_WRONGLY_DECLINED}); current ${DEFAULT_TUNING.minConfidence}`);
