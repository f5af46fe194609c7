/**
 * The bench's answers, for checking that a speed-up changes none of them, and a focused run to
 * profile (`node --cpu-prof --import tsx scripts/bench-answers.ts`).
 *
 * Builds the index `npm run bench` builds at one size (same corpus, same content folder path
 * through loadContent), warms up on the same 30 titles, then asks the 205 bench questions:
 * - `plain`: each question alone (timed: the bench's p50/p99, first-time analysis included);
 * - `again`: the same questions a second time (every story already analysed);
 * - `followUp`: each question with the previous one as context, preferring its answer's articles;
 * - `inStory`: each question searched only inside the previous answer's articles.
 * Every answer is written with its quotes' article, span, score and confidence (full precision):
 * two dumps are equal exactly when the engine answered the same.
 *
 * `node --expose-gc --import tsx scripts/bench-answers.ts [--size 100000] [--out answers.json]
 *  [--compare before.json] [--profile plain.cpuprofile [--pass again]] [--slowest] [--fresh 5]`: with --compare, prints
 * the first differences and exits 1 on any; with --profile, writes a CPU profile of one pass.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { Session } from "node:inspector/promises";
import { join } from "node:path";
import { loadContent } from "../src/content/load-content.js";
import { createMemoryLogger } from "../src/logger.js";
import { type Answer, AnswerEngine, type AskOptions } from "../src/search/answer-engine.js";
import { articleParagraphs, PassageIndex } from "../src/search/passage-index.js";
import { cleanDrafts, newsDrafts, pickDrafts, POLITICAL_CSV, ROCLICO_FILES } from "./bench-data.js";
import { percentile, readQuestionList, requireShared } from "./eval-data.js";

const QUESTIONS = join(process.cwd(), "test/fixtures/bench/questions-ro.txt");
const TODAY = new Date("2026-06-01T00:00:00Z");

interface AnswerDump {
  question: string;
  found: boolean;
  reason?: string;
  total: number;
  quotes: Array<{ article: string; start: number; end: number; score: number; confidence: number }>;
}

function dump(a: Answer): AnswerDump {
  return {
    question: a.question,
    found: a.found,
    ...(a.reason ? { reason: a.reason } : {}),
    total: a.total,
    quotes: a.quotes.map((q) => ({
      article: q.article.id,
      start: q.start,
      end: q.end,
      score: q.score,
      confidence: q.confidence,
    })),
  };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

function heapMB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 2 ** 20;
}

async function main(): Promise<void> {
  requireShared([...ROCLICO_FILES, POLITICAL_CSV]);
  const size = Number(arg("--size") ?? 100_000);
  const load0 = loadavg()[0] as number;
  const questions = readQuestionList(QUESTIONS);
  const drafts = newsDrafts();
  const counts = new Map(cleanDrafts(drafts).map((a) => [a.id, articleParagraphs(a.body).reduce((n, p) => n + p.length, 0)]));
  const { picked } = pickDrafts(drafts, counts, size);
  const root = mkdtempSync(join(tmpdir(), "citat-answers-"));
  let articles: Awaited<ReturnType<typeof loadContent>>["articles"];
  try {
    const contentDir = join(root, "content");
    mkdirSync(contentDir, { recursive: true });
    writeFileSync(join(contentDir, "bench.jsonl"), picked.map((d) => JSON.stringify(d)).join("\n") + "\n");
    ({ articles } = await loadContent(contentDir, createMemoryLogger()));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const before = heapMB();
  const t0 = performance.now();
  const index = new PassageIndex(articles);
  const buildMs = performance.now() - t0;
  const heap = heapMB() - before;
  // A fixed "today": the recency prior reads the clock, so two runs a second apart score differently.
  const engine = new AnswerEngine(index, { now: () => TODAY });
  const warmUp = articles
    .filter((_, i) => i % Math.max(1, Math.floor(articles.length / 30)) === 0)
    .slice(0, 30)
    .map((a) => a.title);
  for (const q of warmUp) engine.ask(q);

  const run = (options: (i: number, previous: Answer | undefined) => AskOptions) => {
    const answers: Answer[] = [];
    const ms: number[] = [];
    const cpu: number[] = [];
    questions.forEach((q, i) => {
      const t = performance.now();
      const c = process.cpuUsage();
      answers.push(engine.ask(q, options(i, answers[i - 1])));
      const used = process.cpuUsage(c);
      ms.push(performance.now() - t);
      cpu.push((used.user + used.system) / 1000);
    });
    const slowest = questions
      .map((q, i) => ({ q, ms: ms[i] as number, cpu: cpu[i] as number }))
      .sort((a, b) => b.cpu - a.cpu)
      .slice(0, 8);
    ms.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    return {
      slowest,
      answers,
      p50: percentile(ms, 50),
      p99: percentile(ms, 99),
      cpuP50: percentile(cpu, 50),
      cpuP99: percentile(cpu, 99),
      cpuTotal: cpu.reduce((a, b) => a + b, 0),
    };
  };
  const articlesOf = (a: Answer | undefined) => new Set(a?.quotes.map((q) => q.article.id) ?? []);
  // --profile FILE: a CPU profile of one pass only (not the build; `--pass again` for the
  // second), for chrome://inspect or any .cpuprofile reader.
  const profile = arg("--profile");
  const pass = arg("--pass") ?? "plain"; // plain, again or fresh
  const session = profile ? new Session() : null;
  if (session) session.connect();
  const profiled = async <T>(name: string, f: () => T): Promise<T> => {
    if (!session || !profile || name !== pass) return f();
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 100 });
    await session.post("Profiler.start");
    const result = f();
    const { profile: data } = await session.post("Profiler.stop");
    writeFileSync(profile, JSON.stringify(data));
    return result;
  };
  const plain = await profiled("plain", () => run(() => ({})));
  const again = await profiled("again", () => run(() => ({})));
  const followUp = run((i, prev) => ({ context: questions[i - 1] ?? "", preferArticles: articlesOf(prev) }));
  const inStory = run((_, prev) => (prev?.found ? { articles: articlesOf(prev) } : {}));
  const result = {
    passages: index.passageCount,
    plain: plain.answers.map(dump),
    again: again.answers.map(dump),
    followUp: followUp.answers.map(dump),
    inStory: inStory.answers.map(dump),
  };
  const f = (x: number) => x.toFixed(2);
  console.log(
    `${index.passageCount} passages, build ${Math.round((index.passageCount / buildMs) * 1000)}/s, index heap ${heap.toFixed(1)} MB ` +
      `(after answering: ${heapMB().toFixed(1)} MB in all)\n` +
      `wall p50 / p99 ms: plain ${f(plain.p50)} / ${f(plain.p99)}; again ${f(again.p50)} / ${f(again.p99)}; ` +
      `follow-up ${f(followUp.p50)} / ${f(followUp.p99)}; in story ${f(inStory.p50)} / ${f(inStory.p99)}\n` +
      `CPU p50 / p99 / total ms (the process, GC threads included; less sensitive to a busy machine): ` +
      [plain, again, followUp, inStory].map((r) => `${f(r.cpuP50)} / ${f(r.cpuP99)} / ${Math.round(r.cpuTotal)}`).join("; ") +
      "\n" +
      `answered ${result.plain.filter((a) => a.found).length}/${questions.length}; load ${load0.toFixed(2)} → ${(loadavg()[0] as number).toFixed(2)}`,
  );
  // --fresh N: every question N times on a new engine (nothing cached per passage), the best of
  // N kept: first-time cost with little of the busy machine's noise.
  const fresh = Number(arg("--fresh") ?? 0);
  if (fresh > 0) {
    const timed = await profiled("fresh", () =>
      questions.map((q) => {
        let min = Infinity;
        for (let r = 0; r < fresh; r++) {
          const e = new AnswerEngine(index, { now: () => TODAY });
          const t = performance.now();
          e.ask(q);
          min = Math.min(min, performance.now() - t);
        }
        return { q, min };
      }),
    );
    const best = timed.map((x) => x.min).sort((a, b) => a - b);
    const total = best.reduce((a, b) => a + b, 0);
    console.log(
      `fresh engine, best of ${fresh}: p50 ${f(percentile(best, 50))} / p99 ${f(percentile(best, 99))} / max ${f(best.at(-1) ?? 0)} / total ${Math.round(total)} ms`,
    );
    if (process.argv.includes("--slowest"))
      for (const x of timed.sort((a, b) => b.min - a.min).slice(0, 8)) console.log(`  ${f(x.min)} ms fresh: ${x.q}`);
  }
  session?.disconnect();
  if (process.argv.includes("--slowest"))
    for (const x of plain.slowest) console.log(`  ${f(x.cpu)} ms CPU (${f(x.ms)} wall): ${x.q}`);
  const out = arg("--out");
  if (out) writeFileSync(out, `${JSON.stringify(result, null, 1)}\n`);
  const compare = arg("--compare");
  if (compare) {
    const old = JSON.parse(readFileSync(compare, "utf8")) as typeof result;
    let differences = 0;
    for (const mode of ["plain", "again", "followUp", "inStory"] as const) {
      old[mode].forEach((a, i) => {
        const b = result[mode][i];
        if (JSON.stringify(a) === JSON.stringify(b)) return;
        if (differences++ < 5)
          console.log(`DIFFERENT ${mode} #${i}:\n  before ${JSON.stringify(a)}\n  now    ${JSON.stringify(b)}`);
      });
    }
    const n = 4 * questions.length;
    console.log(differences === 0 ? `identical: all ${n} answers` : `${differences} of ${n} answers differ`);
    if (differences > 0) process.exitCode = 1;
  }
}

await main();
