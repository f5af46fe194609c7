/**
 * A feed entry → an Article: its full content when the feed carries it; otherwise the article
 * page's main text (Readability), when the page can be fetched and says more than the
 * summary; otherwise the summary. Boilerplate is removed as for the content folder.
 */
import { createHash } from "node:crypto";
import type { Article } from "../content/article.js";
import type { ArticleDraft } from "../content/parse-article.js";
import { fold } from "../text/normalize.js";
import { bucharestParts } from "../clock.js";
import { dedupKeys, scopedUrlKey } from "../content/article-keys.js";
import { limits } from "../content/limits.js";
import { parseInWorker } from "../content/parse-pool.js";
import type { ExtractedPage } from "./extract-article.js";
import type { FeedSource } from "./feed-config.js";
import { fetchBytes, fetchText, PAGE_LIMITS, type FetchOptions } from "./fetch-feed.js";
import { htmlToParagraphs, type FeedEntry } from "./parse-feed.js";

/** Content shorter than this (characters) is treated as a summary: the page is fetched. */
export const FULL_TEXT_MIN = 600;

/** A fetched article page: its HTML, or its undecoded bytes (decoded in the parsing worker). */
export type FetchedPage =
  | { readonly html: string; readonly url: string }
  | { readonly bytes: Uint8Array; readonly contentType: string; readonly url: string };

/** Fetches an article page (linked from the feed at `feedUrl`); injectable for tests. Returns null when it cannot. */
export type PageFetcher = (url: string, signal?: AbortSignal, feedUrl?: string) => Promise<FetchedPage | null>;

/** The page's bytes through the outbound guard (the default fetcher: no decoding on the main thread). */
export const fetchPageBytes: PageFetcher = async (url, signal, feedUrl) => {
  const r = await fetchBytes(url, pageOptions(url, signal, feedUrl));
  return r.status === "ok" && !/json|rss|atom/i.test(r.contentType)
    ? { bytes: r.bytes, contentType: r.contentType, url: r.url }
    : null;
};

function pageOptions(url: string, signal: AbortSignal | undefined, feedUrl: string | undefined): FetchOptions {
  return {
    limits: { ...PAGE_LIMITS, maxBytes: limits().pageMaxBytes },
    accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
    // The feed's own origin (scheme, host, port) is the operator's; any other must be public.
    policy: { trustedOrigin: new URL(feedUrl ?? url).origin },
    ...(signal ? { signal } : {}),
  };
}

/** The page's HTML, decoded. */
export const fetchPage = async (
  url: string,
  signal?: AbortSignal,
  feedUrl?: string,
): Promise<{ html: string; url: string } | null> => {
  const r = await fetchText(url, pageOptions(url, signal, feedUrl));
  return r.status === "ok" && !/json|rss|atom/i.test(r.contentType) ? { html: r.text, url: r.url } : null;
};

const slug = (name: string) =>
  fold(name)
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "") || "feed";
const textLength = (ps: readonly string[]) => ps.reduce((n, p) => n + p.length, 0);

export interface PreparedEntry {
  readonly article: Article;
  /** Dedup keys (guid, links incl. the page's canonical one, title). */
  readonly keys: string[];
  /** Where the text came from, for the log. */
  readonly text: "content" | "page" | "summary" | "title";
}

/** Plain text of a title that may carry markup or entities (a title is a line: capped before parsing). */
function plainTitle(title: string): string {
  const capped = title.slice(0, 2000);
  let text = capped;
  if (/[<&]/.test(capped)) {
    try {
      text = htmlToParagraphs(capped).join(" ");
    } catch {
      text = capped.replace(/<[^<>]{0,200}>/g, " ");
    }
  }
  return text.replace(/\s+/g, " ").trim().slice(0, 500);
}

/** The entry's dedup keys before any page is fetched. */
export function entryKeys(entry: FeedEntry, feed: FeedSource): string[] {
  return dedupKeys({ guid: entry.guid, urls: [entry.url], title: plainTitle(entry.title), feedUrl: feed.url });
}

/**
 * Builds the article of an entry. `isDuplicate` is asked again once the page's canonical link
 * is known (returns null then). Never throws for a page that cannot be fetched or read.
 */
export async function prepareEntry(
  entry: FeedEntry,
  feed: FeedSource,
  options: {
    now: number;
    fetchPage?: PageFetcher | null;
    signal?: AbortSignal;
    isDuplicate?: (keys: string[]) => boolean | Promise<boolean>;
    /** Asked before an article page is fetched: false when the poll's page budget is spent. */
    mayFetchPage?: () => boolean;
  },
): Promise<PreparedEntry | null> {
  // The entry's HTML is parsed in a worker (time-limited); a failure fails this entry only.
  const { content, summary } = await parseInWorker({
    kind: "entry",
    title: "",
    contentHtml: entry.contentHtml,
    summaryHtml: entry.summaryHtml,
  });
  let title = plainTitle(entry.title);
  if (title === "") title = (content[0] ?? summary[0] ?? "").slice(0, 120);
  if (title === "") return null;
  const keys = dedupKeys({ guid: entry.guid, urls: [entry.url], title, feedUrl: feed.url });
  let paragraphs = content;
  let text: PreparedEntry["text"] = "content";
  let url = entry.url;
  if (textLength(content) < FULL_TEXT_MIN && entry.url && options.fetchPage !== null && (options.mayFetchPage?.() ?? true)) {
    let page: ExtractedPage | null = null;
    try {
      const fetched = await (options.fetchPage ?? fetchPageBytes)(entry.url, options.signal, feed.url);
      // Decoding and Readability in a worker with a hard time limit; a page that fails keeps the summary.
      if (fetched) {
        page =
          "bytes" in fetched
            ? await parseInWorker(
                { kind: "page", bytes: fetched.bytes, contentType: fetched.contentType, url: fetched.url },
                undefined,
                [fetched.bytes.buffer as ArrayBuffer],
              )
            : await parseInWorker({ kind: "page", html: fetched.html, url: fetched.url });
      }
    } catch {
      page = null;
    }
    if (page?.canonicalUrl) {
      const canonical = scopedUrlKey(page.canonicalUrl, feed.url);
      if (!keys.includes(canonical)) {
        keys.push(canonical);
        if (await options.isDuplicate?.([canonical])) return null;
      }
      url = page.canonicalUrl;
    }
    const best = [content, summary].reduce((a, b) => (textLength(b) > textLength(a) ? b : a));
    if (page && textLength(page.paragraphs) > textLength(best)) {
      paragraphs = page.paragraphs;
      text = "page";
    } else {
      paragraphs = best;
      text = best === content && content.length > 0 ? "content" : "summary";
    }
  } else if (content.length === 0) {
    paragraphs = summary;
    text = "summary";
  }
  const id = `feed:${slug(feed.name)}/${createHash("sha1")
    .update(keys[0] ?? title)
    .digest("hex")
    .slice(0, 16)}`;
  const date = bucharestParts(entry.published?.getTime() ?? options.now).date;
  const draft = (body: string[]): ArticleDraft => ({
    id,
    title,
    date,
    url: url ?? null,
    source: feed.name,
    body: body.join("\n"),
  });
  // Boilerplate removal and the article's caps run in the worker too (nothing long on the main thread).
  if (paragraphs.length > 0) {
    const article = await parseInWorker({ kind: "finish", draft: draft(paragraphs), file: feed.url });
    if (article) return { article, keys, text };
  }
  // Nothing left after boilerplate removal: the title is the article's only text.
  const article = await parseInWorker({ kind: "finish", draft: draft([title]), file: feed.url });
  return article ? { article, keys, text: "title" } : null;
}
