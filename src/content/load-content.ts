/**
 * Reads the content folder into cleaned Articles. A file (or a JSONL line) that cannot be
 * parsed is skipped with a warning that names it; everything else still loads, so one bad
 * article never keeps the bot from starting.
 */
import { readdir, readFile } from "node:fs/promises";
import { extname, join, relative, sep } from "node:path";
import type { Logger } from "../logger.js";
import type { Article } from "./article.js";
import { cleanParagraphs } from "./boilerplate.js";
import { outletFromFileName, outletFromUrl } from "./outlets.js";
import { ContentError, parseJsonl, parseMarkdown, parseTxt, type ArticleDraft } from "./parse-article.js";

export const ARTICLE_EXTENSIONS = [".txt", ".md", ".jsonl"] as const;

/** Largest article file read; bigger files are skipped (a content folder is not a data dump). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

export interface LoadResult {
  readonly articles: Article[];
  /** Files read, articles skipped: for the start-up log line. */
  readonly files: number;
  readonly skipped: number;
}

/** Turns a draft into an Article: boilerplate removed, outlet resolved, empty bodies rejected. */
export function finishArticle(draft: ArticleDraft, file: string): Article {
  const { paragraphs, outlet } = cleanParagraphs(draft.body);
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
  const id = relPath.slice(0, relPath.length - ext.length).split(sep).join("/");
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

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && (ARTICLE_EXTENSIONS as readonly string[]).includes(extname(e.name).toLowerCase()))
    .map((e) => join(e.parentPath ?? dir, e.name))
    .filter((p) => !relative(dir, p).split(sep).some((part) => part.startsWith(".")))
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
  const onError = (err: ContentError) => {
    skipped++;
    logger.warn(err.message);
  };
  for (const path of files) {
    const rel = relative(dir, path);
    try {
      const buf = await readFile(path);
      if (buf.length > MAX_FILE_BYTES) throw new ContentError(rel, `file is larger than ${MAX_FILE_BYTES} bytes`);
      const text = new TextDecoder("utf-8", { fatal: true }).decode(buf);
      for (const a of parseFile(text, rel, onError)) {
        if (seen.has(a.id)) {
          onError(new ContentError(rel, `duplicate article id "${a.id}"`));
          continue;
        }
        seen.add(a.id);
        articles.push(a);
      }
    } catch (err) {
      if (err instanceof ContentError) onError(err);
      else if ((err as NodeJS.ErrnoException).code === "ERR_ENCODING_INVALID_ENCODED_DATA") {
        onError(new ContentError(rel, "not valid UTF-8 text"));
      }
      else onError(new ContentError(rel, (err as Error).message));
    }
  }
  return { articles, files: files.length, skipped };
}
