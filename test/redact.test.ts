import { describe, expect, it } from "vitest";
import { redact, redactUrl } from "../src/redact.js";

describe("redactUrl", () => {
  it("keeps the host and path, drops credentials and a /bot<token> path", () => {
    expect(redactUrl("https://api.telegram.org")).toBe("https://api.telegram.org");
    expect(redactUrl("http://127.0.0.1:8081")).toBe("http://127.0.0.1:8081");
    const shown = redactUrl("https://user:p4ss@tg.example:8443/prefix/bot123456:ABCdefGHIjklMNOpqrSTUvwx");
    expect(shown).toContain("tg.example:8443/prefix/bot[redacted]");
    expect(shown).not.toMatch(/user|p4ss|ABCdef/);
  });
});

describe("redact", () => {
  it("gets through long hostile input (bounded quantifiers: a quadratic pass would time the test out)", () => {
    const long = `${"a".repeat(200_000)}://${"b".repeat(200_000)}`;
    expect(redact(long)).toBe(long);
    const digits = `${"9".repeat(200_000)}:`;
    expect(redact(digits)).toBe(digits);
  });

  it("leaves ordinary text alone", () => {
    const text = "index: 12:30 ready, see https://g4media.ro/a?b=c and 2025-08-20";
    expect(redact(text)).toBe(text);
  });
});
