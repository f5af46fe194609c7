/**
 * A feed entry → an Article: its full content when the feed carries it; otherwise the article
 * page's main text (Readability), when the page can be fetched and says more than the
 * summary; otherwise the summary. Boilerplate is removed as for the content folder.
 */
import { createHash } from "node:crypto";
import type { Article } from "../content/article.js";
import { finishArticle } from "../content/load-content.js";
import type { ArticleDraft } from "../content/parse-article.js";
import { fold } from "../text/normalize.js";
import { bucharestParts, dedupKeys, urlKey } from "../delivery/publisher.js";
import { extractArticle, type ExtractedPage } from "./extract-article.js";
import type { FeedSource } from "./feed-config.js";
import { fetchText, PAGE_LIMITS, publicOrHostOf } from "./fetch-feed.js";
import { htmlToParagraphs, type FeedEntry } from "./parse-feed.js";

/** Content shorter than this (characters) is treated as a summary: the page is fetched. */
export const FULL_TEXT_MIN = 600;

/** Fetches an article page's HTML (linked from the feed at `feedUrl`); injectable for tests. Returns null when it cannot. */
export type PageFetcher = (url: string, signal?: AbortSignal, feedUrl?: string) => Promise<{ html: string; url: string } | null>;

export const fetchPage: PageFetcher = async (url, signal, feedUrl) => {
  const r = await fetchText(url, {
    limits: PAGE_LIMITS,
    accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
    allow: publicOrHostOf(feedUrl ?? url),
    ...(signal ? { signal } : {}),
  });
  return r.status === "ok" && !/json|rss|atom/i.test(r.contentType) ? { html: r.text, url: r.url } : null;
};

const slug = (name: string) => fold(name).replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "feed";
const textLength = (ps: readonly string[]) => ps.reduce((n, p) => n + p.length, 0);

export interface PreparedEntry {
  readonly article: Article;
  /** Dedup keys (guid, links incl. the page's canonical one, title). */
  readonly keys: string[];
  /** Where the text came from, for the log. */
  readonly text: "content" | "page" | "summary" | "title";
}

/** Plain text of a title that may carry markup or entities. */
function plainTitle(title: string): string {
  return (/[<&]/.test(title) ? htmlToParagraphs(title).join(" ") : title).replace(/\s+/g, " ").trim();
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
  options: { now: number; fetchPage?: PageFetcher | null; signal?: AbortSignal; isDuplicate?: (keys: string[]) => boolean | Promise<boolean> },
): Promise<PreparedEntry | null> {
  const content = entry.contentHtml ? htmlToParagraphs(entry.contentHtml) : [];
  const summary = entry.summaryHtml ? htmlToParagraphs(entry.summaryHtml) : [];
  let title = plainTitle(entry.title);
  if (title === "") title = (content[0] ?? summary[0] ?? "").slice(0, 120);
  if (title === "") return null;
  const keys = dedupKeys({ guid: entry.guid, urls: [entry.url], title, feedUrl: feed.url });
  let paragraphs = content;
  let text: PreparedEntry["text"] = "content";
  let url = entry.url;
  if (textLength(content) < FULL_TEXT_MIN && entry.url && options.fetchPage !== null) {
    let page: ExtractedPage | null = null;
    try {
      const fetched = await (options.fetchPage ?? fetchPage)(entry.url, options.signal, feed.url);
      if (fetched) page = extractArticle(fetched.html, fetched.url);
    } catch {
      page = null;
    }
    if (page?.canonicalUrl) {
      const canonical = urlKey(page.canonicalUrl);
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
  const id = `feed:${slug(feed.name)}/${createHash("sha1").update(keys[0] ?? title).digest("hex").slice(0, 16)}`;
  const date = bucharestParts(entry.published?.getTime() ?? options.now).date;
  const draft = (body: string[]): ArticleDraft => ({ id, title, date, url: url ?? null, source: feed.name, body: body.join("\n") });
  try {
    if (paragraphs.length > 0) return { article: finishArticle(draft(paragraphs), feed.url), keys, text };
  } catch {
    // Nothing left after boilerplate removal: the title is the article's only text.
  }
  try {
    return { article: finishArticle(draft([title]), feed.url), keys, text: "title" };
  } catch {
    return null;
  }
}
