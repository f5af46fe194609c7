/**
 * End to end: the real bot process (`node --import tsx src/main.ts`, as `npm start` runs it)
 * long-polls a Bot API emulator (telegram-test-api) over HTTP on 127.0.0.1, and a test user
 * talks to it through the emulator's client API. Nothing here leaves the loopback interface.
 *
 * Quirks of telegram-test-api 4.2.1 and how this file works around them (node_modules untouched):
 * 1. `port: 0` is not supported (`config.port || 9000` turns it into 9000), so a free port is
 *    found with node:net first; the short race with another process is covered by a retry.
 * 2. Its getUpdates answers at once, even when empty: it ignores `timeout` (and `offset`), so a
 *    long-polling bot re-polls about 1,400 times a second. A small loopback shim in front of it
 *    (`startLongPollShim`) holds an empty getUpdates until a user update arrives or the bot's
 *    `timeout` runs out, which is what the real Bot API does; every other call goes through
 *    untouched. The bot's TELEGRAM_API_ROOT is the shim.
 * 3. `client.getUpdates()` retries itself under p-timeout; when it times out, the inner retry loop
 *    keeps running and silently marks later bot messages as read. The user's inbox is therefore
 *    read with `client.getUpdatesHistory()` in our own bounded loop.
 * 4. Bot messages are stored as the bot sent them (HTML source, `chat_id`), not as Telegram would
 *    deliver them. A callback query's `message` is built here the way Telegram sends it: plain
 *    text, entities parsed out. The emulator doesn't parse HTML at all, so this file checks that
 *    each HTML reply would pass Telegram's parser (known tags, balanced, entities escaped).
 * 5. Unknown methods (sendChatAction, setMyCommands) answer HTTP 500 with `{message}` rather than
 *    `{ok:false, error_code, description}`; grammY turns that into an error without an
 *    error_code, which auto-retry doesn't retry. The bot must carry on regardless; it does.
 * 6. `server.stop()` throws if `start()` never succeeded; it is only called after a start.
 * 7. The package's types import `typegram`, which isn't installed (skipLibCheck hides it), so its
 *    stored messages are typed `any`; they are narrowed at runtime in `botMessagesIn`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TelegramClient } from "telegram-test-api/lib/modules/telegramClient.js";
import { TelegramServer } from "telegram-test-api/lib/telegramServer.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const HOST = "127.0.0.1";
/** Syntactically valid (digits:20+ word characters), known to nobody. */
const TOKEN = "123456789:AAEtestTokenForTheEmulator00";
/** The user's private chat; telegram-test-api's client defaults (user 1, chat 1). */
const CHAT_ID = 1;
/** A supergroup where a second user talks (the emulator's client takes any chat id and type). */
const GROUP_ID = -1001234;
const GROUP_USER_ID = 2;
/** What the emulator's getMe answers. */
const BOT_USER = { id: 666, is_bot: true, first_name: "Test First name", username: "TestNameBot" };
/** Telegram's limit for one message's text. */
const TELEGRAM_MESSAGE_LIMIT = 4096;
const TEST_TIMEOUT = 30_000;
const REPLY_TIMEOUT = 15_000;

// ---------------------------------------------------------------------------------------------
// Telegram HTML: what Telegram's parser accepts, and the plain text it turns it into.

const TELEGRAM_TAGS = new Set([
  "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
  "a", "code", "pre", "blockquote", "tg-emoji",
]);
const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

/** Plain text of a parse_mode HTML message; throws where Telegram would refuse to parse it. */
function telegramHtmlToText(html: string): string {
  const open: string[] = [];
  let text = "";
  const token = /<(\/?)([a-z-]+)(\s[^>]*)?>|&(#\d+|#x[0-9a-f]+|[a-z]+);|[<>&]/gi;
  let at = 0;
  for (let m = token.exec(html); m !== null; m = token.exec(html)) {
    text += html.slice(at, m.index);
    at = m.index + m[0].length;
    const [whole, closing, tag, , entity] = m;
    if (tag !== undefined) {
      const name = tag.toLowerCase();
      if (!TELEGRAM_TAGS.has(name)) throw new Error(`unsupported tag ${whole}`);
      if (closing === "") open.push(name);
      else if (open.pop() !== name) throw new Error(`unbalanced ${whole} at ${m.index}`);
    } else if (entity !== undefined) {
      const e = entity.toLowerCase();
      if (e.startsWith("#x")) text += String.fromCodePoint(parseInt(e.slice(2), 16));
      else if (e.startsWith("#")) text += String.fromCodePoint(Number(e.slice(1)));
      else if (e in ENTITIES) text += ENTITIES[e];
      else throw new Error(`unknown entity ${whole}`);
    } else {
      throw new Error(`unescaped "${whole}" at ${m.index}`);
    }
  }
  if (open.length > 0) throw new Error(`unclosed <${open.join(">, <")}>`);
  return text + html.slice(at);
}

// ---------------------------------------------------------------------------------------------
// The emulator, the long-polling shim in front of it, and the bot process.

async function freePort(): Promise<number> {
  const probe = createNetServer();
  probe.listen(0, HOST);
  await once(probe, "listening");
  const { port } = probe.address() as AddressInfo;
  probe.close();
  await once(probe, "close");
  return port;
}

/** Quirk 1: no port 0, so probe a free port and retry if someone takes it in between. */
async function startEmulator(): Promise<TelegramServer> {
  for (let attempt = 1; ; attempt++) {
    // storeTimeout: keep every message for the whole run (the default drops them after 60 s).
    const server = new TelegramServer({ port: await freePort(), host: HOST, storeTimeout: 600 });
    try {
      await server.start();
      return server;
    } catch (err) {
      if (attempt >= 5 || (err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw err;
    }
  }
}

interface LongPollShim {
  readonly url: string;
  /** getUpdates calls seen, and the largest `timeout` the bot asked for. */
  readonly stats: { getUpdates: number; maxTimeout: number };
  close(): Promise<void>;
}

/** Quirk 2: a loopback pass-through that gives the emulator's getUpdates long-poll semantics. */
async function startLongPollShim(emulator: TelegramServer): Promise<LongPollShim> {
  const target = emulator.config.apiURL;
  const stats = { getUpdates: 0, maxTimeout: 0 };
  let userUpdates = 0;
  const waiters = new Set<() => void>();
  const wake = () => {
    userUpdates++;
    for (const w of waiters) w();
  };
  const userEvents = ["AddedUserMessage", "AddedUserCommand", "AddedUserCallbackQuery"];
  for (const e of userEvents) emulator.on(e, wake);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    // Only ever the emulator: the request's path is appended to its root, never resolved as a URL.
    const url = new URL(`${target}${req.url?.startsWith("/") ? req.url : "/"}`);
    const isGetUpdates = /^\/bot[^/]+\/getUpdates$/.test(url.pathname);
    let holdMs = 0;
    if (isGetUpdates) {
      stats.getUpdates++;
      let params: Record<string, unknown> = Object.fromEntries(url.searchParams);
      if (/json/.test(req.headers["content-type"] ?? "") && body.length > 0) params = JSON.parse(body.toString());
      const timeout = Number(params.timeout ?? 0);
      stats.maxTimeout = Math.max(stats.maxTimeout, timeout);
      holdMs = Math.min(timeout, 50) * 1000;
    }
    const deadline = Date.now() + holdMs;
    let clientGone = false;
    res.once("close", () => {
      clientGone = true;
      for (const w of waiters) w();
    });
    for (;;) {
      const seen = userUpdates;
      const contentType = req.headers["content-type"];
      const upstream = await fetch(url, {
        method: req.method ?? "GET",
        ...(contentType ? { headers: { "content-type": contentType } } : {}),
        ...(body.length > 0 ? { body } : {}),
      });
      const text = await upstream.text();
      const empty = isGetUpdates && upstream.ok && (JSON.parse(text) as { result?: unknown[] }).result?.length === 0;
      const remaining = deadline - Date.now();
      if (!empty || remaining <= 0 || clientGone) {
        if (!clientGone) {
          res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" });
          res.end(text);
        }
        return;
      }
      if (userUpdates === seen) {
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            waiters.delete(done);
            resolve();
          };
          const timer = setTimeout(done, remaining);
          waiters.add(done);
        });
        if (clientGone) return;
      }
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: false, error_code: 502, description: `shim: ${String(err)}` }));
    });
  });
  server.listen(0, HOST);
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${HOST}:${port}`,
    stats,
    close: async () => {
      for (const e of userEvents) emulator.off(e, wake);
      for (const w of waiters) w();
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}

/** Passes only what node and tsx need: no proxies, no NODE_OPTIONS, no stray bot settings. */
function childEnv(apiRoot: string, dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of ["PATH", "HOME", "TMPDIR", "TMP", "TEMP", "SYSTEMROOT"]) {
    if (process.env[name] !== undefined) env[name] = process.env[name];
  }
  return {
    ...env,
    BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: apiRoot,
    CONTENT_DIR: join(ROOT, "content"),
    DATA_DIR: dataDir,
    LOG_LEVEL: "info",
    // A developer's .env must not change what is tested: point dotenv at a file that isn't there.
    DOTENV_CONFIG_PATH: join(dataDir, "absent.env"),
    NO_COLOR: "1",
  };
}

async function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  let timer: NodeJS.Timeout | undefined;
  const result = await Promise.race([
    once(child, "exit").then(() => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
  ]);
  clearTimeout(timer);
  return result;
}

async function withTimeout<T>(what: string, promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: timed out`)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// The user's side: what the bot sent to the chat.

interface BotMessage {
  readonly updateId: number;
  readonly messageId: number;
  readonly html: string;
  readonly parseMode: string | undefined;
  readonly buttons: { text: string; callback_data?: string }[];
  /** The message it replies to (reply_parameters), if any. */
  readonly replyTo: number | undefined;
}

type HistoryItem = { updateId: number; messageId: number; message?: Record<string, unknown> };

/** Quirk 7: the emulator's stored updates, narrowed to the bot's messages in one chat. */
function botMessagesIn(history: unknown[], chatId = CHAT_ID): BotMessage[] {
  const out: BotMessage[] = [];
  for (const item of history as HistoryItem[]) {
    const m = item.message;
    // User messages carry `chat`, user callback queries `callbackQuery` instead of `message`.
    if (m === undefined || !("chat_id" in m) || Number(m.chat_id) !== chatId) continue;
    const markup = m.reply_markup as { inline_keyboard?: BotMessage["buttons"][] } | undefined;
    const reply = m.reply_parameters as { message_id?: number } | undefined;
    out.push({
      updateId: item.updateId,
      messageId: item.messageId,
      html: String(m.text),
      parseMode: typeof m.parse_mode === "string" ? m.parse_mode : undefined,
      buttons: markup?.inline_keyboard?.flat() ?? [],
      replyTo: reply?.message_id,
    });
  }
  return out.sort((a, b) => a.updateId - b.updateId);
}

/** The id the emulator gave a user's message, found by its text. */
function userMessageId(history: unknown[], chatId: number, text: string): number | undefined {
  const item = (history as HistoryItem[]).find((i) => {
    const chat = i.message?.chat as { id?: number } | undefined;
    return chat?.id === chatId && i.message?.text === text;
  });
  return item?.messageId;
}

describe("the bot over HTTP long polling against telegram-test-api", () => {
  let emulator: TelegramServer | undefined;
  let shim: LongPollShim | undefined;
  let child: ChildProcess | undefined;
  let client: TelegramClient;
  let dataDir: string | undefined;
  let log = "";
  const seen = new Set<number>();
  const killOnExit = () => child?.kill("SIGKILL");

  const logTail = () => `\n--- bot stderr ---\n${log.split("\n").slice(-40).join("\n")}`;

  const assertAlive = () => {
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(`bot exited (code ${child.exitCode}, signal ${child.signalCode})${logTail()}`);
    }
  };

  async function waitForLog(text: string, ms = REPLY_TIMEOUT): Promise<void> {
    const deadline = Date.now() + ms;
    while (!log.includes(text)) {
      assertAlive();
      if (Date.now() > deadline) throw new Error(`no "${text}" in the bot's log within ${ms} ms${logTail()}`);
      await sleep(25);
    }
  }

  /** The next message the bot sent to the chat that the test hasn't looked at yet. */
  async function nextReply(ms = REPLY_TIMEOUT, chatId = CHAT_ID): Promise<BotMessage> {
    const deadline = Date.now() + ms;
    for (;;) {
      const fresh = botMessagesIn(await client.getUpdatesHistory(), chatId).find((m) => !seen.has(m.updateId));
      if (fresh) {
        seen.add(fresh.updateId);
        return fresh;
      }
      assertAlive();
      if (Date.now() > deadline) throw new Error(`no reply from the bot within ${ms} ms${logTail()}`);
      await sleep(25);
    }
  }

  const sendText = (text: string) => client.sendMessage(client.makeMessage(text));
  const sendCommand = (text: string) => client.sendCommand(client.makeCommand(text));

  beforeAll(async () => {
    emulator = await startEmulator();
    shim = await startLongPollShim(emulator);
    client = emulator.getClient(TOKEN, { userId: CHAT_ID, chatId: CHAT_ID });
    dataDir = mkdtempSync(join(tmpdir(), "citat-e2e-"));
    child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: ROOT,
      env: childEnv(shim.url, dataDir),
      stdio: ["ignore", "pipe", "pipe"],
    });
    process.once("exit", killOnExit);
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (log += chunk));
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (log += chunk));
    // main.ts logs this from grammY's onStart: getMe and deleteWebhook went through, polling runs.
    await waitForLog(`polling ${shim.url}`, 20_000);
  }, TEST_TIMEOUT);

  afterAll(async () => {
    process.off("exit", killOnExit);
    if (child && !(await exited(child, 0))) {
      child.kill("SIGTERM");
      if (!(await exited(child, 5_000))) {
        child.kill("SIGKILL");
        await exited(child, 5_000);
      }
    }
    await shim?.close().catch(() => {});
    // Quirk 6: only a started emulator can be stopped.
    if (emulator) await withTimeout("emulator stop", emulator.stop(), 5_000).catch(() => {});
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, TEST_TIMEOUT);

  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => console.error(`bot log at the failure:${logTail()}`));
  });

  it("answers /start with the welcome, after shrugging off the missing setMyCommands", async () => {
    expect(log).toContain("setMyCommands failed (ignored)");
    await sendCommand("/start");
    const reply = await nextReply();
    expect(reply.parseMode).toBe("HTML");
    const text = telegramHtmlToText(reply.html);
    expect(text).toContain("Citat");
    expect(text.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
  }, TEST_TIMEOUT);

  let answer: BotMessage | undefined;

  it("answers a question with the verbatim quote, under the length limit, despite no sendChatAction", async () => {
    const question = "Ce tratat vor să încheie Belarusul și Iranul?";
    await sendText(question);
    answer = await nextReply();
    expect(answer.parseMode).toBe("HTML");
    expect(answer.html.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT); // render.ts's own promise
    const text = telegramHtmlToText(answer.html);
    expect(text.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT); // what Telegram counts
    expect(text.split("\n")[0]).toBe(`🔎 ${question}`);
    expect(text).toContain("tratat de parteneriat strategic");
    expect(text).toContain("G4Media");
    await waitForLog("sendChatAction failed (ignored)");
  }, TEST_TIMEOUT);

  it('says "Nu am găsit" to a question the news doesn\'t answer', async () => {
    await sendText("Care este rețeta de sarmale a bunicii?");
    const reply = await nextReply();
    const text = telegramHtmlToText(reply.html);
    expect(text).toContain("Nu am găsit");
    expect(text).toContain("sarmale");
    expect(reply.buttons).toEqual([]);
  }, TEST_TIMEOUT);

  it('"Mai multe ›" under the answer brings the next quotes', async () => {
    expect(answer, "the question's answer (previous test)").toBeDefined();
    const first = answer as BotMessage;
    const more = first.buttons.find((b) => b.text === "Mai multe ›");
    // The seed article has more than one page of quotes for this question.
    expect(more?.callback_data).toMatch(/^more:\d+$/);
    // Quirk 4: the pressed message as Telegram would send it back: plain text, from the bot.
    const pressed = client.makeCallbackQuery(more?.callback_data as string, {
      message: {
        message_id: first.messageId,
        date: Math.floor(Date.now() / 1000),
        from: BOT_USER,
        text: telegramHtmlToText(first.html),
      },
    });
    await client.sendCallback(pressed);
    const next = await nextReply();
    const text = telegramHtmlToText(next.html);
    expect(text.split("\n")[0]).toBe(telegramHtmlToText(first.html).split("\n")[0]);
    expect(next.html).toContain("<blockquote>");
    // A new page, not the first one again.
    const quotes = (html: string) => html.match(/<blockquote>[\s\S]*?<\/blockquote>/g) ?? [];
    for (const q of quotes(next.html)) expect(quotes(first.html)).not.toContain(q);
  }, TEST_TIMEOUT);

  it("understands a follow-up question in the context of the previous one", async () => {
    await sendText("Ce au discutat Lukașenko și Pezeshkian la Minsk?");
    const first = telegramHtmlToText((await nextReply()).html);
    await sendText("Și ce a spus Pezeshkian?");
    const second = telegramHtmlToText((await nextReply()).html);
    const lines = second.split("\n");
    expect(lines[0]).toBe("🔎 Și ce a spus Pezeshkian?");
    expect(lines[1]).toBe("↪ în legătură cu: discutat, Lukașenko, Minsk");
    expect(second).toContain("Pezeshkian");
    // Not the same first quote again.
    expect(second.split("\n\n")[1]).not.toBe(first.split("\n\n")[1]);
  }, TEST_TIMEOUT);

  it("in a group, ignores what isn't addressed to it and answers a mention as a reply", async () => {
    const group = emulator!.getClient(TOKEN, { userId: GROUP_USER_ID, chatId: GROUP_ID, type: "supergroup", chatTitle: "Redacția", firstName: "Ion" });
    await group.sendMessage(group.makeMessage("Bună dimineața, ce tratat vor să încheie Belarusul și Iranul?"));
    const question = `@${BOT_USER.username} Ce tratat vor să încheie Belarusul și Iranul?`;
    await group.sendMessage(group.makeMessage(question));
    const reply = await nextReply(REPLY_TIMEOUT, GROUP_ID);
    const text = telegramHtmlToText(reply.html);
    expect(text.split("\n")[0]).toBe("🔎 Ce tratat vor să încheie Belarusul și Iranul?");
    expect(text).toContain("tratat de parteneriat strategic");
    const history = await client.getUpdatesHistory();
    expect(reply.replyTo).toBe(userMessageId(history, GROUP_ID, question));
    // Only the mention was answered.
    await sleep(200);
    expect(botMessagesIn(await client.getUpdatesHistory(), GROUP_ID).filter((m) => !seen.has(m.updateId))).toEqual([]);
  }, TEST_TIMEOUT);

  it("long-polled, sent nothing else, logged no error, and stops cleanly on SIGTERM", async () => {
    // A held getUpdates per batch of updates, not a busy loop.
    expect(shim?.stats.maxTimeout).toBeGreaterThan(0);
    expect(shim?.stats.getUpdates).toBeLessThan(50);
    await sleep(200); // a stray extra message (e.g. the failure notice) would show up by now
    expect(botMessagesIn(await client.getUpdatesHistory()).filter((m) => !seen.has(m.updateId))).toEqual([]);
    expect(log).not.toMatch(/\[citat\] (error|fatal)/);

    const bot = child as ChildProcess;
    bot.kill("SIGTERM");
    expect(await exited(bot, 10_000), `bot still running 10 s after SIGTERM${logTail()}`).toBe(true);
    expect(bot.exitCode).toBe(0);
    expect(log).toContain("telegram: stopped");
  }, TEST_TIMEOUT);
});
