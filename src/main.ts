/**
 * Entry point of `npm start`. With BOT_TOKEN: long polling against the Bot API at
 * TELEGRAM_API_ROOT, or a webhook with WEBHOOK_URL, updates handled concurrently. Without: the local terminal chat, running the same bot middleware.
 * Beside the bot run the feed poller, the content watcher and the notification sender
 * (delivery/live-news.ts); SIGTERM stops them all.
 */
import "dotenv/config";
import type { Server } from "node:http";
import { Api } from "grammy";
import { createBot, publishCommands } from "./bot/create-bot.js";
import { runTerminalChat, TERMINAL_BOT_INFO } from "./bot/terminal-chat.js";
import { ConfigError, DEFAULT_PORT, loadConfig, type Config } from "./config.js";
import { limitsFromConfig, setLimits } from "./content/limits.js";
import { notificationRenderer } from "./bot/notifications.js";
import { startLiveNews } from "./delivery/live-news.js";
import type { SendApi } from "./delivery/sender.js";
import { loadFeedList, type FeedSource } from "./feeds/feed-config.js";
import { loadEngine } from "./load-engine.js";
import { ApiOutageMonitor } from "./bot/api-outage.js";
import { createStderrLogger, type Logger } from "./logger.js";
import { createMetrics } from "./metrics.js";
import { redactUrl } from "./redact.js";
import { IndexStore } from "./search/index-store.js";
import { ALLOWED_UPDATES, startPolling, startWebhookQueue, type BotRuntime } from "./server/bot-runtime.js";
import { close, createBotServer, listen } from "./server/http-server.js";
import { storageMetricSources } from "./server/metric-sources.js";
import { SqlUpdateLog } from "./server/update-log.js";
import { dataDirWarnings, StorageError } from "./storage/database.js";
import { PostgresLeadership } from "./storage/leader.js";
import { DAY_MS, startRetention } from "./storage/retention.js";
import { openStorage, type Storage } from "./storage/storage.js";

async function main(config: Config, logger: Logger): Promise<void> {
  setLimits(limitsFromConfig(config.limits));
  // Conversations, questions, feedback, subscriptions and the outbox live in DATA_DIR's SQLite
  // database (or DATABASE_URL's Postgres), so they survive a restart; so do the articles feeds
  // brought, which join the content in the index. A database that is corrupt, empty,
  // read-only, on a full disk or unreachable stops the start here, with a message saying what
  // to do (StorageError).
  const storage = await openStorage({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  logger.info(`storage: ${storage.db.dialect} at ${storage.db.path}`);
  if (storage.db.dialect === "sqlite") for (const warning of dataDirWarnings(config.dataDir)) logger.warn(`privacy: ${warning}`);
  // Questions and votes are deleted after QUESTION_RETENTION_DAYS, expired sessions too: now and hourly.
  // Finished notifications go after 30 days here too, also when no feed is polled (the poller prunes them as well).
  const retention = startRetention({
    storage,
    logger,
    retentionDays: config.questionRetentionDays,
    alsoPrune: [(now) => storage.outbox.prune(now - 30 * DAY_MS)],
  });
  const engine = await loadEngine(
    config.contentDir,
    config.dataDir,
    logger,
    await storage.articles.storedArticles(),
    config.limits.indexMaxPassages,
  );
  const feedList = await loadFeedList(config.feeds, config.contentDir);
  for (const problem of feedList.problems) logger.warn(`feeds: ${problem}; skipped`);
  const shared = storage.db.dialect === "postgres" ? config.databaseUrl : null;
  const deps = {
    engine,
    logger,
    storage,
    adminIds: config.adminIds,
    feedNames: feedList.feeds.map((f) => f.name),
    typingDelayMs: config.typingDelayMs,
  };
  const liveNews = (api: SendApi, feeds: readonly FeedSource[]) =>
    startLiveNews({
      storage,
      render: notificationRenderer,
      engine,
      indexStore: new IndexStore(config.dataDir, logger),
      api,
      logger,
      feeds,
      contentDir: config.contentDir,
      adminIds: config.adminIds,
      digestHour: config.digestHour,
      maxPassages: config.limits.indexMaxPassages,
      poller: {
        defaultIntervalMs: config.feedIntervalMinutes * 60_000,
        retentionMs: config.feedRetentionDays * 86_400_000,
        budget: {
          maxNewItems: config.limits.feedMaxNewItems,
          maxPageFetches: config.limits.feedMaxPageFetches,
          concurrency: config.limits.feedPageConcurrency,
          timeMs: config.limits.feedPollBudgetSeconds * 1000,
        },
      },
      // On Postgres several instances may share the database: one leads, all follow the article store.
      ...(shared ? { leadership: new PostgresLeadership(shared, logger), indexSync: true, sender: { idlePollMs: 2000 } } : {}),
    });

  if (config.botToken === null) {
    const bot = createBot(deps, { token: "0:local-terminal-chat", botInfo: TERMINAL_BOT_INFO, autoRetry: false });
    const chat = runTerminalChat(bot, { input: process.stdin, output: process.stdout, color: process.stdout.isTTY === true });
    // Notifications print in the terminal (the chat's local API is installed by now); feeds are
    // polled here only when FEEDS is set explicitly: trying Citat out shouldn't fetch the web.
    const live = liveNews(bot.api, config.feeds === undefined ? [] : feedList.feeds);
    await chat;
    await live.stop();
    retention.stop();
    await storage.close();
    return;
  }

  // One outage warning (and one recovery line) for both API clients, whichever notices first.
  const apiRoot = redactUrl(config.apiRoot, [config.botToken]);
  const outage = new ApiOutageMonitor(logger, { apiRoot });
  // Notifications use their own API client: the sender handles 429/5xx itself (see delivery/sender.ts).
  const sendApi = new Api(config.botToken, { apiRoot: config.apiRoot, timeoutSeconds: 30 });
  sendApi.config.use(outage.transformer);
  // Updates run concurrently (BOT_CONCURRENCY), by long polling or, with WEBHOOK_URL, through
  // the webhook server (server/). /healthz and /metrics are served with the webhook, or on PORT.
  let runtime: BotRuntime | undefined;
  const metrics = createMetrics(storageMetricSources({ storage, engine, feedNames: deps.feedNames, runtime: () => runtime }));
  metrics.countNotifications(sendApi);
  const bot = createBot(deps, {
    token: config.botToken,
    apiRoot: config.apiRoot,
    apiTransformers: [outage.transformer],
    observer: metrics.observer,
  });
  const live = liveNews(sendApi, feedList.feeds);
  if (feedList.feeds.length > 0)
    logger.info(
      `feeds: ${feedList.feeds.length} from ${feedList.origin === "default" ? "the default list" : feedList.origin}: ${feedList.feeds.map((f) => f.name).join(", ")}`,
    );
  let stopping = false;
  const health = async () => ({
    database: await databaseReachable(storage),
    index: !stopping,
    passages: engine.index.passageCount,
  });
  await bot.init();
  await publishCommands(bot, deps);
  const runtimeOptions = { concurrency: config.concurrency, logger };
  let server: Server | undefined;
  if (config.webhookUrl !== null && config.webhookSecret !== null) {
    const webhook = startWebhookQueue(bot, runtimeOptions);
    runtime = webhook;
    server = createBotServer({
      logger,
      health,
      metrics: metrics.render,
      webhook: {
        path: new URL(config.webhookUrl).pathname,
        secret: config.webhookSecret,
        // In the shared database on Postgres: a re-send reaching another instance is skipped too.
        updateLog: new SqlUpdateLog(storage.db),
        accept: (update) => webhook.queue.push(update),
        busy: () => webhook.queue.full,
        onResult: (result) => metrics.webhookRequests.inc({ result }),
      },
    });
    const port = await listen(server, config.port ?? DEFAULT_PORT);
    await bot.api.setWebhook(config.webhookUrl, { allowed_updates: [...ALLOWED_UPDATES], secret_token: config.webhookSecret });
    logger.info(
      `telegram: @${bot.botInfo.username} webhook ${redactUrl(config.webhookUrl, [config.botToken, config.webhookSecret])} on port ${port}`,
    );
  } else {
    if (config.port !== null) {
      server = createBotServer({ logger, health, metrics: metrics.render });
      logger.info(`server: /healthz and /metrics on port ${await listen(server, config.port)}`);
    }
    runtime = await startPolling(bot, runtimeOptions);
    logger.info(`telegram: @${bot.botInfo.username} polling ${apiRoot}`);
  }
  logger.info(`telegram: up to ${config.concurrency} updates at once, each chat's in order`);
  const stop = () => {
    // Stops taking updates, finishes those in flight, then stops live news; a Bot API server
    // that is gone must not hold the exit forever.
    stopping = true;
    setTimeout(() => {
      logger.warn("telegram: shutdown timed out; exiting");
      process.exit(0);
    }, 10_000).unref();
    void (async () => {
      if (server) await close(server);
      await runtime?.stop();
    })();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    await runtime.done;
  } finally {
    if (server?.listening) await close(server);
    await live.stop();
    retention.stop();
    await storage.close();
  }
  logger.info("telegram: stopped");
}

/** The database answers a trivial query (for /healthz). */
async function databaseReachable(storage: Storage): Promise<boolean> {
  try {
    await storage.db.get("SELECT 1");
    return true;
  } catch {
    return false;
  }
}

let config: Config;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (err instanceof ConfigError) {
    createStderrLogger("warn", { format: process.env.LOG_FORMAT?.trim() === "json" ? "json" : "text" }).error(err.message);
    process.exit(2);
  }
  throw err;
}

const logOptions = { format: config.logFormat, secrets: config.botToken ? [config.botToken] : [] };
const logger = createStderrLogger(config.logLevel, logOptions);
main(config, logger).catch((err: unknown) => {
  // Why the bot stopped is printed even with LOG_LEVEL=silent.
  const fatal = config.logLevel === "silent" ? createStderrLogger("warn", logOptions) : logger;
  // A storage failure is the operator's to fix: its message says how; a stack would bury it.
  if (err instanceof StorageError) fatal.error(`cannot start: ${err.message}`);
  else fatal.error("fatal", err);
  process.exit(1);
});
