import type { Clock } from "../../src/clock.js";

/** Virtual time: `sleep` moves `now` forward and resolves on the next tick. */
export class TestClock implements Clock {
  /** Every sleep asked for, in order (what a test asserts waits on). */
  readonly sleeps: number[] = [];

  constructor(private time = Date.UTC(2025, 7, 20, 9, 0, 0)) {}

  now(): number {
    return this.time;
  }

  advance(ms: number): void {
    this.time += ms;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return;
    this.sleeps.push(ms);
    if (Number.isFinite(ms) && ms > 0) this.time += ms;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
