/**
 * The sender as a process of its own, for the crash test: drains the outbox of the database
 * (DATABASE_URL's Postgres, else the SQLite file in DATA_DIR) through the Bot API at
 * TELEGRAM_API_ROOT, then exits 0.
 */
import { Api } from "grammy";
import { Sender } from "../../src/delivery/sender.js";
import { createStderrLogger } from "../../src/logger.js";
import { openStorage } from "../../src/storage/storage.js";

const dataDir = process.env.DATA_DIR as string;
const apiRoot = process.env.TELEGRAM_API_ROOT as string;
const storage = await openStorage({ databaseUrl: process.env.DATABASE_URL ?? null, dataDir });
const api = new Api("123456:crash-test-token", { apiRoot, timeoutSeconds: 10 });
// Limits as in production would make 200 messages take 7 s; the crash is the point here, not the pace.
const sender = new Sender(storage.outbox, api, storage.subscriptions, createStderrLogger("warn"), {
  perSecond: 2000,
  privateIntervalMs: 0,
});
process.stderr.write(`sender-process: started, ${await storage.outbox.pendingCount()} pending\n`);
await sender.drain();
await storage.close();
process.stderr.write("sender-process: done\n");
