/**
 * The Bot API emulator setup shared by the end-to-end tests: telegram-test-api on 127.0.0.1,
 * the long-polling shim in front of it, the bot process's environment, and readers for what
 * the bot sent. See telegram-emulator.test.ts for the emulator's quirks worked around here.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { TelegramServer } from "telegram-test-api/lib/telegramServer.js";
import { expect } from "vitest";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const HOST = "127.0.0.1";
/** Syntactically valid (digits:20+ word characters), known to nobody. */
export const TOKEN = "123456789:AAEtestTokenForTheEmulator00";
/** The user's private chat; telegram-test-api's client defaults (user 1, chat 1). */
export const CHAT_ID = 1;

// ---------------------------------------------------------------------------------------------
// Telegram HTML: what Telegram's parser accepts, and the plain text it turns it into.

const TELEGRAM_TAGS = new Set([
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "span",
  "tg-spoiler",
  "a",
  "code",
  "pre",
  "blockquote",
  "tg-emoji",
]);
const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

/** Plain text of a parse_mode HTML message; throws where Telegram would refuse to parse it. */
export function telegramHtmlToText(html: string): string {
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

export async function freePort(): Promise<number> {
  const probe = createNetServer();
  probe.listen(0, HOST);
  await once(probe, "listening");
  const { port } = probe.address() as AddressInfo;
  probe.close();
  await once(probe, "close");
  return port;
}

/** Quirk 1: no port 0, so probe a free port and retry if someone takes it in between. */
export async function startEmulator(): Promise<TelegramServer> {
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

export interface LongPollShim {
  readonly url: string;
  /** getUpdates calls seen, and the largest `timeout` the bot asked for. */
  readonly stats: { getUpdates: number; maxTimeout: number };
  close(): Promise<void>;
}

/** A Bot API call that went through the shim, told when its response was sent. */
export interface ShimCall {
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly status: number;
  /** performance.now() when the response was written. */
  readonly at: number;
}

export interface ShimOptions {
  /** Added to every Bot API call before it is answered: a round trip to Telegram (load tests). */
  readonly delayMs?: number;
  /** Told of every call once answered (except getUpdates that returned nothing). */
  readonly onCall?: (call: ShimCall) => void;
  /**
   * getUpdates through this shim only reaches the emulator while `open()` is true (else it
   * waits, as with no updates): two bot instances behind two shims, the test decides which one
   * receives the next update.
   */
  readonly open?: () => boolean;
}

/**
 * Quirk 2: a loopback pass-through that gives the emulator's getUpdates long-poll semantics
 * and honours its `limit` (the emulator returns every unread update at once: the rest wait
 * here for the next call). Quirk 8: the emulator posts webhook updates without the
 * X-Telegram-Bot-Api-Secret-Token header Telegram sends, so a setWebhook is rewritten to point
 * at a relay here that adds the header and forwards to the bot's URL, as Telegram would.
 */
export async function startLongPollShim(emulator: TelegramServer, options: ShimOptions = {}): Promise<LongPollShim> {
  const target = emulator.config.apiURL;
  const stats = { getUpdates: 0, maxTimeout: 0 };
  const delayMs = options.delayMs ?? 0;
  let userUpdates = 0;
  const waiters = new Set<() => void>();
  const wake = () => {
    userUpdates++;
    for (const w of waiters) w();
  };
  const userEvents = ["AddedUserMessage", "AddedUserCommand", "AddedUserCallbackQuery"];
  for (const e of userEvents) emulator.on(e, wake);
  /** Updates the emulator returned beyond the bot's `limit`. */
  let backlog: unknown[] = [];
  const relay = await startWebhookRelay();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body = Buffer.concat(chunks);
    // Only ever the emulator: the request's path is appended to its root, never resolved as a URL.
    const url = new URL(`${target}${req.url?.startsWith("/") ? req.url : "/"}`);
    const method = /^\/bot[^/]+\/(\w+)$/.exec(url.pathname)?.[1] ?? "";
    let params: Record<string, unknown> = Object.fromEntries(url.searchParams);
    const isJson = /json/.test(req.headers["content-type"] ?? "");
    if (isJson && body.length > 0) params = JSON.parse(body.toString()) as Record<string, unknown>;
    const isGetUpdates = method === "getUpdates";
    let contentType = req.headers["content-type"];
    if (method === "setWebhook" && typeof params.url === "string") {
      relay.target = { url: params.url, secret: typeof params.secret_token === "string" ? params.secret_token : undefined };
      body = Buffer.from(JSON.stringify({ ...params, url: relay.url }));
      contentType = "application/json";
    }
    let holdMs = 0;
    const limit = Math.max(1, Math.min(100, Number(params.limit ?? 100) || 100));
    if (isGetUpdates) {
      stats.getUpdates++;
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
    const answer = async (status: number, contentType: string, text: string) => {
      if (delayMs > 0) await sleep(delayMs);
      if (clientGone) return;
      res.writeHead(status, { "content-type": contentType });
      res.end(text);
      options.onCall?.({ method, params, status, at: performance.now() });
    };
    for (;;) {
      if (isGetUpdates && backlog.length > 0) {
        const batch = backlog.slice(0, limit);
        backlog = backlog.slice(limit);
        return answer(200, "application/json", JSON.stringify({ ok: true, result: batch }));
      }
      const seen = userUpdates;
      if (isGetUpdates && options.open && !options.open()) {
        const remaining = deadline - Date.now();
        if (remaining <= 0 || clientGone) {
          if (!clientGone)
            res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true, result: [] }));
          return;
        }
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            waiters.delete(done);
            resolve();
          };
          const timer = setTimeout(done, Math.min(remaining, 100));
          waiters.add(done);
        });
        continue;
      }
      const upstream = await fetch(url, {
        method: req.method ?? "GET",
        ...(contentType ? { headers: { "content-type": contentType } } : {}),
        ...(body.length > 0 ? { body } : {}),
      });
      let text = await upstream.text();
      let result: unknown[] | undefined;
      if (isGetUpdates && upstream.ok) {
        result = (JSON.parse(text) as { result?: unknown[] }).result ?? [];
        if (result.length > limit) {
          backlog.push(...result.slice(limit));
          text = JSON.stringify({ ok: true, result: result.slice(0, limit) });
        }
      }
      const empty = result !== undefined && result.length === 0;
      const remaining = deadline - Date.now();
      if (!empty || remaining <= 0 || clientGone) {
        return answer(upstream.status, upstream.headers.get("content-type") ?? "application/json", text);
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
      await relay.close();
    },
  };
}

interface WebhookRelay {
  readonly url: string;
  /** Where updates go, as the bot's setWebhook asked (null until then). */
  target: { url: string; secret: string | undefined } | null;
  close(): Promise<void>;
}

/**
 * Quirk 8: forwards the emulator's webhook posts to the bot, with the secret header added.
 * Quirk 9: the emulator's client route doesn't wait for its webhook post, so two messages sent
 * in quick succession get the same update_id. The relay delivers as Telegram does: one update
 * after the other, in the order they came, each under a fresh update_id.
 */
async function startWebhookRelay(): Promise<WebhookRelay> {
  const relay: WebhookRelay = { url: "", target: null, close: async () => {} };
  let nextUpdateId = 500_000;
  let previous: Promise<unknown> = Promise.resolve();
  const server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const target = relay.target;
      if (target === null) {
        res.writeHead(404).end();
        return;
      }
      const update = { ...(JSON.parse(Buffer.concat(chunks).toString()) as object), update_id: nextUpdateId++ };
      const delivery = previous.then(() =>
        fetch(target.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            ...(target.secret ? { "x-telegram-bot-api-secret-token": target.secret } : {}),
          },
          body: JSON.stringify(update),
        }),
      );
      previous = delivery.catch(() => {});
      const upstream = await delivery;
      res.writeHead(upstream.status, { "content-type": "text/plain" }).end(await upstream.text());
    })().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(String(err));
    });
  });
  server.listen(0, HOST);
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return Object.assign(relay, {
    url: `http://${HOST}:${port}/relay`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  });
}

/** Passes only what node and tsx need: no proxies, no NODE_OPTIONS, no stray bot settings. */
export function childEnv(apiRoot: string, dataDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
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
    // No feed polling: nothing may leave the loopback interface (a test serves its own feeds).
    FEEDS: "",
    ...extra,
  };
}

export async function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  let timer: NodeJS.Timeout | undefined;
  const result = await Promise.race([
    once(child, "exit").then(() => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
  ]);
  clearTimeout(timer);
  return result;
}

export async function withTimeout<T>(what: string, promise: Promise<T>, ms: number): Promise<T> {
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

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// The user's side: what the bot sent to the chat.

export interface BotMessage {
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
export function botMessagesIn(history: unknown[], chatId = CHAT_ID): BotMessage[] {
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
export function userMessageId(history: unknown[], chatId: number, text: string): number | undefined {
  const item = (history as HistoryItem[]).find((i) => {
    const chat = i.message?.chat as { id?: number } | undefined;
    return chat?.id === chatId && i.message?.text === text;
  });
  return item?.messageId;
}

/**
 * The real bot as `npm start` runs it (`node --import tsx src/main.ts`), its stdout and stderr
 * collected for assertions and for diagnostics when a test fails. Killed with the test run if
 * the test process exits first.
 */
export class BotProcess {
  readonly child: ChildProcess;
  private output = "";
  private readonly killOnExit = () => this.child.kill("SIGKILL");

  constructor(env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    process.once("exit", this.killOnExit);
    this.child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (this.output += chunk));
    this.child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (this.output += chunk));
  }

  /** Everything the bot has printed so far. */
  get log(): string {
    return this.output;
  }

  /** The last lines of the log, for error messages. */
  tail(): string {
    return `\n--- bot stderr ---\n${this.output.split("\n").slice(-40).join("\n")}`;
  }

  /** Throws (with the log's tail) if the bot has exited. */
  assertAlive(): void {
    const c = this.child;
    if (c.exitCode !== null || c.signalCode !== null)
      throw new Error(`bot exited (code ${c.exitCode}, signal ${c.signalCode})${this.tail()}`);
  }

  async waitForLog(text: string, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.output.includes(text)) {
      this.assertAlive();
      if (Date.now() > deadline) throw new Error(`no "${text}" in the bot's log within ${ms} ms${this.tail()}`);
      await sleep(25);
    }
  }

  /** SIGTERM, then SIGKILL after 5 s if it is still running. */
  async stop(): Promise<void> {
    process.off("exit", this.killOnExit);
    if (await exited(this.child, 0)) return;
    this.child.kill("SIGTERM");
    if (!(await exited(this.child, 5_000))) {
      this.child.kill("SIGKILL");
      await exited(this.child, 5_000);
    }
  }
}

/** How long an e2e test waits for a reply by default. */
export const REPLY_TIMEOUT = 15_000;

/**
 * The bot's messages to the test's chats, each handed out once and in order: every e2e test
 * waits for "the next reply" and then checks that nothing more came. While it waits it checks
 * that the bots are alive; a timeout carries their logs' tails.
 */
export class BotReplies {
  private readonly seen = new Set<number>();

  constructor(
    private readonly history: () => Promise<unknown[]> | unknown[],
    private readonly bots: () => ReadonlyArray<BotProcess | undefined>,
  ) {}

  /** The next `count` messages to a chat not handed out yet, within `ms`. */
  async next(count = 1, chatId = CHAT_ID, ms = REPLY_TIMEOUT): Promise<BotMessage[]> {
    const deadline = Date.now() + ms;
    for (;;) {
      const fresh = (await this.unseen(chatId)).slice(0, count);
      if (fresh.length === count) {
        for (const m of fresh) this.seen.add(m.updateId);
        return fresh;
      }
      for (const b of this.bots()) b?.assertAlive();
      if (Date.now() > deadline)
        throw new Error(`${fresh.length} of ${count} replies in chat ${chatId} within ${ms} ms${this.tails()}`);
      await sleep(25);
    }
  }

  /** The next message to a chat (see next). */
  async one(chatId = CHAT_ID, ms = REPLY_TIMEOUT): Promise<BotMessage> {
    return (await this.next(1, chatId, ms))[0]!;
  }

  /** The messages to a chat not handed out yet: after a pause, none means the bot said nothing more. */
  async unseen(chatId = CHAT_ID): Promise<BotMessage[]> {
    return botMessagesIn(await this.history(), chatId).filter((m) => !this.seen.has(m.updateId));
  }

  /** The bots' logs' tails, for failure messages. */
  tails(): string {
    return this.bots()
      .map((b) => b?.tail() ?? "")
      .join("");
  }
}

/** Stops what an e2e file started (whatever did start), then removes its folders. */
export async function stopAll(parts: {
  bots: ReadonlyArray<BotProcess | undefined>;
  shims: ReadonlyArray<LongPollShim | undefined>;
  emulator: TelegramServer | undefined;
  dirs: ReadonlyArray<string | undefined>;
}): Promise<void> {
  await Promise.all(parts.bots.map((b) => b?.stop()));
  for (const s of parts.shims) await s?.close().catch(() => {});
  // Only a started emulator can be stopped.
  if (parts.emulator) await withTimeout("emulator stop", parts.emulator.stop(), 5_000).catch(() => {});
  for (const d of parts.dirs) if (d) rmSync(d, { recursive: true, force: true });
}

/** Today's date in Bucharest (YYYY-MM-DD): an article of today is news, so it is notified. */
export const todayInBucharest = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Bucharest" }).format(new Date());

/** The Markdown article the e2e tests drop into a content folder: it matches `/subscribe Belarus Iran`. */
export const NEW_ARTICLE = (date: string) => `---
title: Belarusul şi Iranul au semnat un acord de cooperare militară
date: ${date}
url: https://stiri.example.ro/2025/belarus-iran-acord
source: Exemplu Știri
---
Belarusul şi Iranul au semnat joi la Teheran un acord de cooperare militară, au anunţat ministerele apărării din cele două ţări, la o zi după vizita preşedintelui Aleksandr Lukaşenko.

Potrivit comunicatului, acordul prevede exerciţii comune şi schimb de experţi, fără o clauză de apărare reciprocă.
`;

/**
 * SIGTERM, as a process manager stops the bot: it must exit 0 within 10 s, having stopped its
 * Telegram loop (the assertions every e2e file ends with).
 */
export async function expectCleanStop(bot: BotProcess): Promise<void> {
  const child = bot.child;
  child.kill("SIGTERM");
  expect(await exited(child, 10_000), `bot still running 10 s after SIGTERM${bot.tail()}`).toBe(true);
  expect(child.exitCode).toBe(0);
  expect(bot.log).toContain("telegram: stopped");
}
