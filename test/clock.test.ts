import { describe, expect, it } from "vitest";
import { bucharestDateTime, bucharestParts } from "../src/clock.js";

describe("bucharestParts / bucharestDateTime", () => {
  it("gives Bucharest's wall time in winter (UTC+2) and summer (UTC+3)", () => {
    const winter = Date.UTC(2026, 0, 15, 22, 5, 0);
    expect(bucharestParts(winter)).toMatchObject({ date: "2026-01-16", hour: 0, minute: 5, offsetMs: 2 * 3600_000 });
    expect(bucharestDateTime(winter)).toBe("2026-01-16 00:05");
    const summer = Date.UTC(2026, 6, 1, 9, 30, 0);
    expect(bucharestParts(summer)).toMatchObject({ date: "2026-07-01", hour: 12, minute: 30, offsetMs: 3 * 3600_000 });
    expect(bucharestDateTime(summer)).toBe("2026-07-01 12:30");
  });
});
