/**
 * A grammY Api whose calls never leave the process: an API transformer records each call and
 * answers it like Telegram — by default with success (and Telegram's HTML check), or with
 * whatever a test's `respond` returns (429 with retry_after, 500, 403, migrate_to_chat_id…).
 */
import { Api } from "grammy";
import type { Message } from "grammy/types";
import { TELEGRAM_TEXT_LIMIT, validateTelegramHtml } from "../support/telegram-html.js";

export interface SentCall {
  readonly method: string;
  readonly chatId: number;
  readonly text: string;
  readonly payload: Record<string, unknown>;
}

export type ApiReply =
  | { ok: true; result: unknown }
  | { ok: false; error_code: number; description: string; parameters?: { retry_after?: number; migrate_to_chat_id?: number } };

/** Decides the answer to one call; return undefined for the default (success). */
export type Responder = (call: SentCall, attempt: number) => ApiReply | "network" | undefined;

export const tooManyRequests = (retryAfter: number): ApiReply => ({
  ok: false,
  error_code: 429,
  description: `Too Many Requests: retry after ${retryAfter}`,
  parameters: { retry_after: retryAfter },
});
export const internalError: ApiReply = { ok: false, error_code: 500, description: "Internal Server Error" };
export const blocked: ApiReply = { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" };
export const chatNotFound: ApiReply = { ok: false, error_code: 400, description: "Bad Request: chat not found" };
export const migrated = (to: number): ApiReply => ({
  ok: false,
  error_code: 400,
  description: "Bad Request: group chat was upgraded to a supergroup chat",
  parameters: { migrate_to_chat_id: to },
});

export class FakeTelegram {
  readonly api = new Api("123456:fake-token-for-tests");
  /** Every call, in order, including refused ones. */
  readonly calls: SentCall[] = [];
  private nextMessageId = 1;
  private readonly attempts = new Map<string, number>();

  constructor(private respond: Responder = () => undefined) {
    this.api.config.use(async (_prev, method, payload) => {
      const p = { ...(payload as Record<string, unknown>) };
      const call: SentCall = { method, chatId: Number(p.chat_id), text: String(p.text ?? ""), payload: p };
      this.calls.push(call);
      const key = `${method}:${call.chatId}:${call.text}`;
      const attempt = (this.attempts.get(key) ?? 0) + 1;
      this.attempts.set(key, attempt);
      const custom = this.respond(call, attempt);
      if (custom === "network") throw new Error("connect ECONNREFUSED 127.0.0.1:443");
      if (custom) return custom as never;
      if (method !== "sendMessage") return { ok: true, result: true } as never;
      if (p.parse_mode === "HTML") {
        const v = validateTelegramHtml(call.text);
        if (!v.ok)
          return { ok: false, error_code: 400, description: `Bad Request: can't parse entities: ${v.errors[0]}` } as never;
        if (v.visibleLength > TELEGRAM_TEXT_LIMIT)
          return { ok: false, error_code: 400, description: "Bad Request: message is too long" } as never;
      }
      this.sent.push(call);
      const message = {
        message_id: this.nextMessageId++,
        date: 0,
        chat: { id: call.chatId, type: "private", first_name: "x" },
        text: call.text,
      } as Message.TextMessage;
      return { ok: true, result: message } as never;
    });
  }

  setResponder(respond: Responder): void {
    this.respond = respond;
  }

  /** The sendMessage calls Telegram accepted (what the users received). */
  readonly sent: SentCall[] = [];

  /** Accepted messages per chat. */
  sentTo(chatId: number): SentCall[] {
    return this.sent.filter((c) => c.chatId === chatId);
  }
}
