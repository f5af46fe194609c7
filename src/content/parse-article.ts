/**
 * Parsers for the three article formats of the content folder. Each takes the raw text of one
 * file and returns article drafts (metadata + raw body) or throws a ContentError that says
 * what is wrong; the loader turns drafts into cleaned Articles.
 */
import { marked, type Token, type Tokens } from "marked";
import { parse as parseYaml } from "yaml";
import { normalizeDate, normalizeUrl } from "./article.js";

/** An article as read from a file, before boilerplate removal. */
export interface ArticleDraft {
  id: string;
  title: string;
  date: string | null;
  url: string | null;
  source: string | null;
  /** Raw body: paragraphs separated by newlines. */
  body: string;
}

/** A file, or one line of a JSONL file, that cannot be read as an article. */
export class ContentError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly line?: number,
  ) {
    super(`content: skipped ${file}${line === undefined ? "" : `:${line}`}: ${reason}`);
    this.name = "ContentError";
  }
}

const str = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);

/** The seed's format: first line `date YYYY-MM-DD <title>`, then the body's paragraphs. */
export function parseTxt(text: string, id: string, file: string): ArticleDraft {
  const clean = text.replace(/^\ufeff/, "").replace(/\r\n?/g, "\n");
  const newline = clean.indexOf("\n");
  const header = (newline === -1 ? clean : clean.slice(0, newline)).trim();
  const m = /^date\s+(\S+)\s+(.+)$/iu.exec(header);
  if (!m) throw new ContentError(file, 'first line must be "date YYYY-MM-DD <title>"');
  const date = normalizeDate(m[1]);
  if (!date) throw new ContentError(file, `"${m[1]}" is not a valid YYYY-MM-DD date`);
  const body = newline === -1 ? "" : clean.slice(newline + 1);
  return { id, title: (m[2] as string).trim(), date, url: null, source: null, body };
}

/** Markdown with front matter (`title`, `date`, `url`, `source`); the body becomes plain text. */
export function parseMarkdown(text: string, id: string, file: string): ArticleDraft {
  const clean = text.replace(/^\ufeff/, "").replace(/\r\n?/g, "\n");
  const m = /^---\n([\s\S]*?)\n---[ \t]*(?:\n|$)/.exec(clean);
  if (!m) throw new ContentError(file, "missing front matter (--- title: … date: … ---)");
  let meta: unknown;
  try {
    meta = parseYaml(m[1] as string);
  } catch (err) {
    throw new ContentError(file, `front matter is not valid YAML: ${(err as Error).message.split("\n")[0]}`);
  }
  if (meta === null || typeof meta !== "object" || Array.isArray(meta)) {
    throw new ContentError(file, "front matter must be a mapping of keys to values");
  }
  const fm = meta as Record<string, unknown>;
  const title = str(fm.title);
  if (!title) throw new ContentError(file, "front matter has no title");
  return {
    id: str(fm.id) ?? id,
    title,
    date: normalizeDate(fm.date),
    url: normalizeUrl(fm.url),
    source: str(fm.source),
    body: markdownToText(clean.slice(m[0].length)),
  };
}

/** One article per line: `{"title", "body"}` and optionally `id`, `date`, `url`, `source`. */
export function parseJsonl(text: string, idPrefix: string, file: string, onError: (err: ContentError) => void): ArticleDraft[] {
  const drafts: ArticleDraft[] = [];
  const lines = text.replace(/^\ufeff/, "").split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    const lineNo = i + 1;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      onError(new ContentError(file, "not valid JSON", lineNo));
      return;
    }
    if (obj === null || typeof obj !== "object" || Array.isArray(obj)) {
      onError(new ContentError(file, "expected a JSON object", lineNo));
      return;
    }
    const o = obj as Record<string, unknown>;
    const title = str(o.title);
    const body = typeof o.body === "string" ? o.body : null;
    if (!title || body === null || body.trim() === "") {
      onError(new ContentError(file, 'needs a non-empty "title" and "body"', lineNo));
      return;
    }
    const ownId = str(o.id) ?? (typeof o.id === "number" ? String(o.id) : null);
    drafts.push({
      id: ownId ? `${idPrefix}/${ownId}` : `${idPrefix}#${lineNo}`,
      title,
      date: normalizeDate(o.date),
      url: normalizeUrl(o.url),
      source: str(o.source),
      body,
    });
  });
  return drafts;
}

/**
 * Markdown to plain paragraphs: the text a reader sees, one block per line. Link targets,
 * images, code fences and raw HTML are dropped; entities are decoded.
 */
export function markdownToText(markdown: string): string {
  const blocks: string[] = [];
  const walkBlocks = (tokens: Token[]): void => {
    for (const t of tokens) {
      switch (t.type) {
        case "paragraph":
        case "heading":
          blocks.push(inlineText((t as Tokens.Paragraph).tokens ?? []));
          break;
        case "text": {
          const tt = t as Tokens.Text;
          blocks.push(tt.tokens ? inlineText(tt.tokens) : decodeEntities(tt.text));
          break;
        }
        case "blockquote":
          walkBlocks((t as Tokens.Blockquote).tokens);
          break;
        case "list":
          for (const item of (t as Tokens.List).items) walkBlocks(item.tokens);
          break;
        case "table": {
          const tb = t as Tokens.Table;
          for (const row of [tb.header, ...tb.rows]) blocks.push(row.map((c) => inlineText(c.tokens)).join(" | "));
          break;
        }
        default:
          break; // code, html, hr, space, def: not article prose
      }
    }
  };
  walkBlocks(marked.lexer(markdown));
  return blocks
    .map((b) => b.trim())
    .filter(Boolean)
    .join("\n");
}

function inlineText(tokens: Token[]): string {
  let out = "";
  for (const t of tokens) {
    switch (t.type) {
      case "image":
      case "html":
        break;
      case "br":
        out += " ";
        break;
      case "codespan":
        out += decodeEntities((t as Tokens.Codespan).text);
        break;
      case "text":
      case "escape": {
        const tt = t as Tokens.Text;
        out += tt.tokens ? inlineText(tt.tokens) : decodeEntities(tt.text);
        break;
      }
      default: {
        const withChildren = t as { tokens?: Token[]; text?: string };
        out += withChildren.tokens ? inlineText(withChildren.tokens) : decodeEntities(withChildren.text ?? "");
      }
    }
  }
  return out;
}

const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,8}|#\d{1,8}|[a-z]{1,32});/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}
