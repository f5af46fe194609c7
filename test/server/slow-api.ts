/**
 * The real bot (createBot) in front of a fake Bot API whose every call takes a random few
 * milliseconds, as Telegram's round trips do, so concurrently handled updates finish out of
 * order unless something keeps them in order. It records what was sent per chat, how many
 * sendMessage calls ran at once (overall and per chat), and serves getUpdates from a list
 * (honouring offset and limit) for the runner.
 */
import type { Bot } from "grammy";
import type { Message, Update } from "grammy/types";
import type { BotObserver } from "../../src/bot/create-bot.js";
import { createBot } from "../../src/bot/create-bot.js";
import type { CitatContext } from "../../src/bot/context.js";
import { createMemoryLogger } from "../../src/logger.js";
import type { AnswerEngine } from "../../src/search/answer-engine.js";
import { BOT_INFO } from "../bot/harness.js";

export interface SentText {
  readonly chatId: number;
  readonly text: string;
  /** The message it replies to (reply_parameters), if any. */
  readonly replyTo: number | undefined;
}

export class SlowApiBot {
  readonly bot: Bot<CitatContext>;
  readonly logger = createMemoryLogger();
  /** sendMessage calls in the order they completed. */
  readonly sent: SentText[] = [];
  /** Every method called, in order. */
  readonly methods: { method: string; payload: Record<string, unknown> }[] = [];
  /** The most sendMessage calls in flight at once, overall and within one chat. */
  maxConcurrent = 0;
  maxConcurrentInOneChat = 0;
  /** Updates getUpdates hands out. */
  readonly pending: Update[] = [];
  private inFlight = 0;
  private readonly inFlightByChat = new Map<number, number>();
  private nextMessageId = 50_000;
  private seed = 7;

  /** `hold`: every sendMessage also waits for it (a Bot API that hangs until released). */
  constructor(engine: AnswerEngine, options: { maxDelayMs?: number; observer?: BotObserver; hold?: Promise<void> } = {}) {
    const maxDelay = options.maxDelayMs ?? 15;
    this.bot = createBot(
      { engine, logger: this.logger },
      { token: "123:test", botInfo: BOT_INFO, autoRetry: false, ...(options.observer ? { observer: options.observer } : {}) },
    );
    this.bot.api.config.use(async (_prev, method, payload) => {
      const p = { ...(payload as Record<string, unknown>) };
      this.methods.push({ method, payload: p });
      if (method === "getUpdates") {
        // A short long poll: an empty answer waits a little, as Telegram's would.
        if (this.takeUpdates(p).length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
        return { ok: true, result: this.takeUpdates(p) } as never;
      }
      if (method !== "sendMessage") return { ok: true, result: true } as never;
      const chatId = Number(p.chat_id);
      this.inFlight++;
      const inChat = (this.inFlightByChat.get(chatId) ?? 0) + 1;
      this.inFlightByChat.set(chatId, inChat);
      this.maxConcurrent = Math.max(this.maxConcurrent, this.inFlight);
      this.maxConcurrentInOneChat = Math.max(this.maxConcurrentInOneChat, inChat);
      await new Promise((resolve) => setTimeout(resolve, this.random() * maxDelay));
      await options.hold;
      this.inFlight--;
      this.inFlightByChat.set(chatId, (this.inFlightByChat.get(chatId) ?? 1) - 1);
      const text = String(p.text);
      this.sent.push({ chatId, text, replyTo: (p.reply_parameters as { message_id?: number } | undefined)?.message_id });
      const message = {
        message_id: this.nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chatId, type: "private", first_name: "U" },
        from: BOT_INFO,
        text,
      } as Message.TextMessage;
      return { ok: true, result: message } as never;
    });
  }

  /** sendMessage calls waiting for their answer now. */
  get sending(): number {
    return this.inFlight;
  }

  /** What was sent to one chat, in order. */
  textsIn(chatId: number): string[] {
    return this.sent.filter((s) => s.chatId === chatId).map((s) => s.text);
  }

  private takeUpdates(p: Record<string, unknown>): Update[] {
    const offset = Number(p.offset ?? 0);
    while (this.pending.length > 0 && (this.pending[0] as Update).update_id < offset) this.pending.shift();
    return this.pending.slice(0, Math.max(1, Math.min(100, Number(p.limit ?? 100))));
  }

  /** A deterministic sequence in [0, 1), so a failing run can be repeated. */
  private random(): number {
    this.seed = (this.seed * 1103515245 + 12345) % 2147483648;
    return this.seed / 2147483648;
  }
}

let nextUpdateId = 1;

/** A private-chat text message from the user whose id is the chat's. */
export function privateText(chatId: number, text: string): Update {
  const id = nextUpdateId++;
  return {
    update_id: id,
    message: {
      message_id: id,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: "private", first_name: `U${chatId}` },
      from: { id: chatId, is_bot: false, first_name: `U${chatId}`, language_code: "ro" },
      text,
    },
  };
}

/** The question numbers (`… q<n>`) in the replies, in the order they were sent. */
export function questionNumbers(texts: readonly string[]): number[] {
  return texts.map((t) => Number(/\bq(\d+)\b/.exec(t)?.[1] ?? -1));
}
