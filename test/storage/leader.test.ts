/** Leadership: one leader at a time on a Postgres database; the lock moves when the leader goes. */
import { describe, expect, it } from "vitest";
import pg from "pg";
import { createMemoryLogger } from "../../src/logger.js";
import { PostgresLeadership, SoleLeader } from "../../src/storage/leader.js";
import { hasPostgres, PG_URL } from "../support/backends.js";

const until = async (ok: () => boolean, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe("SoleLeader (SQLite: one process)", () => {
  it("leads at once and steps down at stop", async () => {
    const events: string[] = [];
    const l = new SoleLeader();
    l.start({ onElected: () => void events.push("elected"), onDeposed: () => void events.push("deposed") });
    expect(l.isLeader).toBe(true);
    await l.stop();
    expect(events).toEqual(["elected", "deposed"]);
  });
});

describe.skipIf(!hasPostgres)("PostgresLeadership", () => {
  it("elects one of two; hands over when the leader stops, and when its connection is cut", async () => {
    // A lock key of this test's own: other tests' instances campaign on the default one.
    const key = Math.floor(Math.random() * 1e9) + 1;
    const events: string[] = [];
    const make = (name: string) => {
      const l = new PostgresLeadership(PG_URL!, createMemoryLogger(), { retryMs: 100, checkMs: 100, lockKey: key });
      l.start({ onElected: () => void events.push(`${name}+`), onDeposed: () => void events.push(`${name}-`) });
      return l;
    };
    const a = make("a");
    await until(() => a.isLeader);
    const b = make("b");
    await new Promise((r) => setTimeout(r, 400));
    expect(b.isLeader).toBe(false);
    await a.stop();
    await until(() => b.isLeader);
    expect(events).toEqual(["a+", "a-", "b+"]);

    // The leader's connection is cut (as when its host dies): it steps down, another takes over.
    const c = make("c");
    await new Promise((r) => setTimeout(r, 300));
    expect(c.isLeader).toBe(false);
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    const holders = await admin.query("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted", [key]);
    expect(holders.rowCount).toBe(1);
    await admin.query("SELECT pg_terminate_backend($1)", [holders.rows[0].pid]);
    await admin.end();
    await until(() => c.isLeader && !b.isLeader);
    // c may take the freed lock before b's next check notices the cut (the overlap is at most checkMs).
    expect(events.slice(0, 3)).toEqual(["a+", "a-", "b+"]);
    expect(events.slice(3).sort()).toEqual(["b-", "c+"]);
    await Promise.all([b.stop(), c.stop()]);
    expect(events.at(-1)).toBe("c-");
  });
});
