/**
 * End to end: the real bot process (`node --import tsx src/main.ts`, as `npm start` runs it)
 * long-polls a Bot API emulator (telegram-test-api) over HTTP on 127.0.0.1, and a test user
 * talks to it through the emulator's client API. Nothing here leaves the loopback interface.
 *
 * Quirks of telegram-test-api 4.2.1 and how this file works around them (node_modules untouched):
 * 1. `port: 0` is not supported (`config.port || 9000` turns it into 9000), so a free port is
 *    found with node:net first; the short race with another process is covered by a retry.
 * 2. Its getUpdates answers at once, even when empty: it ignores `timeout` (and `offset`), so a
 *    long-polling bot re-polls about 1,400 times a second. A small loopback shim in front of it
 *    (`startLongPollShim`) holds an empty getUpdates until a user update arrives or the bot's
 *    `timeout` runs out, which is what the real Bot API does; every other call goes through
 *    untouched. The bot's TELEGRAM_API_ROOT is the shim.
 * 3. `client.getUpdates()` retries itself under p-timeout; when it times out, the inner retry loop
 *    keeps running and silently marks later bot messages as read. The user's inbox is therefore
 *    read with `client.getUpdatesHistory()` in our own bounded loop.
 * 4. Bot messages are stored as the bot sent them (HTML source, `chat_id`), not as Telegram would
 *    deliver them. A callback query's `message` is built here the way Telegram sends it: plain
 *    text, entities parsed out. The emulator doesn't parse HTML at all, so this file checks that
 *    each HTML reply would pass Telegram's parser (known tags, balanced, entities escaped).
 * 5. Unknown methods (sendChatAction, setMyCommands) answer HTTP 500 with `{message}` rather than
 *    `{ok:false, error_code, description}`; grammY turns that into an error without an
 *    error_code, which auto-retry doesn't retry. The bot must carry on regardless; it does.
 * 6. `server.stop()` throws if `start()` never succeeded; it is only called after a start.
 * 7. The package's types import `typegram`, which isn't installed (skipLibCheck hides it), so its
 *    stored messages are typed `any`; they are narrowed at runtime in `botMessagesIn`.
 * 8. Its webhook posts carry no X-Telegram-Bot-Api-Secret-Token, which Telegram sends; the shim
 *    points setWebhook at a relay that adds it (see webhook.test.ts).
 * 9. In webhook mode its client route doesn't await the webhook post, so messages sent in quick
 *    succession share an update_id; the relay renumbers them and delivers them one at a time.
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TelegramClient } from "telegram-test-api/lib/modules/telegramClient.js";
import type { TelegramServer } from "telegram-test-api/lib/telegramServer.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  BotProcess,
  BotReplies,
  CHAT_ID,
  childEnv,
  expectCleanStop,
  REPLY_TIMEOUT,
  sleep,
  startEmulator,
  startLongPollShim,
  stopAll,
  telegramHtmlToText,
  TOKEN,
  userMessageId,
  type BotMessage,
  type LongPollShim,
} from "./emulator.js";

/** A supergroup where a second user talks (the emulator's client takes any chat id and type). */
const GROUP_ID = -1001234;
const GROUP_USER_ID = 2;
/** What the emulator's getMe answers. */
const BOT_USER = { id: 666, is_bot: true, first_name: "Test First name", username: "TestNameBot" };
/** Telegram's limit for one message's text. */
const TELEGRAM_MESSAGE_LIMIT = 4096;
const TEST_TIMEOUT = 30_000;

describe("the bot over HTTP long polling against telegram-test-api", () => {
  let emulator: TelegramServer | undefined;
  let shim: LongPollShim | undefined;
  let bot: BotProcess | undefined;
  let client: TelegramClient;
  let dataDir: string | undefined;

  const logTail = () => bot?.tail() ?? "";

  const waitForLog = (text: string, ms = REPLY_TIMEOUT) => (bot as BotProcess).waitForLog(text, ms);

  const replies = new BotReplies(
    () => client.getUpdatesHistory(),
    () => [bot],
  );
  /** The next message the bot sent to the chat that the test hasn't looked at yet. */
  const nextReply = (ms = REPLY_TIMEOUT, chatId = CHAT_ID) => replies.one(chatId, ms);

  const sendText = (text: string) => client.sendMessage(client.makeMessage(text));
  const sendCommand = (text: string) => client.sendCommand(client.makeCommand(text));

  beforeAll(async () => {
    emulator = await startEmulator();
    shim = await startLongPollShim(emulator);
    client = emulator.getClient(TOKEN, { userId: CHAT_ID, chatId: CHAT_ID });
    dataDir = mkdtempSync(join(tmpdir(), "citat-e2e-"));
    bot = new BotProcess(childEnv(shim.url, dataDir, { TYPING_DELAY_MS: "0" }));
    // main.ts logs this from grammY's onStart: getMe and deleteWebhook went through, polling runs.
    await waitForLog(`polling ${shim.url}`, 20_000);
  }, TEST_TIMEOUT);

  afterAll(() => stopAll({ bots: [bot], shims: [shim], emulator, dirs: [dataDir] }), TEST_TIMEOUT);

  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => console.error(`bot log at the failure:${logTail()}`));
  });

  it(
    "answers /start with the welcome, after shrugging off the missing setMyCommands",
    async () => {
      expect(bot?.log).toContain("setMyCommands failed (ignored)");
      await sendCommand("/start");
      const reply = await nextReply();
      expect(reply.parseMode).toBe("HTML");
      const text = telegramHtmlToText(reply.html);
      expect(text).toContain("Citat");
      expect(text.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
    },
    TEST_TIMEOUT,
  );

  let answer: BotMessage | undefined;

  it(
    "answers a question with the verbatim quote, under the length limit, despite no sendChatAction",
    async () => {
      const question = "Ce tratat vor să încheie Belarusul și Iranul?";
      await sendText(question);
      answer = await nextReply();
      expect(answer.parseMode).toBe("HTML");
      expect(answer.html.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT); // render.ts's own promise
      const text = telegramHtmlToText(answer.html);
      expect(text.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT); // what Telegram counts
      expect(text.split("\n")[0]).toBe(`🔎 ${question}`);
      expect(text).toContain("tratat de parteneriat strategic");
      expect(text).toContain("G4Media");
      await waitForLog("sendChatAction failed (ignored)"); // TYPING_DELAY_MS=0 below: shown for every answer
    },
    TEST_TIMEOUT,
  );

  it(
    'says "Nu am găsit" to a question the news doesn\'t answer',
    async () => {
      await sendText("Care este rețeta de sarmale a bunicii?");
      const reply = await nextReply();
      const text = telegramHtmlToText(reply.html);
      expect(text).toContain("Nu am găsit");
      expect(text).toContain("sarmale");
      expect(reply.buttons).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    '"Mai multe ›" under the answer brings the next quotes',
    async () => {
      expect(answer, "the question's answer (previous test)").toBeDefined();
      const first = answer as BotMessage;
      const more = first.buttons.find((b) => b.text === "Mai multe ›");
      // The seed article has more than one page of quotes for this question.
      expect(more?.callback_data).toMatch(/^more:\d+$/);
      // Quirk 4: the pressed message as Telegram would send it back: plain text, from the bot.
      const pressed = client.makeCallbackQuery(more?.callback_data as string, {
        message: {
          message_id: first.messageId,
          date: Math.floor(Date.now() / 1000),
          from: BOT_USER,
          text: telegramHtmlToText(first.html),
        },
      });
      await client.sendCallback(pressed);
      const next = await nextReply();
      const text = telegramHtmlToText(next.html);
      expect(text.split("\n")[0]).toBe(telegramHtmlToText(first.html).split("\n")[0]);
      expect(next.html).toContain("<blockquote>");
      // A new page, not the first one again.
      const quotes = (html: string) => html.match(/<blockquote>[\s\S]*?<\/blockquote>/g) ?? [];
      for (const q of quotes(next.html)) expect(quotes(first.html)).not.toContain(q);
    },
    TEST_TIMEOUT,
  );

  it(
    "understands a follow-up question in the context of the previous one",
    async () => {
      await sendText("Ce au discutat Lukașenko și Pezeshkian la Minsk?");
      const first = telegramHtmlToText((await nextReply()).html);
      await sendText("Și ce a spus Pezeshkian?");
      const second = telegramHtmlToText((await nextReply()).html);
      const lines = second.split("\n");
      expect(lines[0]).toBe("🔎 Și ce a spus Pezeshkian?");
      expect(lines[1]).toBe("↪ în legătură cu: discutat, Lukașenko, Minsk");
      expect(second).toContain("Pezeshkian");
      // Not the same first quote again.
      expect(second.split("\n\n")[1]).not.toBe(first.split("\n\n")[1]);
    },
    TEST_TIMEOUT,
  );

  it(
    "in a group, ignores what isn't addressed to it and answers a mention as a reply",
    async () => {
      const group = emulator!.getClient(TOKEN, {
        userId: GROUP_USER_ID,
        chatId: GROUP_ID,
        type: "supergroup",
        chatTitle: "Redacția",
        firstName: "Ion",
      });
      await group.sendMessage(group.makeMessage("Bună dimineața, ce tratat vor să încheie Belarusul și Iranul?"));
      const question = `@${BOT_USER.username} Ce tratat vor să încheie Belarusul și Iranul?`;
      await group.sendMessage(group.makeMessage(question));
      const reply = await nextReply(REPLY_TIMEOUT, GROUP_ID);
      const text = telegramHtmlToText(reply.html);
      expect(text.split("\n")[0]).toBe("🔎 Ce tratat vor să încheie Belarusul și Iranul?");
      expect(text).toContain("tratat de parteneriat strategic");
      const history = await client.getUpdatesHistory();
      expect(reply.replyTo).toBe(userMessageId(history, GROUP_ID, question));
      // Only the mention was answered.
      await sleep(200);
      expect(await replies.unseen(GROUP_ID)).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    "long-polled, sent nothing else, logged no error, and stops cleanly on SIGTERM",
    async () => {
      // A held getUpdates per batch of updates, not a busy loop.
      expect(shim?.stats.maxTimeout).toBeGreaterThan(0);
      expect(shim?.stats.getUpdates).toBeLessThan(50);
      await sleep(200); // a stray extra message (e.g. the failure notice) would show up by now
      expect(await replies.unseen()).toEqual([]);
      expect(bot?.log).not.toMatch(/\[citat\] (error|fatal)/);

      await expectCleanStop(bot as BotProcess);
    },
    TEST_TIMEOUT,
  );
});
