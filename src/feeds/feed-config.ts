/**
 * Which feeds to poll. In order:
 * 1. `FEEDS` when it is set: comma- or newline-separated entries, each `Outlet=URL` or a bare
 *    URL (the outlet is recognised from the domain). `FEEDS=` (set but empty) turns polling off.
 * 2. `feeds.json` in the content folder: `[{ "name": "G4Media", "url": "https://…" }, …]`.
 * 3. The built-in list of major Romanian outlets (DEFAULT_FEEDS).
 * Invalid entries are reported, never fatal for the others.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { normalizeUrl } from "../content/article.js";
import { outletFromUrl } from "../content/outlets.js";

export interface FeedSource {
  /** The outlet, shown as the source of its articles. */
  readonly name: string;
  readonly url: string;
}

export const FEEDS_FILE = "feeds.json";

/** Major Romanian outlets' public RSS feeds (G4Media first: the seed article's outlet). */
export const DEFAULT_FEEDS: readonly FeedSource[] = [
  { name: "G4Media", url: "https://www.g4media.ro/feed" },
  { name: "HotNews", url: "https://hotnews.ro/feed" },
  { name: "Digi24", url: "https://www.digi24.ro/rss" },
  { name: "Libertatea", url: "https://www.libertatea.ro/feed" },
];

export interface FeedList {
  readonly feeds: FeedSource[];
  /** Where the list came from, for the start-up log line. */
  readonly origin: "FEEDS" | "feeds.json" | "default";
  /** Entries that were skipped, each with its reason. */
  readonly problems: string[];
}

function source(name: string | undefined, rawUrl: string, problems: string[], where: string): FeedSource | null {
  const url = normalizeUrl(rawUrl);
  if (url === null) {
    problems.push(`${where}: "${rawUrl}" is not an http(s) URL`);
    return null;
  }
  const outlet = name?.trim() || outletFromUrl(url) || new URL(url).hostname.replace(/^www\./, "");
  return { name: outlet, url };
}

/** Parses the FEEDS variable (already known to be set). */
export function parseFeedsVariable(value: string): FeedList {
  const problems: string[] = [];
  const feeds: FeedSource[] = [];
  for (const entry of value
    .split(/[,\n]/)
    .map((e) => e.trim())
    .filter((e) => e !== "")) {
    const eq = entry.search(/=(?=https?:)/i);
    const parsed =
      eq > 0 ? source(entry.slice(0, eq), entry.slice(eq + 1), problems, "FEEDS") : source(undefined, entry, problems, "FEEDS");
    if (parsed) feeds.push(parsed);
  }
  return { feeds: unique(feeds), origin: "FEEDS", problems };
}

/** Parses a feeds.json text. */
export function parseFeedsJson(text: string, file = FEEDS_FILE): FeedList {
  const problems: string[] = [];
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { feeds: [], origin: "feeds.json", problems: [`${file}: not valid JSON (${(err as Error).message})`] };
  }
  const list = Array.isArray(data)
    ? data
    : Array.isArray((data as { feeds?: unknown })?.feeds)
      ? (data as { feeds: unknown[] }).feeds
      : null;
  if (list === null) return { feeds: [], origin: "feeds.json", problems: [`${file}: expected an array of {"name", "url"}`] };
  const feeds: FeedSource[] = [];
  list.forEach((entry: unknown, i) => {
    const e = entry as { name?: unknown; url?: unknown } | null;
    if (typeof entry === "string") {
      const parsed = source(undefined, entry, problems, `${file} entry ${i + 1}`);
      if (parsed) feeds.push(parsed);
    } else if (e && typeof e.url === "string") {
      const parsed = source(typeof e.name === "string" ? e.name : undefined, e.url, problems, `${file} entry ${i + 1}`);
      if (parsed) feeds.push(parsed);
    } else {
      problems.push(`${file} entry ${i + 1}: needs a "url"`);
    }
  });
  return { feeds: unique(feeds), origin: "feeds.json", problems };
}

function unique(feeds: FeedSource[]): FeedSource[] {
  const seen = new Set<string>();
  return feeds.filter((f) => !seen.has(f.url) && seen.add(f.url));
}

/** The feed list for this configuration (see the module comment for the order). */
export async function loadFeedList(feedsVariable: string | undefined, contentDir: string): Promise<FeedList> {
  if (feedsVariable !== undefined) return parseFeedsVariable(feedsVariable);
  const file = join(contentDir, FEEDS_FILE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { feeds: [...DEFAULT_FEEDS], origin: "default", problems: [] };
    return { feeds: [], origin: "feeds.json", problems: [`${file}: cannot be read (${(err as Error).message})`] };
  }
  return parseFeedsJson(text, file);
}
