/**
 * How updates reach the bot: long polling through grammY's runner, or the webhook's queue.
 * Both handle updates concurrently (at most BOT_CONCURRENCY at once); the bot's sequentialize
 * middleware (create-bot.ts) keeps each conversation's updates in order. Both stop gracefully:
 * no new updates are taken, and those in flight are finished (up to a deadline).
 */
import { run, type RunnerHandle } from "@grammyjs/runner";
import type { Bot, Context } from "grammy";
import type { Update } from "grammy/types";
import type { Logger } from "../logger.js";
import { UpdateQueue } from "./update-queue.js";

/** The updates Citat handles, asked of Telegram in getUpdates and setWebhook alike. */
export const ALLOWED_UPDATES = ["message", "callback_query", "inline_query"] as const;

export interface BotRuntime {
  /** Updates being handled now. */
  inFlight(): number;
  /** Updates received and waiting for a slot (webhook only). */
  queued(): number;
  /** Takes no new updates and resolves once the ones in flight are done (or `drainMs` passed). */
  stop(): Promise<void>;
  /** Resolves when stopped; rejects when polling fails for good (a wrong token, a webhook set elsewhere). */
  readonly done: Promise<void>;
}

export interface RuntimeOptions {
  readonly concurrency: number;
  readonly logger: Logger;
  /** How long stop() waits for updates in flight. */
  readonly drainMs?: number;
}

const DEFAULT_DRAIN_MS = 8_000;

/**
 * Long polling with @grammyjs/runner: getUpdates asks for no more updates than there are free
 * slots, so at most `concurrency` run at once. The bot must be initialised (bot.init()).
 */
export async function startPolling<C extends Context>(b: Bot<C>, options: RuntimeOptions): Promise<BotRuntime> {
  // A webhook left set (webhook mode before) makes getUpdates fail with 409; bot.start() does the same.
  await b.api.deleteWebhook();
  let lastUpdateId: number | undefined;
  // The runner confirms updates only with the next getUpdates; remember the last one seen, so a
  // stop confirms it and a restart doesn't get the same updates again.
  b.api.config.use(async (prev, method, payload, signal) => {
    const result = await prev(method, payload, signal);
    if (method === "getUpdates" && result.ok) {
      const updates = result.result as Update[];
      const last = updates[updates.length - 1]?.update_id;
      if (last !== undefined) lastUpdateId = Math.max(lastUpdateId ?? last, last);
    }
    return result;
  });
  const handle: RunnerHandle = run(b, {
    runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES], timeout: 30 } },
    sink: { concurrency: options.concurrency },
  });
  let stopping: Promise<void> | undefined;
  const stop = async () => {
    if (handle.isRunning()) await handle.stop();
    const drained = await waitUntil(() => handle.size() === 0, options.drainMs ?? DEFAULT_DRAIN_MS);
    if (!drained) options.logger.warn(`telegram: stopped with ${handle.size()} updates still being handled`);
    if (lastUpdateId !== undefined) {
      try {
        await b.api.getUpdates({ offset: lastUpdateId + 1, limit: 1, timeout: 0 });
      } catch (err) {
        options.logger.warn(
          `telegram: confirming the last updates failed (they may come again): ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
  };
  const task = handle.task() ?? Promise.resolve();
  return {
    inFlight: () => handle.size(),
    queued: () => 0,
    stop: () => (stopping ??= stop()),
    done: task.then(() => stopping),
  };
}

/**
 * The webhook's side: an UpdateQueue that hands updates to the bot with the same bound. The
 * backlog may hold 20 × `concurrency` updates; beyond that the webhook answers 503.
 */
export function startWebhookQueue<C extends Context>(
  b: Bot<C>,
  options: RuntimeOptions,
): BotRuntime & { readonly queue: UpdateQueue } {
  const queue = new UpdateQueue(
    async (update) => {
      try {
        await b.handleUpdate(update);
      } catch (err) {
        // handleUpdate throws a BotError when the middleware did; the bot's error handler (bot.catch) takes it.
        await b.errorHandler(err as Parameters<typeof b.errorHandler>[0]);
      }
    },
    options.logger,
    { concurrency: options.concurrency, maxQueued: options.concurrency * 20 },
  );
  let resolveDone: () => void = () => {};
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  let stopping: Promise<void> | undefined;
  return {
    queue,
    inFlight: () => queue.inFlight,
    queued: () => queue.queued,
    stop: () =>
      (stopping ??= (async () => {
        const drained = await queue.drain(options.drainMs ?? DEFAULT_DRAIN_MS);
        if (!drained) options.logger.warn(`telegram: stopped with ${queue.inFlight + queue.queued} updates unfinished`);
        resolveDone();
      })()),
    done,
  };
}

async function waitUntil(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}
