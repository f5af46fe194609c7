/**
 * Configuration from environment variables. `loadConfig` is pure (it takes the env as an
 * argument) so it is tested without touching process.env; only main.ts and the CLI call it.
 */
import { DEFAULT_LIMITS } from "./content/limits.js";
import { redactUrl } from "./redact.js";

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(`config: ${variable} ${reason}`);
    this.name = "ConfigError";
  }
}

export interface Config {
  /** Telegram bot token; null runs the local terminal chat instead. */
  readonly botToken: string | null;
  /** Bot API server root, e.g. a self-hosted telegram-bot-api or a test emulator. */
  readonly apiRoot: string;
  readonly contentDir: string;
  readonly dataDir: string;
  readonly logLevel: "info" | "warn" | "silent";
  /** `text` (one line per record, for people) or `json` (one JSON object per line) (LOG_FORMAT). */
  readonly logFormat: "text" | "json";
  /** Days questions, votes and the links to the bot's answer messages are kept (QUESTION_RETENTION_DAYS). */
  readonly questionRetentionDays: number;
  /** Telegram user ids allowed to use /stats. */
  readonly adminIds: readonly number[];
  /** FEEDS as set: undefined when unset (feeds.json or the default list), "" turns polling off. */
  readonly feeds: string | undefined;
  /** Poll interval when a feed gives no hint (FEED_INTERVAL_MINUTES, clamped to 5…360). */
  readonly feedIntervalMinutes: number;
  /** How long feed articles stay in the index (FEED_RETENTION_DAYS). */
  readonly feedRetentionDays: number;
  /** Hour (Europe/Bucharest) the daily digests go out (DIGEST_HOUR, 0–23). */
  readonly digestHour: number;
  /** DATABASE_URL: a postgres:// URL puts all state in Postgres (several instances); null: SQLite in DATA_DIR. */
  readonly databaseUrl: string | null;
  /** Public https URL Telegram posts updates to (WEBHOOK_URL); null: long polling. */
  readonly webhookUrl: string | null;
  /** Secret Telegram sends in X-Telegram-Bot-Api-Secret-Token (WEBHOOK_SECRET; required with WEBHOOK_URL). */
  readonly webhookSecret: string | null;
  /** PORT as set: the webhook/health/metrics server's port (8080 in webhook mode); null in polling mode serves none. */
  readonly port: number | null;
  /** Updates handled at once (BOT_CONCURRENCY); updates of one chat (one user in a group) stay in order. */
  readonly concurrency: number;
  /** Milliseconds an answer may take before "typing…" is shown (TYPING_DELAY_MS; 0: always, at once). */
  readonly typingDelayMs: number;
  /** Limits on untrusted text and on the index (README, "Security and limits"). */
  readonly limits: LimitsConfig;
}

/** The limits' variables, as numbers in the units named. */
export interface LimitsConfig {
  readonly articleMaxChars: number;
  readonly articleMaxPassages: number;
  readonly contentMaxFileMb: number;
  readonly parseTimeoutMs: number;
  readonly parseWorkers: number;
  readonly parseWorkerMemoryMb: number;
  readonly pageMaxMb: number;
  readonly pageMaxDepth: number;
  readonly feedMaxNewItems: number;
  readonly feedMaxPageFetches: number;
  readonly feedPageConcurrency: number;
  readonly feedPollBudgetSeconds: number;
  readonly indexMaxPassages: number;
}

export const DEFAULT_API_ROOT = "https://api.telegram.org";

const MB = 1024 * 1024;

/**
 * The defaults of the limit variables: the content limits are those of content/limits.ts, so
 * that a default is written once (the feed budget and the index budget, whose modules are heavier
 * to import here, are checked equal to theirs by test/config.test.ts).
 */
export const DEFAULT_LIMITS_CONFIG: LimitsConfig = {
  articleMaxChars: DEFAULT_LIMITS.articleMaxChars,
  articleMaxPassages: DEFAULT_LIMITS.articleMaxPassages,
  contentMaxFileMb: DEFAULT_LIMITS.fileMaxBytes / MB,
  parseTimeoutMs: DEFAULT_LIMITS.parseTimeoutMs,
  parseWorkers: DEFAULT_LIMITS.parseWorkers,
  parseWorkerMemoryMb: DEFAULT_LIMITS.parseWorkerMemoryMb,
  pageMaxMb: DEFAULT_LIMITS.pageMaxBytes / MB,
  pageMaxDepth: DEFAULT_LIMITS.html.maxDepth,
  feedMaxNewItems: 50,
  feedMaxPageFetches: 20,
  feedPageConcurrency: 3,
  feedPollBudgetSeconds: 30,
  indexMaxPassages: 200_000,
};

const TOKEN = /^\d+:[\w-]{20,}$/;

export function loadConfig(env: Record<string, string | undefined>): Config {
  const value = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === undefined || v === "" ? undefined : v;
  };
  const botToken = value("BOT_TOKEN") ?? null;
  if (botToken !== null && !TOKEN.test(botToken)) {
    throw new ConfigError("BOT_TOKEN", "does not look like a token from @BotFather (digits:letters)");
  }
  const apiRoot = (value("TELEGRAM_API_ROOT") ?? DEFAULT_API_ROOT).replace(/\/+$/, "");
  let url: URL;
  try {
    url = new URL(apiRoot);
  } catch {
    throw new ConfigError("TELEGRAM_API_ROOT", `must be an http(s) URL, got "${redactUrl(apiRoot)}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError("TELEGRAM_API_ROOT", `must be an http(s) URL, got "${redactUrl(apiRoot)}"`);
  }
  const logLevel = value("LOG_LEVEL") ?? "info";
  if (logLevel !== "info" && logLevel !== "warn" && logLevel !== "silent") {
    throw new ConfigError("LOG_LEVEL", `must be info, warn or silent, got "${logLevel}"`);
  }
  const logFormat = value("LOG_FORMAT") ?? "text";
  if (logFormat !== "text" && logFormat !== "json") {
    throw new ConfigError("LOG_FORMAT", `must be text or json, got "${logFormat}"`);
  }
  const adminIds = (value("ADMIN_IDS") ?? "")
    .split(",")
    .map((id) => id.trim())
    .filter((id) => id !== "")
    .map((id) => {
      if (!/^\d{1,15}$/.test(id))
        throw new ConfigError("ADMIN_IDS", `must be Telegram user ids separated by commas, got "${id}"`);
      return Number(id);
    });
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max)
      throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got "${raw}"`);
    return Number(raw);
  };
  const databaseUrl = value("DATABASE_URL") ?? null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\/[^\s]+$/i.test(databaseUrl)) {
    throw new ConfigError("DATABASE_URL", "must be a postgres:// URL (unset: SQLite in DATA_DIR)");
  }
  const { webhookUrl, webhookSecret } = webhookConfig(value("WEBHOOK_URL"), value("WEBHOOK_SECRET"));
  return {
    databaseUrl,
    webhookUrl,
    webhookSecret,
    port: value("PORT") === undefined ? null : integer("PORT", 8080, 1, 65535),
    concurrency: integer("BOT_CONCURRENCY", 100, 1, 10_000),
    typingDelayMs: integer("TYPING_DELAY_MS", 500, 0, 60_000),
    feeds: env.FEEDS,
    feedIntervalMinutes: integer("FEED_INTERVAL_MINUTES", 15, 5, 360),
    feedRetentionDays: integer("FEED_RETENTION_DAYS", 30, 1, 3650),
    digestHour: integer("DIGEST_HOUR", 8, 0, 23),
    questionRetentionDays: integer("QUESTION_RETENTION_DAYS", 30, 1, 3650),
    limits: {
      articleMaxChars: integer("ARTICLE_MAX_CHARS", DEFAULT_LIMITS_CONFIG.articleMaxChars, 1_000, 10_000_000),
      articleMaxPassages: integer("ARTICLE_MAX_PASSAGES", DEFAULT_LIMITS_CONFIG.articleMaxPassages, 10, 100_000),
      contentMaxFileMb: integer("CONTENT_MAX_FILE_MB", DEFAULT_LIMITS_CONFIG.contentMaxFileMb, 1, 4096),
      parseTimeoutMs: integer("PARSE_TIMEOUT_MS", DEFAULT_LIMITS_CONFIG.parseTimeoutMs, 100, 600_000),
      parseWorkers: integer("PARSE_WORKERS", DEFAULT_LIMITS_CONFIG.parseWorkers, 1, 16),
      parseWorkerMemoryMb: integer("PARSE_WORKER_MEMORY_MB", DEFAULT_LIMITS_CONFIG.parseWorkerMemoryMb, 32, 8192),
      pageMaxMb: integer("PAGE_MAX_MB", DEFAULT_LIMITS_CONFIG.pageMaxMb, 1, 100),
      pageMaxDepth: integer("PAGE_MAX_DEPTH", DEFAULT_LIMITS_CONFIG.pageMaxDepth, 16, 100_000),
      feedMaxNewItems: integer("FEED_MAX_NEW_ITEMS", DEFAULT_LIMITS_CONFIG.feedMaxNewItems, 1, 10_000),
      feedMaxPageFetches: integer("FEED_MAX_PAGE_FETCHES", DEFAULT_LIMITS_CONFIG.feedMaxPageFetches, 0, 10_000),
      feedPageConcurrency: integer("FEED_PAGE_CONCURRENCY", DEFAULT_LIMITS_CONFIG.feedPageConcurrency, 1, 32),
      feedPollBudgetSeconds: integer("FEED_POLL_BUDGET_SECONDS", DEFAULT_LIMITS_CONFIG.feedPollBudgetSeconds, 5, 3600),
      indexMaxPassages: integer("INDEX_MAX_PASSAGES", DEFAULT_LIMITS_CONFIG.indexMaxPassages, 1_000, 100_000_000),
    },
    botToken,
    apiRoot,
    contentDir: value("CONTENT_DIR") ?? "./content",
    dataDir: value("DATA_DIR") ?? "./data",
    logLevel,
    logFormat,
    adminIds,
  };
}

/** The webhook port when PORT is unset. */
export const DEFAULT_PORT = 8080;

/** Telegram's rule for secret_token: 1–256 characters, A-Z, a-z, 0-9, _ and -. */
const SECRET = /^[A-Za-z0-9_-]{1,256}$/;
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * WEBHOOK_URL must be https (Telegram calls nothing else); plain http is accepted only on a
 * loopback host, for a local Bot API server or a test emulator. A webhook without a secret
 * would accept updates from anyone who finds the URL, so WEBHOOK_SECRET is required with it.
 */
function webhookConfig(
  rawUrl: string | undefined,
  secret: string | undefined,
): { webhookUrl: string | null; webhookSecret: string | null } {
  if (rawUrl === undefined) return { webhookUrl: null, webhookSecret: secret ?? null };
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new ConfigError("WEBHOOK_URL", `must be an https URL, got "${redactUrl(rawUrl)}"`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname))) {
    throw new ConfigError("WEBHOOK_URL", `must be an https URL (http only on 127.0.0.1/localhost), got "${redactUrl(rawUrl)}"`);
  }
  if (secret === undefined)
    throw new ConfigError("WEBHOOK_SECRET", "must be set with WEBHOOK_URL (1–256 characters: letters, digits, _ and -)");
  if (!SECRET.test(secret)) throw new ConfigError("WEBHOOK_SECRET", "must be 1–256 characters: letters, digits, _ and -");
  return { webhookUrl: url.href, webhookSecret: secret };
}
