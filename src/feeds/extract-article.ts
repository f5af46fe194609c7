/**
 * An article page → its main text, with Mozilla's Readability (Firefox Reader View) over a
 * linkedom DOM. Used when a feed entry carries only a summary. The page's canonical link is
 * read too: it is the best dedup key for the same story reached through different URLs.
 */
import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import { normalizeUrl } from "../content/article.js";
import { checkHtml } from "../content/html-limits.js";
import { limits } from "../content/limits.js";
import { htmlToParagraphs } from "./parse-feed.js";

/** Less text than this (characters) is not an article's main text. */
const MIN_TEXT = 140;

export interface ExtractedPage {
  /** The main text's paragraphs (empty when Readability found no article). */
  readonly paragraphs: string[];
  readonly canonicalUrl: string | null;
  readonly title: string | null;
}

/**
 * Extracts the main text of an HTML page; never throws (an unusable page gives no paragraphs).
 * A page over the HTML limits (size, nesting depth, tags) is not parsed at all: Readability
 * and linkedom are super-linear in depth. Runs in a parsing worker (content/parse-jobs.ts).
 */
export function extractArticle(html: string, pageUrl: string): ExtractedPage {
  try {
    checkHtml(html, limits().html);
    const { document } = parseHTML(html);
    const canonicalHref = document.querySelector('link[rel="canonical"]')?.getAttribute("href") ?? null;
    let canonicalUrl: string | null = null;
    if (canonicalHref) {
      try {
        canonicalUrl = normalizeUrl(new URL(canonicalHref, pageUrl).href);
      } catch {
        canonicalUrl = null;
      }
    }
    const parsed = new Readability(document as never, { charThreshold: 300 }).parse();
    const found = parsed?.content ? htmlToParagraphs(parsed.content) : [];
    // Readability returns something for any page; a few words of navigation are no article.
    const paragraphs = found.reduce((n, p) => n + p.length, 0) >= MIN_TEXT ? found : [];
    return { paragraphs, canonicalUrl, title: parsed?.title?.trim() || null };
  } catch {
    return { paragraphs: [], canonicalUrl: null, title: null };
  }
}
