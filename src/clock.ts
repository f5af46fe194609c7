/**
 * Time for the background loops (sender, feed poller), injectable so tests run in virtual
 * time: a test clock's `sleep` advances `now` at once instead of waiting.
 */
export interface Clock {
  now(): number;
  /** Resolves after `ms` (or at once when `signal` aborts); never rejects. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, Math.max(0, Math.min(ms, 2 ** 31 - 1)));
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      }
      signal?.addEventListener("abort", done, { once: true });
    }),
};
