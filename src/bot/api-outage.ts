/**
 * Says when the Bot API cannot be reached, once per outage, and when it is back. grammY's
 * polling loop and the auto-retry plugin retry network errors and 5xx answers forever and
 * silently (only a DEBUG channel hears them); an operator needs a warning. This is an API
 * transformer installed *beneath* auto-retry (see CreateBotOptions.apiTransformers), so it
 * sees every attempt: the first failure warns, the next success logs the recovery with how
 * long it lasted, and a long outage is reminded of every `remindEveryMs`.
 */
import { HttpError, type Transformer } from "grammy";
import type { Logger } from "../logger.js";

export interface ApiOutageOptions {
  /** Where the Bot API is, as it may be shown (redacted). */
  readonly apiRoot: string;
  readonly now?: () => number;
  readonly remindEveryMs?: number;
}

interface Outage {
  readonly since: number;
  failures: number;
  remindedAt: number;
}

export class ApiOutageMonitor {
  private outage: Outage | null = null;
  private readonly now: () => number;

  constructor(
    private readonly logger: Logger,
    private readonly options: ApiOutageOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  get down(): boolean {
    return this.outage !== null;
  }

  /** The transformer: one per API client; clients share the monitor, so one outage warns once. */
  readonly transformer: Transformer = async (prev, method, payload, signal) => {
    try {
      const result = await prev(method, payload, signal);
      if (!result.ok && result.error_code >= 500) this.failed(method, `${result.error_code} ${result.description}`);
      else this.reached();
      return result;
    } catch (err) {
      // A getUpdates cancelled by bot.stop() is not an outage.
      if (err instanceof HttpError && !signal?.aborted) this.failed(method, reason(err));
      throw err;
    }
  };

  private failed(method: string, why: string): void {
    const now = this.now();
    if (this.outage === null) {
      this.outage = { since: now, failures: 1, remindedAt: now };
      this.logger.warn(
        `telegram: the Bot API at ${this.options.apiRoot} is unreachable (${method}: ${why}); retrying until it is back`,
      );
      return;
    }
    this.outage.failures++;
    if (now - this.outage.remindedAt >= (this.options.remindEveryMs ?? 600_000)) {
      this.outage.remindedAt = now;
      this.logger.warn(
        `telegram: the Bot API is still unreachable after ${duration(now - this.outage.since)} (${this.outage.failures} failed calls; last: ${method}: ${why})`,
      );
    }
  }

  private reached(): void {
    if (this.outage === null) return;
    const { since, failures } = this.outage;
    this.outage = null;
    this.logger.info(`telegram: the Bot API is reachable again after ${duration(this.now() - since)} (${failures} failed calls)`);
  }
}

/** The network error under grammY's generic "Network request failed" (the logger redacts its URL). */
function reason(err: HttpError): string {
  const inner = err.error;
  const code =
    (inner as { code?: unknown; cause?: { code?: unknown } } | undefined)?.code ??
    (inner as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  const detail = inner instanceof Error ? inner.message : String(inner);
  return `${err.message} ${typeof code === "string" ? `${code}: ` : ""}${detail}`.trim();
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`;
}
