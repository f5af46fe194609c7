/** Content folder → answer engine, with the start-up log line every entry point prints. */
import { loadContent } from "./content/load-content.js";
import type { Logger } from "./logger.js";
import { AnswerEngine } from "./search/answer-engine.js";

export async function loadEngine(contentDir: string, logger: Logger): Promise<AnswerEngine> {
  const started = performance.now();
  const { articles, files, skipped } = await loadContent(contentDir, logger);
  const engine = AnswerEngine.fromArticles(articles);
  const ms = Math.round(performance.now() - started);
  logger.info(
    `content: ${articles.length} articles, ${engine.index.passageCount} passages from ${files} files` +
      `${skipped > 0 ? ` (${skipped} skipped, see warnings)` : ""} in ${ms} ms`,
  );
  if (articles.length === 0) logger.warn(`content: no articles in ${contentDir}; every question will find nothing`);
  return engine;
}
