/**
 * `npm run bench`: how retrieval scales. Indexes of about 1k, 10k and 100k sentence passages
 * are built from real Romanian news (../shared: RoCliCo Digi24/Libertatea/Viva and the
 * political news CSV; repeated with distinct ids when they hold too few sentences), and three
 * engines are measured side by side in one run:
 *
 * - `engine`: Citat's AnswerEngine over PassageIndex (the full question → quotes pipeline),
 *   cold-started through the persisted IndexStore exactly as `npm start` does;
 * - `minisearchDefault`: MiniSearch with default options over the same sentences;
 * - `flexsearch`: FlexSearch 0.8 over the same sentences with Citat's analyzer as its encoder
 *   (tokenize + termOf), OR-ing the question's words (`suggest: true`), cold-started through
 *   its own export/import.
 *
 * Per size and engine: build speed (passages per second, sentence splitting included), query
 * latency p50/p99 over test/fixtures/bench/questions-ro.txt (after a warm-up on article
 * titles), memory retained by the index (JS heap + ArrayBuffers, after gc), and cold start: a fresh child process loads
 * the content folder (the same for every engine: quotes need the texts), then the persisted
 * index, and answers a first question. `coldStartS` is loading the persisted index and
 * answering; the table also shows the whole start with the content and the process's wall
 * time (best of two runs, measured inside the child).
 *
 * The last line printed is one JSON object with every figure. Skips (exit 0) when ../shared is
 * absent. `node --expose-gc --import tsx scripts/bench.ts [--sizes 1000,10000]`.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Index as FlexIndex } from "flexsearch";
import MiniSearch from "minisearch";
import type { Article } from "../src/content/article.js";
import { loadContent } from "../src/content/load-content.js";
import { createMemoryLogger } from "../src/logger.js";
import { AnswerEngine } from "../src/search/answer-engine.js";
import { INDEX_FILE, IndexStore } from "../src/search/index-store.js";
import { articleParagraphs, PassageIndex } from "../src/search/passage-index.js";
import { analyze } from "../src/text/analyzer.js";
import { cleanDrafts, newsDrafts, pickDrafts, POLITICAL_CSV, ROCLICO_FILES } from "./bench-data.js";
import { percentile, readQuestionList, requireShared } from "./eval-data.js";

const SCRIPT = fileURLToPath(import.meta.url);
const QUESTIONS = join(process.cwd(), "test/fixtures/bench/questions-ro.txt");
const ENGINES = ["engine", "minisearchDefault", "flexsearch"] as const;
type EngineName = (typeof ENGINES)[number];

interface Figures {
  passages: number;
  buildPerSec: number;
  p50Ms: number;
  p99Ms: number;
  heapMB: number;
  coldStartS: number;
}
interface Row extends Figures {
  engine: EngineName;
  /** Retrieval alone (PassageIndex#search) for Citat; equal to p50/p99 for the baselines. */
  searchP50Ms: number;
  searchP99Ms: number;
  /** Content + persisted index + first answer, inside the child. */
  startS: number;
  coldWallS: number;
  /** Where the cold start's time went. */
  coldDetail: string;
  fileMB: number;
}

/** What a baseline persists: its index and where each passage lies in the content. */
interface BaselineFile {
  /** Per passage: article id, start, end. */
  passages: Array<[string, number, number]>;
  index: string | Record<string, string>;
}

interface Sentence {
  article: Article;
  start: number;
  end: number;
}

function sentencesOf(articles: readonly Article[]): Sentence[] {
  const out: Sentence[] = [];
  for (const article of articles) {
    for (const paragraph of articleParagraphs(article.body)) {
      for (const s of paragraph) out.push({ article, start: s.start, end: s.end });
    }
  }
  return out;
}

const text = (s: Sentence) => s.article.body.slice(s.start, s.end);
const FLEX_OPTIONS = { encode: (s: string) => analyze(s) };
const FLEX_SEARCH = { limit: 100, suggest: true };
const MINI_DEFAULT = { fields: ["text"] };

// ---------------------------------------------------------------------------------------------
// Cold start: runs in a fresh child process, prints one JSON line.

async function coldStart(engine: EngineName, contentDir: string, dataDir: string, question: string): Promise<void> {
  const t0 = performance.now();
  const logger = createMemoryLogger();
  const { articles } = await loadContent(contentDir, logger);
  const t1 = performance.now();
  let answer: string | undefined;
  let t2: number;
  if (engine === "engine") {
    const { index, stats } = await new IndexStore(dataDir, logger).open(articles);
    if (stats.source !== "loaded" || stats.indexed > 0 || stats.removed > 0) {
      throw new Error(`cold start re-indexed: ${JSON.stringify(stats)} ${logger.lines.join(" | ")}`);
    }
    const answerEngine = new AnswerEngine(index);
    t2 = performance.now();
    answer = answerEngine.ask(question).quotes[0]?.text;
  } else {
    const file = JSON.parse(readFileSync(join(dataDir, `${engine}.json`), "utf8")) as BaselineFile;
    const byId = new Map(articles.map((a) => [a.id, a]));
    const quote = (i: number) => {
      const [id, start, end] = file.passages[i] as [string, number, number];
      return byId.get(id)?.body.slice(start, end);
    };
    if (engine === "minisearchDefault") {
      const mini = MiniSearch.loadJSON(file.index as string, MINI_DEFAULT);
      t2 = performance.now();
      const first = mini.search(question)[0];
      answer = first === undefined ? undefined : quote(first.id as number);
    } else {
      const flex = new FlexIndex(FLEX_OPTIONS);
      for (const [key, data] of Object.entries(file.index as Record<string, string>)) flex.import(key, data);
      t2 = performance.now();
      const first = (flex.search(question, FLEX_SEARCH) as number[])[0];
      answer = first === undefined ? undefined : quote(first);
    }
  }
  const t3 = performance.now();
  process.stdout.write(
    `${JSON.stringify({ totalMs: t3 - t0, contentMs: t1 - t0, indexMs: t2 - t1, firstAnswerMs: t3 - t2, answered: answer !== undefined })}\n`,
  );
}

function runColdStart(engine: EngineName, contentDir: string, dataDir: string, question: string) {
  type Cold = { totalMs: number; contentMs: number; indexMs: number; firstAnswerMs: number };
  let best: (Cold & { wallMs: number }) | null = null;
  for (let run = 0; run < 2; run++) {
    const started = performance.now();
    const r = spawnSync(process.execPath, ["--import", "tsx", SCRIPT, "--cold", engine, contentDir, dataDir, question], {
      encoding: "utf8",
      maxBuffer: 16 * 2 ** 20,
    });
    const wallMs = performance.now() - started;
    if (r.status !== 0) throw new Error(`cold start of ${engine} failed: ${r.stderr}`);
    const figures = { ...(JSON.parse(r.stdout.trim().split("\n").pop() as string) as Cold), wallMs };
    if (!best || figures.indexMs + figures.firstAnswerMs < best.indexMs + best.firstAnswerMs) best = figures;
  }
  return best!;
}

// ---------------------------------------------------------------------------------------------
// The benchmark proper.

/** Heap in use plus ArrayBuffer memory (typed arrays live outside the JS heap), after gc. */
function heapMB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 2 ** 20;
}

function latencies(ask: (q: string) => unknown, questions: readonly string[]): { p50: number; p99: number } {
  const ms: number[] = [];
  for (const q of questions) {
    const t = performance.now();
    ask(q);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p99: percentile(ms, 99) };
}

async function benchSize(
  name: EngineName,
  articles: readonly Article[],
  questions: readonly string[],
  warmUp: readonly string[],
  contentDir: string,
  dataDir: string,
): Promise<Row> {
  let ask: (q: string) => unknown;
  let search: ((q: string) => unknown) | null = null;
  let persist: () => Promise<void>;
  let file: string;
  const before = heapMB();
  const t0 = performance.now();
  if (name === "engine") {
    const index = new PassageIndex(articles);
    const buildMs = performance.now() - t0;
    const engine = new AnswerEngine(index);
    ask = (q) => engine.ask(q);
    search = (q) => index.search(q);
    file = join(dataDir, INDEX_FILE);
    persist = async () => {
      if (!(await new IndexStore(dataDir, createMemoryLogger()).save(index))) throw new Error("could not save the index");
    };
    return finish(index.passageCount, buildMs);
  }
  const sentences = sentencesOf(articles);
  let index: { toJSON?: () => unknown } & object;
  if (name === "minisearchDefault") {
    const mini = new MiniSearch<{ id: number; text: string }>(MINI_DEFAULT);
    mini.addAll(sentences.map((s, id) => ({ id, text: text(s) })));
    index = mini;
    ask = (q) => {
      const first = mini.search(q)[0];
      return first && text(sentences[first.id as number] as Sentence);
    };
  } else {
    const flex = new FlexIndex(FLEX_OPTIONS);
    sentences.forEach((s, id) => {
      flex.add(id, text(s));
    });
    index = flex;
    ask = (q) => {
      const first = (flex.search(q, FLEX_SEARCH) as number[])[0];
      return first !== undefined && text(sentences[first] as Sentence);
    };
  }
  const buildMs = performance.now() - t0;
  file = join(dataDir, `${name}.json`);
  persist = async () => {
    const exported: Record<string, string> = {};
    if (name === "flexsearch") (index as FlexIndex).export((key, data) => void (exported[key] = data));
    const stored: BaselineFile = {
      passages: sentences.map((s) => [s.article.id, s.start, s.end]),
      index: name === "flexsearch" ? exported : JSON.stringify(index),
    };
    writeFileSync(file, JSON.stringify(stored));
  };
  return finish(sentences.length, buildMs);

  async function finish(passages: number, buildMs: number): Promise<Row> {
    const heap = heapMB() - before;
    latencies(ask, warmUp);
    const all = latencies(ask, questions);
    const retrieval = search ? latencies(search, questions) : all;
    await persist();
    const cold = runColdStart(name, contentDir, dataDir, questions[0] as string);
    const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
    return {
      engine: name,
      passages,
      buildPerSec: Math.round((passages / buildMs) * 1000),
      p50Ms: round(all.p50, 2),
      p99Ms: round(all.p99, 2),
      heapMB: round(heap, 1),
      coldStartS: round((cold.indexMs + cold.firstAnswerMs) / 1000, 2),
      startS: round(cold.totalMs / 1000, 2),
      searchP50Ms: round(retrieval.p50, 2),
      searchP99Ms: round(retrieval.p99, 2),
      coldWallS: round(cold.wallMs / 1000, 2),
      fileMB: round(statSync(file).size / 2 ** 20, 1),
      coldDetail: `content ${Math.round(cold.contentMs)} + index ${Math.round(cold.indexMs)} + answer ${Math.round(cold.firstAnswerMs)} ms`,
    };
  }
}

async function main(): Promise<void> {
  requireShared([...ROCLICO_FILES, POLITICAL_CSV]);
  const sizesArg = process.argv.indexOf("--sizes");
  const sizes = sizesArg > 0 ? (process.argv[sizesArg + 1] ?? "").split(",").map(Number) : [1_000, 10_000, 100_000];
  const started = performance.now();
  const load0 = loadavg()[0] as number;
  const questions = readQuestionList(QUESTIONS);
  const drafts = newsDrafts();
  const cleaned = cleanDrafts(drafts);
  const counts = new Map(cleaned.map((a) => [a.id, articleParagraphs(a.body).reduce((n, p) => n + p.length, 0)]));
  const corpusPassages = [...counts.values()].reduce((a, b) => a + b, 0);
  const root = mkdtempSync(join(tmpdir(), "citat-bench-"));
  const rows: Row[] = [];
  const notes: string[] = [];
  try {
    for (const size of sizes) {
      const { picked, copies } = pickDrafts(drafts, counts, size);
      if (copies > 1)
        notes.push(
          `${size} passages: the corpus holds ${corpusPassages} sentences, so its articles are repeated (${copies} copies, distinct ids).`,
        );
      // The content folder both the benchmark and the cold-start children read (a temporary
      // folder outside the project; the corpora are never copied into it).
      const dir = join(root, String(size));
      const contentDir = join(dir, "content");
      mkdirSync(contentDir, { recursive: true });
      writeFileSync(join(contentDir, "bench.jsonl"), picked.map((d) => JSON.stringify(d)).join("\n") + "\n");
      const { articles } = await loadContent(contentDir, createMemoryLogger());
      const warmUp = articles
        .filter((_, i) => i % Math.max(1, Math.floor(articles.length / 30)) === 0)
        .slice(0, 30)
        .map((a) => a.title);
      for (const engine of ENGINES) {
        const dataDir = join(dir, `data-${engine}`);
        mkdirSync(dataDir, { recursive: true });
        const row = await benchSize(engine, articles, questions, warmUp, contentDir, dataDir);
        rows.push(row);
        process.stderr.write(`bench: ${size} ${engine} done (${Math.round((performance.now() - started) / 1000)} s)\n`);
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }

  console.log(
    `Corpus: ${drafts.length} news articles (RoCliCo Digi24/Libertatea/Viva + ro-political-news CSV), ${corpusPassages} sentence passages.\n` +
      `${notes.join("\n")}${notes.length ? "\n" : ""}` +
      `Questions: ${questions.length} (test/fixtures/bench/questions-ro.txt), after a warm-up on 30 article titles.\n` +
      `engine = AnswerEngine.ask (retrieval + quotes); "search" = PassageIndex.search alone. Baselines: their search + the top sentence.\n` +
      `Cold start ("cold s"): fresh child process, load the persisted index + answer a first question, after loading the content folder\n` +
      `(same for all engines; "start s" = content + index + answer, "wall s" = whole process with Node/tsx start-up). Best of 2.\n` +
      `Load average (2 cores) at start ${load0.toFixed(2)}, at end ${(loadavg()[0] as number).toFixed(2)}; total ${Math.round((performance.now() - started) / 1000)} s.\n`,
  );
  const header = [
    "passages",
    "engine",
    "build/s",
    "p50 ms",
    "p99 ms",
    "search p50/p99",
    "heap MB",
    "cold s",
    "start s",
    "wall s",
    "file MB",
    "cold start detail",
  ];
  const table = rows.map((r) => [
    String(r.passages),
    r.engine,
    String(r.buildPerSec),
    r.p50Ms.toFixed(2),
    r.p99Ms.toFixed(2),
    `${r.searchP50Ms.toFixed(2)} / ${r.searchP99Ms.toFixed(2)}`,
    r.heapMB.toFixed(1),
    r.coldStartS.toFixed(2),
    r.startS.toFixed(2),
    r.coldWallS.toFixed(2),
    r.fileMB.toFixed(1),
    r.coldDetail,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(" | ")} |`;
  console.log(line(header));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const row of table) console.log(line(row));

  const largest = Math.max(...rows.map((r) => r.passages));
  const at = (e: EngineName) =>
    rows.find(
      (r) =>
        r.engine === e &&
        r.passages >= largest * 0.9 &&
        r.passages === Math.max(...rows.filter((x) => x.engine === e).map((x) => x.passages)),
    );
  const ours = at("engine");
  if (ours && ours.passages >= 90_000) {
    const check = (label: string, ok: boolean, detail: string) => console.log(`${ok ? "met   " : "MISSED"} ${label}: ${detail}`);
    console.log(`\nTargets at ${ours.passages} passages:`);
    check("p99 ≤ 15 ms", ours.p99Ms <= 15, `${ours.p99Ms} ms`);
    check("build ≥ 20k passages/s", ours.buildPerSec >= 20_000, `${ours.buildPerSec}/s`);
    check("cold start ≤ 3 s", ours.coldStartS <= 3, `${ours.coldStartS} s (with the content: ${ours.startS} s)`);
    const mini = at("minisearchDefault");
    const flex = at("flexsearch");
    if (mini && flex)
      check(
        "p99 below both baselines",
        ours.p99Ms < mini.p99Ms && ours.p99Ms < flex.p99Ms,
        `${ours.p99Ms} vs ${mini.p99Ms} / ${flex.p99Ms} ms`,
      );
  }
  const pick = (e: EngineName): Figures[] =>
    rows
      .filter((r) => r.engine === e)
      .map(({ passages, buildPerSec, p50Ms, p99Ms, heapMB, coldStartS }) => ({
        passages,
        buildPerSec,
        p50Ms,
        p99Ms,
        heapMB,
        coldStartS,
      }));
  console.log(
    JSON.stringify({ engine: pick("engine"), minisearchDefault: pick("minisearchDefault"), flexsearch: pick("flexsearch") }),
  );
}

if (process.argv[2] === "--cold") {
  const [, , , engine, contentDir, dataDir, question] = process.argv;
  await coldStart(engine as EngineName, contentDir as string, dataDir as string, question as string);
} else {
  await main();
}
