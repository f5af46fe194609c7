/**
 * Grows a quote around the best-matching sentence: neighbouring sentences of the same
 * paragraph are added while the quote stays within budget; a sentence that alone is too long
 * is cut at word boundaries around the matched words. The result is always a pair of offsets
 * into the article body, so the quote is a verbatim substring by construction.
 */
import { termOf, type Token, tokenize } from "../text/analyzer.js";
import type { Span } from "../text/sentences.js";

export interface QuoteSpan {
  readonly start: number;
  readonly end: number;
  /** True when the quote starts or ends inside a sentence (render marks it with "…"). */
  readonly cutStart: boolean;
  readonly cutEnd: boolean;
}

/** Target length of a quote in characters; a single sentence may exceed it up to HARD_LIMIT. */
export const QUOTE_BUDGET = 300;
export const QUOTE_HARD_LIMIT = 380;

/**
 * What a matched word of the story (not among `detail`, see cutSentence) counts for, against 1
 * for a detail word.
 */
export const STORY_HIT = 0.25;

/** Words after an anchor (cutSentence) that a window holds with it: "de lei" after a number, a day's month and year. */
const ANCHOR_TAIL = 3;
/** Words after a matched word that a window must hold for the match to count (cutSentence). */
export const HIT_TAIL = 4;

function matchCount(text: string, span: Span, terms: ReadonlySet<string>): number {
  let n = 0;
  for (const t of tokenize(text.slice(span.start, span.end))) {
    const term = termOf(t.text);
    if (term !== null && terms.has(term)) n++;
  }
  return n;
}

/**
 * Cuts an over-long sentence to the window of `budget` characters holding the most matches.
 * `anchors` (body offsets where tokens of the kind of answer asked for start: the number of a
 * "câți" question) win over matches: when the sentence holds one, the window holds one — cut
 * around the question's words alone, a long sentence loses its answer more often than not.
 * When `detail` is given, a matched word counts fully only if it is one of those terms (the
 * question's words beyond the story's title and lead) and STORY_HIT otherwise: an over-long
 * "sentence" is often several sentences run together on the page, each repeating the story's
 * names, and the answer stands beside the asked detail.
 */
export function cutSentence(
  body: string,
  span: Span,
  terms: ReadonlySet<string>,
  budget: number,
  anchors: ReadonlySet<number> = new Set(),
  detail?: ReadonlySet<string>,
  /** `tokenize(body.slice(span.start, span.end))` when the caller has it already. */
  words: readonly Token[] = tokenize(body.slice(span.start, span.end)),
  /** termOf of each of `words`, when the caller has them (the index's stored words). */
  wordTerms: ReadonlyArray<string | null> = words.map((t) => termOf(t.text)),
): QuoteSpan {
  const tokens = words.map((t, i) => {
    const term = wordTerms[i] ?? "\u0000";
    return {
      start: span.start + t.start,
      end: span.start + t.end,
      hit: !terms.has(term) ? 0 : detail === undefined || detail.has(term) ? 1 : STORY_HIT,
      anchor: anchors.has(span.start + t.start),
    };
  });
  if (tokens.length === 0) {
    // No word at all (a wall of symbols): the sentence's first `budget` characters.
    let end = span.start + budget;
    if (/[\ud800-\udbff]/.test(body[end - 1] ?? "")) end--;
    return { start: span.start, end, cutStart: false, cutEnd: true };
  }
  // An anchor is held with the three words after it ("12 milioane de lei", "pe 5 mai"): by token
  // index, the anchors that end at each token.
  const endsAt = new Map<number, number[]>();
  const anchorEnd = new Map<number, number>();
  // Likewise a match counts once the window holds the HIT_TAIL words after it: news states the
  // detail after the words that name it ("primește o pensie de 12.000 de lei", "avea cont la
  // Banca …"), and a window ending on the question's words cuts the answer off.
  const hitEndsAt = new Map<number, number[]>();
  const hitEnd = new Map<number, number>();
  tokens.forEach((t, i) => {
    if (t.hit > 0) {
      const e = Math.min(i + HIT_TAIL, tokens.length - 1);
      hitEnd.set(i, e);
      hitEndsAt.set(e, [...(hitEndsAt.get(e) ?? []), i]);
    }
    if (!t.anchor) return;
    const e = Math.min(i + ANCHOR_TAIL, tokens.length - 1);
    anchorEnd.set(i, e);
    endsAt.set(e, [...(endsAt.get(e) ?? []), i]);
  });
  let best = { from: 0, score: -1 };
  let to = 0;
  let hits = 0;
  let held = 0;
  // A held anchor outweighs every match a window can hold.
  const anchorWeight = tokens.length + 1;
  for (let from = 0; from < tokens.length; from++) {
    while (to < tokens.length && tokens[to]!.end - tokens[from]!.start <= budget) {
      for (const h of hitEndsAt.get(to) ?? []) if (h >= from) hits += tokens[h]!.hit;
      for (const a of endsAt.get(to) ?? []) if (a >= from) held++;
      to++;
    }
    // Prefer windows that start at the sentence's start when scores tie: reads naturally.
    const score = hits + (held > 0 ? anchorWeight : 0);
    if (score > best.score + 1e-9) best = { from, score };
    // A token longer than the budget never entered the window: skip it without uncounting it.
    if (to === from) to++;
    else {
      const h = hitEnd.get(from);
      if (h !== undefined && h < to) hits -= tokens[from]!.hit;
      const e = anchorEnd.get(from);
      if (e !== undefined && e < to) held--;
    }
  }
  const first = tokens[best.from]!;
  let lastIdx = best.from;
  while (lastIdx + 1 < tokens.length && tokens[lastIdx + 1]!.end - first.start <= budget) lastIdx++;
  // Widen to the sentence's own edges (opening „, closing .”) only while the quote stays within
  // the hard limit: long runs of non-word characters (emoji, dashes) are left out instead.
  const limit = Math.max(budget, QUOTE_HARD_LIMIT);
  let end = tokens[lastIdx]!.end;
  const start = best.from === 0 && end - span.start <= limit ? span.start : first.start;
  if (lastIdx === tokens.length - 1 && span.end - start <= limit) end = span.end;
  return { start, end, cutStart: start !== span.start, cutEnd: end !== span.end };
}

/**
 * The quote around sentence `position` of `paragraph`. Neighbours with more matched terms are
 * preferred, then the following sentence (it usually completes the thought), then the previous.
 */
export function growQuote(
  body: string,
  paragraph: readonly Span[],
  position: number,
  terms: ReadonlySet<string>,
  budget = QUOTE_BUDGET,
): QuoteSpan {
  const core = paragraph[position] as Span;
  if (core.end - core.start > QUOTE_HARD_LIMIT) return cutSentence(body, core, terms, budget);
  let lo = position;
  let hi = position;
  for (;;) {
    const prev = paragraph[lo - 1];
    const next = paragraph[hi + 1];
    const start = paragraph[lo]!.start;
    const end = paragraph[hi]!.end;
    const fitsPrev = prev !== undefined && end - prev.start <= budget;
    const fitsNext = next !== undefined && next.end - start <= budget;
    if (!fitsPrev && !fitsNext) break;
    if (fitsPrev && fitsNext) {
      if (matchCount(body, prev, terms) > matchCount(body, next, terms)) lo--;
      else hi++;
    } else if (fitsNext) hi++;
    else lo--;
  }
  return { start: paragraph[lo]!.start, end: paragraph[hi]!.end, cutStart: false, cutEnd: false };
}

/** Offsets (relative to the quote) of the words whose terms are in `terms`, for bold. */
export function highlightRanges(quote: string, terms: ReadonlySet<string>): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const t of tokenize(quote)) {
    const term = termOf(t.text);
    if (term !== null && terms.has(term)) ranges.push([t.start, t.end]);
  }
  return ranges;
}
