/**
 * The limits on untrusted text (feeds, article pages, content files), in one place. main.ts
 * sets them from the environment (see config.ts) with `setLimits`; everything else reads
 * `limits()`. The defaults are the documented ones (README, "Security and limits").
 */
import { DEFAULT_HTML_LIMITS, type HtmlLimits } from "./html-limits.js";

export interface Limits {
  /** Body characters kept per article (ARTICLE_MAX_CHARS); the rest is cut at a paragraph or sentence. */
  readonly articleMaxChars: number;
  /** Passages (sentences) kept per article (ARTICLE_MAX_PASSAGES). */
  readonly articleMaxPassages: number;
  /** Largest content file read (CONTENT_MAX_FILE_MB), checked before it is read. */
  readonly fileMaxBytes: number;
  /** Hard time limit of one parsing job in a worker (PARSE_TIMEOUT_MS); the worker is terminated. */
  readonly parseTimeoutMs: number;
  /** Extra time per MB of a content file (a big archive takes longer than a page). */
  readonly parseMsPerMb: number;
  /** Parsing workers (PARSE_WORKERS). */
  readonly parseWorkers: number;
  /** Heap limit of each parsing worker in MB (PARSE_WORKER_MEMORY_MB). */
  readonly parseWorkerMemoryMb: number;
  /** Largest article page fetched (PAGE_MAX_MB), in bytes. */
  readonly pageMaxBytes: number;
  /** Caps on HTML before it is parsed (PAGE_MAX_DEPTH; size as PAGE_MAX_MB; tags). */
  readonly html: HtmlLimits;
}

export const DEFAULT_LIMITS: Limits = {
  articleMaxChars: 60_000,
  articleMaxPassages: 300,
  fileMaxBytes: 64 * 1024 * 1024,
  parseTimeoutMs: 5_000,
  parseMsPerMb: 1_000,
  parseWorkers: 2,
  parseWorkerMemoryMb: 192,
  pageMaxBytes: 3 * 1024 * 1024,
  html: DEFAULT_HTML_LIMITS,
};

let current: Limits = DEFAULT_LIMITS;

export function limits(): Limits {
  return current;
}

/** The limits for the values of the environment (config.ts). */
export function limitsFromConfig(c: {
  articleMaxChars: number;
  articleMaxPassages: number;
  contentMaxFileMb: number;
  parseTimeoutMs: number;
  parseWorkers: number;
  parseWorkerMemoryMb: number;
  pageMaxMb: number;
  pageMaxDepth: number;
}): Partial<Limits> {
  return {
    articleMaxChars: c.articleMaxChars,
    articleMaxPassages: c.articleMaxPassages,
    fileMaxBytes: c.contentMaxFileMb * 1024 * 1024,
    parseTimeoutMs: c.parseTimeoutMs,
    parseWorkers: c.parseWorkers,
    parseWorkerMemoryMb: c.parseWorkerMemoryMb,
    pageMaxBytes: c.pageMaxMb * 1024 * 1024,
    html: { ...DEFAULT_HTML_LIMITS, maxChars: c.pageMaxMb * 1024 * 1024, maxDepth: c.pageMaxDepth },
  };
}

/** Sets the limits (main.ts, from the environment; tests). Returns the previous ones. */
export function setLimits(partial: Partial<Limits>): Limits {
  const previous = current;
  current = { ...current, ...partial, html: { ...current.html, ...partial.html } };
  return previous;
}
