/**
 * How an article is known for dedup (its guid, canonical link and title, see dedupKeys), by the
 * sources that bring articles (feeds, the content folder) and by the publisher that remembers
 * them. It sits with the article model, not with delivery: sources compute the keys before an
 * article reaches the store.
 */
import { createHash } from "node:crypto";
import { fold } from "../text/normalize.js";

/** Canonical form of an article URL for dedup: no fragment, no tracking parameters, no www., no trailing slash. */
export function canonicalUrl(url: string): string {
  try {
    const u = new URL(url);
    u.hash = "";
    u.hostname = u.hostname.toLowerCase().replace(/^www\./, "");
    for (const p of [...u.searchParams.keys()]) if (/^(utm_|fbclid$|gclid$|mc_|ref$|amp$)/i.test(p)) u.searchParams.delete(p);
    u.protocol = "https:";
    // Trailing slashes of the path, cut by a scan (a backtracking regex was quadratic on a long run of slashes).
    const href = u.href;
    const query = href.indexOf("?");
    let end = query < 0 ? href.length : query;
    const pathStart = href.indexOf("/", href.indexOf("//") + 2);
    while (end > 0 && end - 1 >= pathStart && pathStart >= 0 && href[end - 1] === "/") end--;
    return href.slice(0, end) + (query < 0 ? "" : href.slice(query));
  } catch {
    return url;
  }
}

const sha1 = (s: string) => createHash("sha1").update(s).digest("hex");

/** The dedup key of a title: folded, words only (punctuation and case never differ a story). */
export function titleKey(title: string): string | null {
  const words = fold(title).match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.length >= 3 ? `title:${sha1(words.join(" "))}` : null;
}

export function urlKey(url: string): string {
  return `url:${canonicalUrl(url)}`;
}

const siteOf = (url: string): string | null => {
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./, "");
  } catch {
    return null;
  }
};

/** Whether a link is on the feed's own site (same host, www. aside, or one a subdomain of the other). */
function onSiteOf(url: string, feedUrl: string): boolean {
  const a = siteOf(url);
  const b = siteOf(feedUrl);
  return a !== null && b !== null && (a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`));
}

/**
 * The dedup key of a link found in a feed: global when the link is on the feed's own site (the
 * same outlet's story through two of its feeds, or a file of the content folder, is one story),
 * scoped to the feed otherwise — a feed cannot claim another outlet's URL and so keep that
 * outlet's story out of the index.
 */
export function scopedUrlKey(url: string, feedUrl?: string): string {
  return feedUrl === undefined || onSiteOf(url, feedUrl) ? urlKey(url) : `url@${siteOf(feedUrl) ?? feedUrl}:${canonicalUrl(url)}`;
}

/**
 * The dedup keys of an article: guid (scoped to its feed unless it is a URL), links (scoped
 * unless on the feed's site), title. From a feed, the title key is scoped to the feed's site:
 * a feed that publishes another outlet's headline first does not keep that outlet's story out
 * of the index. Wire copies (one agency text under one title at several outlets) are then each
 * indexed under their outlet — answers show a passage they share once, "Apare și în: …" — and
 * notified once: the global title key (`titleKey`) is remembered as a notification-only key
 * (see FeedPoller).
 */
export function dedupKeys(input: {
  guid?: string | null;
  urls?: ReadonlyArray<string | null>;
  title: string;
  feedUrl?: string;
}): string[] {
  const keys = new Set<string>();
  const guid = input.guid?.trim();
  if (guid) keys.add(/^https?:\/\//i.test(guid) ? scopedUrlKey(guid, input.feedUrl) : `guid:${input.feedUrl ?? ""}#${guid}`);
  for (const u of input.urls ?? []) if (u) keys.add(scopedUrlKey(u, input.feedUrl));
  const t = titleKey(input.title);
  if (t)
    keys.add(input.feedUrl === undefined ? t : `title:${siteOf(input.feedUrl) ?? input.feedUrl}:${t.slice("title:".length)}`);
  return [...keys];
}
