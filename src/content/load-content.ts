/**
 * Reads the content folder into cleaned Articles. A file (or a JSONL line) that cannot be
 * parsed is skipped with a warning that names it; everything else still loads, so one bad
 * article never keeps the bot from starting.
 */
import { readdir, stat } from "node:fs/promises";
import { extname, join, relative, sep } from "node:path";
import type { Logger } from "../logger.js";
import type { Article } from "./article.js";
import { splitSentences } from "../text/sentences.js";
import { cleanParagraphs } from "./boilerplate.js";
import { limits } from "./limits.js";
import type { FileResult } from "./parse-jobs.js";
import { parseInWorker } from "./parse-pool.js";
import { outletFromFileName, outletFromUrl } from "./outlets.js";
import { ContentError, parseJsonl, parseMarkdown, parseTxt, type ArticleDraft } from "./parse-article.js";

export const ARTICLE_EXTENSIONS = [".txt", ".md", ".jsonl"] as const;

export interface LoadResult {
  readonly articles: Article[];
  /** Files read, articles skipped: for the start-up log line. */
  readonly files: number;
  readonly skipped: number;
}

/**
 * Keeps an article within its budget (ARTICLE_MAX_CHARS, ARTICLE_MAX_PASSAGES): whole
 * paragraphs while they fit, the paragraph that crosses a limit cut at a sentence end (or at
 * the limit when a "sentence" is longer than it), nothing after. Five 5 MB pages once made
 * 191k passages and crashed the bot; an article is a few hundred sentences at most.
 */
export function capParagraphs(
  paragraphs: readonly string[],
  maxChars: number,
  maxPassages: number,
): { paragraphs: string[]; cut: boolean } {
  const out: string[] = [];
  let chars = 0;
  let passages = 0;
  for (const p of paragraphs) {
    const room = maxChars - chars;
    const passageRoom = maxPassages - passages;
    if (room <= 0 || passageRoom <= 0) return { paragraphs: out, cut: true };
    const over = p.length > room;
    const para = over ? p.slice(0, room) : p;
    const spans = splitSentences(para);
    if (!over && spans.length <= passageRoom) {
      out.push(p);
      chars += p.length;
      passages += spans.length;
      continue;
    }
    // This paragraph crosses a limit: its whole sentences that fit (the last span of a paragraph
    // cut by length is a broken sentence, dropped unless it would be the article's only text).
    let n = Math.min(spans.length, passageRoom);
    if (over && n === spans.length && (n > 1 || out.length > 0)) n--;
    const end = n > 0 ? (spans[n - 1] as { end: number }).end : 0;
    const kept = para.slice(0, end).trim();
    if (kept !== "") out.push(kept);
    return { paragraphs: out, cut: true };
  }
  return { paragraphs: out, cut: false };
}

/** Turns a draft into an Article: boilerplate removed, outlet resolved, size capped, empty bodies rejected. */
export function finishArticle(draft: ArticleDraft, file: string): Article {
  const { articleMaxChars, articleMaxPassages } = limits();
  // Cleaning is linear, but there is no point cleaning text that will be cut: twice the budget is plenty.
  const cleaned = cleanParagraphs(
    draft.body.length > 2 * articleMaxChars ? draft.body.slice(0, 2 * articleMaxChars) : draft.body,
  );
  const { paragraphs } = capParagraphs(cleaned.paragraphs, articleMaxChars, articleMaxPassages);
  const outlet = cleaned.outlet;
  if (paragraphs.length === 0) throw new ContentError(file, `article "${draft.id}" has no text left after cleaning`);
  const title = draft.title.replace(/\s+/g, " ").trim();
  return {
    id: draft.id,
    title,
    date: draft.date,
    url: draft.url,
    source: draft.source ?? outlet ?? outletFromUrl(draft.url) ?? outletFromFileName(file),
    body: paragraphs.join("\n\n"),
  };
}

/** Parses one file's text by its extension; errors of single JSONL lines go to onError. */
export function parseFile(text: string, relPath: string, onError: (err: ContentError) => void): Article[] {
  const ext = extname(relPath).toLowerCase();
  const id = relPath
    .slice(0, relPath.length - ext.length)
    .split(sep)
    .join("/");
  const drafts =
    ext === ".txt"
      ? [parseTxt(text, id, relPath)]
      : ext === ".md"
        ? [parseMarkdown(text, id, relPath)]
        : parseJsonl(text, id, relPath, onError);
  const articles: Article[] = [];
  for (const d of drafts) {
    try {
      articles.push(finishArticle(d, relPath));
    } catch (err) {
      if (err instanceof ContentError) onError(err);
      else throw err;
    }
  }
  return articles;
}

/**
 * Reads and parses one content file in a parsing worker: the size is checked before the file
 * is read, and the parse has a hard time limit (PARSE_TIMEOUT_MS plus a second per MB), so a
 * hostile file (a quadratic Markdown emphasis run, a 60 MB dump) never blocks the event loop.
 */
export async function parseFileInWorker(path: string, rel: string): Promise<FileResult> {
  const { fileMaxBytes, parseTimeoutMs, parseMsPerMb } = limits();
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (err) {
    return { articles: [], problems: [], error: new ContentError(rel, (err as Error).message).message };
  }
  if (size > fileMaxBytes)
    return {
      articles: [],
      problems: [],
      error: new ContentError(rel, `file of ${size} bytes is larger than the ${fileMaxBytes}-byte limit (CONTENT_MAX_FILE_MB)`)
        .message,
    };
  try {
    return await parseInWorker({ kind: "file", path, rel }, parseTimeoutMs + Math.ceil((size / 1048576) * parseMsPerMb));
  } catch (err) {
    return { articles: [], problems: [], error: new ContentError(rel, (err as Error).message).message };
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && (ARTICLE_EXTENSIONS as readonly string[]).includes(extname(e.name).toLowerCase()))
    .map((e) => join(e.parentPath ?? dir, e.name))
    .filter(
      (p) =>
        !relative(dir, p)
          .split(sep)
          .some((part) => part.startsWith(".")),
    )
    .sort();
}

/** Loads every article file under `dir` (recursively, hidden folders excluded). */
export async function loadContent(dir: string, logger: Logger): Promise<LoadResult> {
  let files: string[];
  try {
    files = await listFiles(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      logger.warn(`content: folder ${dir} does not exist; starting with no articles (set CONTENT_DIR)`);
      return { articles: [], files: 0, skipped: 0 };
    }
    throw err;
  }
  const articles: Article[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  const onProblem = (message: string) => {
    skipped++;
    logger.warn(message);
  };
  const onError = (err: ContentError) => onProblem(err.message);
  for (const path of files) {
    const rel = relative(dir, path);
    const result = await parseFileInWorker(path, rel);
    for (const problem of result.problems) onProblem(problem);
    if (result.error !== undefined) {
      onProblem(result.error);
      continue;
    }
    for (const a of result.articles) {
      if (seen.has(a.id)) {
        onError(new ContentError(rel, `duplicate article id "${a.id}"`));
        continue;
      }
      seen.add(a.id);
      articles.push(a);
    }
  }
  return { articles, files: files.length, skipped };
}
