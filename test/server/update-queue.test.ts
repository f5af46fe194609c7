import type { Update } from "grammy/types";
import { describe, expect, it } from "vitest";
import { createMemoryLogger } from "../../src/logger.js";
import { UpdateQueue } from "../../src/server/update-queue.js";

const update = (id: number): Update => ({ update_id: id });

describe("UpdateQueue", () => {
  it("starts updates first in first out, never more than the bound at once, and refuses beyond the backlog", async () => {
    const started: number[] = [];
    const release = new Map<number, () => void>();
    const logger = createMemoryLogger();
    const q = new UpdateQueue(
      (u) => {
        started.push(u.update_id);
        return new Promise<void>((resolve) => release.set(u.update_id, resolve));
      },
      logger,
      { concurrency: 2, maxQueued: 2 },
    );
    expect([1, 2, 3, 4].map((id) => q.push(update(id)))).toEqual([true, true, true, true]);
    expect(q.push(update(5))).toBe(false);
    expect(q.full).toBe(true);
    expect(started).toEqual([1, 2]);
    expect([q.inFlight, q.queued]).toEqual([2, 2]);
    release.get(2)?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([1, 2, 3]);
    expect(q.full).toBe(false);

    expect(await q.drain(20)).toBe(false);
    release.get(1)?.();
    await new Promise((resolve) => setImmediate(resolve));
    release.get(3)?.();
    await new Promise((resolve) => setImmediate(resolve));
    const drained = q.drain(1_000);
    release.get(4)?.();
    expect(await drained).toBe(true);
    expect(started).toEqual([1, 2, 3, 4]);
  });

  it("logs a handler that fails and goes on with the next update", async () => {
    const logger = createMemoryLogger();
    const done: number[] = [];
    const q = new UpdateQueue(
      async (u) => {
        if (u.update_id === 1) throw new Error("boom");
        done.push(u.update_id);
      },
      logger,
      { concurrency: 1, maxQueued: 10 },
    );
    q.push(update(1));
    q.push(update(2));
    expect(await q.drain(1_000)).toBe(true);
    expect(done).toEqual([2]);
    expect(logger.lines.join("\n")).toMatch(/update 1 failed.*boom/);
  });
});
