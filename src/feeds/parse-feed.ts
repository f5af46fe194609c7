/**
 * Feed text → entries. RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom go through
 * @rowanmanning/feed-parser (lenient with real-world feeds: CDATA, entities, missing fields,
 * relative links); JSON Feed 1.0/1.1 is plain JSON and read here.
 *
 * Hostile input: a document type declaration is removed before parsing, so internal entity
 * definitions (the "billion laughs" expansion) never reach the XML parser; entries are capped;
 * a text that is no feed at all throws FeedParseError.
 */
import { parseFeed } from "@rowanmanning/feed-parser";
import { parseHTML } from "linkedom";
import { normalizeUrl } from "../content/article.js";

/** One entry of a feed, before its article text is settled. */
export interface FeedEntry {
  readonly guid: string | null;
  readonly url: string | null;
  readonly title: string;
  readonly published: Date | null;
  /** Full content (content:encoded, Atom content, JSON content_html/content_text as HTML). */
  readonly contentHtml: string | null;
  /** Summary (RSS description, Atom summary, JSON summary), HTML. */
  readonly summaryHtml: string | null;
}

export interface ParsedFeed {
  readonly title: string | null;
  /** RSS `<ttl>`, in minutes. */
  readonly ttlMinutes: number | null;
  readonly entries: FeedEntry[];
}

export class FeedParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FeedParseError";
  }
}

/** Entries read per feed; a feed is a window on the newest items, not an archive. */
export const MAX_ENTRIES = 200;

/** Removes `<!DOCTYPE …>` with any internal subset: no entity definitions reach the parser. */
export function stripDoctype(xml: string): string {
  return xml.replace(/<!DOCTYPE(?:[^[>]|\[[\s\S]*?\])*>/gi, "");
}

const escapeText = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\n/g, "<br>");

function validDate(value: unknown): Date | null {
  if (typeof value !== "string" && !(value instanceof Date)) return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

function parseJsonFeed(text: string, baseUrl: string): ParsedFeed {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new FeedParseError(`not valid JSON (${(err as Error).message})`);
  }
  const feed = data as { version?: unknown; title?: unknown; items?: unknown };
  if (typeof feed?.version !== "string" || !feed.version.includes("jsonfeed.org") || !Array.isArray(feed.items)) {
    throw new FeedParseError("JSON that is not a JSON Feed (no jsonfeed.org version or items)");
  }
  const entries: FeedEntry[] = [];
  for (const raw of feed.items.slice(0, MAX_ENTRIES)) {
    const item = raw as Record<string, unknown>;
    if (item === null || typeof item !== "object") continue;
    const str = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v : null);
    const url = str(item.url) ? normalizeUrl(new URL(item.url as string, baseUrl).href) : null;
    const content = str(item.content_html) ?? (str(item.content_text) ? escapeText(item.content_text as string) : null);
    entries.push({
      guid: str(item.id) ?? (typeof item.id === "number" ? String(item.id) : null),
      url,
      title: (str(item.title) ?? "").trim(),
      published: validDate(item.date_published) ?? validDate(item.date_modified),
      contentHtml: content,
      summaryHtml: str(item.summary) ? escapeText(item.summary as string) : null,
    });
  }
  return { title: str2(feed.title), ttlMinutes: null, entries };
}

const str2 = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);

/** Parses a feed document; `baseUrl` (the feed's URL) resolves relative links. */
export function parseFeedText(text: string, contentType: string, baseUrl: string): ParsedFeed {
  const body = text.replace(/^\ufeff/, "");
  const trimmed = body.trimStart();
  if (/json/i.test(contentType) || trimmed.startsWith("{")) return parseJsonFeed(trimmed, baseUrl);
  if (!trimmed.startsWith("<")) throw new FeedParseError("neither XML nor JSON");
  let feed: ReturnType<typeof parseFeed>;
  try {
    feed = parseFeed(stripDoctype(body));
  } catch (err) {
    throw new FeedParseError(`not a feed (${(err as Error).message})`);
  }
  const entries: FeedEntry[] = [];
  for (const item of feed.items.slice(0, MAX_ENTRIES)) {
    const link = item.url ? normalizeUrl(resolve(item.url, baseUrl)) : null;
    const content = item.content?.trim() ? item.content : null;
    const description = item.description?.trim() ? item.description : null;
    entries.push({
      guid: item.id?.trim() || null,
      url: link,
      title: (item.title ?? "").trim(),
      published: item.published ?? item.updated ?? null,
      contentHtml: content,
      summaryHtml: description !== null && description !== content ? description : null,
    });
  }
  const ttl = Number(feed.element.findElementWithName("ttl")?.textContent.trim());
  return { title: feed.title?.trim() || null, ttlMinutes: Number.isFinite(ttl) && ttl > 0 ? ttl : null, entries };
}

function resolve(url: string, base: string): string {
  try {
    return new URL(url, base).href;
  } catch {
    return url;
  }
}

const BLOCKS = new Set([
  "P", "DIV", "BR", "LI", "H1", "H2", "H3", "H4", "H5", "H6", "BLOCKQUOTE", "TR", "SECTION", "ARTICLE", "HEADER", "FOOTER", "UL", "OL", "TABLE", "PRE", "HR", "DD", "DT",
]);
const DROPPED = "script, style, noscript, iframe, figure, figcaption, svg, form, button, template, object, embed";

/**
 * HTML (a feed's content or an extracted article) → plain paragraphs, one per line, in
 * reading order. Pictures, captions, scripts and forms are dropped.
 */
export function htmlToParagraphs(html: string): string[] {
  const { document } = parseHTML(`<!DOCTYPE html><html><body>${html}</body></html>`);
  for (const el of [...document.querySelectorAll(DROPPED)]) el.remove();
  const lines: string[] = [];
  let current = "";
  const flush = () => {
    const line = current.replace(/\s+/g, " ").trim();
    if (line !== "") lines.push(line);
    current = "";
  };
  const walk = (node: { nodeType: number; nodeName: string; textContent: string | null; childNodes: ArrayLike<unknown> }) => {
    if (node.nodeType === 3) {
      current += node.textContent ?? "";
      return;
    }
    if (node.nodeType !== 1 && node.nodeType !== 9 && node.nodeType !== 11) return;
    const block = BLOCKS.has(node.nodeName.toUpperCase());
    if (block) flush();
    for (const child of Array.from(node.childNodes)) walk(child as typeof node);
    if (block) flush();
  };
  walk(document.body as unknown as Parameters<typeof walk>[0]);
  flush();
  return lines;
}
