/**
 * Drains the outbox within Telegram's limits, one message at a time.
 *
 * - Rate: at most `perSecond` messages overall (Telegram: about 30/s), and per chat one a
 *   second in private chats, one every three seconds in groups (20 a minute).
 * - 429 Too Many Requests: everything waits `retry_after` seconds (the limit is the bot's),
 *   and the message is sent then; that wait is not a failed attempt.
 * - 5xx and network errors: the message is retried with exponential back-off, and the sender
 *   pauses too (Telegram or the network is down for everyone); after `maxAttempts` it is
 *   marked failed with a log line.
 * - 403 (blocked, deactivated, kicked) and "chat not found": the chat's subscriptions are
 *   removed and its pending messages dropped.
 * - `migrate_to_chat_id` (a group became a supergroup): subscriptions and pending messages
 *   move to the new chat id, and the message is sent there.
 * - A forum topic that is gone: the chat's messages for it go to the main thread.
 * - Any other refusal (400): that message is marked failed; the next one is sent.
 *
 * One message in flight at a time, marked sent as soon as Telegram accepts it: after a crash
 * only that one message can be sent twice. Nothing here throws out of the loop.
 */
import { GrammyError, type Api } from "grammy";
import type { Logger } from "../logger.js";
import type { SubscriptionRepository } from "../subscriptions/subscription-store.js";
import { systemClock, type Clock } from "../clock.js";
import type { OutboxRepository, OutboxRow } from "./outbox.js";

/** What the sender needs of grammY's Api. */
export type SendApi = Pick<Api, "sendMessage">;

export interface SenderOptions {
  readonly clock?: Clock;
  /** Messages per second overall. */
  readonly perSecond?: number;
  /** Least time between two messages to one private chat, and to one group. */
  readonly privateIntervalMs?: number;
  readonly groupIntervalMs?: number;
  /** Attempts for 5xx/network failures before a message is marked failed. */
  readonly maxAttempts?: number;
  /** First retry delay; doubles per attempt up to `maxBackoffMs`. */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  /**
   * Look at the outbox at least this often even when nothing is due (several instances: another
   * instance may have queued messages without waking this sender). Default: only when woken.
   */
  readonly idlePollMs?: number;
  /** Called after each message is sent (tests, metrics). */
  readonly onSent?: (row: OutboxRow) => void;
}

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));

const GONE =
  /chat not found|user is deactivated|bot was blocked|bot was kicked|bot is not a member|group chat was deactivated|PEER_ID_INVALID|CHAT_WRITE_FORBIDDEN|bot can't initiate conversation/i;
const THREAD_GONE = /message thread not found|TOPIC_DELETED|TOPIC_CLOSED/i;

export class Sender {
  private readonly clock: Clock;
  private readonly spacingMs: number;
  private readonly privateIntervalMs: number;
  private readonly groupIntervalMs: number;
  private readonly maxAttempts: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  /** When each chat may get its next message. */
  private readonly chatReadyAt = new Map<number, number>();
  private lastSendAt = -Infinity;
  /** Sent rows whose "sent" mark has not reached the database yet (outbox id → message id). */
  private readonly unrecorded = new Map<number, number>();
  private pausedUntil = 0;
  private consecutiveErrors = 0;
  private stopController = new AbortController();
  private wakeController = new AbortController();
  private running: Promise<void> | null = null;
  private stopping = false;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly api: SendApi,
    private readonly subscriptions: SubscriptionRepository,
    private readonly logger: Logger,
    private readonly options: SenderOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.spacingMs = 1000 / (options.perSecond ?? 30);
    this.privateIntervalMs = options.privateIntervalMs ?? 1000;
    this.groupIntervalMs = options.groupIntervalMs ?? 3000;
    this.maxAttempts = options.maxAttempts ?? 10;
    this.backoffMs = options.backoffMs ?? 2000;
    this.maxBackoffMs = options.maxBackoffMs ?? 10 * 60_000;
  }

  /** Starts draining in the background (idempotent). */
  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.stopController = new AbortController();
    this.running = this.loop(false).catch((err: unknown) =>
      this.logger.error("delivery: sender stopped by an unexpected error", err),
    );
  }

  /** Something was enqueued: look at the outbox now rather than at the next timer. */
  wake(): void {
    this.wakeController.abort();
  }

  /** Sends until nothing is pending (waits through the clock). For tests and one-shot runs. */
  async drain(): Promise<void> {
    this.stopping = false;
    if (this.stopController.signal.aborted) this.stopController = new AbortController();
    await this.loop(true);
  }

  /** Stops after the message in flight, waiting at most `timeoutMs` for it. */
  async stop(timeoutMs = 5000): Promise<void> {
    this.stopping = true;
    this.stopController.abort();
    this.wake();
    if (!this.running) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.running, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    this.running = null;
  }

  private async wait(ms: number): Promise<void> {
    // A wake-up that came while the loop was busy (reading the outbox) is not lost: look again now.
    if (this.wakeController.signal.aborted) {
      this.wakeController = new AbortController();
      return;
    }
    const signal = AbortSignal.any([this.stopController.signal, this.wakeController.signal]);
    if (Number.isFinite(ms)) await this.clock.sleep(ms, signal);
    else await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
  }

  private async loop(untilIdle: boolean): Promise<void> {
    while (!this.stopping) {
      const now = this.clock.now();
      if (this.pausedUntil > now) {
        await this.wait(this.pausedUntil - now);
        continue;
      }
      const spacing = this.lastSendAt + this.spacingMs - now;
      if (spacing > 0) {
        await this.wait(spacing);
        continue;
      }
      let picked: { row: OutboxRow | null; nextAt: number | null };
      try {
        picked = await this.pick(now);
      } catch (err) {
        // The database is unreachable: nothing is lost (rows stay pending); look again shortly.
        this.logger.error("delivery: cannot read the outbox; retrying in 5 s", err);
        await this.wait(5000);
        continue;
      }
      const { row, nextAt } = picked;
      if (row) {
        await this.deliver(row);
        continue;
      }
      const idle = this.options.idlePollMs ?? Infinity;
      if (nextAt === null) {
        if (untilIdle) return;
        await this.wait(idle);
      } else {
        await this.wait(Math.min(idle, Math.max(1, nextAt - now)));
      }
    }
  }

  /** The first due row whose chat may receive now; else when to look again. */
  private async pick(now: number): Promise<{ row: OutboxRow | null; nextAt: number | null }> {
    let nextAt: number | null = null;
    if (this.unrecorded.size > 0) await this.recordSent();
    for (const row of await this.outbox.due(now)) {
      if (this.unrecorded.has(row.id)) continue;
      const ready = this.chatReadyAt.get(row.chatId) ?? 0;
      if (ready <= now) return { row, nextAt: null };
      nextAt = nextAt === null ? ready : Math.min(nextAt, ready);
    }
    const later = await this.outbox.nextDueAt();
    if (later !== null && later > now) nextAt = nextAt === null ? later : Math.min(nextAt, later);
    return { row: null, nextAt };
  }

  private async deliver(row: OutboxRow): Promise<void> {
    const started = this.clock.now();
    this.lastSendAt = started;
    this.chatReadyAt.set(row.chatId, started + (row.chatId < 0 ? this.groupIntervalMs : this.privateIntervalMs));
    if (this.chatReadyAt.size > 50_000) {
      for (const [chat, at] of this.chatReadyAt) if (at <= started) this.chatReadyAt.delete(chat);
    }
    let messageId: number;
    try {
      const sent = await this.api.sendMessage(row.chatId, row.text, {
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
        ...(row.markup ? { reply_markup: row.markup as never } : {}),
        ...(row.threadId !== null ? { message_thread_id: row.threadId } : {}),
      });
      messageId = sent.message_id;
    } catch (err) {
      await this.handleFailure(row, err);
      return;
    }
    this.consecutiveErrors = 0;
    this.unrecorded.set(row.id, messageId);
    await this.recordSent();
    this.options.onSent?.(row);
  }

  /** Marks delivered rows sent; a row whose mark failed is kept here (and never re-sent) until it sticks. */
  private async recordSent(): Promise<void> {
    for (const [id, messageId] of this.unrecorded) {
      try {
        await this.outbox.markSent(id, messageId, this.clock.now());
        this.unrecorded.delete(id);
      } catch (err) {
        this.logger.error(`delivery: message ${id} was sent but could not be marked sent; retrying the mark`, err);
        this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + 5000);
        return;
      }
    }
  }

  private async handleFailure(row: OutboxRow, err: unknown): Promise<void> {
    const now = this.clock.now();
    const what = `delivery: message ${row.id} (${row.item}) to chat ${row.chatId}`;
    try {
      if (err instanceof GrammyError) {
        const { error_code: code, description, parameters } = err;
        if (code === 429) {
          const waitMs = Math.max(1, parameters.retry_after ?? 5) * 1000;
          this.pausedUntil = Math.max(this.pausedUntil, now + waitMs);
          await this.outbox.postpone(row.id, now + waitMs);
          this.logger.warn(`${what}: Telegram asks to wait ${waitMs / 1000} s (429); all sending pauses until then`);
          return;
        }
        if (parameters.migrate_to_chat_id !== undefined) {
          const to = parameters.migrate_to_chat_id;
          const subs = await this.subscriptions.moveChat(row.chatId, to);
          const rows = await this.outbox.moveChat(row.chatId, to);
          this.logger.info(
            `delivery: chat ${row.chatId} became supergroup ${to}; moved ${subs} subscriptions and ${rows} pending messages`,
          );
          return;
        }
        if (code === 403 || GONE.test(description)) {
          const subs = await this.subscriptions.removeChat(row.chatId);
          const rows = await this.outbox.dropChat(row.chatId, description);
          this.logger.warn(
            `${what}: ${description} (${code}); removed the chat's ${subs} subscriptions and ${rows} pending messages`,
          );
          return;
        }
        if (row.threadId !== null && THREAD_GONE.test(description)) {
          await this.subscriptions.clearThread(row.chatId, row.threadId);
          await this.outbox.clearThread(row.chatId, row.threadId);
          this.logger.warn(`${what}: forum topic ${row.threadId} is gone (${description}); sending to the chat's main thread`);
          return;
        }
        if (code < 500) {
          await this.outbox.fail(row.id, `${code} ${description}`);
          this.logger.error(`${what} refused by Telegram (${code} ${description}); marked failed, not retried`);
          return;
        }
      }
      // 5xx or the network: retry this message later, and give Telegram (or the link) a moment.
      const attempts = row.attempts + 1;
      const reason = err instanceof GrammyError ? `${err.error_code} ${err.description}` : describe(err);
      if (attempts >= this.maxAttempts) {
        await this.outbox.fail(row.id, reason);
        this.logger.error(`${what} failed ${attempts} times (${reason}); marked failed`);
      } else {
        const delay = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** (attempts - 1));
        await this.outbox.retryAt(row.id, now + delay, reason);
        this.logger.warn(
          `${what} failed (${reason}); attempt ${attempts} of ${this.maxAttempts}, retrying in ${Math.round(delay / 1000)} s`,
        );
      }
      this.consecutiveErrors++;
      this.pausedUntil = Math.max(this.pausedUntil, now + Math.min(60_000, 500 * 2 ** Math.min(this.consecutiveErrors - 1, 7)));
    } catch (storageErr) {
      // The database refused the bookkeeping: keep the row pending (it is retried) and go on.
      this.logger.error(`${what}: could not record the outcome`, storageErr);
      this.pausedUntil = Math.max(this.pausedUntil, now + 5000);
    }
  }
}
