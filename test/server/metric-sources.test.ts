import { describe, expect, it } from "vitest";
import { feedStates } from "../../src/server/metric-sources.js";
import { memoryStorage } from "../../src/storage/storage.js";

describe("feedStates", () => {
  it("counts the configured feeds that are failing and turned off, as /feeds shows them", async () => {
    const storage = await memoryStorage();
    const add = (url: string, name: string, polls: number, failures: number, disabledAt: number | null) =>
      storage.db.run("INSERT INTO feeds (url, name, polls, failures, disabled_at) VALUES (?, ?, ?, ?, ?)", [
        url,
        name,
        polls,
        failures,
        disabledAt,
      ]);
    await add("https://a.ro/feed", "A", 5, 0, null); // working
    await add("https://b.ro/feed", "B", 5, 2, null); // failing
    await add("https://c.ro/feed", "C", 9, 10, 1_700_000_000_000); // turned off
    await add("https://d.ro/feed", "D", 1, 3, null); // failing, but no longer configured
    expect(await feedStates(storage.feeds, ["A", "B", "C"])).toEqual({ failing: 1, disabled: 1 });
    expect(await feedStates(storage.feeds, [])).toEqual({ failing: 0, disabled: 0 });
    await storage.close();
  });
});
