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
});
