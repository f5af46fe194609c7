/**
 * Wire copy: agencies' dispatches are republished word for word by many outlets, so one
 * question can find the same passage in several articles. Such quotes are shown once, with the
 * other articles as "also reported by". Two quotes are copies when, once folded, most of the
 * shorter one's word trigrams occur in the other (the outlets' windows may start or end a
 * sentence apart, or differ in a word or two of editing).
 */
import type { Article } from "../content/article.js";
import { tokenize } from "../text/analyzer.js";
import { fold } from "../text/normalize.js";
import type { Quote } from "./answer-engine.js";

export interface QuoteGroup {
  /** The best-ranked copy: the one shown. */
  readonly quote: Quote;
  /** The other articles carrying the same passage, in rank order. */
  readonly also: readonly Article[];
}

/** Share of the shorter quote's trigrams found in the other one for the two to be copies. */
export const COPY_OVERLAP = 0.8;

function shingles(text: string): Set<string> {
  const words = tokenize(fold(text)).map((t) => t.text);
  const out = new Set<string>();
  if (words.length < 3) {
    if (words.length > 0) out.add(words.join(" "));
    return out;
  }
  for (let i = 0; i + 3 <= words.length; i++) out.add(`${words[i]} ${words[i + 1]} ${words[i + 2]}`);
  return out;
}

/** True when two quotes carry the same passage. */
export function isWireCopy(a: string, b: string): boolean {
  return overlaps(shingles(a), shingles(b));
}

/** Groups copies of one passage, keeping the rank order of each group's first quote. */
export function groupWireCopies(quotes: readonly Quote[]): QuoteGroup[] {
  const groups: { quote: Quote; also: Article[]; shingles: Set<string> }[] = [];
  for (const q of quotes) {
    const own = shingles(q.text);
    const group = groups.find(
      (g) => g.quote.article.id !== q.article.id && !g.also.some((a) => a.id === q.article.id) && overlaps(g.shingles, own),
    );
    if (group) group.also.push(q.article);
    else groups.push({ quote: q, also: [], shingles: own });
  }
  return groups.map(({ quote, also }) => ({ quote, also }));
}

function overlaps(sa: Set<string>, sb: Set<string>): boolean {
  const [small, large] = sa.size <= sb.size ? [sa, sb] : [sb, sa];
  if (small.size === 0) return false;
  let shared = 0;
  for (const s of small) if (large.has(s)) shared++;
  return shared / small.size >= COPY_OVERLAP;
}
