/**
 * The command line: `citat ask [--json] [--content DIR] ["question"]`.
 * With a question argument it answers it; without, it reads one question per line from stdin.
 * `--json` prints exactly one JSON object per question on stdout; logs go to stderr.
 */
import "dotenv/config";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "../config.js";
import { limitsFromConfig, setLimits } from "../content/limits.js";
import { ArticleStore } from "../storage/article-store.js";
import { PostgresDatabase } from "../storage/postgres.js";
import type { Article } from "../content/article.js";
import { loadEngine } from "../load-engine.js";
import { escapeControlChars } from "../control-chars.js";
import { createStderrLogger, type Logger } from "../logger.js";
import { redact } from "../redact.js";
import { answerToJson, type AnswerEngine } from "../search/answer-engine.js";
import { normalizeQuestion, QUESTION_LIMIT, renderAnswerText } from "../bot/render.js";

const USAGE = `Usage: citat ask [--json] [--content DIR] ["question"]
  Answers a question about the indexed news with verbatim quotes.
  Without a question argument, reads one question per line from stdin.
  --json         one JSON object per question: {"question","found","answers":[…]}
  --content DIR  the articles folder (default: $CONTENT_DIR or ./content)`;

/**
 * Answers one question. Like the bot, it searches at most QUESTION_LIMIT characters on one
 * line (a pasted article is not a question, and its cost grows with its length); a longer
 * question is shortened at a word boundary, with a note on stderr.
 */
function answerLine(engine: AnswerEngine, raw: string, json: boolean): string {
  const question = normalizeQuestion(raw);
  if (question.length < raw.replace(/\s+/g, " ").trim().length) {
    process.stderr.write(`citat: question shortened to ${QUESTION_LIMIT} characters\n`);
  }
  const answer = engine.ask(question, { limit: 3 });
  if (json) return JSON.stringify(answerToJson(answer));
  return `${question}\n\n${renderAnswerText(answer, "Nu am găsit nimic care să răspundă la această întrebare în articolele indexate.")}\n`;
}

function parseCliArgs(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: "boolean" }, content: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
}

export async function runCli(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseCliArgs>;
  try {
    parsed = parseCliArgs(argv);
  } catch (err) {
    process.stderr.write(`citat: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const [command, ...words] = parsed.positionals;
  if (parsed.values.help || command === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined && !parsed.values.help ? 2 : 0;
  }
  if (command !== "ask") {
    process.stderr.write(`citat: unknown command "${escapeControlChars(command)}"\n${USAGE}\n`);
    return 2;
  }
  const config = loadConfig({ LOG_LEVEL: "warn", ...process.env });
  const logger = createStderrLogger(config.logLevel, { format: config.logFormat });
  // The articles feeds brought to the bot are answered from too (unless another folder is asked).
  const feedArticles =
    parsed.values.content === undefined ? await storedArticles(config.databaseUrl, config.dataDir, logger) : [];
  setLimits(limitsFromConfig(config.limits));
  const engine = await loadEngine(
    parsed.values.content ?? config.contentDir,
    config.dataDir,
    logger,
    feedArticles,
    config.limits.indexMaxPassages,
  );
  const json = parsed.values.json === true;
  if (words.length > 0) {
    process.stdout.write(`${answerLine(engine, words.join(" "), json)}\n`);
    return 0;
  }
  for await (const line of createInterface({ input: process.stdin, terminal: false })) {
    if (line.trim() === "") continue;
    process.stdout.write(`${answerLine(engine, line.trim(), json)}\n`);
  }
  return 0;
}

/** The bot's stored articles: from DATABASE_URL's Postgres when set (read only), else DATA_DIR's SQLite file (never created). */
async function storedArticles(databaseUrl: string | null, dataDir: string, logger: Logger): Promise<Article[]> {
  if (databaseUrl === null) return ArticleStore.storedArticlesIn(dataDir);
  const db = PostgresDatabase.connect(databaseUrl, { max: 1, applicationName: "citat-cli" });
  try {
    return await new ArticleStore(db).storedArticles();
  } catch (err) {
    logger.warn(
      `storage: cannot read the stored articles from ${db.path} (${err instanceof Error ? err.message : String(err)}); answering from the content folder only`,
    );
    return [];
  } finally {
    await db.close();
  }
}

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const detail = err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
    // One line per line of the stack, nothing else: no control characters, no secrets.
    process.stderr.write(
      `citat: ${detail
        .split("\n")
        .map((l) => escapeControlChars(redact(l)))
        .join("\n")}\n`,
    );
    process.exitCode = 1;
  },
);
