/**
 * Issue 9, end to end in one process: the poller reads every hostile feed of
 * hostile-server.ts (deep pages, regex bombs, huge pages, slow hosts, links into the private
 * network, broken documents, a flood) while questions are asked every 50 ms. The event loop
 * never stalls (monitorEventLoopDelay), nothing private is fetched or quoted, the index stays
 * within its budget, and a restart from what was stored loads within the budget too.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FeedPoller, type PollReport } from "../../src/feeds/feed-poller.js";
import { loadEngine } from "../../src/load-engine.js";
import { createMemoryLogger } from "../../src/logger.js";
import { Newsroom } from "../delivery/newsroom.js";
import { BELARUS_IRAN_PARAGRAPHS } from "./feed-server.js";
import { PRIVATE_WORD, startHostileSite, type HostileSite } from "./hostile-server.js";

const MAX_PASSAGES = 400;

/**
 * The longest stall allowed: 200 ms on a machine with a core to spare. On a shared machine
 * whose run queue is longer than its cores (load average above the core count), the OS alone
 * deschedules the thread for that long, so the bound grows with the load — it stays far below
 * the stalls this test exists for (11 s to 68 s before the fix).
 */
const STALL_LIMIT_MS = 200 * Math.max(1, loadavg()[0]! / availableParallelism());

let site: HostileSite;
let tmp: string;
beforeAll(async () => {
  site = await startHostileSite();
  tmp = mkdtempSync(join(tmpdir(), "citat-hostile-"));
});
afterAll(async () => {
  await site.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe("hostile feeds, polled while questions are asked", () => {
  it("never stall the event loop, leak nothing private, stay within the index budget, and restart cleanly", async () => {
    // The content folder's article stays whatever the feeds do (only feed articles are evicted).
    const room = new Newsroom({
      maxPassages: MAX_PASSAGES,
      articles: [
        {
          id: "acord",
          title: "Acord Belarus–Iran",
          date: "2025-08-21",
          url: null,
          source: "G4Media",
          body: BELARUS_IRAN_PARAGRAPHS.join("\n\n"),
        },
      ],
    });
    const poller = new FeedPoller(site.feeds, room.storage.feeds, room.publisher, room.logger, {
      clock: room.clock,
      budget: { timeMs: 4000, concurrency: 3, maxPageFetches: 20, maxNewItems: 50 },
    });
    // A question every 50 ms, timed.
    let slowestAnswerMs = 0;
    let answered = 0;
    const asking = setInterval(() => {
      const t = performance.now();
      room.engine.ask("Ce acord au semnat Belarusul şi Iranul?");
      slowestAnswerMs = Math.max(slowestAnswerMs, performance.now() - t);
      answered++;
    }, 50);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    let reports: PollReport[];
    try {
      reports = await poller.pollDue();
    } finally {
      delay.disable();
      clearInterval(asking);
      await poller.stop();
    }
    const byName = new Map(reports.map((r, i) => [site.feeds[i]!.name, r]));
    const stallMs = delay.max / 1e6;

    // Freezes: no stall over 200 ms (see STALL_LIMIT_MS) while every hostile document was read.
    expect(
      stallMs,
      `longest event-loop stall ${stallMs.toFixed(0)} ms (limit ${STALL_LIMIT_MS.toFixed(0)} ms at load ${loadavg()[0]!.toFixed(1)})`,
    ).toBeLessThan(STALL_LIMIT_MS);
    expect(answered).toBeGreaterThan(10);
    expect(slowestAnswerMs).toBeLessThan(STALL_LIMIT_MS);

    // SSRF: the private server was never asked anything; no article holds its text.
    expect(site.privateServer.requests).toEqual([]);
    const stored = (await room.storage.articles.storedArticles()).filter((a) => a.id.startsWith("feed:"));
    expect(stored.filter((a) => a.body.includes(PRIVATE_WORD) || a.title.includes(PRIVATE_WORD))).toEqual([]);
    expect(byName.get("Mutat")).toMatchObject({ status: "failed", error: expect.stringContaining("not a public address") });

    // Crash loop: every article within its caps, the index within its budget (oldest feed articles left, logged).
    expect(room.engine.index.passageCount).toBeLessThanOrEqual(MAX_PASSAGES);
    for (const a of stored) expect(a.body.length, a.title).toBeLessThanOrEqual(60_000);
    expect(room.logger.lines.filter((l) => l.includes("index:"))).toContainEqual(
      expect.stringContaining("oldest feed articles left the index"),
    );

    // Broken documents fail their poll; good items of a broken JSON Feed survive; budgets hold.
    for (const name of ["Doctype", "Doctype ascuns", "Rupt"]) expect(byName.get(name)?.status, name).toBe("failed");
    expect(byName.get("JSON")).toMatchObject({ status: "ok", published: 2 }); // the item with a broken URL is kept, without its URL
    expect(byName.get("Potop")!.published).toBeLessThanOrEqual(50);
    expect(stored.map((a) => a.title)).toContain("Şedinţa consiliului judeţean de la Cluj\ufffd");
    const future = stored.find((a) => a.title.startsWith("Ştire din viitorul"));
    expect(future?.date && future.date <= new Date().toISOString().slice(0, 10)).toBe(true);
    // The slow host cost one poll budget, not 12 × 15 s.
    expect(byName.get("Lent")!.status).toBe("ok");
    expect(room.engine.ask("Ce acord au semnat Belarusul şi Iranul?").found).toBe(true);

    // Restart: what was stored loads within the budget, and answers.
    const logger = createMemoryLogger();
    const engine = await loadEngine("content", join(tmp, "data"), logger, stored, MAX_PASSAGES);
    expect(engine.index.passageCount).toBeLessThanOrEqual(MAX_PASSAGES);
    expect(engine.ask("Ce acord au semnat Belarusul şi Iranul?").found).toBe(true);
  }, 120_000);
});
