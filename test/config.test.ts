import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_API_ROOT, DEFAULT_LIMITS_CONFIG, loadConfig } from "../src/config.js";
import { DEFAULT_LIMITS } from "../src/content/limits.js";
import { DEFAULT_FEED_BUDGET } from "../src/feeds/feed-poller.js";
import { DEFAULT_INDEX_MAX_PASSAGES } from "../src/search/index-budget.js";

describe("loadConfig", () => {
  it("defaults to the terminal chat, Telegram's API, ./content and ./data", () => {
    expect(loadConfig({})).toEqual({
      botToken: null,
      apiRoot: DEFAULT_API_ROOT,
      contentDir: "./content",
      dataDir: "./data",
      logLevel: "info",
      logFormat: "text",
      adminIds: [],
      feeds: undefined,
      feedIntervalMinutes: 15,
      feedRetentionDays: 30,
      digestHour: 8,
      questionRetentionDays: 30,
      databaseUrl: null,
      webhookUrl: null,
      webhookSecret: null,
      port: null,
      concurrency: 100,
      typingDelayMs: 500,
      limits: DEFAULT_LIMITS_CONFIG,
    });
  });

  it("treats empty values as unset", () => {
    expect(loadConfig({ BOT_TOKEN: "  ", CONTENT_DIR: "" }).botToken).toBeNull();
    expect(loadConfig({ CONTENT_DIR: "" }).contentDir).toBe("./content");
  });

  it("reads every variable and trims a trailing slash from the API root", () => {
    const c = loadConfig({
      TYPING_DELAY_MS: "0",
      BOT_TOKEN: "123456:ABCdefGHIjklMNOpqrSTUvwx",
      TELEGRAM_API_ROOT: "http://127.0.0.1:9001/",
      CONTENT_DIR: "/srv/news",
      DATA_DIR: "/var/lib/citat",
      LOG_LEVEL: "warn",
      LOG_FORMAT: "json",
      QUESTION_RETENTION_DAYS: "7",
      ADMIN_IDS: "123456789, 42",
      DATABASE_URL: "postgres://citat:pw@db:5432/citat",
    });
    expect(c).toEqual({
      botToken: "123456:ABCdefGHIjklMNOpqrSTUvwx",
      apiRoot: "http://127.0.0.1:9001",
      contentDir: "/srv/news",
      dataDir: "/var/lib/citat",
      logLevel: "warn",
      logFormat: "json",
      adminIds: [123456789, 42],
      feeds: undefined,
      feedIntervalMinutes: 15,
      feedRetentionDays: 30,
      digestHour: 8,
      questionRetentionDays: 7,
      databaseUrl: "postgres://citat:pw@db:5432/citat",
      webhookUrl: null,
      webhookSecret: null,
      port: null,
      concurrency: 100,
      typingDelayMs: 0,
      limits: DEFAULT_LIMITS_CONFIG,
    });
  });

  it("reads the limits on untrusted text and the index, and refuses values out of range", () => {
    const c = loadConfig({
      ARTICLE_MAX_CHARS: "5000",
      INDEX_MAX_PASSAGES: "20000",
      PARSE_TIMEOUT_MS: "800",
      FEED_PAGE_CONCURRENCY: "1",
      PAGE_MAX_DEPTH: "64",
    });
    expect(c.limits).toEqual({
      ...DEFAULT_LIMITS_CONFIG,
      articleMaxChars: 5000,
      indexMaxPassages: 20000,
      parseTimeoutMs: 800,
      feedPageConcurrency: 1,
      pageMaxDepth: 64,
    });
    expect(() => loadConfig({ INDEX_MAX_PASSAGES: "10" })).toThrow(/INDEX_MAX_PASSAGES/);
    expect(() => loadConfig({ PARSE_WORKERS: "0" })).toThrow(/PARSE_WORKERS/);
  });

  it("names the variable when a value is wrong", () => {
    expect(() => loadConfig({ BOT_TOKEN: "not-a-token" })).toThrow(ConfigError);
    expect(() => loadConfig({ BOT_TOKEN: "not-a-token" })).toThrow(/BOT_TOKEN/);
    expect(() => loadConfig({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ TELEGRAM_API_ROOT: "ftp://x" })).toThrow(/TELEGRAM_API_ROOT/);
    expect(() => loadConfig({ ADMIN_IDS: "42, @ana" })).toThrow(/ADMIN_IDS.*@ana/);
    expect(() => loadConfig({ TELEGRAM_API_ROOT: "nonsense" })).toThrow(/TELEGRAM_API_ROOT/);
    expect(() => loadConfig({ LOG_LEVEL: "debug" })).toThrow(/LOG_LEVEL/);
    expect(() => loadConfig({ LOG_FORMAT: "xml" })).toThrow(/LOG_FORMAT/);
    expect(() => loadConfig({ QUESTION_RETENTION_DAYS: "0" })).toThrow(/QUESTION_RETENTION_DAYS/);
  });

  it("never echoes credentials or a token from a wrong TELEGRAM_API_ROOT", () => {
    const root = "ftp://admin:hunter22@api.example/bot123456:ABCdefGHIjklMNOpqrSTUvwx";
    expect(() => loadConfig({ TELEGRAM_API_ROOT: root })).toThrow(/TELEGRAM_API_ROOT/);
    let message = "";
    try {
      loadConfig({ TELEGRAM_API_ROOT: root });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain("api.example");
    expect(message).not.toMatch(/hunter22|admin|ABCdefGHI/);
  });

  it("switches to a webhook with WEBHOOK_URL, which needs https (http only on loopback) and a secret", () => {
    const c = loadConfig({
      WEBHOOK_URL: "https://bot.example.ro/telegram",
      WEBHOOK_SECRET: "s3cret_-X",
      PORT: "9090",
      BOT_CONCURRENCY: "20",
    });
    expect(c).toMatchObject({
      webhookUrl: "https://bot.example.ro/telegram",
      webhookSecret: "s3cret_-X",
      port: 9090,
      concurrency: 20,
    });
    expect(loadConfig({ WEBHOOK_URL: "http://127.0.0.1:8080/hook", WEBHOOK_SECRET: "x" }).webhookUrl).toBe(
      "http://127.0.0.1:8080/hook",
    );
    expect(() => loadConfig({ WEBHOOK_URL: "http://bot.example.ro/telegram", WEBHOOK_SECRET: "x" })).toThrow(
      /WEBHOOK_URL.*https/,
    );
    expect(() => loadConfig({ WEBHOOK_URL: "not a url", WEBHOOK_SECRET: "x" })).toThrow(/WEBHOOK_URL/);
    expect(() => loadConfig({ WEBHOOK_URL: "https://bot.example.ro/telegram" })).toThrow(/WEBHOOK_SECRET.*must be set/);
    expect(() => loadConfig({ WEBHOOK_URL: "https://bot.example.ro/telegram", WEBHOOK_SECRET: "has space" })).toThrow(
      /WEBHOOK_SECRET/,
    );
    expect(() => loadConfig({ PORT: "70000" })).toThrow(/PORT/);
    expect(() => loadConfig({ BOT_CONCURRENCY: "0" })).toThrow(/BOT_CONCURRENCY/);
  });

  it("keeps FEEDS as set (empty turns polling off) and checks the feed numbers", () => {
    expect(loadConfig({ FEEDS: "" }).feeds).toBe("");
    expect(loadConfig({ FEEDS: "G4Media=https://www.g4media.ro/feed" }).feeds).toBe("G4Media=https://www.g4media.ro/feed");
    expect(loadConfig({ FEED_INTERVAL_MINUTES: "30", FEED_RETENTION_DAYS: "7", DIGEST_HOUR: "0" })).toMatchObject({
      feedIntervalMinutes: 30,
      feedRetentionDays: 7,
      digestHour: 0,
    });
    expect(() => loadConfig({ FEED_INTERVAL_MINUTES: "1" })).toThrow(/FEED_INTERVAL_MINUTES.*5 to 360/);
    expect(() => loadConfig({ DIGEST_HOUR: "24" })).toThrow(/DIGEST_HOUR/);
    expect(() => loadConfig({ FEED_RETENTION_DAYS: "soon" })).toThrow(/FEED_RETENTION_DAYS/);
  });
});

describe("limit defaults", () => {
  it("are the modules' own defaults: an unset variable behaves as a module used without config", () => {
    expect(DEFAULT_LIMITS_CONFIG.articleMaxChars).toBe(DEFAULT_LIMITS.articleMaxChars);
    expect(DEFAULT_LIMITS_CONFIG.pageMaxMb * 1024 * 1024).toBe(DEFAULT_LIMITS.pageMaxBytes);
    expect(DEFAULT_LIMITS_CONFIG.contentMaxFileMb * 1024 * 1024).toBe(DEFAULT_LIMITS.fileMaxBytes);
    expect(DEFAULT_LIMITS_CONFIG.indexMaxPassages).toBe(DEFAULT_INDEX_MAX_PASSAGES);
    expect({
      maxNewItems: DEFAULT_LIMITS_CONFIG.feedMaxNewItems,
      maxPageFetches: DEFAULT_LIMITS_CONFIG.feedMaxPageFetches,
      concurrency: DEFAULT_LIMITS_CONFIG.feedPageConcurrency,
      timeMs: DEFAULT_LIMITS_CONFIG.feedPollBudgetSeconds * 1000,
    }).toEqual(DEFAULT_FEED_BUDGET);
  });
});
