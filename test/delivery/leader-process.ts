/**
 * One instance's live-news singletons as a process, for the two-instance crash test: campaigns
 * for leadership on DATABASE_URL (advisory lock, production timings) and, once elected, sends
 * the outbox through the Bot API at TELEGRAM_API_ROOT. Prints "elected" when it leads. Runs
 * until SIGTERM (or SIGKILL, which is the point of the test).
 */
import { Api } from "grammy";
import { Sender } from "../../src/delivery/sender.js";
import { createStderrLogger } from "../../src/logger.js";
import { PostgresLeadership } from "../../src/storage/leader.js";
import { openStorage } from "../../src/storage/storage.js";

const url = process.env.DATABASE_URL as string;
const storage = await openStorage({ databaseUrl: url, dataDir: "/nonexistent" });
const logger = createStderrLogger("warn");
const api = new Api("123456:crash-test-token", { apiRoot: process.env.TELEGRAM_API_ROOT as string, timeoutSeconds: 10 });
const sender = new Sender(storage.outbox, api, storage.subscriptions, logger, {
  perSecond: 2000,
  privateIntervalMs: 0,
  idlePollMs: 200,
});
const leadership = new PostgresLeadership(url, logger);
leadership.start({
  onElected: () => {
    process.stderr.write(`leader-process ${process.pid}: elected\n`);
    sender.start();
  },
  onDeposed: () => sender.stop(),
});
process.stderr.write(`leader-process ${process.pid}: campaigning\n`);
process.once("SIGTERM", () => {
  void leadership
    .stop()
    .then(() => storage.close())
    .then(() => process.exit(0));
});
