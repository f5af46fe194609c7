/** Log lines: one record per line whatever is quoted, timestamps and levels, JSON on request, no secrets. */
import { describe, expect, it } from "vitest";
import { createStderrLogger, type LogFormat, type LogLevel } from "../src/logger.js";

const TOKEN = "123456789:AAEsecretTokenValue0123456789abcdef";
const AT = new Date("2026-01-31T08:00:00.000Z");

function capture(level: LogLevel = "info", format: LogFormat = "text") {
  const out: string[] = [];
  const logger = createStderrLogger(level, { format, secrets: [TOKEN], write: (l) => void out.push(l), now: () => AT });
  return { logger, out, text: () => out.join("") };
}

describe("createStderrLogger", () => {
  it("text: a timestamp, the level and the message, one line per record", () => {
    const { logger, out } = capture();
    logger.info("index: ready");
    logger.warn("feeds: slow");
    expect(out).toEqual(["2026-01-31T08:00:00.000Z info  index: ready\n", "2026-01-31T08:00:00.000Z warn  feeds: slow\n"]);
  });

  it("a file name or feed title cannot forge a log line or reach the terminal as an escape", () => {
    const { logger, text } = capture();
    const hostile = "stiri.md\n2026-01-31T08:00:00.000Z error  admin password reset\r\x1b[2J\x1b[31mred\u202eevil\u0085";
    logger.warn(`content: ${hostile} skipped`);
    logger.error("feeds: failed", new Error(`bad title ${hostile}`));
    const lines = text()
      .split("\n")
      .filter((l) => l !== "");
    // Record lines start with a timestamp; stack frames are indented "at" lines.
    for (const l of lines) expect(l).toMatch(/^(2026-01-31T08:00:00\.000Z (info |warn |error) | {4}at )/);
    expect(lines.filter((l) => !l.startsWith("    at "))).toHaveLength(2);
    expect(text()).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/);
    expect(lines[0]).toContain(
      "stiri.md\\n2026-01-31T08:00:00.000Z error  admin password reset\\r\\x1b[2J\\x1b[31mred\\u202eevil\\x85 skipped",
    );
  });

  it("json: one object per line that parses, with time, level, msg and err", () => {
    const { logger, out } = capture("info", "json");
    logger.info('feeds: "Știri"\nfake line');
    logger.error("bot: update 7 failed", new TypeError("boom\x1b[0m"));
    expect(out.every((l) => l.endsWith("\n") && l.indexOf("\n") === l.length - 1)).toBe(true);
    const [info, error] = out.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(info).toEqual({ time: "2026-01-31T08:00:00.000Z", level: "info", msg: 'feeds: "Știri"\\nfake line' });
    expect(error).toMatchObject({ level: "error", msg: "bot: update 7 failed", err: { message: "TypeError: boom\\x1b[0m" } });
    expect(String((error?.err as { stack?: string } | undefined)?.stack)).toMatch(/at /);
  });

  it("levels: warn hides info, silent hides everything", () => {
    const warn = capture("warn");
    warn.logger.info("hidden");
    warn.logger.warn("shown");
    warn.logger.error("shown too");
    expect(warn.out).toHaveLength(2);
    const silent = capture("silent");
    silent.logger.warn("x");
    silent.logger.error("y", new Error("z"));
    expect(silent.out).toEqual([]);
  });

  it("redacts the token, a /bot<token> path and URL credentials in messages and errors", () => {
    for (const format of ["text", "json"] as const) {
      const { logger, text } = capture("info", format);
      logger.info(`telegram: polling https://admin:s3cretPass@api.example/`);
      const fetchError = new Error(`request to http://127.0.0.1:9/bot${TOKEN}/getUpdates failed, reason: connect ECONNREFUSED`);
      logger.error(
        "telegram: getUpdates",
        Object.assign(new Error("Network request for 'getUpdates' failed!"), { error: fetchError }),
      );
      logger.warn(`other token 987654:ZZZotherTokenNotConfigured0123456789 in /bot987654:ZZZ/x`);
      const all = text();
      expect(all).not.toContain(TOKEN);
      expect(all).not.toContain("AAEsecret");
      expect(all).not.toContain("s3cretPass");
      expect(all).not.toContain("ZZZotherToken");
      expect(all).toContain("ECONNREFUSED");
      expect(all).toContain("[redacted]");
    }
  });
});
