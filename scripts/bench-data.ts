/**
 * Benchmark corpora read from ../shared (never copied into the project): the RoCliCo news
 * (Digi24, Libertatea, Viva) and the Romanian political news CSV, as raw article drafts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Article } from "../src/content/article.js";
import { normalizeDate, normalizeUrl } from "../src/content/article.js";
import { finishArticle } from "../src/content/load-content.js";
import type { ArticleDraft } from "../src/content/parse-article.js";
import { ROCLICO_DIR, SHARED } from "./eval-data.js";

export const POLITICAL_CSV = join(SHARED, "data/ro-political-news-articles/romanian_political_articles2.csv");
export const ROCLICO_FILES = (["digi", "libertatea", "viva"] as const).map((o) => join(ROCLICO_DIR, `${o}.json`));

/**
 * RFC 4180 CSV: fields separated by commas, records by CRLF or LF; a quoted field may hold
 * commas, line breaks and doubled quotes (""). Returns every record, header included.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let i = 0;
  const n = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  let quoted = false;
  while (i < n) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      // Copy the run up to the next quote in one go.
      const next = text.indexOf('"', i);
      const end = next === -1 ? n : next;
      field += text.slice(i, end);
      i = end;
      continue;
    }
    if (c === '"' && field === "") {
      quoted = true;
      i++;
    } else if (c === ",") {
      record.push(field);
      field = "";
      i++;
    } else if (c === "\n" || c === "\r") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i += c === "\r" && text[i + 1] === "\n" ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  if (field !== "" || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** CSV records as objects keyed by the header row. */
export function csvObjects(text: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows
    .filter((r) => !(r.length === 1 && r[0] === ""))
    .map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ""])));
}

/** The Romanian political news articles as raw drafts (no licence: local benchmarks only). */
export function politicalDrafts(): ArticleDraft[] {
  return csvObjects(readFileSync(POLITICAL_CSV, "utf8")).map((row, i) => ({
    id: `political/${i}`,
    title: row.title ?? "",
    date: normalizeDate(row.date_publish),
    url: normalizeUrl(row.url),
    source: row.source_domain || null,
    body: row.maintext ?? "",
  }));
}

/** RoCliCo news (CC BY-NC-SA: benchmarks only) as raw drafts; the outlet is the file name. */
export function roclicoDrafts(outlet: "digi" | "libertatea" | "viva"): ArticleDraft[] {
  const items = JSON.parse(readFileSync(join(ROCLICO_DIR, `${outlet}.json`), "utf8")) as Array<{
    title: string;
    content: string;
  }>;
  return items.map((item, i) => ({
    id: `${outlet}/${i}`,
    title: item.title,
    date: null,
    url: null,
    source: outlet,
    body: item.content,
  }));
}

/**
 * Every benchmark news article as a raw draft, the four sources interleaved (one article of
 * each in turn) so that any prefix mixes outlets and article lengths.
 */
export function newsDrafts(): ArticleDraft[] {
  const sources = [roclicoDrafts("digi"), roclicoDrafts("libertatea"), roclicoDrafts("viva"), politicalDrafts()];
  const out: ArticleDraft[] = [];
  for (let i = 0; out.length < sources.reduce((n, s) => n + s.length, 0); i++) {
    for (const s of sources) if (i < s.length) out.push(s[i] as ArticleDraft);
  }
  return out;
}

/** The drafts cleaned like content (boilerplate removed); those left without text are skipped. */
export function cleanDrafts(drafts: readonly ArticleDraft[]): Article[] {
  const articles: Article[] = [];
  for (const d of drafts) {
    try {
      articles.push(finishArticle(d, d.id));
    } catch {
      // No text left after cleaning.
    }
  }
  return articles;
}

/** Drafts whose cleaned sentences add up to at least `size`, repeating the corpus if needed. */
export function pickDrafts(
  drafts: readonly ArticleDraft[],
  counts: ReadonlyMap<string, number>,
  size: number,
): { picked: ArticleDraft[]; passages: number; copies: number } {
  const picked: ArticleDraft[] = [];
  let passages = 0;
  let copy = 0;
  while (passages < size) {
    for (const d of drafts) {
      if (passages >= size) break;
      const n = counts.get(d.id) ?? 0;
      if (n === 0) continue;
      picked.push(copy === 0 ? d : { ...d, id: `${d.id}~${copy + 1}` });
      passages += n;
    }
    copy++;
  }
  return { picked, passages, copies: copy };
}
