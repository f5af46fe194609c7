/**
 * End to end, two instances in webhook mode on one Postgres database: two real bot processes
 * (`src/main.ts` with WEBHOOK_URL, WEBHOOK_SECRET and PORT of their own, DATABASE_URL on one
 * schema), each with its own data and content folders; the Bot API is telegram-test-api on
 * 127.0.0.1. The test posts Telegram updates (with the secret) to either instance's webhook,
 * as a load balancer in front of them would, and reads the replies the emulator stored:
 *
 * - a conversation started on A continues on B (shared sessions);
 * - one update posted to both instances (Telegram re-sending it to another instance) is
 *   answered once (the update log is shared);
 * - a subscription made on B is notified once for an article dropped into A's content folder.
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TelegramServer } from "telegram-test-api/lib/telegramServer.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSchema, hasPostgres } from "../support/backends.js";
import {
  BotProcess,
  BotReplies,
  childEnv,
  freePort,
  HOST,
  NEW_ARTICLE,
  ROOT,
  sleep,
  startEmulator,
  startLongPollShim,
  stopAll,
  telegramHtmlToText,
  todayInBucharest,
  TOKEN,
  type LongPollShim,
} from "./emulator.js";

const SECRET = "e2e-two-instances-secret";
const TEST_TIMEOUT = 60_000;
const CHAT = 4101;

describe.skipIf(!hasPostgres)("two instances in webhook mode on one Postgres database, end to end", () => {
  let emulator: TelegramServer | undefined;
  let shim: LongPollShim | undefined;
  const bots: BotProcess[] = [];
  const hooks: string[] = [];
  let root: string | undefined;
  let dropSchema: (() => Promise<void>) | undefined;
  const contentDirs: string[] = [];
  let nextUpdateId = 880_000;
  let nextMessageId = 1;

  const reader = new BotReplies(
    () => (emulator as TelegramServer).getUpdatesHistory(TOKEN),
    () => bots,
  );
  const replies = (count: number, ms?: number) => reader.next(count, CHAT, ms);

  /** A text message update from the test user, as Telegram posts it. */
  function update(text: string): Record<string, unknown> {
    const command = text.startsWith("/") ? [{ type: "bot_command", offset: 0, length: text.split(" ")[0]!.length }] : undefined;
    return {
      update_id: nextUpdateId++,
      message: {
        message_id: nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: CHAT, type: "private", first_name: "U" },
        from: { id: CHAT, is_bot: false, first_name: "U" },
        text,
        ...(command ? { entities: command } : {}),
      },
    };
  }

  async function post(instance: 0 | 1, body: Record<string, unknown>): Promise<number> {
    const res = await fetch(hooks[instance] as string, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
      body: JSON.stringify(body),
    });
    return res.status;
  }

  beforeAll(async () => {
    emulator = await startEmulator();
    shim = await startLongPollShim(emulator);
    const schema = await createSchema();
    dropSchema = schema.drop;
    root = mkdtempSync(join(tmpdir(), "citat-e2e-two-webhook-"));
    for (const name of ["a", "b"]) {
      const content = join(root, `content-${name}`);
      mkdirSync(content);
      copyFileSync(
        join(ROOT, "content", "g4media-2025-08-20-belarus-iran.txt"),
        join(content, "g4media-2025-08-20-belarus-iran.txt"),
      );
      contentDirs.push(content);
      const port = await freePort();
      const hook = `http://${HOST}:${port}/telegram/${name}`;
      hooks.push(hook);
      bots.push(
        new BotProcess(
          childEnv(shim.url, join(root, `data-${name}`), {
            CONTENT_DIR: content,
            DATABASE_URL: schema.url,
            WEBHOOK_URL: hook,
            WEBHOOK_SECRET: SECRET,
            PORT: String(port),
          }),
        ),
      );
    }
    for (const [i, bot] of bots.entries()) {
      await bot.waitForLog(`webhook ${hooks[i]}`, 30_000);
      await bot.waitForLog("content: watching", 10_000);
    }
  }, TEST_TIMEOUT);

  afterAll(async () => {
    await stopAll({ bots, shims: [shim], emulator, dirs: [root] });
    await dropSchema?.();
  }, TEST_TIMEOUT);

  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => console.error(`bot logs at the failure:${reader.tails()}`));
  });

  it(
    "a conversation started on A continues on B; an update posted to both is answered once",
    async () => {
      expect(await post(0, update("Ce acord au semnat Belarusul și Iranul?"))).toBe(200);
      expect((await replies(1))[0]!.html).toContain("<blockquote>");
      const followUp = update("Și ce a spus Pezeshkian?");
      expect(await post(1, followUp)).toBe(200);
      const [answer] = await replies(1);
      expect(answer!.html).toMatch(/↪ <i>/);
      expect(telegramHtmlToText(answer!.html)).toMatch(/Pezeshkian/);
      // Telegram re-sends the same update (to the other instance, behind the load balancer).
      expect(await post(0, followUp)).toBe(200);
      await sleep(3_000);
      const more = await reader.unseen(CHAT);
      expect(more).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    "a subscription made on B is notified once for an article dropped into A's folder",
    async () => {
      expect(await post(1, update("/subscribe Belarus Iran"))).toBe(200);
      expect(telegramHtmlToText((await replies(1))[0]!.html)).toContain("Belarus Iran");
      const dropped = Date.now();
      writeFileSync(join(contentDirs[0] as string, "2025-belarus-iran-acord.md"), NEW_ARTICLE(todayInBucharest()));
      const [notification] = await replies(1, 10_000);
      console.info(
        `e2e two instances (webhook): notification ${Date.now() - dropped} ms after the file was written into A's folder`,
      );
      expect(telegramHtmlToText(notification!.html)).toContain("Urmărești: Belarus Iran");
      await sleep(3_000);
      const more = await reader.unseen(CHAT);
      expect(more).toEqual([]);
      for (const b of bots) expect(b.log).not.toMatch(/^\S+Z error /m);
    },
    TEST_TIMEOUT,
  );
});
