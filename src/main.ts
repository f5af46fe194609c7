/**
 * Entry point of `npm start`. With BOT_TOKEN: long polling against the Bot API at
 * TELEGRAM_API_ROOT. Without: the local terminal chat, running the same bot middleware.
 */
import "dotenv/config";
import { createBot, publishCommands } from "./bot/create-bot.js";
import { runTerminalChat, TERMINAL_BOT_INFO } from "./bot/terminal-chat.js";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { loadEngine } from "./load-engine.js";
import { createStderrLogger } from "./logger.js";
import { openDatabase } from "./storage/database.js";

async function main(config: Config): Promise<void> {
  const logger = createStderrLogger(config.logLevel);
  const engine = await loadEngine(config.contentDir, config.dataDir, logger);
  // Conversations, questions and feedback live in DATA_DIR, so they survive a restart.
  const db = openDatabase(config.dataDir);
  const deps = { engine, logger, db, adminIds: config.adminIds };

  if (config.botToken === null) {
    const bot = createBot(deps, { token: "0:local-terminal-chat", botInfo: TERMINAL_BOT_INFO, autoRetry: false });
    await runTerminalChat(bot, { input: process.stdin, output: process.stdout, color: process.stdout.isTTY === true });
    return;
  }

  const bot = createBot(deps, { token: config.botToken, apiRoot: config.apiRoot });
  const stop = () => {
    // bot.stop() waits for the last getUpdates; if the API server is gone, that never ends.
    setTimeout(() => {
      logger.warn("telegram: shutdown timed out; exiting");
      process.exit(0);
    }, 10_000).unref();
    void bot.stop();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await bot.init();
  await publishCommands(bot, deps);
  await bot.start({
    allowed_updates: ["message", "callback_query", "inline_query"],
    onStart: (me) => logger.info(`telegram: @${me.username} polling ${config.apiRoot}`),
  });
  logger.info("telegram: stopped");
}

let config: Config;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`[citat] ${err.message}\n`);
    process.exit(2);
  }
  throw err;
}

main(config).catch((err: unknown) => {
  process.stderr.write(`[citat] fatal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
