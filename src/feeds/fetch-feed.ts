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

import { fetch as undiciFetch } from "undici";
import { decodeText } from "./decode-text.js";
import { checkTarget, OutboundRefused, type OutboundPolicy } from "./outbound-guard.js";

export { charsetOf, decodeText } from "./decode-text.js";

export const USER_AGENT = "Citat/0.1 (news quote bot; RSS reader)";
const FEED_ACCEPT =
  "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5";

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
  /**
   * The outbound guard's policy for the URL and every redirect target (see outbound-guard.ts).
   * Default: the URL asked for is the trusted origin (an operator-configured feed).
   */
  readonly policy?: OutboundPolicy;
}

function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function parseCacheControl(value: string | null): CacheHints {
  if (!value) return {};
  const directives = value
    .toLowerCase()
    .split(",")
    .map((d) => d.trim());
  if (directives.includes("no-store") || directives.includes("no-cache")) return {};
  for (const d of directives) {
    const m = /^max-age\s*=\s*"?(\d+)"?$/.exec(d);
    if (m) return { maxAgeSeconds: Number(m[1]) };
  }
  return {};
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

/** The body as bytes, undecoded (decoding a big body is left to a parsing worker). */
export type RawOutcome =
  | { readonly status: "not-modified"; readonly cache: CacheHints }
  | (Omit<Extract<FetchOutcome, { status: "ok" }>, "text"> & { readonly bytes: Uint8Array });

/** GET with the limits above, through the outbound guard; the body decoded (decodeText). Throws FetchError. */
export async function fetchText(url: string, options: FetchOptions = {}): Promise<FetchOutcome> {
  const r = await fetchBytes(url, options);
  if (r.status === "not-modified") return r;
  const { bytes, ...rest } = r;
  return { ...rest, text: decodeText(bytes, r.contentType) };
}

/** GET with the limits above, through the outbound guard; the body as bytes. Throws FetchError for every failure. */
export async function fetchBytes(url: string, options: FetchOptions = {}): Promise<RawOutcome> {
  const limits = options.limits ?? FEED_LIMITS;
  const deadline = AbortSignal.timeout(limits.timeoutMs);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  let current = new URL(url);
  if (!isHttp(current)) throw new FetchError("not-http", `${url}: only http(s) URLs are fetched`);
  const policy: OutboundPolicy = options.policy ?? { trustedOrigin: current.origin };
  const headers: Record<string, string> = { "user-agent": USER_AGENT, accept: options.accept ?? FEED_ACCEPT };
  if (options.validators?.etag) headers["if-none-match"] = options.validators.etag;
  if (options.validators?.lastModified) headers["if-modified-since"] = options.validators.lastModified;
  const dispatchers: { close(): Promise<void>; destroy(): Promise<void> }[] = [];
  try {
    for (let hop = 0; ; hop++) {
      const target = await checkTarget(current, policy);
      dispatchers.push(target.dispatcher);
      const response = await undiciFetch(current, { headers, redirect: "manual", signal, dispatcher: target.dispatcher });
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
        throw new FetchError(
          kind,
          `${current.href}: HTTP ${response.status}`,
          response.status,
          parseRetryAfter(response.headers.get("retry-after")),
        );
      }
      const contentType = response.headers.get("content-type") ?? "";
      const bytes = await readCapped(response as unknown as Response, limits.maxBytes, current.href);
      return {
        status: "ok",
        bytes,
        contentType,
        url: current.href,
        etag: response.headers.get("etag"),
        lastModified: response.headers.get("last-modified"),
        cache,
      };
    }
  } catch (err) {
    if (err instanceof FetchError) throw err;
    if (err instanceof OutboundRefused) throw new FetchError("refused", err.message);
    if (deadline.aborted) throw new FetchError("timeout", `${url}: no complete response within ${limits.timeoutMs} ms`);
    if (options.signal?.aborted) throw new FetchError("network", `${url}: aborted`);
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new FetchError("network", `${url}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  } finally {
    for (const d of dispatchers) void d.destroy().catch(() => undefined);
  }
}
