/**
 * End to end in webhook mode: the real bot process (`npm start` with WEBHOOK_URL) registers its
 * webhook with the telegram-test-api emulator, which posts the test user's messages to it
 * (through the shim's relay, which adds the secret header as Telegram does: quirk 8 in
 * telegram-emulator.test.ts). Also checked against the live process: the 401 without the
 * secret, a re-sent update answered once, /healthz, /metrics and a clean SIGTERM.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TelegramClient } from "telegram-test-api/lib/modules/telegramClient.js";
import type { TelegramServer } from "telegram-test-api/lib/telegramServer.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  botMessagesIn,
  BotProcess,
  BotReplies,
  childEnv,
  expectCleanStop,
  freePort,
  HOST,
  sleep,
  startEmulator,
  startLongPollShim,
  stopAll,
  telegramHtmlToText,
  TOKEN,
  type BotMessage,
  type LongPollShim,
} from "./emulator.js";

const SECRET = "e2e-webhook-secret";
const TEST_TIMEOUT = 30_000;
const USER_CHAT = 31;

describe("the bot in webhook mode against telegram-test-api", () => {
  let emulator: TelegramServer | undefined;
  let shim: LongPollShim | undefined;
  let bot: BotProcess | undefined;
  let dataDir: string | undefined;
  let base = "";
  let hookUrl = "";

  const replies = new BotReplies(
    () => (emulator as TelegramServer).getUpdatesHistory(TOKEN),
    () => [bot],
  );
  const repliesIn = (chatId: number, count: number) => replies.next(count, chatId);

  const client = (chatId: number): TelegramClient =>
    (emulator as TelegramServer).getClient(TOKEN, { userId: chatId, chatId, firstName: `U${chatId}` });

  beforeAll(async () => {
    emulator = await startEmulator();
    shim = await startLongPollShim(emulator);
    dataDir = mkdtempSync(join(tmpdir(), "citat-e2e-webhook-"));
    const port = await freePort();
    base = `http://${HOST}:${port}`;
    hookUrl = `${base}/telegram/${SECRET.length}`;
    bot = new BotProcess(
      childEnv(shim.url, dataDir, {
        WEBHOOK_URL: hookUrl,
        WEBHOOK_SECRET: SECRET,
        PORT: String(port),
        BOT_CONCURRENCY: "4",
        TYPING_DELAY_MS: "0",
      }),
    );
    await bot.waitForLog(`webhook ${hookUrl} on port ${port}`, 20_000);
  }, TEST_TIMEOUT);

  afterAll(() => stopAll({ bots: [bot], shims: [shim], emulator, dirs: [dataDir] }), TEST_TIMEOUT);

  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => console.error(`bot log at the failure:${bot?.tail()}`));
  });

  it("is healthy once started: database reachable, index loaded", async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", database: true, index: true });
  });

  it(
    "answers a question Telegram posts to the webhook, despite the emulator's missing sendChatAction",
    async () => {
      const c = client(USER_CHAT);
      await c.sendMessage(c.makeMessage("Ce tratat vor să încheie Belarusul și Iranul?"));
      const [reply] = await repliesIn(USER_CHAT, 1);
      const text = telegramHtmlToText((reply as BotMessage).html);
      expect(text.split("\n")[0]).toBe("🔎 Ce tratat vor să încheie Belarusul și Iranul?");
      expect(text).toContain("tratat de parteneriat strategic");
      await bot?.waitForLog("sendChatAction failed (ignored)", 5_000);
    },
    TEST_TIMEOUT,
  );

  it(
    "answers one chat's quick messages in order",
    async () => {
      const c = client(32);
      const questions = [
        "Ce au discutat Lukașenko și Pezeshkian la Minsk?",
        "Care este rețeta de sarmale a bunicii?",
        "Ce tratat vor să încheie Belarusul și Iranul?",
      ];
      for (const q of questions) await c.sendMessage(c.makeMessage(q));
      const answers = await repliesIn(32, 3);
      const firstLines = answers.map((r) => telegramHtmlToText(r.html).split("\n")[0] as string);
      expect(firstLines[0]).toBe(`🔎 ${questions[0]}`);
      expect(firstLines[1]).toContain("sarmale");
      expect(firstLines[2]).toBe(`🔎 ${questions[2]}`);
    },
    TEST_TIMEOUT,
  );

  it(
    "refuses a post without the secret (401), and answers a re-sent update once",
    async () => {
      const update = {
        update_id: 777_001,
        message: {
          message_id: 9,
          date: Math.floor(Date.now() / 1000),
          chat: { id: 33, type: "private", first_name: "U" },
          from: { id: 33, is_bot: false, first_name: "U" },
          text: "Ce tratat vor să încheie Belarusul și Iranul?",
        },
      };
      const post = (headers: Record<string, string>) =>
        fetch(hookUrl, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: JSON.stringify(update),
        });
      expect((await post({})).status).toBe(401);
      expect((await post({ "x-telegram-bot-api-secret-token": "nope" })).status).toBe(401);
      expect((await post({ "x-telegram-bot-api-secret-token": SECRET })).status).toBe(200);
      expect((await post({ "x-telegram-bot-api-secret-token": SECRET })).status).toBe(200);
      await repliesIn(33, 1);
      await sleep(300);
      expect(botMessagesIn(await (emulator as TelegramServer).getUpdatesHistory(TOKEN), 33)).toHaveLength(1);
    },
    TEST_TIMEOUT,
  );

  it("exports its metrics", async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    const value = (line: string) =>
      Number(
        text
          .split("\n")
          .find((l) => l.startsWith(`${line} `))
          ?.slice(line.length + 1),
      );
    expect(value('citat_questions_total{outcome="answered",channel="chat"}')).toBe(4);
    expect(value('citat_questions_total{outcome="declined",channel="chat"}')).toBe(1);
    expect(value('citat_answer_duration_seconds_count{outcome="answered"}')).toBe(4);
    expect(value('citat_webhook_requests_total{result="unauthorized"}')).toBe(2);
    expect(value('citat_webhook_requests_total{result="duplicate"}')).toBe(1);
    expect(value("citat_index_passages")).toBeGreaterThan(0);
    expect(value("citat_updates_in_flight")).toBe(0);
    expect(value("citat_outbox_depth")).toBe(0);
  });

  it(
    "stops cleanly on SIGTERM, having logged no error",
    async () => {
      expect(bot?.log).not.toMatch(/\[citat\] (error|fatal)/);
      await expectCleanStop(bot as BotProcess);
    },
    TEST_TIMEOUT,
  );
});
