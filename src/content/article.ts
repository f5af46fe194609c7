/** One news article as the answer engine sees it: metadata plus the cleaned body. */
export interface Article {
  /** Stable id: the file's path relative to the content folder (without extension), or a JSONL id. */
  readonly id: string;
  readonly title: string;
  /** Publication date as `YYYY-MM-DD`, or null when unknown. */
  readonly date: string | null;
  readonly url: string | null;
  /** The outlet (e.g. "G4Media"), from metadata or recognised in the text; null when unknown. */
  readonly source: string | null;
  /**
   * The cleaned text: one paragraph per line, paragraphs separated by a blank line, boilerplate
   * removed. Every quote Citat shows is a substring of this text.
   */
  readonly body: string;
}

/** The JSON shape of an article in answers (`citat ask --json`). */
export interface ArticleRef {
  id: string;
  title: string;
  date: string | null;
  url: string | null;
  source: string | null;
}

export function articleRef(a: Article): ArticleRef {
  return { id: a.id, title: a.title, date: a.date, url: a.url, source: a.source };
}

/** Accepts `YYYY-MM-DD`, an ISO date-time or a Date; returns `YYYY-MM-DD` or null when invalid. */
export function normalizeDate(value: unknown): string | null {
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? null : value.toISOString().slice(0, 10);
  }
  if (typeof value !== "string") return null;
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!m) return null;
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? null : iso;
}

/** Keeps only absolute http(s) URLs; anything else (javascript:, relative paths) becomes null. */
export function normalizeUrl(value: unknown): string | null {
  if (typeof value !== "string" || value.trim() === "") return null;
  try {
    const u = new URL(value.trim());
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch {
    return null;
  }
}
