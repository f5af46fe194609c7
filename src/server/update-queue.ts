/**
 * The webhook's bounded concurrency: updates acknowledged to Telegram wait here, first in
 * first out, and at most `concurrency` are handled at once (BOT_CONCURRENCY, as the runner uses
 * in polling mode). Updates start in the order they arrived, so the bot's sequentialize
 * middleware keeps one conversation's updates in that order. The backlog is bounded too: when
 * it is full the webhook answers 503 and Telegram sends the update again later.
 */
import type { Update } from "grammy/types";
import type { Logger } from "../logger.js";

export interface UpdateQueueOptions {
  /** Updates handled at once. */
  readonly concurrency: number;
  /** Updates waiting beyond those; `push` refuses more. */
  readonly maxQueued: number;
}

export class UpdateQueue {
  private running = 0;
  private readonly waiting: Update[] = [];
  private idle: (() => void)[] = [];

  /** `handle` must settle; a rejection is logged (the bot's own error handler runs inside it). */
  constructor(
    private readonly handle: (update: Update) => Promise<void>,
    private readonly logger: Logger,
    private readonly options: UpdateQueueOptions,
  ) {}

  /** Updates being handled now. */
  get inFlight(): number {
    return this.running;
  }

  /** Updates waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Whether `push` would take another update. */
  get full(): boolean {
    return this.running >= this.options.concurrency && this.waiting.length >= this.options.maxQueued;
  }

  /** Queues an update (starting it at once when a slot is free); false when the queue is full. */
  push(update: Update): boolean {
    if (this.full) return false;
    this.waiting.push(update);
    this.pump();
    return true;
  }

  /** Resolves once nothing is running or waiting, or after `ms`; true when drained. */
  async drain(ms: number): Promise<boolean> {
    if (this.running === 0 && this.waiting.length === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      new Promise<boolean>((resolve) => this.idle.push(() => resolve(true))),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
    ]);
    clearTimeout(timer);
    return drained;
  }

  private pump(): void {
    while (this.running < this.options.concurrency && this.waiting.length > 0) {
      const update = this.waiting.shift() as Update;
      this.running++;
      this.handle(update)
        .catch((err: unknown) => this.logger.error(`webhook: update ${update.update_id} failed`, err))
        .finally(() => {
          this.running--;
          this.pump();
          if (this.running === 0 && this.waiting.length === 0) {
            const idle = this.idle;
            this.idle = [];
            for (const resolve of idle) resolve();
          }
        });
    }
  }
}
