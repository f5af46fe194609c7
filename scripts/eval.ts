/**
 * `npm run eval`: does the first quote contain the answer?
 *
 * XQuAD-ro's 240 paragraphs are indexed as 240 articles among 502 real Digi24 articles
 * (distractors), and its 1,190 questions are asked through the same answer engine the bot uses,
 * beside two plain full-text baselines in the same process. Out-of-corpus questions measure how
 * often an engine answers when it should say it found nothing. Even-numbered XQuAD articles are
 * the half the engine may be tuned on; odd ones are reported as held out.
 *
 * The last line printed is one JSON object with every figure.
 */
import { join } from "node:path";
import type { Article } from "../src/content/article.js";
import { AnswerEngine } from "../src/search/answer-engine.js";
import { fold } from "../src/text/normalize.js";
import { lunrRomanian, miniSearchDefault, type Retriever } from "./baselines.js";
import { printGateConfusion, printNewsTable, runNewsEval, type NewsFigures, xquadProbeOf } from "./eval-news.js";
import { NEWS_DATA_PATHS } from "./news-data.js";
import {
  loadRoclico,
  loadXquad,
  percentile,
  readQuestionList,
  requireShared,
  ROCLICO_DIR,
  XQUAD_PATH,
  type EvalQuestion,
} from "./eval-data.js";

const QUOTE_LIMIT = 400;

/**
 * Flags for iterating on ranking: `--news-only` skips the XQuAD table and the news baselines
 * (the XQuAD tuning half is still asked, as the gate's extra positives); `--misses` prints every
 * held-out news miss (question, first quote, the expected article's title) to study failure kinds.
 */
const NEWS_ONLY = process.argv.includes("--news-only");
const MISSES = process.argv.includes("--misses");
/** `--rank-only`: only the news sentence-ranker ablations (held-out), the quickest loop. */
const RANK_ONLY = process.argv.includes("--rank-only");
/** `--gate`: the held-out gate's mistakes (unanswerables answered, answerables declined) with their features. */
const GATE = process.argv.includes("--gate");

requireShared([XQUAD_PATH, join(ROCLICO_DIR, "digi.json"), ...NEWS_DATA_PATHS]);
if (RANK_ONLY) {
  const report = runNewsEval({ log: (line) => console.log(line), rankOnly: true, baselines: false });
  console.log("Sentence ranker, held-out share of questions whose best-ranked sentence answers (one of the 3 best):");
  for (const [name, v] of Object.entries(report.ablations))
    console.log(`  ${name.padEnd(44)} ${v} (${report.ablationsAt3[name] ?? ""})`);
  process.exit(0);
}
const { articles: xquad, questions } = loadXquad();
const distractors = loadRoclico("digi");
const corpus: Article[] = [...xquad, ...distractors];
const unanswerable = readQuestionList(join(process.cwd(), "test/fixtures/eval/unanswerable-ro.txt"));

const normalizeForMatch = (s: string) => fold(s).replace(/\s+/g, " ").trim();

function heapMB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

function citatRetriever(articles: Article[], gate = true): Retriever {
  const engine = AnswerEngine.fromArticles(articles, gate ? {} : { tuning: { minConfidence: 0 } });
  return {
    name: gate ? "engine" : "engine (no gate)",
    ask(question) {
      const a = engine.ask(question, { limit: 9 });
      return { found: a.found, quotes: a.quotes.map((q) => ({ text: q.text, articleId: q.article.id })) };
    },
  };
}

interface Figures {
  firstQuoteHit: number;
  hitAt3: number;
  mrr: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  falseAnswerRate: number;
  heldOutFirstQuoteHit: number;
  tunedFirstQuoteHit: number;
  buildMs: number;
  heapMB: number;
}

function evaluate(build: (a: Article[]) => Retriever): Figures & { name: string } {
  const before = heapMB();
  const t0 = performance.now();
  const r = build(corpus);
  const buildMs = performance.now() - t0;
  const heap = heapMB() - before;
  const latencies: number[] = [];
  const firstHit = (q: EvalQuestion, quotes: { text: string; articleId: string }[]) => {
    const first = quotes[0];
    return (
      first !== undefined &&
      first.text.length <= QUOTE_LIMIT &&
      normalizeForMatch(first.text).includes(normalizeForMatch(q.answer))
    );
  };
  let hits = 0;
  let hits3 = 0;
  let rr = 0;
  const half = { tuned: [0, 0], heldOut: [0, 0] };
  for (const q of questions) {
    const t = performance.now();
    const { quotes } = r.ask(q.question);
    latencies.push(performance.now() - t);
    const hit = firstHit(q, quotes);
    if (hit) hits++;
    const gold = normalizeForMatch(q.answer);
    if (quotes.slice(0, 3).some((x) => x.text.length <= QUOTE_LIMIT && normalizeForMatch(x.text).includes(gold))) hits3++;
    const rank = quotes.findIndex((x) => x.articleId === q.articleId);
    if (rank >= 0) rr += 1 / (rank + 1);
    const h = q.xquadArticle % 2 === 0 ? half.tuned : half.heldOut;
    h[0]!++;
    if (hit) h[1]!++;
  }
  let falseAnswers = 0;
  for (const q of unanswerable) {
    const t = performance.now();
    if (r.ask(q).found) falseAnswers++;
    latencies.push(performance.now() - t);
  }
  latencies.sort((a, b) => a - b);
  const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
  return {
    name: r.name,
    firstQuoteHit: round(hits / questions.length),
    hitAt3: round(hits3 / questions.length),
    mrr: round(rr / questions.length),
    p50Ms: round(percentile(latencies, 50), 2),
    p95Ms: round(percentile(latencies, 95), 2),
    p99Ms: round(percentile(latencies, 99), 2),
    falseAnswerRate: round(falseAnswers / unanswerable.length),
    heldOutFirstQuoteHit: round(half.heldOut[1]! / half.heldOut[0]!),
    tunedFirstQuoteHit: round(half.tuned[1]! / half.tuned[0]!),
    buildMs: Math.round(buildMs),
    heapMB: round(heap, 1),
  };
}

// "no gate": the same ranking with the confidence threshold off, to separate ranking quality
// from the decision to answer at all.
const results = NEWS_ONLY
  ? []
  : [evaluate(citatRetriever), evaluate(miniSearchDefault), evaluate(lunrRomanian), evaluate((a) => citatRetriever(a, false))];

const cols: Array<[keyof Figures, string]> = [
  ["firstQuoteHit", "first-quote hit"],
  ["tunedFirstQuoteHit", "  tuned half (even)"],
  ["heldOutFirstQuoteHit", "  held-out half (odd)"],
  ["hitAt3", "hit@3"],
  ["mrr", "MRR (gold paragraph)"],
  ["falseAnswerRate", "false-answer rate"],
  ["p50Ms", "p50 ms"],
  ["p95Ms", "p95 ms"],
  ["p99Ms", "p99 ms"],
  ["buildMs", "index build ms"],
  ["heapMB", "heap after build MB"],
];
const pad = (s: string, n: number) => s.padEnd(n);
if (!NEWS_ONLY)
  console.log(
    `Corpus: ${xquad.length} XQuAD-ro paragraphs + ${distractors.length} Digi24 articles; ` +
      `${questions.length} questions, ${unanswerable.length} out-of-corpus questions; quotes ≤ ${QUOTE_LIMIT} chars.\n`,
  );
if (results.length > 0) {
  console.log(`| ${pad("metric", 22)} | ${results.map((r) => pad(r.name, 17)).join(" | ")} |`);
  console.log(`| ${"-".repeat(22)} | ${results.map(() => "-".repeat(17)).join(" | ")} |`);
  for (const [key, label] of cols) {
    console.log(`| ${pad(label, 22)} | ${results.map((r) => pad(String(r[key]), 17)).join(" | ")} |`);
  }
}
// The news questions: cross-validated by article (see scripts/eval-news.ts).
console.log("");
// The gate is fitted on news folds plus the XQuAD tuning half (even articles) as further
// positives and the development out-of-corpus questions asked of the XQuAD index as negatives.
const xquadEngine = AnswerEngine.fromArticles(corpus);
const devQuestions = readQuestionList(join(process.cwd(), "test/fixtures/eval/unanswerable-dev-ro.txt"));
const xquadTrain = xquadProbeOf(
  xquadEngine,
  questions.filter((q) => q.xquadArticle % 2 === 0),
  devQuestions,
);
const xquadPositives = xquadTrain.answerable.map((a) => a.features).filter((f) => f !== undefined);
const xquadNegatives = xquadTrain.outOfCorpus.filter((f) => f !== undefined);
// The XQuAD questions no gate is fitted on (the odd half and the held-out out-of-corpus list),
// measured under each news fold's gate: what the next calibration would do to the XQuAD table.
const xquadProbe = xquadProbeOf(
  xquadEngine,
  questions.filter((q) => q.xquadArticle % 2 === 1),
  unanswerable,
);
const news = runNewsEval({
  log: (line) => console.log(line),
  extraPositives: xquadPositives,
  extraNegatives: xquadNegatives,
  devNegatives: devQuestions,
  baselines: !NEWS_ONLY,
  xquadProbe,
  xquadTrain,
});
printNewsTable(news, (line) => console.log(line));
if (news.xquadProbe)
  console.log(
    `XQuAD under the news folds' gates (mean of folds): out-of-corpus false-answer rate ${news.xquadProbe.falseAnswerRate}, ` +
      `held-out half first-quote hit ${news.xquadProbe.firstQuoteHit}`,
  );
if (GATE) printGateConfusion(news.gateCases, (line) => console.log(line));
if (process.env.GATE_DUMP)
  (await import("node:fs")).writeFileSync(
    process.env.GATE_DUMP,
    JSON.stringify(
      news.gateCases.map((c) => ({ ...c, q: { id: c.q.id, question: c.q.question, answerable: c.q.articleId !== null } })),
    ),
  );
const breakdown = new Map<string, { n: number; first: number; at3: number }>();
for (const o of news.engineOutcomes) {
  if (o.q.articleId === null) continue;
  const b = breakdown.get(o.q.type) ?? { n: 0, first: 0, at3: 0 };
  b.n++;
  if (o.first) b.first++;
  if (o.at3) b.at3++;
  breakdown.set(o.q.type, b);
}
const kinds = { declined: 0, wrongArticle: 0, sentenceInThree: 0, sentenceNotShown: 0 };
for (const o of news.engineOutcomes) {
  if (o.q.articleId === null || o.first) continue;
  if (!o.found) kinds.declined++;
  else if (o.quotes[0]?.articleId !== o.q.articleId) kinds.wrongArticle++;
  else if (o.at3) kinds.sentenceInThree++;
  else kinds.sentenceNotShown++;
}
console.log(
  `\nFirst-quote misses (engine, held out): ${kinds.declined} declined, ${kinds.wrongArticle} another article first, ` +
    `${kinds.sentenceInThree} right article with the answer in quote 2–3, ${kinds.sentenceNotShown} right article, answer not shown.`,
);
console.log(
  `\nBy question type (engine, held out): ${[...breakdown].map(([t, b]) => `${t} ${b.first}/${b.n} first, ${b.at3}/${b.n} in 3`).join("; ")}`,
);

if (MISSES) {
  console.log("\nHeld-out first-quote misses (engine):");
  for (const o of news.engineOutcomes) {
    if (o.q.articleId === null || o.first) continue;
    const first = o.quotes[0];
    const where = !first
      ? "declined"
      : first.articleId === o.q.articleId
        ? o.at3
          ? "in 2-3"
          : "right article"
        : "other article";
    console.log(`- [${o.q.type}, ${where}] ${o.q.question}`);
    console.log(`    expected: ${o.q.title ?? ""} | answers: ${o.q.answers.join(" / ")}`);
    if (first) console.log(`    first: ${first.text.replace(/\s+/g, " ").slice(0, 300)}`);
  }
}

const pick = ({ firstQuoteHit, hitAt3, mrr, p50Ms, p99Ms, falseAnswerRate, heldOutFirstQuoteHit }: Figures) => ({
  firstQuoteHit,
  hitAt3,
  mrr,
  p50Ms,
  p99Ms,
  falseAnswerRate,
  heldOutFirstQuoteHit,
});
const newsPick = ({ firstQuoteHit, hitAt3, articleAt3, declinedRate, wronglyDeclinedRate, p50Ms, p99Ms }: NewsFigures) => ({
  firstQuoteHit,
  hitAt3,
  articleAt3,
  declinedRate,
  wronglyDeclinedRate,
  p50Ms,
  p99Ms,
});
console.log(
  JSON.stringify({
    ...(NEWS_ONLY ? {} : { engine: pick(results[0]!), minisearchDefault: pick(results[1]!), lunrRo: pick(results[2]!) }),
    news: {
      engine: newsPick(news.engine),
      gateOff: newsPick(news.gateOff),
      minisearchDefault: newsPick(news.minisearchDefault),
      stemmerBaseline: newsPick(news.stemmerBaseline),
    },
  }),
);
