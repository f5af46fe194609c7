/**
 * The Romanian analyzer: the one place that decides what a "term" is. Indexing, querying,
 * highlighting and (later) subscription matching all go through it, so a word typed without
 * diacritics always meets the same word written with cedillas or commas in an article.
 *
 * Pipeline per word: fold (lower case, no diacritics, ş = ș) → drop stop words → Snowball
 * Romanian stem. The stem is taken from the folded word on both sides so that "sanctiuni"
 * typed by a user and "sancţiuni" in an article give the same term.
 */
import snowball from "snowball-stemmers";
import { fold, toCedilla } from "./normalize.js";
import { STOP_WORDS } from "./stopwords.js";

/**
 * A word: letters and digits, with their combining marks (decomposed "ă") and the invisible
 * characters scrapes leave inside words (soft hyphen, zero-width space/joiners), which termOf
 * then drops.
 *
 * (tokenize finds exactly its matches without building match arrays; exported for that test.)
 */
export const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}\u00ad\u200b-\u200d\u2060]*/gu;
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060]/g;

const stemmer = snowball.newStemmer("romanian");
const termCache = new Map<string, string | null>();
const TERM_CACHE_LIMIT = 300_000;

/**
 * Snowball Romanian stem of one lower-case word. The npm port only knows the cedilla
 * spelling, so comma-below letters are mapped to cedillas first (this reproduces the
 * Snowball reference vocabulary exactly); the result is returned in that spelling.
 */
export function stemWord(word: string): string {
  return stemmer.stem(toCedilla(word.toLowerCase()));
}

/** A word of a text with its UTF-16 offsets, so a match can be located in the original. */
export interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** What can open a word (WORD's first character), searched for from the end of the last word. */
const WORD_START = /[\p{L}\p{N}]/gu;
/** WORD's rest, matched at a word's second character (sticky: only there). */
const WORD_REST = /[\p{L}\p{N}\p{M}\u00ad\u200b-\u200d\u2060]*/uy;

/**
 * Splits text into words (letters and digits); hyphens and apostrophes separate words.
 *
 * The words and offsets of `text.matchAll(WORD)`, found with two `test` calls per word instead:
 * `test` builds no match array, and this runs for every quote window and highlight, so the
 * match arrays and iterator results were a sixth of what answering a question allocated. A
 * WORD match starts at the first letter or digit from where the last one ended (its rest may
 * match nothing), and WORD_REST, anchored just after that character, is the rest of the match.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  WORD_START.lastIndex = 0;
  while (WORD_START.test(text)) {
    const afterFirst = WORD_START.lastIndex;
    // The first character is one UTF-16 unit, or two for a letter or digit outside the BMP.
    const code = text.charCodeAt(afterFirst - 1);
    const start = code >= 0xdc00 && code <= 0xdfff && afterFirst >= 2 ? afterFirst - 2 : afterFirst - 1;
    WORD_REST.lastIndex = afterFirst;
    WORD_REST.test(text);
    const end = WORD_REST.lastIndex;
    tokens.push({ text: text.slice(start, end), start, end });
    WORD_START.lastIndex = end;
  }
  return tokens;
}

/** Plain word list, in the shape MiniSearch's `tokenize` option expects. */
export function tokenizeWords(text: string): string[] {
  return tokenize(text).map((t) => t.text);
}

/**
 * Maps one word to its index term, or null when it carries no meaning for retrieval
 * (stop words, single letters). Numbers are kept as they are.
 */
export function termOf(word: string): string | null {
  // Words repeat endlessly in news: remember each spelling's term (null included), so the hot
  // path of indexing and of building quotes is one map lookup.
  const cached = termCache.get(word);
  if (cached !== undefined) return cached;
  const term = computeTerm(word);
  if (termCache.size >= TERM_CACHE_LIMIT) termCache.clear();
  termCache.set(word, term);
  return term;
}

function computeTerm(word: string): string | null {
  const folded = fold(word).replace(INVISIBLE, "");
  if (folded.length === 0) return null;
  if (/^\d+$/.test(folded)) return folded;
  if (folded.length < 2 || STOP_WORDS.has(folded)) return null;
  return stemmer.stem(folded);
}

/** All index terms of a text, in order, with repetitions. */
export function analyze(text: string): string[] {
  const terms: string[] = [];
  for (const t of tokenize(text)) {
    const term = termOf(t.text);
    if (term !== null) terms.push(term);
  }
  return terms;
}

/** The distinct terms of a text (a question's terms). */
export function distinctTerms(text: string): string[] {
  return [...new Set(analyze(text))];
}
