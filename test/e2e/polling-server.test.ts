/**
 * End to end, long polling with PORT set: the runner answers, and the same process serves
 * /healthz and /metrics (no webhook route then), stopping cleanly on SIGTERM.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TelegramServer } from "telegram-test-api/lib/telegramServer.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  botMessagesIn,
  BotProcess,
  childEnv,
  expectCleanStop,
  freePort,
  HOST,
  sleep,
  startEmulator,
  startLongPollShim,
  stopAll,
  TOKEN,
  type LongPollShim,
} from "./emulator.js";

describe("long polling with the health and metrics server", () => {
  let emulator: TelegramServer | undefined;
  let shim: LongPollShim | undefined;
  let bot: BotProcess | undefined;
  let dataDir: string | undefined;
  let base = "";

  beforeAll(async () => {
    emulator = await startEmulator();
    shim = await startLongPollShim(emulator);
    dataDir = mkdtempSync(join(tmpdir(), "citat-e2e-polling-server-"));
    const port = await freePort();
    base = `http://${HOST}:${port}`;
    bot = new BotProcess(childEnv(shim.url, dataDir, { PORT: String(port) }));
    await bot.waitForLog(`polling ${shim.url}`, 20_000);
  }, 30_000);

  afterAll(() => stopAll({ bots: [bot], shims: [shim], emulator, dirs: [dataDir] }), 30_000);

  it("answers through the runner, counts it in /metrics, is healthy, and has no webhook route", async () => {
    expect(bot?.log).toContain(`/healthz and /metrics on port`);
    const client = (emulator as TelegramServer).getClient(TOKEN, { userId: 41, chatId: 41 });
    await client.sendMessage(client.makeMessage("Ce tratat vor să încheie Belarusul și Iranul?"));
    const deadline = Date.now() + 15_000;
    while (botMessagesIn(await (emulator as TelegramServer).getUpdatesHistory(TOKEN), 41).length === 0) {
      bot?.assertAlive();
      if (Date.now() > deadline) throw new Error(`no reply${bot?.tail()}`);
      await sleep(25);
    }
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^citat_questions_total\{outcome="answered",channel="chat"\} 1$/m);
    expect(metrics).toMatch(/^citat_updates_in_flight 0$/m);
    expect((await fetch(`${base}/telegram`, { method: "POST", body: "{}" })).status).toBe(404);

    await expectCleanStop(bot as BotProcess);
    expect(bot?.log).not.toMatch(/\[citat\] (error|fatal)/);
  }, 30_000);
});
