/**
 * `npm run load`: many people asking at once. The real bot (`node --import tsx src/main.ts`, as
 * `npm start` runs it) against the telegram-test-api emulator behind a proxy on 127.0.0.1 that
 * adds a delay to every Bot API call (80 ms by default: a round trip to Telegram). N questions
 * from U private chats arrive together; the time from each question's arrival to the bot's
 * sendMessage reply in its chat (as the proxy answers it) is its latency.
 *
 *   npm run load                                  # 400 questions from 400 chats, long polling
 *   npm run load -- --questions 200 --users 100 --latency 80
 *   npm run load -- --webhook                     # updates posted to the bot's webhook instead
 *   npm run load -- --webhook --instances 2 --env DATABASE_URL=postgres://…   # two bot processes
 *   npm run load -- --bot-root /tmp/other-checkout  # the bot from another checkout (before/after)
 *
 * Options: --questions N, --users U, --latency MS, --concurrency C (BOT_CONCURRENCY), --webhook,
 * --instances K (webhook only: K processes on K ports, updates spread round-robin),
 * --env KEY=VALUE (repeatable, passed to every bot), --bot-root DIR, --timeout S,
 * --profile DIR (each bot writes a V8 CPU profile there when it exits), --warmup W (questions
 * each bot answers first, one at a time, not measured: default 5).
 * The last line printed is JSON: {questions, users, latencyMs, answered, perSecond, p50Ms, p95Ms, …}.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import {
  childEnv,
  exited,
  HOST,
  ROOT,
  sleep,
  startEmulator,
  startLongPollShim,
  TOKEN,
  withTimeout,
  type ShimCall,
} from "../test/e2e/emulator.js";

/** Questions about the bundled article (content/), asked in turn; answered or declined, each gets one reply. */
const QUESTIONS = [
  "Ce tratat vor să încheie Belarusul și Iranul?",
  "Ce au discutat Lukașenko și Pezeshkian la Minsk?",
  "Ce spune Iranul despre relația cu Belarus?",
  "Despre ce subiecte a vorbit Lukașenko?",
  "Cine a fost în vizită la Minsk?",
];
const SECRET = "load-test-secret";
/** Chat ids start here (the emulator's own test user is 1). */
const FIRST_CHAT = 10_000;
/** The warm-up questions' chats, below the measured ones. */
const WARMUP_CHAT = 5_000;

/** Posts a private-chat text message to a bot's webhook, as Telegram would. */
async function postUpdate(port: number, chat: number, updateId: number, text: string): Promise<void> {
  const update = {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chat, type: "private", first_name: `U${chat}` },
      from: { id: chat, is_bot: false, first_name: `U${chat}`, language_code: "ro" },
      text,
    },
  };
  const r = await fetch(`http://${HOST}:${port}/telegram`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
    body: JSON.stringify(update),
  });
  if (r.status !== 200) throw new Error(`webhook answered ${r.status}: ${await r.text()}`);
}

interface BotHandle {
  readonly child: ChildProcess;
  readonly log: () => string;
  readonly port: number | undefined;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

/** CPU seconds a process has used (Linux /proc; undefined elsewhere). */
function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  const probe = createServer().listen(0, HOST);
  await new Promise((r) => probe.once("listening", r));
  const port = (probe.address() as { port: number }).port;
  await new Promise((r) => probe.close(r));
  return port;
}

function startBot(botRoot: string, env: NodeJS.ProcessEnv, profileDir: string | undefined): BotHandle {
  const profile = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${resolve(profileDir)}`] : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", "src/main.ts"], {
    cwd: botRoot,
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let output = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  process.once("exit", () => child.kill("SIGKILL"));
  return { child, log: () => output, port: env.PORT === undefined ? undefined : Number(env.PORT) };
}

async function waitUntilReady(bot: BotHandle, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!/telegram: @\S+ (polling|webhook)/.test(bot.log())) {
    if (bot.child.exitCode !== null) throw new Error(`bot exited (${bot.child.exitCode}):\n${bot.log().slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`bot not ready within ${ms} ms:\n${bot.log().slice(-3000)}`);
    await sleep(50);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      questions: { type: "string", default: "400" },
      users: { type: "string" },
      latency: { type: "string", default: "80" },
      concurrency: { type: "string" },
      webhook: { type: "boolean", default: false },
      instances: { type: "string", default: "1" },
      env: { type: "string", multiple: true, default: [] },
      "bot-root": { type: "string" },
      timeout: { type: "string", default: "120" },
      profile: { type: "string" },
      warmup: { type: "string", default: "5" },
    },
  });
  const questions = Number(values.questions);
  const users = Number(values.users ?? values.questions);
  const latencyMs = Number(values.latency);
  const instances = Number(values.instances);
  const webhook = values.webhook === true;
  const botRoot = values["bot-root"] ? resolve(values["bot-root"]) : ROOT;
  if (![questions, users, latencyMs, instances].every((n) => Number.isInteger(n) && n >= 0) || users < 1 || instances < 1) {
    throw new Error("--questions, --users, --latency and --instances take whole numbers (users, instances ≥ 1)");
  }
  if (instances > 1 && !webhook) throw new Error("--instances > 1 needs --webhook (long polling serves one process)");
  const extraEnv: Record<string, string> = {};
  for (const kv of values.env ?? []) {
    const eq = kv.indexOf("=");
    if (eq <= 0) throw new Error(`--env takes KEY=VALUE, got "${kv}"`);
    extraEnv[kv.slice(0, eq)] = kv.slice(eq + 1);
  }

  const emulator = await startEmulator();
  /** Per chat: when each reply was answered by the proxy, in order. */
  const replies = new Map<number, number[]>();
  let replyCount = 0;
  let apiCalls = 0;
  const shim = await startLongPollShim(emulator, {
    delayMs: latencyMs,
    onCall: (call: ShimCall) => {
      apiCalls++;
      if (call.method !== "sendMessage" || call.status !== 200) return;
      const chat = Number(call.params.chat_id);
      if (!(chat >= WARMUP_CHAT)) return;
      const list = replies.get(chat) ?? [];
      list.push(call.at);
      replies.set(chat, list);
      replyCount++;
    },
  });
  const work = mkdtempSync(join(tmpdir(), "citat-load-"));
  const bots: BotHandle[] = [];
  try {
    for (let i = 0; i < instances; i++) {
      const port = webhook ? await freePort() : undefined;
      const env = childEnv(shim.url, join(work, `data-${i}`), {
        CONTENT_DIR: join(botRoot, "content"),
        LOG_LEVEL: "info",
        ...(values.concurrency ? { BOT_CONCURRENCY: values.concurrency } : {}),
        ...(port !== undefined
          ? { WEBHOOK_URL: `http://${HOST}:${port}/telegram`, WEBHOOK_SECRET: SECRET, PORT: String(port) }
          : {}),
        ...extraEnv,
      });
      bots.push(startBot(botRoot, env, values.profile));
    }
    await Promise.all(bots.map((b) => waitUntilReady(b, 60_000)));
    process.stderr.write(
      `load: ${instances} bot(s) ready (${webhook ? "webhook" : "long polling"}), ${latencyMs} ms per Bot API call; sending ${questions} questions from ${users} chats\n`,
    );

    // update_ids unique to this run: a database reused between runs (--env DATABASE_URL) has
    // claimed the previous run's ids.
    const runBase = Date.now();
    // A running bot is warm: a few questions from other chats first (not counted), so the first
    // question's one-off costs (JIT, first queries) don't land on the measured ones.
    const warmup = Number(values.warmup);
    for (let i = 0; i < warmup; i++) {
      for (const [b, bot] of bots.entries()) {
        const chat = WARMUP_CHAT + b * 100 + i;
        const before = replyCount;
        if (webhook)
          await postUpdate(bot.port as number, chat, runBase - 1_000 + b * 100 + i, QUESTIONS[i % QUESTIONS.length] as string);
        else
          await emulator.addUserMessage(
            emulator.getClient(TOKEN, { userId: chat, chatId: chat }).makeMessage(QUESTIONS[i % QUESTIONS.length] as string),
          );
        while (replyCount === before) await sleep(5);
      }
    }
    replies.clear();
    replyCount = 0;

    const cpuBefore = bots.map((b) => cpuSeconds(b.child.pid));
    const ownCpuBefore = process.cpuUsage();
    const sentAt = new Map<number, number[]>();
    const t0 = performance.now();
    const posts: Promise<unknown>[] = [];
    for (let q = 0; q < questions; q++) {
      const chat = FIRST_CHAT + (q % users);
      const text = QUESTIONS[Math.floor(q / users) % QUESTIONS.length] as string;
      const list = sentAt.get(chat) ?? [];
      if (webhook) {
        list.push(performance.now());
        posts.push(postUpdate(bots[q % bots.length]?.port as number, chat, runBase + q, text));
      } else {
        const client = emulator.getClient(TOKEN, { userId: chat, chatId: chat, firstName: `U${chat}` });
        list.push(performance.now());
        posts.push(emulator.addUserMessage(client.makeMessage(text)));
      }
      sentAt.set(chat, list);
    }
    await Promise.all(posts);
    const postedMs = performance.now() - t0;

    const deadline = Date.now() + Number(values.timeout) * 1000;
    while (replyCount < questions && Date.now() < deadline) {
      for (const b of bots) if (b.child.exitCode !== null) throw new Error(`a bot exited:\n${b.log().slice(-3000)}`);
      await sleep(20);
    }
    const cpuAfter = bots.map((b) => cpuSeconds(b.child.pid));
    const ownCpu = process.cpuUsage(ownCpuBefore);

    const latencies: number[] = [];
    let last = t0;
    for (const [chat, sends] of sentAt) {
      const got = replies.get(chat) ?? [];
      sends.forEach((at, i) => {
        const reply = got[i];
        if (reply === undefined) return;
        latencies.push(reply - at);
        last = Math.max(last, reply);
      });
    }
    latencies.sort((a, b) => a - b);
    const seconds = (last - t0) / 1000;
    const cpu = cpuBefore.map((before, i) =>
      before === undefined || cpuAfter[i] === undefined ? undefined : (cpuAfter[i] as number) - before,
    );
    const result = {
      questions,
      users,
      latencyMs,
      answered: latencies.length,
      perSecond: seconds > 0 ? Math.round((latencies.length / seconds) * 10) / 10 : null,
      p50Ms: Math.round(percentile(latencies, 50)),
      p95Ms: Math.round(percentile(latencies, 95)),
      maxMs: Math.round(latencies[latencies.length - 1] ?? NaN),
      mode: webhook ? "webhook" : "polling",
      instances,
      postedMs: Math.round(postedMs),
      apiCalls,
      botCpuPercent: cpu.map((c) => (c === undefined || seconds <= 0 ? null : Math.round((c / seconds) * 100))),
      /** CPU the bot(s) spent per answered question: the capacity of a free core is 1000 / this per second. */
      botCpuMsPerQuestion:
        latencies.length > 0 && cpu.every((c) => c !== undefined)
          ? Math.round(((cpu.reduce((a, c) => (a as number) + (c as number), 0) as number) * 1e4) / latencies.length) / 10
          : null,
      /** This process: the emulator, the delay proxy and the client side. */
      emulatorCpuPercent: seconds > 0 ? Math.round(((ownCpu.user + ownCpu.system) / 1e6 / seconds) * 100) : null,
    };
    if (result.answered < questions)
      process.stderr.write(`load: only ${result.answered} of ${questions} answered within ${values.timeout} s\n`);
    console.log(JSON.stringify(result));
  } finally {
    for (const b of bots) {
      b.child.kill("SIGTERM");
      if (!(await exited(b.child, 10_000))) b.child.kill("SIGKILL");
    }
    await shim.close().catch(() => {});
    await withTimeout("emulator stop", emulator.stop(), 5_000).catch(() => {});
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`load: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
