/**
 * Content folder → answer engine, with the start-up log line every entry point prints. The
 * passage index is persisted in the data folder (see search/index-store.ts): a restart with
 * unchanged content loads it instead of re-indexing.
 */
import type { Article } from "./content/article.js";
import { loadContent } from "./content/load-content.js";
import type { Logger } from "./logger.js";
import { AnswerEngine } from "./search/answer-engine.js";
import { fitToBudget } from "./search/index-budget.js";
import { IndexStore, type OpenStats } from "./search/index-store.js";

function describeIndex(stats: OpenStats, store: IndexStore): string {
  if (stats.source === "built") return `index built${stats.saved ? ` and saved to ${store.path}` : ""}`;
  const changes = [
    stats.changed > 0 ? `${stats.changed} changed` : "",
    stats.indexed - stats.changed > 0 ? `${stats.indexed - stats.changed} new` : "",
    stats.removed > 0 ? `${stats.removed} removed` : "",
  ].filter(Boolean);
  return `index loaded from ${store.path}${changes.length > 0 ? ` (updated: ${changes.join(", ")})` : ""}`;
}

/**
 * `extra` are articles from elsewhere than the content folder (those feeds brought, and other
 * instances' content folders, kept in the database) that belong in the index too.
 */
export async function loadEngine(
  contentDir: string,
  dataDir: string,
  logger: Logger,
  extraArticles: readonly Article[] = [],
  maxPassages = Infinity,
): Promise<AnswerEngine> {
  const started = performance.now();
  const loaded = await loadContent(contentDir, logger);
  const { files, skipped } = loaded;
  let articles = loaded.articles;
  let extra = extraArticles;
  if (Number.isFinite(maxPassages)) {
    // Load what fits (content first, then the newest feed articles) and say what did not: the bot always starts.
    const fitted = fitToBudget(articles, extra, maxPassages);
    articles = fitted.content;
    extra = fitted.feeds;
    if (fitted.leftOut.content + fitted.leftOut.feeds > 0) {
      logger.warn(
        `index: the articles need more than its budget of ${maxPassages} passages (INDEX_MAX_PASSAGES); ` +
          `started without ${fitted.leftOut.feeds} older feed articles and ${fitted.leftOut.content} content articles`,
      );
    }
  }
  const store = new IndexStore(dataDir, logger);
  // The content folder wins over a stored copy of the same article (stored for the other instances).
  const ids = new Set(articles.map((a) => a.id));
  extra = extra.filter((a) => !ids.has(a.id));
  const { index, stats } = await store.open(extra.length > 0 ? [...articles, ...extra] : articles);
  const engine = new AnswerEngine(index);
  const ms = Math.round(performance.now() - started);
  logger.info(
    `content: ${articles.length} articles${extra.length > 0 ? ` (+${extra.length} stored: feeds, other instances)` : ""}, ${index.passageCount} passages from ${files} files` +
      `${skipped > 0 ? ` (${skipped} skipped, see warnings)` : ""}; ${describeIndex(stats, store)}; in ${ms} ms`,
  );
  if (articles.length === 0) logger.warn(`content: no articles in ${contentDir}; every question will find nothing`);
  return engine;
}
