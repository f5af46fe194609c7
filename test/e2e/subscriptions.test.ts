/**
 * End to end, subscriptions: the real bot process (`src/main.ts`) against telegram-test-api on
 * 127.0.0.1 (see emulator.ts), with a content folder of its own. A user sends
 * `/subscribe Belarus Iran`; a new Markdown article is dropped into CONTENT_DIR; the
 * notification reaches the user's chat within 10 seconds, through the watcher, the answer
 * engine's match, the outbox and the sender. Then the user unfollows from the notification.
 */

import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
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
  NEW_ARTICLE,
  REPLY_TIMEOUT,
  ROOT,
  startEmulator,
  startLongPollShim,
  stopAll,
  telegramHtmlToText,
  todayInBucharest,
  TOKEN,
  type BotMessage,
  type LongPollShim,
} from "./emulator.js";

const TEST_TIMEOUT = 30_000;
const BOT_USER = { id: 666, is_bot: true, first_name: "Test First name", username: "TestNameBot" };

describe("subscriptions end to end against telegram-test-api", () => {
  let emulator: TelegramServer | undefined;
  let shim: LongPollShim | undefined;
  let bot: BotProcess | undefined;
  let client: TelegramClient;
  let dataDir: string | undefined;
  let contentDir: string | undefined;
  const logTail = () => bot?.tail() ?? "";

  const waitForLog = (text: string, ms = REPLY_TIMEOUT) => (bot as BotProcess).waitForLog(text, ms);

  const replies = new BotReplies(
    () => client.getUpdatesHistory(),
    () => [bot],
  );
  const nextReply = (ms?: number) => replies.one(CHAT_ID, ms);

  beforeAll(async () => {
    emulator = await startEmulator();
    shim = await startLongPollShim(emulator);
    client = emulator.getClient(TOKEN, { userId: CHAT_ID, chatId: CHAT_ID });
    dataDir = mkdtempSync(join(tmpdir(), "citat-e2e-subs-"));
    contentDir = join(dataDir, "content");
    mkdirSync(contentDir);
    copyFileSync(
      join(ROOT, "content", "g4media-2025-08-20-belarus-iran.txt"),
      join(contentDir, "g4media-2025-08-20-belarus-iran.txt"),
    );
    bot = new BotProcess(childEnv(shim.url, join(dataDir, "data"), { CONTENT_DIR: contentDir }));
    await waitForLog(`polling ${shim.url}`, 20_000);
    await waitForLog(`content: watching ${contentDir}`);
  }, TEST_TIMEOUT);

  afterAll(() => stopAll({ bots: [bot], shims: [shim], emulator, dirs: [dataDir] }), TEST_TIMEOUT);

  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => console.error(`bot log at the failure:${logTail()}`));
  });

  let notification: BotMessage | undefined;

  it(
    "/subscribe Belarus Iran, then a new .md article in CONTENT_DIR: the notification arrives within 10 s",
    async () => {
      await client.sendCommand(client.makeCommand("/subscribe Belarus Iran"));
      const confirmation = await nextReply();
      expect(telegramHtmlToText(confirmation.html)).toContain("Belarus Iran");

      const dropped = Date.now();
      writeFileSync(join(contentDir as string, "2025-belarus-iran-acord.md"), NEW_ARTICLE(todayInBucharest()));
      const notified = await nextReply(10_000);
      notification = notified;
      const elapsed = Date.now() - dropped;
      console.info(`e2e: notification ${elapsed} ms after the file was written`);
      expect(elapsed).toBeLessThan(10_000);

      expect(notification.parseMode).toBe("HTML");
      const text = telegramHtmlToText(notification.html);
      expect(text).toContain("Belarusul şi Iranul au semnat un acord de cooperare militară");
      expect(text).toContain("Exemplu Știri");
      expect(text).toContain("Urmărești: Belarus Iran");
      expect(notification.html).toMatch(/<blockquote>[\s\S]*<b>(Belarus|Iran)/);
      expect(notification.buttons.map((b) => b.text)).toEqual(["📰 Articolul", "🔕 Nu mai urmări"]);
      // The new article answers questions at once, too.
      await client.sendMessage(client.makeMessage("ce acord au semnat Belarus si Iran la Teheran"));
      expect(telegramHtmlToText((await nextReply()).html)).toContain("cooperare militară");
    },
    TEST_TIMEOUT,
  );

  it(
    "unfollowing from the notification empties /subscriptions; SIGTERM stops everything cleanly",
    async () => {
      const stop = (notification as BotMessage).buttons.find((b) => b.callback_data?.startsWith("unsub:"));
      expect(stop).toBeDefined();
      await client.sendCallback(
        client.makeCallbackQuery(stop?.callback_data as string, {
          message: {
            message_id: (notification as BotMessage).messageId,
            date: Math.floor(Date.now() / 1000),
            from: BOT_USER,
            text: telegramHtmlToText((notification as BotMessage).html),
          },
        }),
      );
      await waitForLog('stopped following topic "Belarus Iran"');
      await client.sendCommand(client.makeCommand("/subscriptions"));
      expect(telegramHtmlToText((await nextReply()).html)).toContain("Nu ai niciun abonament");
      expect(bot?.log).not.toMatch(/\[citat\] (error|fatal)/);

      await expectCleanStop(bot as BotProcess);
    },
    TEST_TIMEOUT,
  );
});
