/**
 * HTTP for feeds and article pages, defensive by default: a feed is someone else's server.
 *
 * - Conditional GET: the feed's ETag and Last-Modified are sent back (If-None-Match,
 *   If-Modified-Since); 304 means nothing new and costs no parsing.
 * - One deadline for the whole exchange (headers and body), so a server that trickles a
 *   never-ending response is cut off; a cap on the (decompressed) body size; redirects are
 *   followed by hand, at most `maxRedirects`, http(s) only.
 * - The text is decoded with the charset of the HTTP header, else a BOM, else the XML
 *   declaration, else UTF-8 — and when "UTF-8" is not valid UTF-8, as Windows-1252 (which
 *   WHATWG decoders use for ISO-8859-1), the usual truth of old Romanian sites.
 * - Cache hints for the poller: Cache-Control max-age and Retry-After.
 */

export const USER_AGENT = "Citat/0.1 (news quote bot; RSS reader)";
const FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5";

export interface FetchLimits {
  /** Deadline for the whole exchange, redirects and body included. */
  readonly timeoutMs: number;
  /** Largest body accepted (after decompression). */
  readonly maxBytes: number;
  readonly maxRedirects: number;
}

export const FEED_LIMITS: FetchLimits = { timeoutMs: 20_000, maxBytes: 10 * 1024 * 1024, maxRedirects: 5 };
export const PAGE_LIMITS: FetchLimits = { timeoutMs: 15_000, maxBytes: 5 * 1024 * 1024, maxRedirects: 5 };

export type FetchFailure = "timeout" | "too-large" | "redirects" | "network" | "http" | "gone" | "not-http" | "refused";

/** A fetch that failed, with what the poller needs to back off. */
export class FetchError extends Error {
  constructor(
    readonly kind: FetchFailure,
    message: string,
    readonly status?: number,
    /** From Retry-After on 429/503, in milliseconds. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "FetchError";
  }
}

/** What the server said about when to ask again. */
export interface CacheHints {
  /** Cache-Control max-age, in seconds. */
  readonly maxAgeSeconds?: number;
}

export interface Validators {
  readonly etag?: string | null;
  readonly lastModified?: string | null;
}

export type FetchOutcome =
  | { readonly status: "not-modified"; readonly cache: CacheHints }
  | {
      readonly status: "ok";
      readonly text: string;
      readonly contentType: string;
      /** The URL after redirects: relative links in the document resolve against it. */
      readonly url: string;
      readonly etag: string | null;
      readonly lastModified: string | null;
      readonly cache: CacheHints;
    };

export interface FetchOptions {
  readonly limits?: FetchLimits;
  readonly validators?: Validators;
  readonly accept?: string;
  /** Aborts the fetch (shutdown). */
  readonly signal?: AbortSignal;
  /** Asked for the URL and every redirect target; false refuses the fetch. */
  readonly allow?: (url: URL) => Promise<boolean>;
}

function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function parseCacheControl(value: string | null): CacheHints {
  if (!value) return {};
  const directives = value.toLowerCase().split(",").map((d) => d.trim());
  if (directives.includes("no-store") || directives.includes("no-cache")) return {};
  for (const d of directives) {
    const m = /^max-age\s*=\s*"?(\d+)"?$/.exec(d);
    if (m) return { maxAgeSeconds: Number(m[1]) };
  }
  return {};
}

/** The charset named in a Content-Type header, or null. */
export function charsetOf(contentType: string | null): string | null {
  const m = /;\s*charset\s*=\s*"?([\w.:-]+)"?/i.exec(contentType ?? "");
  return m ? (m[1] as string).toLowerCase() : null;
}

function decoderFor(label: string | null): InstanceType<typeof TextDecoder> | null {
  if (!label) return null;
  try {
    return new TextDecoder(label);
  } catch {
    return null;
  }
}

/**
 * Bytes → text: HTTP charset, BOM, XML declaration (or HTML meta charset), else UTF-8 with a
 * Windows-1252 fallback for bytes that aren't UTF-8.
 */
export function decodeText(bytes: Uint8Array, contentType: string | null): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder("utf-8").decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 1024));
  const declared =
    /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1] ??
    /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1] ??
    null;
  const label = charsetOf(contentType) ?? declared?.toLowerCase() ?? null;
  const decoder = decoderFor(label);
  if (decoder && decoder.encoding !== "utf-8") return decoder.decode(bytes);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

async function readCapped(response: Response, maxBytes: number, url: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new FetchError("too-large", `${url}: body of ${declared} bytes is over the ${maxBytes}-byte limit`);
  }
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new FetchError("too-large", `${url}: body over the ${maxBytes}-byte limit`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

const isHttp = (u: URL) => u.protocol === "http:" || u.protocol === "https:";

/** GET with the limits above; throws FetchError for every failure. */
export async function fetchText(url: string, options: FetchOptions = {}): Promise<FetchOutcome> {
  const limits = options.limits ?? FEED_LIMITS;
  const deadline = AbortSignal.timeout(limits.timeoutMs);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  let current = new URL(url);
  if (!isHttp(current)) throw new FetchError("not-http", `${url}: only http(s) URLs are fetched`);
  const headers: Record<string, string> = { "user-agent": USER_AGENT, accept: options.accept ?? FEED_ACCEPT };
  if (options.validators?.etag) headers["if-none-match"] = options.validators.etag;
  if (options.validators?.lastModified) headers["if-modified-since"] = options.validators.lastModified;
  try {
    for (let hop = 0; ; hop++) {
      if (options.allow && !(await options.allow(current))) throw new FetchError("refused", `${current.href}: address not allowed`);
      const response = await fetch(current, { headers, redirect: "manual", signal });
      if (response.status >= 300 && response.status < 400 && response.status !== 304) {
        await response.body?.cancel().catch(() => undefined);
        const location = response.headers.get("location");
        if (!location) throw new FetchError("http", `${current.href}: redirect without a Location`, response.status);
        if (hop >= limits.maxRedirects) throw new FetchError("redirects", `${url}: more than ${limits.maxRedirects} redirects`);
        const next = new URL(location, current);
        if (!isHttp(next)) throw new FetchError("not-http", `${current.href}: redirect to a non-http URL`);
        current = next;
        continue;
      }
      const cache = parseCacheControl(response.headers.get("cache-control"));
      if (response.status === 304) {
        await response.body?.cancel().catch(() => undefined);
        return { status: "not-modified", cache };
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        const kind = response.status === 410 ? "gone" : "http";
        throw new FetchError(kind, `${current.href}: HTTP ${response.status}`, response.status, parseRetryAfter(response.headers.get("retry-after")));
      }
      const contentType = response.headers.get("content-type") ?? "";
      const bytes = await readCapped(response, limits.maxBytes, current.href);
      return {
        status: "ok",
        text: decodeText(bytes, contentType),
        contentType,
        url: current.href,
        etag: response.headers.get("etag"),
        lastModified: response.headers.get("last-modified"),
        cache,
      };
    }
  } catch (err) {
    if (err instanceof FetchError) throw err;
    if (deadline.aborted) throw new FetchError("timeout", `${url}: no complete response within ${limits.timeoutMs} ms`);
    if (options.signal?.aborted) throw new FetchError("network", `${url}: aborted`);
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new FetchError("network", `${url}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  }
}

/** Whether an IP address is loopback, private, link-local or otherwise not on the public internet. */
export function isPrivateAddress(ip: string): boolean {
  const v4 = /^(?:::ffff:)?(\d+)\.(\d+)\.(\d+)\.(\d+)$/i.exec(ip);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224;
  }
  const v6 = ip.toLowerCase();
  return v6 === "::1" || v6 === "::" || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6);
}

/**
 * A guard for pages linked from a feed: the feed's own host is trusted (it was configured);
 * any other host must resolve to public addresses only, so a feed entry cannot make the bot
 * read (and quote) a service on its own network.
 */
export function publicOrHostOf(trustedUrl: string, lookupAll: (host: string) => Promise<string[]> = defaultLookup): (url: URL) => Promise<boolean> {
  const trusted = new URL(trustedUrl).hostname;
  return async (url) => {
    if (url.hostname === trusted) return true;
    const host = url.hostname.replace(/^\[|\]$/g, "");
    try {
      const addresses = /^[\d.]+$|:/.test(host) ? [host] : await lookupAll(host);
      return !addresses.some(isPrivateAddress);
    } catch {
      return true; // unresolvable: the fetch itself fails with a clear error
    }
  };
}

async function defaultLookup(host: string): Promise<string[]> {
  const { lookup } = await import("node:dns/promises");
  return (await lookup(host, { all: true })).map((a) => a.address);
}
