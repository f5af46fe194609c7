/**
 * The local chat: the real bot middleware driven from a terminal, for trying Citat without a
 * token. Typed lines become message updates fed to `bot.handleUpdate`; an API transformer
 * answers every outgoing Bot API call locally (nothing goes to the network) and prints the
 * messages, with inline buttons shown as numbered choices.
 *
 * Article text and the user's own words are shown with their control characters spelled out
 * (`\x1b`, `\r`, `\u202e`): an article cannot recolour, clear or rewrite the terminal. Only the
 * chat's own formatting (bold, italics, colours) is written as ANSI escapes.
 */
import { createInterface } from "node:readline";
import type { Bot, Context, RawApi } from "grammy";
import type { Message, Update, UserFromGetMe } from "grammy/types";
import { escapeTerminalText } from "../control-chars.js";

export const TERMINAL_BOT_INFO: UserFromGetMe = {
  id: 1,
  is_bot: true,
  first_name: "Citat",
  username: "citat_local_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
} as UserFromGetMe;

const CHAT = { id: 1000, type: "private" as const, first_name: "Tu" };
const USER = { id: 1000, is_bot: false, first_name: "Tu", language_code: "ro" };

interface Button {
  text: string;
  callback_data?: string;
  url?: string;
}

const ENTITIES: Record<string, string> = { "&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"' };
const unescapeEntities = (s: string) => s.replace(/&(lt|gt|amp|quot);/g, (e) => ENTITIES[e] ?? e);

/** What Telegram would show as the message's text: the HTML without its tags. */
export function htmlToPlain(html: string): string {
  return unescapeEntities(html.replace(/<[^>]+>/g, ""));
}

/** The message as a terminal shows it: bold and italics in ANSI, quotes indented, links spelled out. */
export function htmlToTerminal(html: string, color: boolean): string {
  const [b, i, r] = color ? ["\x1b[1m", "\x1b[3m", "\x1b[0m"] : ["", "", ""];
  // Escaped before the chat adds its own ANSI codes; entities are decoded last, so `&#27;`
  // is not a way around it (only &lt; &gt; &amp; &quot; are decoded).
  const text = escapeTerminalText(html)
    .replace(/<blockquote>([\s\S]*?)<\/blockquote>/g, (_, inner: string) =>
      inner
        .split("\n")
        .map((l) => `  │ ${l}`)
        .join("\n"),
    )
    .replace(/<a href="([^"]*)">([\s\S]*?)<\/a>/g, (_, href: string, label: string) => `${label} (${href})`)
    .replace(/<\/?b>/g, (t) => (t === "<b>" ? b : r))
    .replace(/<\/?i>/g, (t) => (t === "<i>" ? i : r))
    .replace(/<\/?code>/g, "");
  return unescapeEntities(text.replace(/<[^>]+>/g, ""));
}

export interface TerminalChatOptions {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  readonly color: boolean;
}

/**
 * Runs the chat until the input ends. The bot must have been created with
 * TERMINAL_BOT_INFO and no auto-retry; this function installs the local API.
 */
export async function runTerminalChat<C extends Context>(bot: Bot<C>, options: TerminalChatOptions): Promise<void> {
  const { output, color } = options;
  const write = (s: string) => output.write(`${s}\n`);
  let updateId = 1;
  let messageId = 1;
  const sent = new Map<number, string>();
  let choices: { button: Button; messageId: number }[] = [];

  bot.api.config.use(async (_prev, method, payload) => {
    const p = payload as Record<string, unknown>;
    const ok = <T>(result: T) => ({ ok: true as const, result }) as never;
    switch (method as keyof RawApi) {
      case "sendMessage":
      case "editMessageText": {
        const html = String(p.text ?? "");
        const id = method === "sendMessage" ? messageId++ : Number(p.message_id);
        sent.set(id, htmlToPlain(html));
        write(
          `\n${color ? "\x1b[36mCitat\x1b[0m" : "Citat"}:\n${htmlToTerminal(p.parse_mode === "HTML" ? html : html.replace(/[<&]/g, (c) => (c === "<" ? "&lt;" : "&amp;")), color)}`,
        );
        const rows = (p.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? [];
        choices = rows.flat().map((button) => ({ button, messageId: id }));
        choices.forEach((c, n) => {
          write(
            `  [${n + 1}] ${escapeTerminalText(c.button.text)}${c.button.url ? ` (${escapeTerminalText(c.button.url)})` : ""}`,
          );
        });
        const message: Partial<Message> = { message_id: id, date: Math.floor(Date.now() / 1000), chat: CHAT, text: sent.get(id) };
        return ok(message);
      }
      case "answerCallbackQuery":
        if (p.text) write(`  (${escapeTerminalText(String(p.text))})`);
        return ok(true);
      case "editMessageReplyMarkup":
        return ok(true);
      default:
        return ok(true);
    }
  });

  write("Citat — chat local (BOT_TOKEN nu e setat): scrie o întrebare, /help, un număr pentru un buton; Ctrl+D iese.");
  const rl = createInterface({ input: options.input, terminal: false });
  const prompt = () => output.write(color ? "\x1b[32mTu>\x1b[0m " : "Tu> ");
  prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === "") {
      prompt();
      continue;
    }
    const date = Math.floor(Date.now() / 1000);
    const choice = /^\d+$/.test(line) ? choices[Number(line) - 1] : undefined;
    let update: Update;
    if (choice?.button.callback_data) {
      update = {
        update_id: updateId++,
        callback_query: {
          id: String(updateId),
          from: USER,
          chat_instance: "local",
          data: choice.button.callback_data,
          message: { message_id: choice.messageId, date, chat: CHAT, text: sent.get(choice.messageId) ?? "" },
        },
      } as Update;
    } else {
      const text = line;
      const commandLength = /^\/\w+/.exec(text)?.[0].length;
      update = {
        update_id: updateId++,
        message: {
          message_id: messageId++,
          date,
          chat: CHAT,
          from: USER,
          text,
          ...(commandLength ? { entities: [{ type: "bot_command", offset: 0, length: commandLength }] } : {}),
        },
      } as Update;
    }
    await bot.handleUpdate(update);
    prompt();
  }
  write("");
}
