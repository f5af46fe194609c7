/**
 * Where /metrics reads the bot's state: the outbox, the configured feeds' health, the index
 * and the updates in flight, through the storage's repositories (SQLite or Postgres alike).
 */
import type { AnswerEngine } from "../search/answer-engine.js";
import type { FeedStateRepository } from "../storage/feed-store.js";
import type { Storage } from "../storage/storage.js";
import type { MetricSources } from "../metrics.js";
import type { BotRuntime } from "./bot-runtime.js";

export function storageMetricSources(o: {
  readonly storage: Pick<Storage, "outbox" | "feeds">;
  readonly engine: AnswerEngine;
  readonly feedNames: readonly string[];
  readonly runtime: () => BotRuntime | undefined;
}): MetricSources {
  return {
    updatesInFlight: () => o.runtime()?.inFlight() ?? 0,
    updatesQueued: () => o.runtime()?.queued() ?? 0,
    outbox: () => o.storage.outbox.counts(),
    feeds: () => feedStates(o.storage.feeds, o.feedNames),
    indexPassages: () => o.engine.index.passageCount,
  };
}

/** Configured feeds failing (failures, not turned off) and turned off, as /feeds shows them. */
export async function feedStates(
  feeds: Pick<FeedStateRepository, "statusByNames">,
  names: readonly string[],
): Promise<{ failing: number; disabled: number }> {
  if (names.length === 0) return { failing: 0, disabled: 0 };
  const states = await feeds.statusByNames(names);
  return {
    failing: states.filter((f) => f.disabledAt === null && f.failures > 0).length,
    disabled: states.filter((f) => f.disabledAt !== null).length,
  };
}
