/**
 * A feed and article-page server on 127.0.0.1 for tests: routes are set per test, every request
 * is recorded (with its conditional-GET headers), and hostile behaviours are one call away.
 * Also builders for the Romanian feeds and pages the tests serve.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface Served {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body: string | Buffer;
}

export class FeedServer {
  readonly requests: { path: string; headers: IncomingMessage["headers"] }[] = [];
  private readonly routes = new Map<string, Handler>();
  private readonly server: Server;
  url = "";

  private constructor() {
    this.server = createServer((req, res) => {
      const path = (req.url ?? "/").split("?")[0] as string;
      this.requests.push({ path, headers: req.headers });
      const handler = this.routes.get(path);
      if (!handler) {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found");
        return;
      }
      handler(req, res);
    });
  }

  static async start(): Promise<FeedServer> {
    const s = new FeedServer();
    s.server.listen(0, "127.0.0.1");
    await once(s.server, "listening");
    s.url = `http://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
    return s;
  }

  /** Serves a fixed response; with `etag`, answers 304 to a matching If-None-Match. */
  serve(path: string, served: Served & { etag?: string }): this {
    this.routes.set(path, (req, res) => {
      if (served.etag && req.headers["if-none-match"] === served.etag) {
        res.writeHead(304, { etag: served.etag }).end();
        return;
      }
      res.writeHead(served.status ?? 200, { ...(served.etag ? { etag: served.etag } : {}), ...served.headers }).end(served.body);
    });
    return this;
  }

  handle(path: string, handler: Handler): this {
    this.routes.set(path, handler);
    return this;
  }

  /** How many times `path` was requested. */
  hits(path: string): number {
    return this.requests.filter((r) => r.path === path).length;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, "close");
  }
}

export interface RssItem {
  readonly title: string;
  readonly link: string;
  readonly guid?: string;
  readonly pubDate?: Date;
  /** HTML summary (description). */
  readonly description?: string;
  /** Full HTML content (content:encoded). */
  readonly content?: string;
}

const xmlEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** An RSS 2.0 feed (UTF-8) with content:encoded in CDATA. */
export function rssFeed(title: string, items: readonly RssItem[], extra = ""): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>${xmlEscape(title)}</title>
<link>https://example.ro/</link>
<description>Știri</description>
<language>ro-RO</language>
${extra}
${items
  .map(
    (i) => `<item>
  <title>${xmlEscape(i.title)}</title>
  <link>${xmlEscape(i.link)}</link>
  ${i.guid ? `<guid isPermaLink="false">${xmlEscape(i.guid)}</guid>` : ""}
  ${i.pubDate ? `<pubDate>${i.pubDate.toUTCString()}</pubDate>` : ""}
  ${i.description ? `<description><![CDATA[${i.description}]]></description>` : ""}
  ${i.content ? `<content:encoded><![CDATA[${i.content}]]></content:encoded>` : ""}
</item>`,
  )
  .join("\n")}
</channel>
</rss>`;
}

/** A news page the way Romanian outlets publish them: navigation, the article, a sidebar, a footer. */
export function articlePage(title: string, paragraphs: readonly string[], canonical?: string): string {
  return `<!DOCTYPE html>
<html lang="ro"><head><meta charset="utf-8"><title>${xmlEscape(title)} | Știri</title>
${canonical ? `<link rel="canonical" href="${xmlEscape(canonical)}">` : ""}
<script>window.ads = [];</script></head>
<body>
<header><nav><a href="/">Acasă</a> <a href="/politica">Politică</a> <a href="/externe">Externe</a> <a href="/sport">Sport</a></nav></header>
<main>
<article class="article">
<h1>${xmlEscape(title)}</h1>
<div class="meta">Publicat: 21 august 2025</div>
<div class="article-body">
${paragraphs.map((p) => `<p>${xmlEscape(p)}</p>`).join("\n")}
<figure><img src="/foto.jpg"><figcaption>Foto: Arhivă</figcaption></figure>
</div>
</article>
<aside><h3>Cele mai citite</h3><ul><li><a href="/a">Alt articol</a></li><li><a href="/b">Încă unul</a></li></ul></aside>
</main>
<footer><p>© 2025 Exemplu Media. Toate drepturile rezervate.</p></footer>
</body></html>`;
}

/** Paragraphs of a believable Romanian news story about Belarus and Iran (written for these tests). */
export const BELARUS_IRAN_PARAGRAPHS = [
  "Belarusul şi Iranul au semnat joi la Teheran un acord de cooperare militară, au anunţat ministerele apărării din cele două ţări, la o zi după vizita preşedintelui Aleksandr Lukaşenko.",
  "Potrivit comunicatului, acordul prevede exerciţii comune, schimb de experţi şi livrări de echipamente, fără a include însă o clauză de apărare reciprocă.",
  "Analiştii occidentali spun că apropierea dintre Minsk şi Teheran consolidează axa statelor care sprijină războiul Rusiei în Ucraina.",
  "Uniunea Europeană a anunţat că analizează noi sancţiuni împotriva ambelor ţări, iar Statele Unite au cerut explicaţii privind livrările de drone.",
];

export const FOOTBALL_PARAGRAPHS = [
  "Echipa naţională de fotbal a României a câştigat aseară cu 2-0 meciul amical disputat pe Arena Naţională din Bucureşti.",
  "Golurile au fost marcate în repriza a doua, iar selecţionerul a declarat că este mulţumit de atitudinea jucătorilor tineri.",
  "Următorul meci al tricolorilor va avea loc luna viitoare, în preliminariile Campionatului Mondial.",
];
