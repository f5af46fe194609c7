/**
 * `npm run soak:hostile` — issue 9's "must show": the real bot (src/main.ts, as `npm start` runs
 * it, under `node --max-old-space-size=512`) against a Bot API emulator (telegram-test-api on
 * 127.0.0.1), polling every kind of hostile feed (test/feeds/hostile-server.ts, several copies
 * so that there is always something new and hostile to read) for SOAK_SECONDS (default 90)
 * while a question arrives every 500 ms.
 *
 * Checked: every question answered; the slowest answer ≤ 2 s; the process alive; peak RSS
 * (VmHWM) ≤ 700 MB; no message ever holds the private page's text; the private server never
 * asked. The last line is one JSON object with the figures; the exit code is 0 when all hold.
 * Not part of `npm test` (it takes two minutes and measures time).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import {
  botMessagesIn,
  CHAT_ID,
  childEnv,
  exited,
  ROOT,
  sleep,
  startEmulator,
  startLongPollShim,
  TOKEN,
} from "../test/e2e/emulator.js";
import { PRIVATE_WORD, startHostileSite } from "../test/feeds/hostile-server.js";

const SOAK_SECONDS = Number(process.env.SOAK_SECONDS ?? 90);
const QUESTION_EVERY_MS = 500;
const HEAP_MB = 512;
const TARGETS = { slowestMs: 2000, peakRssMb: 700 };
const QUESTIONS = [
  "Ce tratat vor să încheie Belarusul şi Iranul?",
  "Ce a spus Lukaşenko la Teheran?",
  "Ce sancţiuni pregăteşte Uniunea Europeană?",
  "Ce a votat Parlamentul despre buget?",
  `Care este parola serverului intern ${PRIVATE_WORD}?`,
  "Ce propuneri a discutat consiliul local?",
];

function status(pid: number): { rssMb: number; hwmMb: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(text)?.[1] ?? 0);
    return { rssMb: kb("VmRSS") / 1024, hwmMb: kb("VmHWM") / 1024 };
  } catch {
    return null;
  }
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number);

async function main(): Promise<number> {
  const loadBefore = loadavg();
  const site = await startHostileSite({ copies: 3 });
  const emulator = await startEmulator();
  const shim = await startLongPollShim(emulator);
  const client = emulator.getClient(TOKEN, { userId: CHAT_ID, chatId: CHAT_ID });
  const dataDir = mkdtempSync(join(tmpdir(), "citat-soak-"));
  // Feeds are polled one at a time, in this order: the slow hosts (a poll budget each) last.
  const ordered = [
    ...site.feeds.filter((f) => !f.name.startsWith("Lent")),
    ...site.feeds.filter((f) => f.name.startsWith("Lent")),
  ];
  const feeds = ordered.map((f) => `${f.name}=${f.url}`).join(",");
  const env = childEnv(shim.url, dataDir, { FEEDS: feeds, LOG_LEVEL: "info" });
  const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, "--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout?.setEncoding("utf8").on("data", (c: string) => (log += c));
  child.stderr?.setEncoding("utf8").on("data", (c: string) => (log += c));
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);

  let peakRssMb = 0;
  const sampler = setInterval(() => {
    const s = status(child.pid as number);
    if (s) peakRssMb = Math.max(peakRssMb, s.hwmMb, s.rssMb);
  }, 250);

  const result: Record<string, unknown> = {};
  try {
    const deadline = Date.now() + 60_000;
    while (!log.includes(`polling ${shim.url}`)) {
      if (child.exitCode !== null) throw new Error(`the bot exited at start-up:\n${log}`);
      if (Date.now() > deadline) throw new Error(`the bot did not start within 60 s:\n${log}`);
      await sleep(50);
    }
    process.stderr.write(
      `soak: bot up (${site.feeds.length} hostile feeds); asking every ${QUESTION_EVERY_MS} ms for ${SOAK_SECONDS} s\n`,
    );

    // Questions every 500 ms; answers are matched in order (one reply per question in a private chat).
    const sentAt: number[] = [];
    const answeredAt: number[] = [];
    let seen = 0;
    const baseline = botMessagesIn(await client.getUpdatesHistory()).length;
    const texts: string[] = [];
    const started = Date.now();
    let next = started;
    let asked = 0;
    const watch = async () => {
      const mine = botMessagesIn(await client.getUpdatesHistory()).slice(baseline);
      for (; seen < mine.length; seen++) {
        answeredAt[seen] = Date.now();
        texts.push((mine[seen] as { html: string }).html);
      }
    };
    while (Date.now() - started < SOAK_SECONDS * 1000) {
      if (Date.now() >= next) {
        const q = `${QUESTIONS[asked % QUESTIONS.length]}`;
        sentAt[asked] = Date.now();
        asked++;
        void client.sendMessage(client.makeMessage(q));
        next += QUESTION_EVERY_MS;
      }
      await watch();
      await sleep(25);
    }
    // The last questions get their 2 s (and a grace period to count late answers, not to excuse them).
    const drainUntil = Date.now() + 10_000;
    while (seen < asked && Date.now() < drainUntil) {
      await watch();
      await sleep(25);
    }
    const latencies = sentAt.map((t, i) =>
      answeredAt[i] === undefined ? Number.POSITIVE_INFINITY : (answeredAt[i] as number) - t,
    );
    const sorted = latencies.filter(Number.isFinite).sort((a, b) => a - b);
    const alive = child.exitCode === null && child.signalCode === null;
    const leaks = texts.filter(
      (t) => t.includes(PRIVATE_WORD) && !t.includes(`parola serverului intern ${PRIVATE_WORD}?`),
    ).length;
    const hwm = status(child.pid as number);
    if (hwm) peakRssMb = Math.max(peakRssMb, hwm.hwmMb);
    const feedPaths = new Set(site.feeds.map((f) => new URL(f.url).pathname));
    const polled = new Set(site.server.requests.map((r) => r.path).filter((p) => feedPaths.has(p))).size;
    Object.assign(result, {
      seconds: SOAK_SECONDS,
      feeds: site.feeds.length,
      questions: asked,
      answered: sorted.length,
      slowestMs: Math.round(sorted.at(-1) ?? 0),
      p50Ms: Math.round(percentile(sorted, 50)),
      p95Ms: Math.round(percentile(sorted, 95)),
      alive,
      peakRssMb: Math.round(peakRssMb),
      heapLimitMb: HEAP_MB,
      leakedQuotes: leaks,
      privateRequests: site.privateServer.requests.length,
      hostileRequests: site.server.requests.length,
      feedsPolled: polled,
      loadBefore: loadBefore.map((l) => Number(l.toFixed(2))),
      loadAfter: loadavg().map((l) => Number(l.toFixed(2))),
      cores: availableParallelism(),
    });
    result.passed =
      result.answered === asked &&
      (result.slowestMs as number) <= TARGETS.slowestMs &&
      alive &&
      (result.peakRssMb as number) <= TARGETS.peakRssMb &&
      leaks === 0 &&
      result.privateRequests === 0;
  } finally {
    clearInterval(sampler);
    process.off("exit", kill);
    child.kill("SIGTERM");
    if (!(await exited(child, 10_000))) child.kill("SIGKILL");
    const errors = log.split("\n").filter((l) => / error /.test(l));
    if (errors.length > 0)
      process.stderr.write(`soak: the bot logged ${errors.length} errors, e.g.\n${errors.slice(0, 5).join("\n")}\n`);
    process.stderr.write(`soak: the bot's log ends with\n${log.split("\n").slice(-15).join("\n")}\n`);
    await shim.close().catch(() => undefined);
    await emulator.stop().catch(() => undefined);
    await site.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return result.passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`soak: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  },
);
