import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_API_ROOT, loadConfig } from "../src/config.js";

describe("loadConfig", () => {
  it("defaults to the terminal chat, Telegram's API, ./content and ./data", () => {
    expect(loadConfig({})).toEqual({
      botToken: null,
      apiRoot: DEFAULT_API_ROOT,
      contentDir: "./content",
      dataDir: "./data",
      logLevel: "info",
      adminIds: [],
      feeds: undefined,
      feedIntervalMinutes: 15,
      feedRetentionDays: 30,
      digestHour: 8,
    });
  });

  it("treats empty values as unset", () => {
    expect(loadConfig({ BOT_TOKEN: "  ", CONTENT_DIR: "" }).botToken).toBeNull();
    expect(loadConfig({ CONTENT_DIR: "" }).contentDir).toBe("./content");
  });

  it("reads every variable and trims a trailing slash from the API root", () => {
    const c = loadConfig({
      BOT_TOKEN: "123456:ABCdefGHIjklMNOpqrSTUvwx",
      TELEGRAM_API_ROOT: "http://127.0.0.1:9001/",
      CONTENT_DIR: "/srv/news",
      DATA_DIR: "/var/lib/citat",
      LOG_LEVEL: "warn",
      ADMIN_IDS: "123456789, 42",
    });
    expect(c).toEqual({
      botToken: "123456:ABCdefGHIjklMNOpqrSTUvwx",
      apiRoot: "http://127.0.0.1:9001",
      contentDir: "/srv/news",
      dataDir: "/var/lib/citat",
      logLevel: "warn",
      adminIds: [123456789, 42],
      feeds: undefined,
      feedIntervalMinutes: 15,
      feedRetentionDays: 30,
      digestHour: 8,
    });
  });

  it("names the variable when a value is wrong", () => {
    expect(() => loadConfig({ BOT_TOKEN: "not-a-token" })).toThrow(ConfigError);
    expect(() => loadConfig({ BOT_TOKEN: "not-a-token" })).toThrow(/BOT_TOKEN/);
    expect(() => loadConfig({ TELEGRAM_API_ROOT: "ftp://x" })).toThrow(/TELEGRAM_API_ROOT/);
    expect(() => loadConfig({ ADMIN_IDS: "42, @ana" })).toThrow(/ADMIN_IDS.*@ana/);
    expect(() => loadConfig({ TELEGRAM_API_ROOT: "nonsense" })).toThrow(/TELEGRAM_API_ROOT/);
    expect(() => loadConfig({ LOG_LEVEL: "debug" })).toThrow(/LOG_LEVEL/);
  });

  it("keeps FEEDS as set (empty turns polling off) and checks the feed numbers", () => {
    expect(loadConfig({ FEEDS: "" }).feeds).toBe("");
    expect(loadConfig({ FEEDS: "G4Media=https://www.g4media.ro/feed" }).feeds).toBe("G4Media=https://www.g4media.ro/feed");
    expect(loadConfig({ FEED_INTERVAL_MINUTES: "30", FEED_RETENTION_DAYS: "7", DIGEST_HOUR: "0" })).toMatchObject({ feedIntervalMinutes: 30, feedRetentionDays: 7, digestHour: 0 });
    expect(() => loadConfig({ FEED_INTERVAL_MINUTES: "1" })).toThrow(/FEED_INTERVAL_MINUTES.*5 to 360/);
    expect(() => loadConfig({ DIGEST_HOUR: "24" })).toThrow(/DIGEST_HOUR/);
    expect(() => loadConfig({ FEED_RETENTION_DAYS: "soon" })).toThrow(/FEED_RETENTION_DAYS/);
  });
});
