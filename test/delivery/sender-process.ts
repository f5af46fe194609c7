/**
 * The sender as a process of its own, for the crash test: drains the outbox of the database
 * in DATA_DIR through the Bot API at TELEGRAM_API_ROOT, then exits 0.
 */
import { Api } from "grammy";
import { Outbox } from "../../src/delivery/outbox.js";
import { Sender } from "../../src/delivery/sender.js";
import { createStderrLogger } from "../../src/logger.js";
import { openDatabase } from "../../src/storage/database.js";
import { SubscriptionStore } from "../../src/subscriptions/subscription-store.js";

const dataDir = process.env.DATA_DIR as string;
const apiRoot = process.env.TELEGRAM_API_ROOT as string;
const db = openDatabase(dataDir);
const api = new Api("123456:crash-test-token", { apiRoot, timeoutSeconds: 10 });
// Limits as in production would make 200 messages take 7 s; the crash is the point here, not the pace.
const sender = new Sender(new Outbox(db), api, new SubscriptionStore(db), createStderrLogger("warn"), { perSecond: 2000, privateIntervalMs: 0 });
process.stderr.write(`sender-process: started, ${new Outbox(db).pendingCount()} pending\n`);
await sender.drain();
db.close();
process.stderr.write("sender-process: done\n");
