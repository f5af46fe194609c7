/**
 * `npm run calibrate`: fits the two learned parts of the answer engine on the news questions
 * (news-qa-ro over Libertatea + Viva among the distractors, as in `npm run eval`) and prints
 * the values to copy into DEFAULT_TUNING:
 *
 * 1. the sentence ranker (`rank`): a listwise softmax model over SentenceFeatures, "of this
 *    question's ranked sentences, the answering one comes first", every question weighing the
 *    same (scripts/eval-news.ts fitRanker);
 * 2. the decline gate (`confidence`, `minConfidence`): a logistic model over the best
 *    candidate's ConfidenceFeatures, fitted on the kinds of question gateGroups weighs (news
 *    answerable and unanswerable at NEWS_GATE_SHARE — now 0: they choose the threshold only —,
 *    XQuAD's tuning half, the development out-of-corpus questions of
 *    test/fixtures/eval/unanswerable-dev-ro.txt asked of both indexes), and the threshold
 *    chooseThreshold picks (news answerable wrongly declined at most MAX_WRONGLY_DECLINED),
 *    folded into the bias so that minConfidence stays 0.5; the weights of NEWS_CHOSEN_FEATURES
 *    are chosen with the threshold on the news questions instead of fitted (fitGateChoosing).
 *
 * Here every question is used: these are the shipped values. `npm run eval` never reports them
 * on the questions they were fitted on: it refits both per fold and measures held-out folds.
 */
import { join } from "node:path";
import {
  AnswerEngine,
  type ConfidenceFeatures,
  DEFAULT_TUNING,
  SENTENCE_FEATURES,
  type RankWeights,
} from "../src/search/answer-engine.js";
import { PassageIndex } from "../src/search/passage-index.js";
import { loadRoclico, loadXquad, readQuestionList, requireShared, XQUAD_PATH } from "./eval-data.js";
import {
  figuresOf,
  fitGateChoosing,
  fitRanker,
  type GateData,
  gateGroups,
  labelSentences,
  MAX_WRONGLY_DECLINED,
  outcomeAt,
  type Ranked,
  rankAll,
  rescored,
  THRESHOLDS,
  xquadProbeOf,
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
const defined = (fs: ReadonlyArray<ConfidenceFeatures | undefined>) => fs.filter((f) => f !== undefined);
const top = (r: Ranked) => r.ranked[0]?.features;
// The XQuAD tuning half (even articles, among the Digi24 articles) as further positives: questions
// worded like their paragraph, which the gate must not learn to decline.
const { articles: xquad, questions: xquadQuestions } = loadXquad();
const xquadEngine = AnswerEngine.fromArticles([...xquad, ...loadRoclico("digi")]);
const xquadTrain = xquadProbeOf(
  xquadEngine,
  xquadQuestions.filter((q) => q.xquadArticle % 2 === 0),
  dev,
);
const data: GateData = {
  newsPositives: defined(ranked.filter((r) => r.q.articleId !== null).map(top)),
  newsUnanswerable: defined(ranked.filter((r) => r.q.articleId === null).map(top)),
  newsDev: defined(dev.map((d) => engine.explain(d)[0]?.features)),
  xquadPositives: defined(xquadTrain.answerable.map((a) => a.features)),
  xquadDev: defined(xquadTrain.outOfCorpus),
};
const { gate: fitted, threshold: chosen } = fitGateChoosing(engine, gateGroups(data), ranked, xquadTrain);
// Shipped with the threshold folded into the bias, so that minConfidence stays 0.5.
const confidence = { ...fitted, bias: fitted.bias - Math.log(chosen / (1 - chosen)) };
const scored = ranked.map((r) => rescored(engine, fitted, r));

console.log(
  `news answerable ${data.newsPositives.length}, unanswerable ${data.newsUnanswerable.length}, development out-of-corpus ${data.newsDev.length}; ` +
    `XQuAD tuning half ${data.xquadPositives.length}, out-of-corpus ${data.xquadDev.length}\n`,
);
console.log("threshold | first quote | declined (unanswerable) | wrongly declined (answerable)");
for (const th of THRESHOLDS) {
  const f = figuresOf(scored.map((r) => outcomeAt(engine, r, th)));
  console.log(
    `${String(th).padEnd(9)} | ${String(f.firstQuoteHit).padEnd(11)} | ${String(f.declinedRate).padEnd(23)} | ${f.wronglyDeclinedRate}`,
  );
}
const round = (w: object) => Object.fromEntries(Object.entries(w).map(([k, v]) => [k, Math.round((v as number) * 100) / 100]));
console.log(`\nrank: ${JSON.stringify(round(rank as RankWeights))}`);
console.log(`confidence: ${JSON.stringify(round(confidence))}`);
console.log(
  `threshold chosen: ${chosen} (news wrongly declined ≤ ${MAX_WRONGLY_DECLINED}), folded into the bias: minConfidence 0.5 (current ${DEFAULT_TUNING.minConfidence})`,
);
