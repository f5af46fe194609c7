/**
 * `npm run calibrate`: fits the answer engine's confidence (a logistic model over the
 * ConfidenceFeatures of the best candidate) and picks the "nothing found" threshold.
 *
 * Only tuning data is used: the even-numbered XQuAD-ro articles (the odd ones stay held out for
 * `npm run eval`) among the Digi24 distractors, and the development set of out-of-corpus
 * questions (test/fixtures/eval/unanswerable-dev-ro.txt; the reported set is never read here).
 *   positives: each tuning question asked of the full index;
 *   negatives: each tuning question asked with its whole XQuAD article removed from the index
 *              (same phrasing, answer truly absent), plus the development questions.
 * And, because a bot may start with a handful of articles (the bundled content is one), the same
 * again in small collections: each tuning article's paragraphs alone, asked its own questions
 * (positives) and the next tuning article's questions (negatives).
 * Prints the weights and threshold to copy into DEFAULT_TUNING, with the rates they give.
 */
import { join } from "node:path";
import { AnswerEngine, DEFAULT_TUNING, type ConfidenceFeatures, type ConfidenceWeights } from "../src/search/answer-engine.js";
import { PassageIndex } from "../src/search/passage-index.js";
import { loadRoclico, loadXquad, readQuestionList, requireShared, ROCLICO_DIR, XQUAD_PATH } from "./eval-data.js";

requireShared([XQUAD_PATH, join(ROCLICO_DIR, "digi.json")]);
const { articles, questions } = loadXquad();
const index = new PassageIndex([...articles, ...loadRoclico("digi")]);
const engine = new AnswerEngine(index);
const tuning = questions.filter((q) => q.xquadArticle % 2 === 0);
const dev = readQuestionList(join(process.cwd(), "test/fixtures/eval/unanswerable-dev-ro.txt"));

const KEYS: Array<keyof ConfidenceFeatures> = ["coverage", "quoteCoverage", "missingMax", "unknown", "strength", "typed"];
const vector = (f: ConfidenceFeatures) => KEYS.map((k) => f[k]);
const top = (q: string) => engine.explain(q)[0]?.features;

const positives: number[][] = [];
for (const q of tuning) {
  const f = top(q.question);
  if (f) positives.push(vector(f));
}
const negatives: number[][] = [];
const byArticle = new Map<number, typeof tuning>();
for (const q of tuning) byArticle.set(q.xquadArticle, [...(byArticle.get(q.xquadArticle) ?? []), q]);
for (const [a, qs] of byArticle) {
  const removed = articles.filter((x) => x.id.startsWith(`xquad/${a}/`));
  for (const x of removed) index.remove(x.id);
  for (const q of qs) {
    const f = top(q.question);
    if (f) negatives.push(vector(f));
  }
  for (const x of removed) index.add(x);
}
for (const [a, qs] of byArticle) {
  const small = new AnswerEngine(new PassageIndex(articles.filter((x) => x.id.startsWith(`xquad/${a}/`))));
  const others = byArticle.get(a + 2) ?? byArticle.get(0)!;
  for (const q of qs) {
    const f = small.explain(q.question)[0]?.features;
    if (f) positives.push(vector(f));
  }
  for (const q of others) {
    const f = small.explain(q.question)[0]?.features;
    if (f) negatives.push(vector(f));
  }
}
const devNegatives = dev.map(top).filter((f): f is ConfidenceFeatures => f !== undefined).map(vector);
const allNegatives = [...negatives, ...devNegatives];

// Logistic regression, classes weighted equally, light L2, plain gradient descent.
const data = [...positives.map((x) => ({ x, y: 1, w: 0.5 / positives.length })), ...allNegatives.map((x) => ({ x, y: 0, w: 0.5 / allNegatives.length }))];
let bias = 0;
const weights = KEYS.map(() => 0);
const L2 = 1e-3;
for (let epoch = 0; epoch < 20000; epoch++) {
  let gb = 0;
  const gw = weights.map(() => 0);
  for (const { x, y, w } of data) {
    const p = 1 / (1 + Math.exp(-(bias + x.reduce((s, v, i) => s + v * weights[i]!, 0))));
    const e = (p - y) * w;
    gb += e;
    x.forEach((v, i) => (gw[i]! += e * v));
  }
  bias -= 2 * gb;
  weights.forEach((_, i) => (weights[i]! -= 2 * (gw[i]! + L2 * weights[i]!)));
}
const confidence = Object.fromEntries([["bias", bias], ...KEYS.map((k, i) => [k, weights[i]!])]) as ConfidenceWeights;
const scored = (xs: number[][]) => xs.map((x) => 1 / (1 + Math.exp(-(bias + x.reduce((s, v, i) => s + v * weights[i]!, 0)))));
const pos = scored(positives);
const neg = scored(negatives);
const devS = scored(devNegatives);
const rate = (xs: number[], t: number) => xs.filter((p) => p >= t).length / xs.length;

console.log(`tuning questions ${positives.length}, left-out negatives ${negatives.length}, dev out-of-corpus ${devNegatives.length}\n`);
console.log("threshold | answered (positives) | false answers (left-out) | false answers (dev)");
let chosen = 0.5;
for (let t = 0.3; t <= 0.951; t += 0.05) {
  const fa = (rate(neg, t) * negatives.length + rate(devS, t) * devNegatives.length) / allNegatives.length;
  if (fa <= 0.04 && chosen === 0.5 && t > 0) chosen = Math.round(t * 100) / 100;
  console.log(`${t.toFixed(2).padEnd(9)} | ${rate(pos, t).toFixed(3).padEnd(20)} | ${rate(neg, t).toFixed(3).padEnd(24)} | ${rate(devS, t).toFixed(3)}`);
}
const round = (x: number) => Math.round(x * 100) / 100;
console.log(`\nconfidence: ${JSON.stringify(Object.fromEntries(Object.entries(confidence).map(([k, v]) => [k, round(v)])))}`);
console.log(`minConfidence (lowest threshold with ≤ 4 % false answers on all negatives): ${chosen}`);
console.log(`(current DEFAULT_TUNING.minConfidence: ${DEFAULT_TUNING.minConfidence})`);
