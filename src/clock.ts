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

/** Y-M-D, hour and minute in Bucharest for an instant, and Bucharest's offset from UTC then. */
export function bucharestParts(ms: number): { date: string; hour: number; minute: number; offsetMs: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Bucharest",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    offsetMs: wall - Math.floor(ms / 1000) * 1000,
  };
}

/** "YYYY-MM-DD HH:MM" in Bucharest: how the bot shows an instant to the people it serves. */
export function bucharestDateTime(ms: number): string {
  const { date, hour, minute } = bucharestParts(ms);
  return `${date} ${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
}
