/**
 * The words of every indexed sentence, kept from the index build, so that ranking a story's
 * sentences never tokenises, stems or folds them again.
 *
 * Building the index reads every word of every sentence anyway (for the postings). Each
 * distinct spelling gets a word id in a WordTable, with its index term (termOf, computed once
 * per spelling); each sentence keeps its words as one code per word in a shared Int32Array:
 * `wordId * 2 + capitalised`, where `capitalised` is what answer-type.ts calls a capitalised
 * word (a capital then a lower-case letter, not opening the sentence). From those codes a
 * sentence's terms, inflection prefixes and answer tokens are exactly what analysing its text
 * gives (test/search/sentence-words.test.ts checks it), at the cost of array reads.
 *
 * Folded spellings and prefixes are derived per word id the first time ranking asks, so a
 * loaded index costs nothing for words no question reaches.
 */
import { termOf, type Token, tokenize } from "../text/analyzer.js";
import type { AnswerTokens } from "./answer-type.js";
import { foldWord } from "./answer-type.js";
import { fold } from "../text/normalize.js";

/** A capital then a lower-case letter: answer-type.ts's test for a capitalised word. */
const CAPITALISED = /^\p{Lu}\p{Ll}/u;
const SPACE = /\s/u;
/** What before a word makes it open a sentence (answer-type.ts's answerTokensOf). */
const OPENER = /[.!?:„"«]/u;

/** One word of an answer-token list: shared per word id and flag (the objects are never changed). */
type AnswerWord = AnswerTokens["words"][number];

/** Every distinct spelling met, with its index term; ids are handed out in order of first use. */
export class WordTable {
  readonly words: string[] = [];
  /** Per word id: termOf(word) (null for stop words and single letters). */
  readonly terms: Array<string | null> = [];
  /** Per word id: CAPITALISED holds. */
  private readonly capitals: boolean[] = [];
  /** Built on the first add after a load (a loaded table that never grows needs none). */
  private ids: Map<string, number> | null = new Map();
  private readonly folded: Array<string | undefined> = [];
  private readonly prefixes: Array<string | null | undefined> = [];
  private prefixLength = 0;
  private readonly answerWords: Array<AnswerWord | undefined> = [];

  get size(): number {
    return this.words.length;
  }

  /** The id of a spelling, added (with its term) when new. */
  idOf(word: string): number {
    if (this.ids === null) this.ids = new Map(this.words.map((w, i) => [w, i]));
    return this.ids.get(word) ?? this.add(word, termOf(word));
  }

  /** Adds a spelling not in the table, with its term (termOf(word)); returns its id. */
  add(word: string, term: string | null): number {
    const id = this.words.length;
    this.ids?.set(word, id);
    this.words.push(word);
    this.terms.push(term);
    return id;
  }

  /** Whether the word is capitalised (a capital, then a lower-case letter). */
  capitalised(id: number): boolean {
    let c = this.capitals[id];
    if (c === undefined) this.capitals[id] = c = CAPITALISED.test(this.words[id] as string);
    return c;
  }

  /** foldWord of the word, remembered per id. */
  foldedOf(id: number): string {
    let f = this.folded[id];
    if (f === undefined) this.folded[id] = f = foldWord(this.words[id] as string);
    return f;
  }

  /** The folded word's first `length` letters, or null when it is shorter; remembered per id for one length. */
  prefixOf(id: number, length: number): string | null {
    if (length !== this.prefixLength) {
      this.prefixes.length = 0;
      this.prefixLength = length;
    }
    let p = this.prefixes[id];
    if (p === undefined) {
      const f = this.foldedOf(id);
      this.prefixes[id] = p = f.length >= length ? f.slice(0, length) : null;
    }
    return p;
  }

  /** The answer-token word for a code (shared objects: one per word id and flag). */
  answerWord(code: number): AnswerWord {
    let w = this.answerWords[code];
    if (w === undefined) this.answerWords[code] = w = { folded: this.foldedOf(code >>> 1), capitalised: (code & 1) === 1 };
    return w;
  }

  /** The table as persisted: spellings and their terms (as indexes into a list of distinct terms). */
  toJSON(): { words: string[]; termList: string[]; termIds: number[] } {
    const termList: string[] = [];
    const termIndex = new Map<string, number>();
    const termIds = this.terms.map((t) => {
      if (t === null) return -1;
      let i = termIndex.get(t);
      if (i === undefined) termIndex.set(t, (i = termList.push(t) - 1));
      return i;
    });
    return { words: this.words, termList, termIds };
  }

  /** A table from toJSON's output; throws on an inconsistent one. */
  static fromJSON(json: unknown): WordTable {
    const { words, termList, termIds } = (json ?? {}) as { words?: unknown; termList?: unknown; termIds?: unknown };
    if (!Array.isArray(words) || !Array.isArray(termList) || !Array.isArray(termIds) || termIds.length !== words.length)
      throw new Error("bad word table");
    const table = new WordTable();
    table.ids = null;
    for (let i = 0; i < words.length; i++) {
      const word = words[i];
      const t = termIds[i];
      if (typeof word !== "string" || !Number.isInteger(t) || t < -1 || t >= termList.length) throw new Error("bad word table");
      const term = t === -1 ? null : termList[t];
      if (term !== null && typeof term !== "string") throw new Error("bad word table");
      table.add(word, term);
    }
    return table;
  }
}

/**
 * The word codes of a sentence, as the index build writes them (`tokens` = tokenize(text)):
 * one per word, in order.
 */
export function encodeSentence(table: WordTable, text: string, tokens: readonly Token[], out: number[]): void {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    const id = table.idOf(t.text);
    let capitalised = 0;
    if (table.capitalised(id)) {
      // answerTokensOf's test: the last non-space character before the word.
      let k = t.start - 1;
      while (k >= 0 && SPACE.test(text[k] as string)) k--;
      const opens = i === 0 || OPENER.test(text[k] ?? "");
      if (!opens) capitalised = 1;
    }
    out.push(id * 2 + capitalised);
  }
}

/** A sentence's words: its codes in the table's pool (`codes[from, to)`). */
export interface SentenceWords {
  readonly table: WordTable;
  readonly codes: Int32Array;
  readonly from: number;
  readonly to: number;
}

/** Most distinct terms a TermList keeps in a plain array; a longer sentence's are a Set. */
const TERM_LIST_ARRAY_LIMIT = 32;

/**
 * A sentence's distinct index terms in first-seen order: the same members, size and iteration
 * order as `new Set(analyze(text))`, but kept as a plain array when there are
 * few of them. The answer engine keeps one per sentence it has ranked, and a Set's hash table
 * is two to three times the size of an array of the same strings, so the caches the scavenger
 * must copy after a question shrink. `has` is then a scan of at most TERM_LIST_ARRAY_LIMIT
 * strings (most differ in length or hash at once); longer sentences keep a Set.
 */
export class TermList implements ReadonlySet<string> {
  private constructor(
    /** The distinct terms in order (always kept: `termAt` and iteration read it). */
    private readonly list: readonly string[],
    /** The same terms as a Set, only past TERM_LIST_ARRAY_LIMIT (for `has`). */
    private readonly set: ReadonlySet<string> | null,
  ) {}

  /** The distinct terms of `s`'s words, in order of first appearance. */
  static of(s: SentenceWords): TermList {
    const { codes, table } = s;
    const list: string[] = [];
    let set: Set<string> | null = null;
    for (let i = s.from; i < s.to; i++) {
      const term = table.terms[(codes[i] as number) >>> 1];
      if (term === null || term === undefined) continue;
      if (set !== null ? set.has(term) : list.includes(term)) continue;
      list.push(term);
      if (set !== null) set.add(term);
      else if (list.length > TERM_LIST_ARRAY_LIMIT) set = new Set(list);
    }
    // slice: an exact-size copy (the array grown by push has spare capacity).
    return new TermList(list.slice(), set);
  }

  get size(): number {
    return this.list.length;
  }

  /** The i-th distinct term (in order of first appearance): a loop over these allocates nothing. */
  termAt(i: number): string {
    return this.list[i]!;
  }

  has(term: string): boolean {
    return this.set !== null ? this.set.has(term) : this.list.includes(term);
  }

  [Symbol.iterator](): IterableIterator<string> {
    return this.list[Symbol.iterator]();
  }

  values(): IterableIterator<string> {
    return this[Symbol.iterator]();
  }

  keys(): IterableIterator<string> {
    return this[Symbol.iterator]();
  }

  *entries(): IterableIterator<[string, string]> {
    for (const t of this) yield [t, t];
  }

  forEach(callback: (value: string, key: string, set: ReadonlySet<string>) => void, thisArg?: unknown): void {
    for (const t of this) callback.call(thisArg, t, t, this);
  }
}

/**
 * Whether some word of the sentence starts with `prefix` (folded, `length` letters), without
 * building (and keeping) a set of every word's prefix per sentence.
 * The prefixes are remembered per word id by the table, so this is a short scan of array reads.
 */
export function sentenceHasPrefix(s: SentenceWords, length: number, prefix: string): boolean {
  const { codes, table } = s;
  for (let i = s.from; i < s.to; i++) if (table.prefixOf((codes[i] as number) >>> 1, length) === prefix) return true;
  return false;
}

/** Each word's index term (termOf; null for a stop word), in order: one per `sentenceAnswerTokens` word. */
export function sentenceWordTerms(s: SentenceWords): Array<string | null> {
  // Sized once (ranking keeps these per sentence: no spare capacity from growing by push).
  const out = new Array<string | null>(s.to - s.from);
  const { codes, table } = s;
  for (let i = s.from; i < s.to; i++) out[i - s.from] = table.terms[(codes[i] as number) >>> 1] ?? null;
  return out;
}

/** The folded words that are names (answer-type.ts's isCapitalisedName), in order. */
export function sentenceNames(s: SentenceWords): string[] {
  const names: string[] = [];
  const { codes, table } = s;
  for (let i = s.from; i < s.to; i++) {
    const code = codes[i] as number;
    if ((code & 1) === 1) names.push(table.answerWord(code).folded);
  }
  return names;
}

/** answerTokens(text) for the sentence whose words these are. */
export function sentenceAnswerTokens(s: SentenceWords, text: string): AnswerTokens {
  // Sized once: the answer engine keeps these per sentence ranked (no spare capacity from push).
  const words = new Array<AnswerWord>(s.to - s.from);
  const { codes, table } = s;
  for (let i = s.from; i < s.to; i++) words[i - s.from] = table.answerWord(codes[i] as number);
  return new SentenceAnswerTokens(words, text);
}

/**
 * AnswerTokens with the folded text built when first read. A class rather than an object
 * literal with a getter: one object per sentence instead of the object, its getter's closure
 * and the closure's context (the answer engine keeps one per sentence it ranks).
 */
class SentenceAnswerTokens implements AnswerTokens {
  private foldedText: string | undefined;

  constructor(
    readonly words: readonly AnswerWord[],
    private readonly text: string,
  ) {}

  get folded(): string {
    return (this.foldedText ??= fold(this.text));
  }
}

/** The words of a text the index does not hold, in the same form (a table of their own). */
export function wordsOfText(text: string): SentenceWords {
  const out: number[] = [];
  const table = new WordTable();
  encodeSentence(table, text, tokenize(text), out);
  return { table, codes: Int32Array.from(out), from: 0, to: out.length };
}

/** Unsigned LEB128: 7 bits a byte, low bits first, the high bit set on every byte but the last. */
export function encodeVarints(values: readonly number[]): Buffer {
  let size = 0;
  for (const v of values) {
    if (!Number.isInteger(v) || v < 0 || v > 0x7fffffff) throw new RangeError(`not a varint: ${v}`);
    size += v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
  }
  const out = Buffer.allocUnsafe(size);
  let n = 0;
  for (let v of values) {
    while (v >= 0x80) {
      out[n++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    out[n++] = v;
  }
  return out;
}

/** The values encodeVarints wrote; throws on a truncated or over-long one. */
export function decodeVarints(bytes: Uint8Array): Int32Array {
  const out = new Int32Array(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; ) {
    let v = 0;
    let shift = 0;
    for (;;) {
      if (i >= bytes.length || shift > 28) throw new Error("bad varint");
      const b = bytes[i++] as number;
      v += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (b < 0x80) break;
    }
    if (v > 0x7fffffff) throw new Error("bad varint");
    out[n++] = v;
  }
  return out.subarray(0, n);
}
