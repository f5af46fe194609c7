import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchPage } from "../../src/feeds/feed-article.js";
import { charsetOf, decodeText, fetchText, FetchError, parseCacheControl } from "../../src/feeds/fetch-feed.js";
import { checkTarget, isPublicAddress } from "../../src/feeds/outbound-guard.js";
import { FeedServer } from "./feed-server.js";

const latin1 = (s: string) => Buffer.from(s, "latin1");
const LIMITS = { timeoutMs: 1500, maxBytes: 1024 * 1024, maxRedirects: 3 };

describe("decodeText", () => {
  it("takes the charset from HTTP, then the BOM, then the XML declaration, then UTF-8 with a Windows-1252 fallback", () => {
    expect(decodeText(latin1("<rss>Not\xedcias</rss>"), "application/rss+xml; charset=ISO-8859-1")).toBe("<rss>Notícias</rss>");
    expect(decodeText(latin1('<?xml version="1.0" encoding="ISO-8859-1"?><rss>M\xe3e</rss>'), "text/xml")).toContain("Mãe");
    expect(decodeText(Buffer.from("\ufeff<rss>Știri</rss>", "utf8"), null)).toBe("<rss>Știri</rss>");
    expect(decodeText(Buffer.from("<rss>Știri şi ţări</rss>", "utf8"), "text/xml")).toBe("<rss>Știri şi ţări</rss>");
    // ISO-8859-1 bytes with no declaration at all (uolNoticias.rss): not UTF-8, so Windows-1252.
    expect(decodeText(latin1("<rss>\xdaltimas Not\xedcias</rss>"), "text/xml")).toBe("<rss>Últimas Notícias</rss>");
    // An unknown label is ignored rather than fatal.
    expect(decodeText(Buffer.from("<rss>ok</rss>"), "text/xml; charset=klingon")).toBe("<rss>ok</rss>");
  });

  it("reads charset and max-age from headers", () => {
    expect(charsetOf('text/xml; charset="utf-8"')).toBe("utf-8");
    expect(charsetOf("text/xml")).toBeNull();
    expect(parseCacheControl("public, max-age=900")).toEqual({ maxAgeSeconds: 900 });
    expect(parseCacheControl("no-cache, max-age=900")).toEqual({});
    expect(parseCacheControl(null)).toEqual({});
  });
});

describe("fetchText against a local server", () => {
  let server: FeedServer;
  beforeAll(async () => {
    server = await FeedServer.start();
  });
  afterAll(() => server.close());

  it("sends the validators back and turns 304 into not-modified", async () => {
    server.serve("/etag.xml", {
      etag: '"v1"',
      headers: {
        "content-type": "application/rss+xml",
        "last-modified": "Wed, 20 Aug 2025 10:00:00 GMT",
        "cache-control": "max-age=1200",
      },
      body: "<rss/>",
    });
    const first = await fetchText(`${server.url}/etag.xml`, { limits: LIMITS });
    expect(first).toMatchObject({
      status: "ok",
      etag: '"v1"',
      lastModified: "Wed, 20 Aug 2025 10:00:00 GMT",
      cache: { maxAgeSeconds: 1200 },
    });
    const second = await fetchText(`${server.url}/etag.xml`, {
      limits: LIMITS,
      validators: { etag: '"v1"', lastModified: "Wed, 20 Aug 2025 10:00:00 GMT" },
    });
    expect(second.status).toBe("not-modified");
    const sent = server.requests.filter((r) => r.path === "/etag.xml").at(-1)?.headers;
    expect(sent?.["if-none-match"]).toBe('"v1"');
    expect(sent?.["if-modified-since"]).toBe("Wed, 20 Aug 2025 10:00:00 GMT");
  });

  it("follows a few redirects and stops a redirect loop", async () => {
    server.handle("/moved", (_req, res) => res.writeHead(301, { location: "/etag.xml" }).end());
    expect(await fetchText(`${server.url}/moved`, { limits: LIMITS })).toMatchObject({
      status: "ok",
      url: `${server.url}/etag.xml`,
    });
    server.handle("/loop-a", (_req, res) => res.writeHead(302, { location: "/loop-b" }).end());
    server.handle("/loop-b", (_req, res) => res.writeHead(302, { location: "/loop-a" }).end());
    await expect(fetchText(`${server.url}/loop-a`, { limits: LIMITS })).rejects.toMatchObject({ kind: "redirects" });
    server.handle("/to-file", (_req, res) => res.writeHead(302, { location: "file:///etc/passwd" }).end());
    await expect(fetchText(`${server.url}/to-file`, { limits: LIMITS })).rejects.toMatchObject({ kind: "not-http" });
  });

  it("cuts off a 50 MB body at the size cap, whether or not it announces its length", async () => {
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    const fifty = (announce: boolean) => (_req: unknown, res: import("node:http").ServerResponse) => {
      res.writeHead(200, {
        "content-type": "application/rss+xml",
        ...(announce ? { "content-length": String(50 * chunk.length) } : {}),
      });
      let sent = 0;
      const push = () => {
        while (sent < 50) {
          sent++;
          if (!res.write(chunk)) return void res.once("drain", push);
        }
        res.end();
      };
      res.on("close", () => (sent = 50));
      push();
    };
    server.handle("/huge-announced", fifty(true)).handle("/huge", fifty(false));
    const started = performance.now();
    await expect(fetchText(`${server.url}/huge-announced`, { limits: LIMITS })).rejects.toMatchObject({ kind: "too-large" });
    await expect(fetchText(`${server.url}/huge`, { limits: LIMITS })).rejects.toMatchObject({ kind: "too-large" });
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it("gives up on a response that never ends", async () => {
    server.handle("/endless", (_req, res) => {
      res.writeHead(200, { "content-type": "application/rss+xml" });
      res.write("<rss><channel>");
      const timer = setInterval(() => res.write("<item>"), 50);
      res.on("close", () => clearInterval(timer));
    });
    const err = await fetchText(`${server.url}/endless`, { limits: { ...LIMITS, timeoutMs: 400 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect(err).toMatchObject({ kind: "timeout" });
  });

  it("reports HTTP errors with their status, Retry-After and 410 Gone", async () => {
    server.serve("/busy", { status: 503, headers: { "retry-after": "120" }, body: "busy" });
    server.serve("/gone", { status: 410, body: "gone" });
    await expect(fetchText(`${server.url}/busy`, { limits: LIMITS })).rejects.toMatchObject({
      kind: "http",
      status: 503,
      retryAfterMs: 120_000,
    });
    await expect(fetchText(`${server.url}/gone`, { limits: LIMITS })).rejects.toMatchObject({ kind: "gone", status: 410 });
    await expect(fetchText("http://127.0.0.1:1/feed", { limits: LIMITS })).rejects.toMatchObject({ kind: "network" });
  });

  it("reads pages only from the feed's own host or from public addresses (no fetching the bot's own network)", async () => {
    server.serve("/secret", { headers: { "content-type": "text/html" }, body: "<p>internal</p>" });
    const port = new URL(server.url).port;
    // "localhost" is not the feed's host (127.0.0.1) and resolves to a loopback address.
    await expect(fetchPage(`http://localhost:${port}/secret`, undefined, `${server.url}/feed`)).rejects.toMatchObject({
      kind: "refused",
    });
    expect(server.hits("/secret")).toBe(0);
    // A redirect from the feed's host to elsewhere on the network is refused as well.
    server.handle("/bounce", (_req, res) => res.writeHead(302, { location: `http://localhost:${port}/secret` }).end());
    await expect(fetchPage(`${server.url}/bounce`, undefined, `${server.url}/feed`)).rejects.toMatchObject({ kind: "refused" });
    expect(server.hits("/secret")).toBe(0);
    expect(await fetchPage(`${server.url}/secret`, undefined, `${server.url}/feed`)).toEqual({
      html: "<p>internal</p>",
      url: `${server.url}/secret`,
    });
  });

  it("refuses a page on another loopback port, an IPv4-mapped loopback, and a feed redirected into the network", async () => {
    const other = await FeedServer.start();
    try {
      other.serve("/admin", { headers: { "content-type": "text/html" }, body: "<p>internal admin</p>" });
      const otherPort = new URL(other.url).port;
      // Same host as the feed, another port: not the feed's origin.
      await expect(fetchPage(`${other.url}/admin`, undefined, `${server.url}/feed`)).rejects.toMatchObject({ kind: "refused" });
      await expect(
        fetchPage(`http://[::ffff:127.0.0.1]:${otherPort}/admin`, undefined, `${server.url}/feed`),
      ).rejects.toMatchObject({ kind: "refused" });
      // The operator's feed redirects to another origin on the network: checked like any page.
      server.handle("/feed-moved", (_req, res) => res.writeHead(301, { location: `${other.url}/admin` }).end());
      await expect(fetchText(`${server.url}/feed-moved`, { limits: LIMITS })).rejects.toMatchObject({ kind: "refused" });
      expect(other.hits("/admin")).toBe(0);
    } finally {
      await other.close();
    }
  });
});

describe("address guard", () => {
  it("calls public only ipaddr.js's unicast range, IPv4-mapped addresses judged as IPv4", () => {
    const notPublic = [
      "127.0.0.1",
      "10.1.2.3",
      "172.20.0.1",
      "192.168.0.10",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "255.255.255.255",
      "224.0.0.1",
      "198.18.0.1",
      "198.19.255.254",
      "192.0.0.8",
      "192.0.2.1",
      "198.51.100.7",
      "203.0.113.9",
      "240.0.0.1",
      "::1",
      "::",
      "fd00::1",
      "fe80::1",
      "fec0::1",
      "feff::1",
      "ff02::1",
      "2001:db8::1",
      "2001::1",
      "::ffff:127.0.0.1",
      "[::ffff:127.0.0.1]",
      "::ffff:7f00:1",
      "::ffff:10.0.0.1",
      "::ffff:169.254.169.254",
      "::127.0.0.1",
      "64:ff9b::7f00:1",
      "64:ff9b::1.2.3.4",
      "2002:7f00:1::1",
      "2002::1",
      "not-an-ip",
      "",
    ];
    for (const ip of notPublic) expect(isPublicAddress(ip), ip).toBe(false);
    for (const ip of ["93.184.216.34", "8.8.8.8", "172.32.0.1", "198.20.0.1", "192.0.3.1", "2a00:1450:4001::1", "::ffff:8.8.8.8"])
      expect(isPublicAddress(ip), ip).toBe(true);
  });

  it("trusts only the configured origin (host AND port), checks every address of every other host, fails closed", async () => {
    const lookup = async (host: string) => {
      if (host === "nowhere.example") throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
      if (host === "split.example")
        return [
          { address: "93.184.216.34", family: 4 },
          { address: "10.0.0.5", family: 4 },
        ];
      return [{ address: host === "intranet.example" ? "10.0.0.5" : "93.184.216.34", family: 4 }];
    };
    const policy = { trustedOrigin: "http://10.0.0.9:8080", lookup };
    const ok = async (url: string) => {
      try {
        const t = await checkTarget(new URL(url), policy);
        await t.dispatcher.close();
        return t.address.address;
      } catch (err) {
        return (err as Error).name;
      }
    };
    expect(await ok("http://10.0.0.9:8080/page")).toBe("10.0.0.9");
    expect(await ok("http://10.0.0.9:8081/page")).toBe("OutboundRefused"); // same host, another port
    expect(await ok("https://10.0.0.9:8080/page")).toBe("OutboundRefused"); // another scheme is another origin
    expect(await ok("http://intranet.example/page")).toBe("OutboundRefused");
    expect(await ok("http://split.example/page")).toBe("OutboundRefused"); // one private address is enough
    expect(await ok("http://nowhere.example/page")).toBe("OutboundRefused"); // lookup error: refused
    expect(await ok("http://[::ffff:127.0.0.1]/page")).toBe("OutboundRefused");
    expect(await ok("http://[64:ff9b::7f00:1]/page")).toBe("OutboundRefused");
    expect(await ok("https://stiri.example.ro/acord")).toBe("93.184.216.34");
  });

  it("connects to exactly the address it checked (a changing DNS answer changes nothing)", async () => {
    const server = await FeedServer.start();
    try {
      server.serve("/pinned", { headers: { "content-type": "text/plain" }, body: "pinned" });
      const port = new URL(server.url).port;
      let calls = 0;
      // First answer: loopback (allowed here by the injected policy); any later answer would be elsewhere.
      const lookup = async () => [{ address: calls++ === 0 ? "127.0.0.1" : "192.0.2.1", family: 4 }];
      const r = await fetchText(`http://rebind.example:${port}/pinned`, {
        limits: LIMITS,
        policy: { lookup, isAllowedAddress: () => true },
      });
      expect(r).toMatchObject({ status: "ok", text: "pinned" });
      expect(calls).toBe(1);
    } finally {
      await server.close();
    }
  });
});
