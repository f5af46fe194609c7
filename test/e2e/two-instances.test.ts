/**
 * End to end, two instances on one Postgres database: two real bot processes (`src/main.ts`,
 * as `npm start` runs them) with DATABASE_URL on one schema, each with its own data and
 * content folders, against telegram-test-api on 127.0.0.1. Each instance polls through a
 * shim of its own, and the test opens one shim at a time, so it decides which instance
 * receives each update (long polling: webhook mode comes from another branch; with it, the
 * same test would POST the updates to either instance's webhook).
 *
 * A question answered by A is continued by B (shared session); a subscription made on B is
 * notified exactly once when an article is dropped into A's content folder; B answers from
 * that article too (its index follows the article store).
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TelegramClient } from "telegram-test-api/lib/modules/telegramClient.js";
import type { TelegramServer } from "telegram-test-api/lib/telegramServer.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSchema, hasPostgres } from "../support/backends.js";
import {
  BotProcess,
  BotReplies,
  CHAT_ID,
  childEnv,
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

const TEST_TIMEOUT = 60_000;

describe.skipIf(!hasPostgres)("two bot instances on one Postgres database, end to end", () => {
  let emulator: TelegramServer | undefined;
  const shims: LongPollShim[] = [];
  const bots: BotProcess[] = [];
  let client: TelegramClient;
  let root: string | undefined;
  let dropSchema: (() => Promise<void>) | undefined;
  let turn: "a" | "b" = "a";
  const dirs = { a: "", b: "" };

  const replies = new BotReplies(
    () => client.getUpdatesHistory(),
    () => bots,
  );
  const nextReply = (ms?: number) => replies.one(CHAT_ID, ms);

  beforeAll(async () => {
    emulator = await startEmulator();
    const schema = await createSchema();
    dropSchema = schema.drop;
    client = emulator.getClient(TOKEN, { userId: CHAT_ID, chatId: CHAT_ID });
    root = mkdtempSync(join(tmpdir(), "citat-e2e-two-"));
    for (const name of ["a", "b"] as const) {
      const shim = await startLongPollShim(emulator, { open: () => turn === name });
      shims.push(shim);
      const content = join(root, `content-${name}`);
      mkdirSync(content);
      copyFileSync(
        join(ROOT, "content", "g4media-2025-08-20-belarus-iran.txt"),
        join(content, "g4media-2025-08-20-belarus-iran.txt"),
      );
      dirs[name] = content;
      bots.push(
        new BotProcess(childEnv(shim.url, join(root, `data-${name}`), { CONTENT_DIR: content, DATABASE_URL: schema.url })),
      );
    }
    for (const [i, bot] of bots.entries()) {
      await bot.waitForLog(`polling ${shims[i]!.url}`, 30_000);
      await bot.waitForLog("content: watching", 10_000);
    }
    // One of them leads (runs the sender); the other follows.
    const deadline = Date.now() + 10_000;
    while (bots.filter((b) => b.log.includes("leader: this instance")).length === 0 && Date.now() < deadline) await sleep(50);
  }, TEST_TIMEOUT);

  afterAll(async () => {
    await stopAll({ bots, shims, emulator, dirs: [root] });
    await dropSchema?.();
  }, TEST_TIMEOUT);

  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => console.error(`bot logs at the failure:${replies.tails()}`));
  });

  it("exactly one instance leads", () => {
    expect(bots.filter((b) => b.log.includes("leader: this instance now runs")).length).toBe(1);
  });

  it(
    "a conversation started on A continues on B",
    async () => {
      turn = "a";
      await client.sendMessage(client.makeMessage("Ce acord au semnat Belarusul și Iranul?"));
      const first = await nextReply();
      expect(first.html).toContain("<blockquote>");
      turn = "b";
      await client.sendMessage(client.makeMessage("Și ce a spus Pezeshkian?"));
      const followUp = await nextReply();
      expect(followUp.html).toMatch(/↪ <i>/);
      expect(telegramHtmlToText(followUp.html)).toMatch(/Pezeshkian/);
    },
    TEST_TIMEOUT,
  );

  it(
    "a subscription made on B is notified once for an article dropped into A's folder; B answers from it",
    async () => {
      turn = "b";
      await client.sendCommand(client.makeCommand("/subscribe Belarus Iran"));
      expect(telegramHtmlToText((await nextReply()).html)).toContain("Belarus Iran");

      const dropped = Date.now();
      writeFileSync(join(dirs.a, "2025-belarus-iran-acord.md"), NEW_ARTICLE(todayInBucharest()));
      const notification = await nextReply(10_000);
      const elapsed = Date.now() - dropped;
      console.info(`e2e two instances: notification ${elapsed} ms after the file was written into A's folder`);
      expect(telegramHtmlToText(notification.html)).toContain("Urmărești: Belarus Iran");

      // B's index has the article within 10 s of its drop into A's folder.
      await sleep(Math.max(0, 4_000 - (Date.now() - dropped)));
      // A new conversation: this checks B's index, not whether the question continues the earlier story.
      await client.sendCommand(client.makeCommand("/new"));
      await nextReply();
      await client.sendMessage(client.makeMessage("ce acord au semnat Belarus si Iran la Teheran joi"));
      expect(telegramHtmlToText((await nextReply()).html)).toContain("cooperare militară");

      // Once: nothing more arrives.
      await sleep(3_000);
      const more = await replies.unseen();
      expect(more).toEqual([]);
      for (const b of bots) expect(b.log).not.toMatch(/^\S+Z error /m);
    },
    TEST_TIMEOUT,
  );
});
