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
import { checkHtml, type HtmlLimits } from "../content/html-limits.js";
import { limits } from "../content/limits.js";

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

/**
 * Removes `<!DOCTYPE …>` with any internal subset: no entity definitions reach the parser.
 * One linear scan (no backtracking regex). A declaration that re-forms once an inner one is
 * cut out (`<!DOC<!DOCTYPE x>TYPE …>`) is a hostile document: FeedParseError.
 */
export function stripDoctype(xml: string): string {
  const open = /<!DOCTYPE/gi;
  let out = "";
  let at = 0;
  for (let m = open.exec(xml); m !== null; m = open.exec(xml)) {
    out += xml.slice(at, m.index);
    let i = m.index + m[0].length;
    while (i < xml.length && xml[i] !== ">") {
      if (xml[i] === "[") {
        const close = xml.indexOf("]", i + 1);
        i = close < 0 ? xml.length : close + 1;
      } else i++;
    }
    at = Math.min(xml.length, i + 1);
    open.lastIndex = at;
  }
  out += xml.slice(at);
  if (at > 0 && /<!DOCTYPE/i.test(out)) throw new FeedParseError("a document type declaration hidden inside another");
  return out;
}

/** Feed dates later than this after the poll are the feed's clock or a lie: clamped to the poll time. */
export const MAX_FUTURE_MS = 24 * 3_600_000;

function clampDate(d: Date | null, now: number): Date | null {
  if (d === null || Number.isNaN(d.getTime())) return null;
  return d.getTime() > now + MAX_FUTURE_MS ? new Date(now) : d;
}

/** The root element of an XML document is closed at its end: a truncated or garbled document is not a feed. */
function rootIsClosed(xml: string): boolean {
  // The root element opens near the start: only the head is searched (no scan of a 10 MB body).
  const head = xml.slice(0, 65_536).replace(/<\?[^>]{0,1000}\?>|<!--[\s\S]{0,10000}?-->/g, "");
  const start = /<([A-Za-z_][\w:.-]*)[\s>/]/.exec(head);
  if (!start) return false;
  const name = start[1] as string;
  // Caches append comments after the root ("<!-- generated in 0.2 s -->"): they don't count.
  let end = xml.trimEnd().length;
  for (let k = 0; k < 8 && xml.startsWith("-->", end - 3); k++) {
    const open = xml.lastIndexOf("<!--", end - 3);
    if (open < 0) break;
    end = xml.slice(0, open).trimEnd().length;
  }
  const tail = xml.slice(Math.max(0, end - name.length - 64), end);
  return new RegExp(`</${name.replace(/[.]/g, "\\.")}\\s*>$`).test(tail);
}

const escapeText = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\n/g, "<br>");

function validDate(value: unknown): Date | null {
  if (typeof value !== "string" && !(value instanceof Date)) return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

function parseJsonFeed(text: string, baseUrl: string, now: number): ParsedFeed {
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
    const url = str(item.url) ? normalizeUrl(resolve(item.url as string, baseUrl)) : null; // one bad URL spoils only its item
    const content = str(item.content_html) ?? (str(item.content_text) ? escapeText(item.content_text as string) : null);
    entries.push({
      guid: str(item.id) ?? (typeof item.id === "number" ? String(item.id) : null),
      url,
      title: (str(item.title) ?? "").trim(),
      published: clampDate(validDate(item.date_published) ?? validDate(item.date_modified), now),
      contentHtml: content,
      summaryHtml: str(item.summary) ? escapeText(item.summary as string) : null,
    });
  }
  return { title: str2(feed.title), ttlMinutes: null, entries };
}

const str2 = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);

/**
 * Parses a feed document; `baseUrl` (the feed's URL) resolves relative links, `now` (the poll's
 * time) clamps dates in the future.
 */
export function parseFeedText(text: string, contentType: string, baseUrl: string, now = Date.now()): ParsedFeed {
  const body = text.replace(/^\ufeff/, "");
  const trimmed = body.trimStart();
  if (/json/i.test(contentType) || trimmed.startsWith("{")) return parseJsonFeed(trimmed, baseUrl, now);
  if (!trimmed.startsWith("<")) throw new FeedParseError("neither XML nor JSON");
  // The feed parser is lenient (it reads what it can of a broken document); a document cut
  // short or garbled is still a failed poll, not a healthy one.
  if (!rootIsClosed(trimmed)) throw new FeedParseError("malformed XML (the root element is not closed)");
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
      published: clampDate(item.published ?? item.updated ?? null, now),
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
  "P",
  "DIV",
  "BR",
  "LI",
  "H1",
  "H2",
  "H3",
  "H4",
  "H5",
  "H6",
  "BLOCKQUOTE",
  "TR",
  "SECTION",
  "ARTICLE",
  "HEADER",
  "FOOTER",
  "UL",
  "OL",
  "TABLE",
  "PRE",
  "HR",
  "DD",
  "DT",
]);
const DROPPED = "script, style, noscript, iframe, figure, figcaption, svg, form, button, template, object, embed";

/**
 * HTML (a feed's content or an extracted article) → plain paragraphs, one per line, in
 * reading order. Pictures, captions, scripts and forms are dropped. Iterative (no recursion
 * to overflow the stack), and HTML over `limits` (size, depth, tags) is refused before it is
 * parsed (HtmlLimitError).
 */
export function htmlToParagraphs(html: string, htmlLimits: HtmlLimits = limits().html): string[] {
  checkHtml(html, htmlLimits);
  const { document } = parseHTML(`<!DOCTYPE html><html><body>${html}</body></html>`);
  for (const el of [...document.querySelectorAll(DROPPED)]) el.remove();
  const lines: string[] = [];
  let current = "";
  const flush = () => {
    const line = current.replace(/\s+/g, " ").trim();
    if (line !== "") lines.push(line);
    current = "";
  };
  type DomNode = { nodeType: number; nodeName: string; textContent: string | null; childNodes: ArrayLike<unknown> };
  // A stack of nodes to visit; `null` marks the end of a block element (flush after its children).
  const stack: (DomNode | null)[] = [document.body as unknown as DomNode];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null) {
      flush();
      continue;
    }
    if (node === undefined) break;
    if (node.nodeType === 3) {
      current += node.textContent ?? "";
      continue;
    }
    if (node.nodeType !== 1 && node.nodeType !== 9 && node.nodeType !== 11) continue;
    const block = BLOCKS.has(node.nodeName.toUpperCase());
    if (block) {
      flush();
      stack.push(null);
    }
    const children = Array.from(node.childNodes) as DomNode[];
    for (let k = children.length - 1; k >= 0; k--) stack.push(children[k] as DomNode);
  }
  flush();
  return lines;
}
