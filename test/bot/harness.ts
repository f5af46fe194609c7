/**
 * Drives the real bot (createBot, the very middleware main.ts runs) without a network: an API
 * transformer records every outgoing Bot API call and answers it like Telegram would, and
 * updates are built here and fed through `bot.handleUpdate`.
 *
 * The fake server is deliberately picky where Telegram is: sendMessage with parse_mode HTML is
 * refused ("can't parse entities") unless the text passes the strict validator, and a text over
 * 4096 characters is refused as too long — so a rendering bug shows up as the bot's real
 * failure path, and the message audit (`useMessageAudit`) reports it as well.
 */
import type { Bot } from "grammy";
import type { CitatContext } from "../../src/bot/context.js";
import type { CallbackQuery, Chat, InlineQuery, Message, MessageEntity, Update, User, UserFromGetMe } from "grammy/types";
import { afterAll, afterEach, expect } from "vitest";
import { createBot } from "../../src/bot/create-bot.js";
import { messages } from "../../src/bot/messages.js";
import { TERMINAL_BOT_INFO } from "../../src/bot/terminal-chat.js";
import { createMemoryLogger } from "../../src/logger.js";
import type { AnswerEngine } from "../../src/search/answer-engine.js";
import type { Storage } from "../../src/storage/storage.js";
import { TELEGRAM_TEXT_LIMIT, validateTelegramHtml } from "../support/telegram-html.js";

/** The terminal chat's bot identity under a test username. */
export const BOT_INFO: UserFromGetMe = { ...TERMINAL_BOT_INFO, id: 42, username: "citat_test_bot" };

export const USER: User = { id: 1001, is_bot: false, first_name: "Ana", language_code: "ro" };
/** A second member of the groups, whose Telegram speaks English. */
export const OTHER_USER: User = { id: 1002, is_bot: false, first_name: "John", language_code: "en" };
export const PRIVATE_CHAT: Chat.PrivateChat = { id: 1001, type: "private", first_name: "Ana" };
export const GROUP_CHAT: Chat.GroupChat = { id: -2002, type: "group", title: "Redacția" };
export const SUPERGROUP_CHAT: Chat.SupergroupChat = { id: -1003004, type: "supergroup", title: "Știri" };
/** A supergroup with forum topics. */
export const FORUM_CHAT: Chat.SupergroupChat = { id: -1005006, type: "supergroup", title: "Forum", is_forum: true };

/** Options of an incoming text message. */
export interface TextOptions {
  readonly from?: User;
  /** The message this one replies to (e.g. `h.lastSent`, an answer of the bot). */
  readonly replyTo?: Message;
  /** A forum topic: the message is sent in this thread. */
  readonly threadId?: number;
}

/** Options of a harness: the bot's dependencies beyond the engine. */
export interface HarnessOptions {
  readonly storage?: Storage;
  readonly now?: () => Date;
  readonly adminIds?: readonly number[];
  /** Names of the configured feeds (/subscribe <outlet>, /feeds). */
  readonly feedNames?: readonly string[];
  /** Default 0 here: every answer shows "typing…" at once, so tests see the call. */
  readonly typingDelayMs?: number;
}

/** Chats a user writes in (channels post, they don't message the bot). */
export type UserChat = Chat.PrivateChat | Chat.GroupChat | Chat.SupergroupChat;

export interface RecordedCall {
  readonly method: string;
  readonly payload: Record<string, unknown>;
}

/** How a chosen method fails: a Bot API error response, or the call itself throwing (network). */
export type FailureMode = "error" | "throw";

interface InlineButton {
  text: string;
  callback_data?: string;
  url?: string;
}

/** Every call recorded by every harness of the current test file, for the message audit. */
const recorded: RecordedCall[] = [];

const ok = <T>(result: T) => ({ ok: true as const, result });

export class BotHarness {
  readonly bot: Bot<CitatContext>;
  readonly logger = createMemoryLogger();
  /** Every Bot API call the bot made, in order. */
  readonly calls: RecordedCall[] = [];
  /** The messages the fake server returned for sendMessage, as Telegram returns them (plain text). */
  readonly sentMessages: Message.TextMessage[] = [];
  private readonly failures = new Map<string, FailureMode>();
  private readonly chats = new Map<number, UserChat>(
    [PRIVATE_CHAT, GROUP_CHAT, SUPERGROUP_CHAT, FORUM_CHAT].map((c) => [c.id, c]),
  );
  private nextUpdateId = 1;
  private nextIncomingId = 1;
  private nextSentId = 10_000;
  private nextCallbackId = 1;

  constructor(engine: AnswerEngine, options: HarnessOptions = {}) {
    this.bot = createBot(
      { engine, logger: this.logger, typingDelayMs: 0, ...options },
      { token: "123:test", botInfo: BOT_INFO, autoRetry: false },
    );
    this.bot.api.config.use(async (_prev, method, payload) => {
      const call: RecordedCall = { method, payload: { ...(payload as Record<string, unknown>) } };
      this.calls.push(call);
      recorded.push(call);
      const failure = this.failures.get(method);
      if (failure === "throw") throw new Error(`network down (${method})`);
      if (failure === "error") {
        return { ok: false as const, error_code: 400, description: "Bad Request: method not found" };
      }
      return this.respond(method, call.payload) as never;
    });
  }

  /** Makes `method` fail from now on (until `restore`). */
  fail(method: string, mode: FailureMode = "error"): this {
    this.failures.set(method, mode);
    return this;
  }

  restore(method: string): this {
    this.failures.delete(method);
    return this;
  }

  private respond(method: string, p: Record<string, unknown>) {
    if (method !== "sendMessage") return ok(true);
    const raw = String(p.text ?? "");
    let text = raw;
    if (p.parse_mode === "HTML") {
      const v = validateTelegramHtml(raw);
      if (!v.ok) return { ok: false as const, error_code: 400, description: `Bad Request: can't parse entities: ${v.errors[0]}` };
      text = v.text;
    }
    if (text.length > TELEGRAM_TEXT_LIMIT)
      return { ok: false as const, error_code: 400, description: "Bad Request: message is too long" };
    const chat = this.chats.get(Number(p.chat_id)) ?? PRIVATE_CHAT;
    const thread = typeof p.message_thread_id === "number" ? p.message_thread_id : undefined;
    const message: Message.TextMessage = {
      message_id: this.nextSentId++,
      date: Math.floor(Date.now() / 1000),
      chat,
      from: BOT_INFO,
      text,
      ...(thread !== undefined ? { message_thread_id: thread, is_topic_message: true } : {}),
    };
    this.sentMessages.push(message);
    return ok(message);
  }

  /** Feeds one update through the bot; returns the API calls it caused (after letting fire-and-forget calls finish). */
  async handle(update: Update): Promise<RecordedCall[]> {
    const before = this.calls.length;
    await this.bot.handleUpdate(update);
    // Chat actions are not awaited by the bot: let them (and their logging) settle.
    await new Promise((resolve) => setImmediate(resolve));
    return this.calls.slice(before);
  }

  /**
   * A text message as Telegram sends it: a leading /command (with an optional @username) gets
   * its bot_command entity, every @username a mention entity.
   */
  textUpdate(text: string, chat: UserChat = PRIVATE_CHAT, options: TextOptions = {}): Update {
    const command = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text)?.[0];
    const entities: MessageEntity[] = command ? [{ type: "bot_command", offset: 0, length: command.length }] : [];
    for (const m of text.matchAll(/(?<![\w/])@[A-Za-z0-9_]{5,}/g))
      entities.push({ type: "mention", offset: m.index ?? 0, length: m[0].length });
    const message: Message.TextMessage & { chat: UserChat; from: User } = {
      message_id: this.nextIncomingId++,
      date: Math.floor(Date.now() / 1000),
      chat,
      from: options.from ?? USER,
      text,
      ...(entities.length > 0 ? { entities } : {}),
      ...(options.replyTo ? { reply_to_message: options.replyTo as Message.TextMessage & { reply_to_message: undefined } } : {}),
      ...(options.threadId !== undefined ? { message_thread_id: options.threadId, is_topic_message: true } : {}),
    };
    return { update_id: this.nextUpdateId++, message };
  }

  send(text: string, chat: UserChat = PRIVATE_CHAT, options: TextOptions = {}): Promise<RecordedCall[]> {
    return this.handle(this.textUpdate(text, chat, options));
  }

  /** An inline query (`@bot query` typed in any chat). */
  inline(query: string, from: User = USER): Promise<RecordedCall[]> {
    const inlineQuery: InlineQuery = { id: `iq-${this.nextCallbackId++}`, from, query, offset: "" };
    return this.handle({ update_id: this.nextUpdateId++, inline_query: inlineQuery });
  }

  sendSticker(chat: UserChat = PRIVATE_CHAT): Promise<RecordedCall[]> {
    const message: Message.StickerMessage & { chat: UserChat; from: User } = {
      message_id: this.nextIncomingId++,
      date: Math.floor(Date.now() / 1000),
      chat,
      from: USER,
      sticker: {
        file_id: "sticker-1",
        file_unique_id: "u-sticker-1",
        type: "regular",
        width: 512,
        height: 512,
        is_animated: false,
        is_video: false,
        emoji: "👍",
      },
    };
    return this.handle({ update_id: this.nextUpdateId++, message });
  }

  sendPhoto(caption: string | undefined, chat: UserChat = PRIVATE_CHAT): Promise<RecordedCall[]> {
    const message: Message.PhotoMessage & { chat: UserChat; from: User } = {
      message_id: this.nextIncomingId++,
      date: Math.floor(Date.now() / 1000),
      chat,
      from: USER,
      photo: [{ file_id: "photo-1", file_unique_id: "u-photo-1", width: 90, height: 90 }],
      ...(caption !== undefined ? { caption } : {}),
    };
    return this.handle({ update_id: this.nextUpdateId++, message });
  }

  /** A callback_query for a button press on `message` (as Telegram sends it: plain text). */
  callbackUpdate(data: string, message: CallbackQuery["message"], from: User = USER): Update {
    const query: CallbackQuery = {
      id: `cb-${this.nextCallbackId++}`,
      from,
      chat_instance: "instance-1",
      data,
      ...(message ? { message } : {}),
    };
    return { update_id: this.nextUpdateId++, callback_query: query };
  }

  press(data: string, message: CallbackQuery["message"], from: User = USER): Promise<RecordedCall[]> {
    return this.handle(this.callbackUpdate(data, message, from));
  }

  /** The message this harness returned for the most recent sendMessage. */
  get lastSent(): Message.TextMessage {
    const m = this.sentMessages[this.sentMessages.length - 1];
    if (!m) throw new Error("no message was sent");
    return m;
  }

  warnings(): string[] {
    return this.logger.lines.filter((l) => l.startsWith("warn "));
  }

  errors(): string[] {
    return this.logger.lines.filter((l) => l.startsWith("error "));
  }
}

export function createHarness(engine: AnswerEngine, options: HarnessOptions = {}): BotHarness {
  return new BotHarness(engine, options);
}

/** The sendMessage calls among `calls`. */
export function sendMessages(calls: readonly RecordedCall[]): RecordedCall[] {
  return calls.filter((c) => c.method === "sendMessage");
}

/** The one sendMessage among `calls` (fails the test when there are none or several). */
export function onlyMessage(calls: readonly RecordedCall[]): { text: string; payload: Record<string, unknown> } {
  const sent = sendMessages(calls);
  expect(sent.map((c) => c.method)).toEqual(["sendMessage"]);
  const payload = (sent[0] as RecordedCall).payload;
  return { text: String(payload.text), payload };
}

/** The inline buttons of a recorded sendMessage. */
export function buttonsOf(payload: Record<string, unknown>): InlineButton[] {
  const markup = payload.reply_markup as { inline_keyboard?: InlineButton[][] } | undefined;
  return markup?.inline_keyboard?.flat() ?? [];
}

/** The "More" buttons of a recorded message. */
export function moreButtons(payload: Record<string, unknown>): InlineButton[] {
  return buttonsOf(payload).filter((b) => b.callback_data?.startsWith("more:"));
}

/** The 👍/👎 row under every answer. */
export const FEEDBACK_BUTTONS: InlineButton[] = [
  { text: "👍", callback_data: "fb:up" },
  { text: "👎", callback_data: "fb:down" },
];

/** The "🔔 Follow this story" button under every answer (features/subscriptions.ts). */
export const FOLLOW_BUTTON: InlineButton = { text: messages.sub.follow, callback_data: "follow" };

/** Every answer's buttons after its "More" button: the votes, then the follow button. */
export const ANSWER_BUTTONS: InlineButton[] = [...FEEDBACK_BUTTONS, FOLLOW_BUTTON];

/** Problems Telegram would have with the recorded calls: invalid HTML, texts or buttons over its limits. */
export function auditCalls(calls: readonly RecordedCall[]): string[] {
  const problems: string[] = [];
  for (const { method, payload } of calls) {
    if (method === "sendMessage" || method === "editMessageText") {
      const text = String(payload.text ?? "");
      const label = `${method} ${JSON.stringify(text.slice(0, 80))}…`;
      if (payload.parse_mode !== undefined && payload.parse_mode !== "HTML")
        problems.push(`${label}: parse_mode ${String(payload.parse_mode)}`);
      // Plain-text messages are checked as HTML too: they must then need no escaping at all.
      const v = validateTelegramHtml(text);
      if (!v.ok) problems.push(`${label}: ${v.errors.join("; ")}`);
      if (v.visibleLength > TELEGRAM_TEXT_LIMIT) problems.push(`${label}: visible length ${v.visibleLength}`);
      if (text.length > TELEGRAM_TEXT_LIMIT) problems.push(`${label}: raw length ${text.length}`);
      for (const b of buttonsOf(payload)) {
        if (b.callback_data !== undefined && Buffer.byteLength(b.callback_data) > 64)
          problems.push(`${label}: callback_data over 64 bytes`);
        if (b.text.trim() === "") problems.push(`${label}: empty button text`);
      }
    }
    if (method === "answerCallbackQuery" && typeof payload.text === "string" && payload.text.length > 200) {
      problems.push(`answerCallbackQuery text over 200 characters`);
    }
    if (method === "answerInlineQuery") problems.push(...auditInlineAnswer(payload));
  }
  return problems;
}

/** What Telegram checks in answerInlineQuery: at most 50 results, ids ≤ 64 bytes, valid message content. */
function auditInlineAnswer(payload: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const results = (payload.results ?? []) as Array<Record<string, unknown>>;
  if (results.length > 50) problems.push("answerInlineQuery: more than 50 results");
  const ids = new Set<string>();
  for (const r of results) {
    const id = String(r.id ?? "");
    const label = `answerInlineQuery result ${JSON.stringify(id)}`;
    if (id === "" || Buffer.byteLength(id) > 64) problems.push(`${label}: id must be 1-64 bytes`);
    if (ids.has(id)) problems.push(`${label}: duplicate id`);
    ids.add(id);
    if (r.type === "article" && String(r.title ?? "").trim() === "") problems.push(`${label}: empty title`);
    const content = r.input_message_content as { message_text?: string; parse_mode?: string } | undefined;
    const text = content?.message_text ?? "";
    if (content?.parse_mode !== undefined && content.parse_mode !== "HTML")
      problems.push(`${label}: parse_mode ${content.parse_mode}`);
    const v = validateTelegramHtml(text);
    if (!v.ok) problems.push(`${label}: ${v.errors.join("; ")}`);
    if (v.visibleLength > TELEGRAM_TEXT_LIMIT || text.length > TELEGRAM_TEXT_LIMIT)
      problems.push(`${label}: message over 4096 characters`);
  }
  const button = payload.button as { text?: string; start_parameter?: string } | undefined;
  if (button && !/^[A-Za-z0-9_-]{1,64}$/.test(button.start_parameter ?? ""))
    problems.push("answerInlineQuery: invalid start_parameter");
  return problems;
}

/**
 * Registers the message audit for the calling test file: after each test, every call recorded
 * since the previous check must pass `auditCalls`; after all, the whole file's calls again, and
 * there must have been messages to check.
 */
export function useMessageAudit(): void {
  let checked = 0;
  afterEach(() => {
    const fresh = recorded.slice(checked);
    checked = recorded.length;
    expect(auditCalls(fresh)).toEqual([]);
  });
  afterAll(() => {
    expect(recorded.filter((c) => c.method === "sendMessage" || c.method === "answerInlineQuery").length).toBeGreaterThan(0);
    expect(auditCalls(recorded)).toEqual([]);
  });
}

/** Every call recorded so far in this test file. */
export function allRecordedCalls(): readonly RecordedCall[] {
  return recorded;
}
