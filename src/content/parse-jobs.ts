/**
 * The parsing jobs that run in a worker thread (see parse-pool.ts): everything that turns
 * untrusted text into articles — feed XML/JSON, feed entry HTML, article pages (Readability
 * over linkedom), content files (Markdown, JSONL, text). A job that takes too long is killed
 * with its worker; a job that throws is reported to the caller. Plain data in and out.
 */
import { readFile, stat } from "node:fs/promises";
import type { ExtractedPage } from "../feeds/extract-article.js";
import type { ParsedFeed } from "../feeds/parse-feed.js";
import type { Article } from "./article.js";
import { limits, setLimits, type Limits } from "./limits.js";
import { finishArticle, parseFile } from "./load-content.js";
import { ContentError, type ArticleDraft } from "./parse-article.js";

// Feed and page parsing (feed-parser, linkedom, Readability) load on the first job that needs
// them: a worker that only reads content files starts faster.
const feeds = () => import("../feeds/parse-feed.js");
const pages = () => import("../feeds/extract-article.js");
const decoding = () => import("../feeds/decode-text.js");

/** A feed entry's HTML fields as plain paragraphs (an over-limit field is empty). */
export interface EntryText {
  readonly title: string;
  readonly content: string[];
  readonly summary: string[];
}

/** A content file's articles, and the problems of single lines or of the whole file. */
export interface FileResult {
  readonly articles: Article[];
  /** Warnings of skipped lines or articles (ContentError messages). */
  readonly problems: string[];
  /** Set when the whole file was skipped. */
  readonly error?: string;
}

export type ParseJob =
  | { readonly kind: "feed"; readonly text: string; readonly contentType: string; readonly baseUrl: string; readonly now: number }
  | { readonly kind: "entry"; readonly title: string; readonly contentHtml: string | null; readonly summaryHtml: string | null }
  | { readonly kind: "page"; readonly html: string; readonly url: string }
  | { readonly kind: "page"; readonly bytes: Uint8Array; readonly contentType: string; readonly url: string }
  /** A draft → its Article (boilerplate removed, capped), or null when no text is left. */
  | { readonly kind: "finish"; readonly draft: ArticleDraft; readonly file: string }
  | {
      readonly kind: "feed-bytes";
      readonly bytes: Uint8Array;
      readonly contentType: string;
      readonly baseUrl: string;
      readonly now: number;
    }
  | { readonly kind: "file"; readonly path: string; readonly rel: string }
  | { readonly kind: "limits"; readonly limits: Limits }
  /** For tests of the pool itself: a job that never ends, or one that allocates without end. */
  | { readonly kind: "test-spin" }
  | { readonly kind: "test-grow" };

export type ParseResult<J extends ParseJob> = J extends { kind: "feed" } | { kind: "feed-bytes" }
  ? ParsedFeed
  : J extends { kind: "finish" }
    ? Article | null
    : J extends { kind: "entry" }
      ? EntryText
      : J extends { kind: "page" }
        ? ExtractedPage
        : J extends { kind: "file" }
          ? FileResult
          : null;

/**
 * Paragraphs beyond twice the article budget are dropped here, in the worker: they would be
 * cut anyway (finishArticle), and copying them to the main thread costs it time.
 */
function trimToBudget(paragraphs: string[]): string[] {
  const max = 2 * limits().articleMaxChars;
  let total = 0;
  for (let i = 0; i < paragraphs.length; i++) {
    total += (paragraphs[i] as string).length;
    if (total > max) return paragraphs.slice(0, i + 1);
  }
  return paragraphs;
}

const safeParagraphs = (html: string | null, htmlToParagraphs: (html: string) => string[]): string[] => {
  if (!html) return [];
  try {
    return trimToBudget(htmlToParagraphs(html));
  } catch {
    return []; // over the HTML limits: the field is dropped, the entry keeps its other text
  }
};

/** Plain text of a title that may carry markup or entities (capped: a title is a line). */
function plainTitle(title: string, htmlToParagraphs: (html: string) => string[]): string {
  const capped = title.slice(0, 2000);
  const text = /[<&]/.test(capped) ? safeParagraphs(capped, htmlToParagraphs).join(" ") : capped;
  return text.replace(/\s+/g, " ").trim().slice(0, 500);
}

async function parseContentFile(path: string, rel: string, fileMaxBytes: number): Promise<FileResult> {
  const problems: string[] = [];
  try {
    const size = (await stat(path)).size;
    if (size > fileMaxBytes) throw new ContentError(rel, `file of ${size} bytes is larger than the ${fileMaxBytes}-byte limit`);
    const buf = await readFile(path);
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(buf);
    } catch {
      throw new ContentError(rel, "not valid UTF-8 text");
    }
    const articles = parseFile(text, rel, (err) => problems.push(err.message));
    return { articles, problems };
  } catch (err) {
    const message = err instanceof ContentError ? err.message : new ContentError(rel, (err as Error).message).message;
    return { articles: [], problems, error: message };
  }
}

export async function runJob(job: ParseJob): Promise<unknown> {
  switch (job.kind) {
    case "feed":
      return (await feeds()).parseFeedText(job.text, job.contentType, job.baseUrl, job.now);
    case "entry": {
      const { htmlToParagraphs } = await feeds();
      const toText = (html: string) => htmlToParagraphs(html);
      return {
        title: plainTitle(job.title, toText),
        content: safeParagraphs(job.contentHtml, toText),
        summary: safeParagraphs(job.summaryHtml, toText),
      } satisfies EntryText;
    }
    case "feed-bytes":
      return (await feeds()).parseFeedText(
        (await decoding()).decodeText(job.bytes, job.contentType),
        job.contentType,
        job.baseUrl,
        job.now,
      );
    case "finish":
      try {
        return finishArticle(job.draft, job.file);
      } catch (err) {
        if (err instanceof ContentError) return null;
        throw err;
      }
    case "page": {
      const html = "bytes" in job ? (await decoding()).decodeText(job.bytes, job.contentType) : job.html;
      const page = (await pages()).extractArticle(html, job.url);
      return { ...page, paragraphs: trimToBudget(page.paragraphs) };
    }
    case "file":
      return parseContentFile(job.path, job.rel, limits().fileMaxBytes);
    case "limits":
      setLimits(job.limits);
      return null;
    case "test-spin":
      for (;;) {
        // never returns: the pool must terminate this worker
      }
    case "test-grow": {
      const hoard: string[][] = [];
      for (;;) hoard.push(new Array(100_000).fill("x".repeat(16)));
    }
  }
}
