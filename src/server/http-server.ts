/**
 * The bot's HTTP server (node:http): the Telegram webhook, `GET /healthz` and `GET /metrics`.
 *
 * The webhook checks `X-Telegram-Bot-Api-Secret-Token` (401 without the right one), reads at
 * most 1 MiB, claims the update_id in the update log (a re-sent update is acknowledged and
 * skipped) and answers 200 before handling the update: Telegram waits for the response before
 * sending the next updates, and it re-sends what took too long. An update acknowledged this
 * way is lost if the process dies before handling it — the price of answering fast.
 */
import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Update } from "grammy/types";
import type { Logger } from "../logger.js";
import type { UpdateLog } from "./update-log.js";

/** A webhook request body larger than this is refused (Telegram's updates are a few KB). */
export const MAX_UPDATE_BYTES = 1 << 20;

export type WebhookResult = "accepted" | "duplicate" | "unauthorized" | "bad_request" | "busy" | "error";

export interface WebhookOptions {
  /** The path of WEBHOOK_URL, where Telegram posts. */
  readonly path: string;
  readonly secret: string;
  readonly updateLog: UpdateLog;
  /** Takes the update for handling after the 200; false when it cannot (the webhook answers 503). */
  readonly accept: (update: Update) => boolean;
  /** Whether `accept` would refuse now (checked before the update_id is claimed). */
  readonly busy: () => boolean;
  /** Told of every webhook request's result (metrics). */
  readonly onResult?: (result: WebhookResult) => void;
}

export interface HealthReport {
  /** The database answers a query. */
  readonly database: boolean;
  /** The index is loaded (and the bot not shutting down). */
  readonly index: boolean;
  /** Passages in the index, for the reader. */
  readonly passages?: number;
}

export interface BotServerOptions {
  readonly logger: Logger;
  /** Without it (polling mode) only /healthz and /metrics are served. */
  readonly webhook?: WebhookOptions;
  /** 200 when every check passes, else 503. */
  readonly health: () => HealthReport | Promise<HealthReport>;
  readonly metrics?: () => Promise<{ contentType: string; body: string }>;
}

/** A request body that is too large or not an update. */
class BadRequest extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
    this.name = "BadRequest";
  }
}

export function createBotServer(options: BotServerOptions): Server {
  const server = createServer((req, res) => {
    route(req, res, options).catch((err: unknown) => {
      options.logger.error(`server: ${req.method} ${pathOf(req)} failed`, err);
      if (!res.headersSent) send(res, 500, "internal error\n");
      else res.destroy();
    });
  });
  // Slow or stuck clients don't keep sockets open for long.
  server.requestTimeout = 15_000;
  server.headersTimeout = 10_000;
  return server;
}

/** Listens on `port` (0: any free port) and resolves with the port. */
export async function listen(server: Server, port: number, host?: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  return typeof address === "object" && address !== null ? address.port : port;
}

/** Stops taking connections and resolves when the open ones are done (idle ones closed now). */
export async function close(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await closed;
}

async function route(req: IncomingMessage, res: ServerResponse, options: BotServerOptions): Promise<void> {
  const path = pathOf(req);
  const webhook = options.webhook;
  if (webhook && path === webhook.path) {
    if (req.method !== "POST") return send(res, 405, "POST only\n", { allow: "POST" });
    const result = await handleWebhook(req, res, webhook);
    webhook.onResult?.(result);
    return;
  }
  if (path === "/healthz" && (req.method === "GET" || req.method === "HEAD")) {
    const report = await safeHealth(options);
    const ok = report.database && report.index;
    return send(res, ok ? 200 : 503, `${JSON.stringify({ status: ok ? "ok" : "unavailable", ...report })}\n`, {
      "content-type": "application/json",
    });
  }
  if (path === "/metrics" && options.metrics && (req.method === "GET" || req.method === "HEAD")) {
    const { contentType, body } = await options.metrics();
    return send(res, 200, body, { "content-type": contentType });
  }
  send(res, 404, "not found\n");
}

async function handleWebhook(req: IncomingMessage, res: ServerResponse, webhook: WebhookOptions): Promise<WebhookResult> {
  if (!secretMatches(req.headers["x-telegram-bot-api-secret-token"], webhook.secret)) {
    req.resume();
    send(res, 401, "unauthorized\n");
    return "unauthorized";
  }
  let update: Update;
  try {
    update = parseUpdate(await readBody(req, MAX_UPDATE_BYTES));
  } catch (err) {
    if (!(err instanceof BadRequest)) throw err;
    send(res, err.status, `${err.message}\n`, err.status === 413 ? { connection: "close" } : {});
    return "bad_request";
  }
  // Refused before claiming, so Telegram's re-send is handled rather than skipped.
  if (webhook.busy()) {
    send(res, 503, "busy\n", { "retry-after": "1" });
    return "busy";
  }
  let first: boolean;
  try {
    first = await webhook.updateLog.claim(update.update_id);
  } catch (err) {
    send(res, 500, "update log unavailable\n");
    throw err;
  }
  send(res, 200, "");
  if (!first) return "duplicate";
  return webhook.accept(update) ? "accepted" : "busy";
}

function secretMatches(header: string | string[] | undefined, secret: string): boolean {
  if (typeof header !== "string") return false;
  const given = Buffer.from(header);
  const expected = Buffer.from(secret);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new BadRequest(413, "update too large");
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BadRequest(413, "update too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseUpdate(body: string): Update {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new BadRequest(400, "body is not JSON");
  }
  if (typeof value !== "object" || value === null || !Number.isSafeInteger((value as { update_id?: unknown }).update_id)) {
    throw new BadRequest(400, "not a Telegram update (no update_id)");
  }
  return value as Update;
}

async function safeHealth(options: BotServerOptions): Promise<HealthReport> {
  try {
    return await options.health();
  } catch (err) {
    options.logger.warn(`server: health check failed: ${err instanceof Error ? err.message : String(err)}`);
    return { database: false, index: false };
  }
}

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  return q === -1 ? url : url.slice(0, q);
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers, "content-length": Buffer.byteLength(body) });
  res.end(res.req.method === "HEAD" ? undefined : body);
}
