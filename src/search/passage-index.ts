/**
 * The passage index: every article is split into sentences, and each sentence is a passage.
 * Retrieval finds the sentence; the quote is then grown around it (see quote.ts).
 *
 * Two MiniSearch indexes hold the postings: one of sentences (field `text`) and one of article
 * titles (field `title`, one document per article). A passage is scored with BM25 on three
 * fields, as MiniSearch would score them:
 * - `text`: the sentence itself;
 * - `context`: its neighbours in the article (previous and next sentence), derived at query
 *   time from the neighbours' `text` postings instead of being indexed a second and third time;
 * - `title`: the article's title, indexed once per article instead of once per sentence.
 *
 * Scoring reads MiniSearch's postings directly (term-at-a-time into typed arrays, then a
 * top-k selection) instead of calling `MiniSearch#search`, which allocates a result object per
 * matching document and sorts them all: at 100k passages that is tens of milliseconds for a
 * question with a common word. The formula is MiniSearch's (BM25+, fuzzy weighting, the
 * "quality" factor of matched query terms), so `search` returns what `MiniSearch#search` would
 * over the same fields, only the best `limit` of them.
 *
 * Passages are stored compactly (offsets in typed arrays) and materialised on demand, with
 * their words as codes into a word table (sentence-words.ts), so ranking reads a sentence's
 * terms without analysing its text again.
 *
 * One options constant (PASSAGE_INDEX_OPTIONS) serves indexing and `loadJSON`, so a persisted
 * index is always read with the analyzer it was written with (see index-store.ts).
 */
import { createHash } from "node:crypto";
import MiniSearch, { type Options, type SearchResult } from "minisearch";
import type { Article } from "../content/article.js";
import { analyze, termOf, tokenize, tokenizeWords } from "../text/analyzer.js";
import { fold } from "../text/normalize.js";
import { SPLITTER_VERSION, type Span, splitSentences } from "../text/sentences.js";
import { STOP_WORDS } from "../text/stopwords.js";
import { decodeVarints, encodeSentence, encodeVarints, type SentenceWords, WordTable } from "./sentence-words.js";

/** One sentence of one article: the unit of retrieval. */
export interface Passage {
  readonly id: number;
  readonly article: Article;
  /** The sentence's offsets in `article.body`. */
  readonly span: Span;
  /** The sentences of the same paragraph (including this one), for growing a quote. */
  readonly paragraph: readonly Span[];
  /** This sentence's position in `paragraph`. */
  readonly position: number;
  /** This sentence's position in the whole article (0 = the lead). */
  readonly ordinal: number;
}

/** A document of either MiniSearch index: a sentence (`text`) or an article title (`title`). */
export interface IndexDoc {
  id: number;
  text?: string;
  title?: string;
}

/** The fields a match can be reported in (`SearchResult.match`). */
export const PASSAGE_FIELDS = ["text", "context", "title"] as const;
export type PassageField = (typeof PASSAGE_FIELDS)[number];

/** Most questions' `search` returns by default; the answer engine re-ranks far fewer. */
export const DEFAULT_SEARCH_LIMIT = 200;

export const PASSAGE_INDEX_OPTIONS: Options<IndexDoc> = {
  fields: ["text", "title"],
  storeFields: [],
  tokenize: tokenizeWords,
  processTerm: termOf,
  searchOptions: {
    combineWith: "OR",
    boost: { text: 1, context: 0.3, title: 0.4 },
    // One typo (or a transliteration like "lukashenko") on longer words, weighted low.
    fuzzy: (term: string) => (term.length >= 6 ? 1 : false),
    weights: { fuzzy: 0.35, prefix: 0.2 },
    bm25: { k: 1.2, b: 0.7, d: 0.5 },
  },
};

const SEARCH = PASSAGE_INDEX_OPTIONS.searchOptions!;
const BOOST = { text: SEARCH.boost!.text!, context: SEARCH.boost!.context!, title: SEARCH.boost!.title! };
const FUZZY_WEIGHT = SEARCH.weights!.fuzzy;
const BM25 = SEARCH.bm25!;
const fuzzyDistance = SEARCH.fuzzy as (term: string) => number | false;

/** Splits an article body into paragraphs of sentence spans (paragraphs are lines). */
export function articleParagraphs(body: string): Span[][] {
  const paragraphs: Span[][] = [];
  for (const m of body.matchAll(/[^\n]+/g)) {
    const start = m.index ?? 0;
    const sentences = splitSentences(body, start, start + m[0].length);
    if (sentences.length > 0) paragraphs.push(sentences);
  }
  return paragraphs;
}

/** Hash of what the index is built from (title and body): equal hash, nothing to re-index. */
export function articleHash(article: Article): string {
  return createHash("sha1").update(article.title).update("\u0000").update(article.body).digest("base64url");
}

/**
 * Fingerprint of everything that decides what the index holds: the options, the analyzer and
 * the sentence splitter (their source, SPLITTER_VERSION and their output on a probe text), the stop words and
 * the scoring layout. A persisted index with another fingerprint is rebuilt, not trusted.
 * Bump INDEX_LAYOUT when the meaning of the stored data changes in a way these cannot see.
 */
const INDEX_LAYOUT = 1;
const PROBE =
  "Şeful ANAF, dr. Ion Popescu, a anunţat „noi sancțiuni. Vor fi 3.500 de lei” pentru S.U.A.Luni " +
  "s-au\u00adadunat 1.000 de oameni la Galați.\nÎn 2025-08-20 Lukașenko: «Nu!» Bugetul crește… " +
  "Guvernului, guvernele, miniștrilor, alegerilor, prezidențiale, cutremurul, inundațiile, " +
  "declarațiile, deputaților, spitalelor, școlile, românești, frumoasele, lucrătorilor, " +
  "câștigătoarea, vânzătorilor, ucrainenilor, americanii, europeană, economiei, reformele. " +
  "„Vin mâine“, a spus el.„Nu știu”Apoi stiri.ro.Gata (ANAF).Apoi„Bine.Da”CITEȘTE ȘI: Altceva.";
let fingerprint: string | undefined;
export function indexFingerprint(): string {
  fingerprint ??= createHash("sha256")
    .update(
      JSON.stringify({
        layout: INDEX_LAYOUT,
        splitter: SPLITTER_VERSION,
        options: JSON.stringify(PASSAGE_INDEX_OPTIONS, (_k, v: unknown) => (typeof v === "function" ? v.toString() : v)),
        code: [termOf, tokenize, fold, splitSentences, articleParagraphs].map((f) => f.toString()),
        terms: analyze(PROBE),
        words: tokenizeWords(PROBE),
        sentences: articleParagraphs(PROBE),
        stopWords: [...STOP_WORDS].sort(),
      }),
    )
    .digest("hex")
    .slice(0, 32);
  return fingerprint;
}

/** MiniSearch's protected state, read for scoring (the documented extension surface). */
type Postings = Map<number, number>;
type FieldPostings = Map<number, Postings>;
interface MiniInternals {
  _index: {
    get(term: string): FieldPostings | undefined;
    fetch(term: string, initial: () => FieldPostings): FieldPostings;
    fuzzyGet(term: string, maxDistance: number): Map<string, [FieldPostings, number]>;
  };
  _documentCount: number;
  _nextId: number;
  _idToShortId: Map<unknown, number>;
  _documentIds: Map<number, unknown>;
  _fieldIds: Record<string, number>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
}
const internals = (m: MiniSearch<IndexDoc>) => m as unknown as MiniInternals;

/** What a persisted index stores per article beside MiniSearch. */
export interface StoredArticle {
  /** Article slot: the title document's id in the title index. */
  readonly slot: number;
  readonly id: string;
  readonly hash: string;
  /** Id of the first passage; the article's passages have consecutive ids. */
  readonly firstId: number;
  /** Per paragraph: the number of sentences, then each sentence's start and end. */
  readonly spans: number[];
}

/** Everything needed to restore a PassageIndex, apart from the articles themselves. */
export interface PassageIndexState {
  readonly nextId: number;
  readonly slotCount: number;
  readonly articles: StoredArticle[];
  /** MiniSearch JSON (`JSON.stringify(miniSearch)`) of the sentence and title indexes. */
  readonly passagesJson: string;
  readonly titlesJson: string;
  /** The sentences' words (StoredWords as JSON). */
  readonly wordsJson: string;
}

/**
 * The sentences' words as persisted: the word table, then per stored passage (in the order of
 * `articles`, each article's passages in id order) its number of words followed by their
 * codes (sentence-words.ts), as base64 of unsigned LEB128 varints (most codes take one or two
 * bytes: the table lists the most frequent words first).
 */
interface StoredWords {
  table: ReturnType<WordTable["toJSON"]>;
  codes: string;
}

/** Result of restoring a persisted state against the current articles. */
export interface RestoreResult {
  readonly index: PassageIndex;
  /** Stored articles whose hash matches the current article: kept without re-indexing. */
  readonly kept: number;
  /** Stored articles that changed or are gone: their passages were dropped. */
  readonly dropped: string[];
}

class Int32Growable {
  data: Int32Array;
  constructor(private readonly fillValue = 0) {
    this.data = new Int32Array(1024).fill(fillValue);
  }
  ensure(n: number): void {
    if (n <= this.data.length) return;
    let size = this.data.length;
    while (size < n) size *= 2;
    const next = new Int32Array(size).fill(this.fillValue);
    next.set(this.data);
    this.data = next;
  }
}

interface Slot {
  readonly article: Article;
  readonly hash: string;
  readonly firstId: number;
  readonly count: number;
}

export class PassageIndex {
  private mini: MiniSearch<IndexDoc>;
  private titles: MiniSearch<IndexDoc>;
  /** Per passage id: sentence offsets, article slot (-1: removed), first sentence of its paragraph, paragraph size, text length. */
  private readonly pStart = new Int32Growable();
  private readonly pEnd = new Int32Growable();
  private readonly pSlot = new Int32Growable(-1);
  private readonly pParaFirst = new Int32Growable();
  private readonly pParaLen = new Int32Growable();
  private readonly pLength = new Int32Growable();
  /** Per passage id: its word codes are `codes[pWordsFrom, pWordsTo)`. */
  private readonly pWordsFrom = new Int32Growable();
  private readonly pWordsTo = new Int32Growable();
  private words = new WordTable();
  private codes: Int32Array = new Int32Array(1 << 16);
  private codesLength = 0;
  /** Codes of removed passages still in `codes` (compacted once they outnumber the live ones). */
  private deadCodes = 0;
  /** Per word id, the last document that counted it (distinct words without a Set per sentence). */
  private readonly seen = new Int32Growable();
  private seenStamp = 0;
  private readonly scratch: number[] = [];
  /** Per article slot (= title document id); null once removed. */
  private readonly slots: Array<Slot | null> = [];
  private readonly titleLength: number[] = [];
  private readonly bySlotId = new Map<string, number>();
  private nextId = 0;
  private livePassages = 0;
  /** Scratch space for scoring, indexed by passage id. */
  private score = new Float64Array(0);
  private mask = new Uint32Array(0);
  private ctxTf = new Float64Array(0);
  /** The passages scored so far in this search (preallocated: no garbage, no GC pauses). */
  private touched = new Int32Array(0);
  private touchedCount = 0;
  private neighbours = new Int32Array(0);
  /** The best partial score so far in this search. */
  private maxScore = 0;
  /** Bumped on every change to the postings (add, remove, vacuum): see variantStamp. */
  private changes = 0;
  private readonly variantMemo = new Map<string, readonly TermVariant[]>();
  private variantMemoStamp: string | null = null;

  constructor(articles: Iterable<Article> = []) {
    this.mini = new MiniSearch<IndexDoc>(PASSAGE_INDEX_OPTIONS);
    this.titles = new MiniSearch<IndexDoc>(PASSAGE_INDEX_OPTIONS);
    this.addAll(articles);
  }

  get passageCount(): number {
    return this.livePassages;
  }

  get articleCount(): number {
    return this.bySlotId.size;
  }

  /** Passage ids handed out so far, removed ones included (the size of the id space). */
  get idSpace(): number {
    return this.nextId;
  }

  articles(): Article[] {
    return [...this.bySlotId.values()].map((s) => (this.slots[s] as Slot).article);
  }

  hasArticle(id: string): boolean {
    return this.bySlotId.has(id);
  }

  /** The content hash the article was indexed with (see articleHash). */
  articleHashOf(id: string): string | undefined {
    const s = this.bySlotId.get(id);
    return s === undefined ? undefined : (this.slots[s] as Slot).hash;
  }

  /**
   * Adds (or replaces) an article. Returns false when nothing changed: the article has no
   * sentence and was not indexed before.
   */
  add(article: Article): boolean {
    return this.addAll([article]) > 0;
  }

  /**
   * Adds (or replaces) many articles; returns how many changed the index. Postings are
   * grouped by term and written once per term and batch, which is several times faster than
   * MiniSearch's `add` walking its radix tree once per word (see `writePostings`).
   */
  addAll(articles: Iterable<Article>): number {
    this.changes++;
    let changed = 0;
    let batch = new Map<string, number[]>();
    let titleBatch = new Map<string, number[]>();
    let batchSize = 0;
    const codesBefore = this.codesLength;
    const mini = internals(this.mini);
    const titles = internals(this.titles);
    for (const article of articles) {
      const replaced = this.remove(article.id);
      const paragraphs = articleParagraphs(article.body);
      if (paragraphs.length === 0) {
        if (replaced) changed++;
        continue;
      }
      changed++;
      const slot = this.slots.length;
      const firstId = this.nextId;
      const count = paragraphs.reduce((n, p) => n + p.length, 0);
      this.reserve(firstId + count);
      const titleLength = this.analyze(article.title, slot, titleBatch, false);
      registerDocument(titles, slot, TITLE_FIELD, titleLength);
      this.titleLength[slot] = titleLength;
      for (const paragraph of paragraphs) {
        const paraFirst = this.nextId;
        for (const span of paragraph) {
          const id = this.nextId++;
          const length = this.analyze(article.body.slice(span.start, span.end), id, batch, true);
          registerDocument(mini, id, TEXT_FIELD, length);
          this.setPassage(id, span, slot, paraFirst, paragraph.length, length);
        }
      }
      this.slots.push({ article, hash: articleHash(article), firstId, count });
      this.bySlotId.set(article.id, slot);
      this.livePassages += count;
      batchSize += count;
      if (batchSize >= POSTINGS_BATCH) {
        writePostings(mini, TEXT_FIELD, batch);
        writePostings(titles, TITLE_FIELD, titleBatch);
        batch = new Map();
        titleBatch = new Map();
        batchSize = 0;
      }
    }
    writePostings(mini, TEXT_FIELD, batch);
    writePostings(titles, TITLE_FIELD, titleBatch);
    // A large batch leaves up to half of `codes` unused (it grows by doubling): trimmed, as a
    // start-up's build would otherwise keep megabytes of slack for good.
    if (this.codesLength - codesBefore > this.codes.length / 4) this.resizeCodes(this.codesLength + (this.codesLength >> 4));
    return changed;
  }

  /**
   * What MiniSearch's `add` does for one field of a document (a sentence's `text`, an
   * article's `title`), with the postings collected into `batch` (term → document ids, one
   * entry per occurrence) instead of written one by one. Returns the field length as
   * MiniSearch counts it: distinct words before term processing. A sentence's words are kept
   * (`keepWords`: its passage id is `id`).
   */
  private analyze(text: string, id: number, batch: Map<string, number[]>, keepWords: boolean): number {
    const codes = this.scratch;
    codes.length = 0;
    encodeSentence(this.words, text, tokenize(text), codes);
    this.seen.ensure(this.words.size);
    const seen = this.seen.data;
    const stamp = ++this.seenStamp;
    const terms = this.words.terms;
    let distinct = 0;
    for (let i = 0; i < codes.length; i++) {
      const word = (codes[i] as number) >>> 1;
      if (seen[word] !== stamp) {
        seen[word] = stamp;
        distinct++;
      }
      const term = terms[word];
      if (!term) continue;
      const ids = batch.get(term);
      if (ids) ids.push(id);
      else batch.set(term, [id]);
    }
    if (keepWords) {
      this.ensureCodes(this.codesLength + codes.length);
      this.pWordsFrom.data[id] = this.codesLength;
      for (let i = 0; i < codes.length; i++) this.codes[this.codesLength++] = codes[i] as number;
      this.pWordsTo.data[id] = this.codesLength;
    }
    return distinct;
  }

  private ensureCodes(n: number): void {
    if (n <= this.codes.length) return;
    let size = this.codes.length;
    while (size < n) size *= 2;
    this.resizeCodes(size);
  }

  private resizeCodes(size: number): void {
    const next = new Int32Array(size);
    next.set(this.codes.subarray(0, this.codesLength));
    this.codes = next;
  }

  /**
   * The words of a live passage, as the build read them (sentence-words.ts); undefined for an
   * unknown or removed id.
   */
  sentenceWords(id: number): SentenceWords | undefined {
    if (!Number.isInteger(id) || id < 0 || id >= this.nextId || (this.pSlot.data[id] as number) < 0) return undefined;
    return {
      table: this.words,
      codes: this.codes,
      from: this.pWordsFrom.data[id] as number,
      to: this.pWordsTo.data[id] as number,
    };
  }

  /** Removes an article and its passages; unknown ids are ignored. Returns whether it was there. */
  remove(articleId: string): boolean {
    const slot = this.bySlotId.get(articleId);
    if (slot === undefined) return false;
    const s = this.slots[slot] as Slot;
    this.dropSlot(slot, s.firstId, s.count);
    this.bySlotId.delete(articleId);
    return true;
  }

  /**
   * Swaps in a newer Article object with the same indexed content (same hash) without
   * re-indexing: metadata such as date, URL or outlet may differ.
   */
  refresh(article: Article): boolean {
    const slot = this.bySlotId.get(article.id);
    if (slot === undefined) return false;
    const s = this.slots[slot] as Slot;
    if (s.hash !== articleHash(article)) return false;
    this.slots[slot] = { ...s, article };
    return true;
  }

  passage(id: number): Passage | undefined {
    if (!Number.isInteger(id) || id < 0 || id >= this.nextId) return undefined;
    const slot = this.pSlot.data[id] as number;
    if (slot < 0) return undefined;
    const s = this.slots[slot] as Slot;
    const first = this.pParaFirst.data[id] as number;
    const n = this.pParaLen.data[id] as number;
    const paragraph: Span[] = [];
    for (let i = first; i < first + n; i++)
      paragraph.push({ start: this.pStart.data[i] as number, end: this.pEnd.data[i] as number });
    const position = id - first;
    return { id, article: s.article, span: paragraph[position] as Span, paragraph, position, ordinal: id - s.firstId };
  }

  /**
   * A live passage's article and its sentence number in it (Passage's `article` and `ordinal`),
   * without building its paragraph as `passage` does: ranking reads these of every passage the
   * search found, and a story written as one long paragraph would cost its length each time.
   */
  passageArticle(id: number): { readonly article: Article; readonly ordinal: number } | undefined {
    if (!Number.isInteger(id) || id < 0 || id >= this.nextId) return undefined;
    const slot = this.pSlot.data[id] as number;
    if (slot < 0) return undefined;
    const s = this.slots[slot] as Slot;
    return { article: s.article, ordinal: id - s.firstId };
  }

  /** An article's passages: consecutive ids from `firstId`; null when it is not indexed. */
  articlePassages(articleId: string): { firstId: number; count: number } | null {
    const slot = this.bySlotId.get(articleId);
    if (slot === undefined) return null;
    const s = this.slots[slot] as Slot;
    return { firstId: s.firstId, count: s.count };
  }

  /**
   * Several passages of one article at once (ids from articlePassages), sharing their paragraphs'
   * span arrays: `passage` builds its paragraph anew on every call, which for a story written as
   * one long paragraph would cost its length squared.
   */
  passagesAt(ids: readonly number[]): Passage[] {
    const paragraphs = new Map<number, Span[]>();
    const out: Passage[] = [];
    for (const id of ids) {
      if (!Number.isInteger(id) || id < 0 || id >= this.nextId) continue;
      const slot = this.pSlot.data[id] as number;
      if (slot < 0) continue;
      const s = this.slots[slot] as Slot;
      const first = this.pParaFirst.data[id] as number;
      let paragraph = paragraphs.get(first);
      if (!paragraph) {
        paragraph = [];
        const n = this.pParaLen.data[id] as number;
        for (let i = first; i < first + n; i++)
          paragraph.push({ start: this.pStart.data[i] as number, end: this.pEnd.data[i] as number });
        paragraphs.set(first, paragraph);
      }
      const position = id - first;
      out.push({ id, article: s.article, span: paragraph[position] as Span, paragraph, position, ordinal: id - s.firstId });
    }
    return out;
  }

  /** In how many passages a term occurs (in the sentence itself). */
  documentFrequency(term: string): number {
    const postings = internals(this.mini)._index.get(term)?.get(TEXT_FIELD);
    if (!postings) return 0;
    if (this.mini.dirtCount === 0) return postings.size;
    let n = 0;
    for (const id of postings.keys()) if ((this.pSlot.data[id] as number) >= 0) n++;
    return n;
  }

  /** Inverse document frequency of an index term over passages (BM25's form, always > 0). */
  idf(term: string): number {
    const n = this.livePassages;
    const df = this.documentFrequency(term);
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /**
   * The best `limit` passages for a query, best first, in MiniSearch's result shape: `match`
   * maps each matched index term (typo variants included) to the fields it matched in
   * (`text`, `context`, `title`).
   *
   * Scoring goes unit by unit (one index term in one field), those that can add most first.
   * Once the units left could not lift a passage that matched none of the earlier ones into
   * the best `limit`, they only add to the passages already found (MaxScore): a very common
   * word, a weak neighbour or title match then costs a walk over its postings instead of
   * thousands of new candidates. The result is the same as scoring everything.
   */
  search(query: string, limit = DEFAULT_SEARCH_LIMIT): SearchResult[] {
    if (this.livePassages === 0 || limit <= 0) return [];
    // Like MiniSearch, every occurrence of a term in the query counts.
    const multiplicity = new Map<string, number>();
    for (const t of (PASSAGE_INDEX_OPTIONS.tokenize as (t: string) => string[])(query)) {
      const term = (PASSAGE_INDEX_OPTIONS.processTerm as (w: string) => string | null)(t);
      if (term) multiplicity.set(term, (multiplicity.get(term) ?? 0) + 1);
    }
    if (multiplicity.size === 0) return [];
    const sources = [...multiplicity.keys()];
    const queryTerms = sources.map((source, qi) => this.queryTerm(source, qi, multiplicity.get(source) as number));
    const units = queryTerms.flatMap((q) => q.units).sort((x, y) => y.bound - x.bound);
    // Per position: the sum of the bounds of the units from there on, and how many query
    // terms they belong to (a passage's score is multiplied by its number of matched terms).
    const restBound = new Float64Array(units.length + 1);
    const restTerms = new Int32Array(units.length + 1);
    const seen = new Set<number>();
    for (let j = units.length - 1; j >= 0; j--) {
      const u = units[j] as Unit;
      restBound[j] = (restBound[j + 1] as number) + u.bound;
      seen.add(u.bit);
      restTerms[j] = seen.size;
    }
    this.touchedCount = 0;
    this.maxScore = 0;
    let checkedReach = Infinity;
    let onlyTouched = false;
    const termsSoFar = new Set<number>();
    units.forEach((u, j) => {
      if (!onlyTouched && this.touchedCount >= limit) {
        // A passage not found yet can at most gain the units left, times their terms. Once
        // `limit` passages found already score more, the units left cannot add new ones. That
        // is counted only when it could be true (the best partial score × the terms so far is
        // above the reach) and the reach dropped by a quarter since the last count.
        const reach = (restBound[j] as number) * (restTerms[j] as number);
        if (reach < this.maxScore * termsSoFar.size && reach < 0.75 * checkedReach) {
          checkedReach = reach;
          if (this.countAbove(reach, limit) >= limit) onlyTouched = true;
        }
      }
      if (u.field === "text") this.scoreSentences(u.postings, u.weight, u.bit, onlyTouched);
      else if (u.field === "context") this.scoreNeighbours(u.postings, u.weight, u.bit, onlyTouched);
      else this.scoreTitle(u.postings, u.weight, u.bit, onlyTouched);
      termsSoFar.add(u.bit);
    });
    // Final score: the sum over terms times the number of query terms matched (MiniSearch's
    // "quality"); keep the best `limit`, ties to the earlier passage.
    const best = this.topK(limit);
    const results = best.map(([id, score]) => this.result(id, score, queryTerms));
    for (let i = 0; i < this.touchedCount; i++) {
      const id = this.touched[i] as number;
      this.score[id] = 0;
      this.mask[id] = 0;
    }
    this.touchedCount = 0;
    return results;
  }

  /**
   * The scores `search(query, Infinity)` would give these passages (0 for one it would not
   * return), without scoring every other passage: the same units in the same order, each
   * adding to the passages asked for only, so the sums are the same to the last bit.
   */
  scoresFor(query: string, ids: readonly number[]): Map<number, number> {
    const scores = new Map<number, number>();
    if (this.livePassages === 0) return scores;
    const multiplicity = new Map<string, number>();
    for (const t of (PASSAGE_INDEX_OPTIONS.tokenize as (t: string) => string[])(query)) {
      const term = (PASSAGE_INDEX_OPTIONS.processTerm as (w: string) => string | null)(t);
      if (term) multiplicity.set(term, (multiplicity.get(term) ?? 0) + 1);
    }
    const queryTerms = [...multiplicity.keys()].map((source, qi) =>
      this.queryTerm(source, qi, multiplicity.get(source) as number),
    );
    const units = queryTerms.flatMap((q) => q.units).sort((x, y) => y.bound - x.bound);
    const { k, b, d } = BM25;
    const slotOf = this.pSlot.data;
    const len = this.pLength.data;
    const mini = internals(this.mini);
    const titles = internals(this.titles);
    const avg = mini._avgFieldLength[TEXT_FIELD] || 1;
    const titleAvg = titles._avgFieldLength[TITLE_FIELD] || 1;
    const last = this.nextId - 1;
    const live = ids.filter((id) => Number.isInteger(id) && id >= 0 && id <= last && (slotOf[id] as number) >= 0);
    const sum = new Float64Array(live.length);
    const mask = new Uint32Array(live.length);
    for (const u of units) {
      const p = u.postings;
      if (u.field === "text") {
        const w = u.weight * BOOST.text * idfOf(mini._documentCount, p.size);
        live.forEach((id, i) => {
          const tf = p.get(id);
          if (tf === undefined) return;
          sum[i] = (sum[i] as number) + w * (d + (tf * (k + 1)) / (tf + k * (1 - b + (b * (len[id] as number)) / avg)));
          mask[i] = (mask[i] as number) | u.bit;
        });
      } else if (u.field === "context") {
        const w = u.weight * BOOST.context * idfOf(mini._documentCount, p.size);
        live.forEach((id, i) => {
          const slot = slotOf[id];
          const samePrev = id > 0 && slotOf[id - 1] === slot;
          const sameNext = id < last && slotOf[id + 1] === slot;
          const tf = (samePrev ? (p.get(id - 1) ?? 0) : 0) + (sameNext ? (p.get(id + 1) ?? 0) : 0);
          if (tf === 0) return;
          const length = (samePrev ? (len[id - 1] as number) : 0) + (sameNext ? (len[id + 1] as number) : 0);
          sum[i] = (sum[i] as number) + w * (d + (tf * (k + 1)) / (tf + k * (1 - b + (b * length) / (2 * avg))));
          mask[i] = (mask[i] as number) | u.bit;
        });
      } else {
        const w = u.weight * BOOST.title * idfOf(titles._documentCount, p.size);
        live.forEach((id, i) => {
          const slot = slotOf[id] as number;
          const tf = p.get(slot);
          if (tf === undefined) return;
          sum[i] =
            (sum[i] as number) +
            w * (d + (tf * (k + 1)) / (tf + k * (1 - b + (b * (this.titleLength[slot] as number)) / titleAvg)));
          mask[i] = (mask[i] as number) | u.bit;
        });
      }
    }
    live.forEach((id, i) => {
      if (mask[i] !== 0) scores.set(id, (sum[i] as number) * popcount(mask[i] as number));
    });
    return scores;
  }

  /** A query term with its index variants (itself, then one-typo variants) as scoring units. */
  private queryTerm(source: string, qi: number, times: number): QueryTerm {
    const mini = internals(this.mini);
    const titles = internals(this.titles);
    const fuzzyWeight = (term: string, d: number) => (times * FUZZY_WEIGHT * term.length) / (term.length + d);
    const variants = this.termVariants(source).map(
      (v): Variant => ({
        term: v.term,
        weight: v.distance === 0 ? times : fuzzyWeight(v.term, v.distance),
        text: v.text,
        title: v.title,
      }),
    );
    // BM25+ gives at most idf × (d + k + 1) per field.
    const { k, d } = BM25;
    const bit = (1 << Math.min(qi, 30)) >>> 0;
    const units: Unit[] = [];
    for (const v of variants) {
      if (v.text) {
        const top = v.weight * idfOf(mini._documentCount, v.text.size) * (d + k + 1);
        units.push({ field: "text", postings: v.text, weight: v.weight, bit, bound: BOOST.text * top });
        units.push({ field: "context", postings: v.text, weight: v.weight, bit, bound: BOOST.context * top });
      }
      if (v.title) {
        const bound = v.weight * BOOST.title * idfOf(titles._documentCount, v.title.size) * (d + k + 1);
        units.push({ field: "title", postings: v.title, weight: v.weight, bit, bound });
      }
    }
    return { source, bit, variants, units };
  }

  /**
   * The index terms a query term matches, in scoring order: itself (distance 0, present or
   * not), then its one-typo variants in the sentence index's radix-tree order, then those only
   * titles hold. Remembered per term while the index is unchanged: MiniSearch's fuzzy walk
   * (`fuzzyGet`) was a tenth of a question's time, and common words come back question after
   * question (and twice in a follow-up: `search`, then `scoresFor`).
   */
  private termVariants(source: string): readonly TermVariant[] {
    const stamp = this.variantStamp();
    if (stamp !== this.variantMemoStamp) {
      this.variantMemo.clear();
      this.variantMemoStamp = stamp;
    }
    const memo = stamp === null ? undefined : this.variantMemo.get(source);
    if (memo) return memo;
    const mini = internals(this.mini);
    const titles = internals(this.titles);
    const variants = new Map<string, TermVariant>();
    variants.set(source, {
      term: source,
      distance: 0,
      text: mini._index.get(source)?.get(TEXT_FIELD),
      title: titles._index.get(source)?.get(TITLE_FIELD),
    });
    const distance = fuzzyDistance(source);
    if (distance) {
      for (const [term, [data, d]] of mini._index.fuzzyGet(source, distance)) {
        if (d > 0) variants.set(term, { term, distance: d, text: data.get(TEXT_FIELD) });
      }
      for (const [term, [data, d]] of titles._index.fuzzyGet(source, distance)) {
        if (d === 0) continue;
        const v = variants.get(term);
        if (v) v.title = data.get(TITLE_FIELD);
        else variants.set(term, { term, distance: d, title: data.get(TITLE_FIELD) });
      }
    }
    const list = [...variants.values()];
    if (stamp !== null) {
      if (this.variantMemo.size >= VARIANT_MEMO_LIMIT) this.variantMemo.clear();
      this.variantMemo.set(source, list);
    }
    return list;
  }

  /**
   * What termVariants' memo is valid for: the index's changes so far and MiniSearch's count of
   * discarded documents (a vacuum, even MiniSearch's own automatic one, lowers it); null while
   * a vacuum runs (the radix tree changes between its batches), when nothing is remembered.
   */
  private variantStamp(): string | null {
    if (this.mini.isVacuuming || this.titles.isVacuuming) return null;
    return `${this.changes}:${this.mini.dirtCount}:${this.titles.dirtCount}`;
  }

  /**
   * Drops the postings of removed passages from MiniSearch now; it otherwise does so lazily,
   * and only once a tenth of the documents are gone. Done before saving, so that a persisted
   * index holds no removed passages.
   */
  async vacuum(): Promise<void> {
    for (const m of [this.mini, this.titles]) {
      this.changes++;
      if (m.dirtCount > 0) await m.vacuum({ batchSize: 10_000, batchWait: 1 });
      this.changes++;
    }
  }

  /** Postings of removed passages not yet vacuumed (see `vacuum`). */
  get dirtCount(): number {
    return this.mini.dirtCount + this.titles.dirtCount;
  }

  /** The snapshot index-store.ts persists. */
  exportState(): PassageIndexState {
    const articles: StoredArticle[] = [];
    for (const slot of this.bySlotId.values()) {
      const s = this.slots[slot] as Slot;
      const spans: number[] = [];
      for (let id = s.firstId; id < s.firstId + s.count; ) {
        const n = this.pParaLen.data[id] as number;
        spans.push(n);
        for (let i = id; i < id + n; i++) spans.push(this.pStart.data[i] as number, this.pEnd.data[i] as number);
        id += n;
      }
      articles.push({ slot, id: s.article.id, hash: s.hash, firstId: s.firstId, spans });
    }
    return {
      nextId: this.nextId,
      slotCount: this.slots.length,
      articles,
      passagesJson: JSON.stringify(this.mini),
      titlesJson: JSON.stringify(this.titles),
      wordsJson: this.exportWords(articles),
    };
  }

  /**
   * The live passages' words (StoredWords), with a word table of only the words they use, the
   * most frequent first: their codes are the shortest.
   */
  private exportWords(articles: readonly StoredArticle[]): string {
    const ranges = (f: (from: number, to: number) => void) => {
      for (const a of articles) {
        const s = this.slots[a.slot] as Slot;
        for (let id = s.firstId; id < s.firstId + s.count; id++)
          f(this.pWordsFrom.data[id] as number, this.pWordsTo.data[id] as number);
      }
    };
    const frequency = new Int32Array(this.words.size);
    ranges((from, to) => {
      for (let i = from; i < to; i++) {
        const w = (this.codes[i] as number) >>> 1;
        frequency[w] = (frequency[w] as number) + 1;
      }
    });
    const used: number[] = [];
    for (let w = 0; w < frequency.length; w++) if ((frequency[w] as number) > 0) used.push(w);
    used.sort((x, y) => (frequency[y] as number) - (frequency[x] as number) || x - y);
    const table = new WordTable();
    const remap = new Int32Array(this.words.size);
    for (const w of used) remap[w] = table.add(this.words.words[w] as string, this.words.terms[w] as string | null);
    const stream: number[] = [];
    ranges((from, to) => {
      stream.push(to - from);
      for (let i = from; i < to; i++) {
        const code = this.codes[i] as number;
        stream.push((remap[code >>> 1] as number) * 2 + (code & 1));
      }
    });
    const stored: StoredWords = { table: table.toJSON(), codes: encodeVarints(stream).toString("base64") };
    return JSON.stringify(stored);
  }

  /**
   * Restores a persisted state for the current articles: stored articles whose content hash
   * matches are kept as they are (with the current Article object); changed or removed ones
   * are dropped, for the caller to add again. Throws on an inconsistent state.
   */
  static restore(state: PassageIndexState, current: ReadonlyMap<string, Article>): RestoreResult {
    const index = new PassageIndex();
    index.mini = MiniSearch.loadJSON<IndexDoc>(state.passagesJson, PASSAGE_INDEX_OPTIONS);
    index.titles = MiniSearch.loadJSON<IndexDoc>(state.titlesJson, PASSAGE_INDEX_OPTIONS);
    const mini = internals(index.mini);
    const titles = internals(index.titles);
    if (mini._nextId !== state.nextId) throw new Error(`passage ids end at ${mini._nextId}, expected ${state.nextId}`);
    if (titles._nextId !== state.slotCount) throw new Error(`title ids end at ${titles._nextId}, expected ${state.slotCount}`);
    if (mini._fieldIds.text !== TEXT_FIELD || titles._fieldIds.title !== TITLE_FIELD) throw new Error("unexpected field ids");
    index.nextId = state.nextId;
    index.reserve(state.nextId);
    const words = PassageIndex.readWords(state);
    index.words = words.table;
    index.codes = words.codes;
    index.codesLength = words.codes.length;
    let storedPassages = 0;
    for (let slot = 0; slot < state.slotCount; slot++) index.slots.push(null);
    const dropped: string[] = [];
    let kept = 0;
    for (const a of state.articles) {
      if (!Number.isInteger(a.slot) || a.slot < 0 || a.slot >= state.slotCount || index.slots[a.slot] !== null) {
        throw new Error(`bad slot for article "${a.id}"`);
      }
      const count = PassageIndex.countSpans(a, state.nextId);
      const firstWord = storedPassages;
      storedPassages += count;
      if (storedPassages > words.offsets.length - 1) throw new Error("word counts do not match the passages");
      const article = current.get(a.id);
      if (!article || index.bySlotId.has(a.id) || articleHash(article) !== a.hash) {
        index.deadCodes += (words.offsets[storedPassages] as number) - (words.offsets[firstWord] as number);
        // Changed or gone: its postings are discarded (MiniSearch vacuums them later).
        for (let id = a.firstId; id < a.firstId + count; id++) index.mini.discard(id);
        index.titles.discard(a.slot);
        dropped.push(a.id);
        continue;
      }
      let id = a.firstId;
      for (let i = 0; i < a.spans.length; ) {
        const n = a.spans[i++] as number;
        const paraFirst = id;
        for (let k = 0; k < n; k++, id++, i += 2) {
          const start = a.spans[i] as number;
          const end = a.spans[i + 1] as number;
          if (!(start >= 0 && start < end && end <= article.body.length)) throw new Error(`bad span in article "${a.id}"`);
          const length = mini._fieldLength.get(id)?.[TEXT_FIELD];
          if (length === undefined) throw new Error(`passage ${id} of "${a.id}" is not in the index`);
          index.setPassage(id, { start, end }, a.slot, paraFirst, n, length);
          index.pWordsFrom.data[id] = words.offsets[firstWord + (id - a.firstId)] as number;
          index.pWordsTo.data[id] = words.offsets[firstWord + (id - a.firstId) + 1] as number;
        }
      }
      index.slots[a.slot] = { article, hash: a.hash, firstId: a.firstId, count };
      index.titleLength[a.slot] = titles._fieldLength.get(a.slot)?.[TITLE_FIELD] ?? 0;
      index.bySlotId.set(a.id, a.slot);
      index.livePassages += count;
      kept++;
    }
    if (index.mini.documentCount !== index.livePassages || index.titles.documentCount !== index.bySlotId.size) {
      throw new Error("MiniSearch holds documents that no article accounts for");
    }
    if (storedPassages !== words.offsets.length - 1) throw new Error("word counts do not match the passages");
    return { index, kept, dropped };
  }

  /** The persisted words, checked: every code names a word of the table, the counts add up. */
  private static readWords(state: PassageIndexState): { table: WordTable; codes: Int32Array; offsets: number[] } {
    const stored = JSON.parse(state.wordsJson) as Partial<StoredWords> | null;
    if (!stored || typeof stored.codes !== "string") throw new Error("bad stored words");
    const table = WordTable.fromJSON(stored.table);
    const stream = decodeVarints(Buffer.from(stored.codes, "base64"));
    const codes = new Int32Array(stream.length);
    const offsets = [0];
    const limit = 2 * table.size;
    let n = 0;
    for (let i = 0; i < stream.length; ) {
      const count = stream[i++] as number;
      if (i + count > stream.length) throw new Error("stored word counts do not match the codes");
      for (let k = 0; k < count; k++) {
        const c = stream[i++] as number;
        if (c >= limit) throw new Error("a stored word code names no word");
        codes[n++] = c;
      }
      offsets.push(n);
    }
    return { table, codes, offsets };
  }

  private static countSpans(a: StoredArticle, nextId: number): number {
    if (!Array.isArray(a.spans) || !Number.isInteger(a.firstId) || a.firstId < 0)
      throw new Error(`bad passages for article "${a.id}"`);
    let count = 0;
    for (let i = 0; i < a.spans.length; ) {
      const n = a.spans[i] as number;
      if (!Number.isInteger(n) || n <= 0) throw new Error(`bad paragraph in article "${a.id}"`);
      count += n;
      i += 1 + 2 * n;
      if (i > a.spans.length) throw new Error(`truncated spans in article "${a.id}"`);
    }
    if (count === 0 || a.firstId + count > nextId) throw new Error(`bad passage ids for article "${a.id}"`);
    return count;
  }

  private reserve(n: number): void {
    for (const g of [
      this.pStart,
      this.pEnd,
      this.pSlot,
      this.pParaFirst,
      this.pParaLen,
      this.pLength,
      this.pWordsFrom,
      this.pWordsTo,
    ])
      g.ensure(n);
    if (this.score.length < n) {
      const size = this.pSlot.data.length;
      this.score = new Float64Array(size);
      this.mask = new Uint32Array(size);
      this.ctxTf = new Float64Array(size);
      this.touched = new Int32Array(size);
      this.neighbours = new Int32Array(size);
    }
  }

  private setPassage(id: number, span: Span, slot: number, paraFirst: number, paraLen: number, length: number): void {
    this.pStart.data[id] = span.start;
    this.pEnd.data[id] = span.end;
    this.pSlot.data[id] = slot;
    this.pParaFirst.data[id] = paraFirst;
    this.pParaLen.data[id] = paraLen;
    this.pLength.data[id] = length;
  }

  private dropSlot(slot: number, firstId: number, count: number): void {
    this.changes++;
    for (let id = firstId; id < firstId + count; id++) {
      this.mini.discard(id);
      this.pSlot.data[id] = -1;
      this.deadCodes += (this.pWordsTo.data[id] as number) - (this.pWordsFrom.data[id] as number);
    }
    this.titles.discard(slot);
    this.slots[slot] = null;
    this.livePassages -= count;
    if (this.deadCodes > 1_000_000 && this.deadCodes > this.codesLength - this.deadCodes) this.compactWords();
  }

  /**
   * Drops removed passages' word codes from `codes` (replaced and evicted articles leave them
   * behind); done on its own once they outnumber the live ones.
   */
  compactWords(): void {
    const next = new Int32Array(Math.max(1 << 16, 2 * (this.codesLength - this.deadCodes)));
    let n = 0;
    for (const slot of this.bySlotId.values()) {
      const s = this.slots[slot] as Slot;
      for (let id = s.firstId; id < s.firstId + s.count; id++) {
        const from = this.pWordsFrom.data[id] as number;
        const to = this.pWordsTo.data[id] as number;
        this.pWordsFrom.data[id] = n;
        next.set(this.codes.subarray(from, to), n);
        n += to - from;
        this.pWordsTo.data[id] = n;
      }
    }
    this.codes = next;
    this.codesLength = n;
    this.deadCodes = 0;
  }

  /** Adds one term's `text` score to the passages holding it (with `onlyTouched`, to those already found only). */
  private scoreSentences(postings: Postings, weight: number, bit: number, onlyTouched: boolean): void {
    const { k, b, d } = BM25;
    const slotOf = this.pSlot.data;
    const len = this.pLength.data;
    const mask = this.mask;
    const mini = internals(this.mini);
    const avg = mini._avgFieldLength[TEXT_FIELD] || 1;
    const w = weight * BOOST.text * idfOf(mini._documentCount, postings.size);
    const score = (tf: number, id: number) => w * (d + (tf * (k + 1)) / (tf + k * (1 - b + (b * (len[id] as number)) / avg)));
    if (onlyTouched && this.fewerTouched(postings)) {
      // Each passage found gets what walking the postings would give it (one addition per unit).
      for (let i = 0; i < this.touchedCount; i++) {
        const id = this.touched[i] as number;
        const tf = postings.get(id);
        if (tf !== undefined) this.bump(id, score(tf, id), bit);
      }
      return;
    }
    postings.forEach((tf, id) => {
      if ((slotOf[id] as number) < 0) return; // discarded, not yet vacuumed
      if (onlyTouched && mask[id] === 0) return;
      this.bump(id, score(tf, id), bit);
    });
  }

  /**
   * Whether a unit that only adds to the passages already found (MaxScore's `onlyTouched`) is
   * cheaper looked up passage by passage than walked posting by posting: a common word's
   * postings can hold tens of thousands of passages, of which a few hundred were found. Either
   * way every passage found gets the same addition, so scores do not depend on the choice.
   */
  private fewerTouched(postings: Map<number, unknown>): boolean {
    return this.touchedCount * TOUCHED_LOOKUP_COST < postings.size;
  }

  /**
   * Adds one term's `context` score to the neighbours of the passages holding it: a passage's
   * context is its previous and next sentence in the article, scored as one field.
   */
  private scoreNeighbours(postings: Postings, weight: number, bit: number, onlyTouched: boolean): void {
    const { k, b, d } = BM25;
    const slotOf = this.pSlot.data;
    const len = this.pLength.data;
    const mask = this.mask;
    const ctxTf = this.ctxTf;
    const mini = internals(this.mini);
    const avg = mini._avgFieldLength[TEXT_FIELD] || 1;
    const w = weight * BOOST.context * idfOf(mini._documentCount, postings.size);
    const last = this.nextId - 1;
    if (onlyTouched && this.fewerTouched(postings)) {
      // A passage found: the term's count in its previous and next sentence of the same
      // article (the sum of two counts is the same whichever is added first).
      for (let i = 0; i < this.touchedCount; i++) {
        const id = this.touched[i] as number;
        const slot = slotOf[id] as number;
        const samePrev = id > 0 && slotOf[id - 1] === slot;
        const sameNext = id < last && slotOf[id + 1] === slot;
        const tf = (samePrev ? (postings.get(id - 1) ?? 0) : 0) + (sameNext ? (postings.get(id + 1) ?? 0) : 0);
        if (slot < 0 || tf === 0) continue;
        const length = (samePrev ? (len[id - 1] as number) : 0) + (sameNext ? (len[id + 1] as number) : 0);
        this.bump(id, w * (d + (tf * (k + 1)) / (tf + k * (1 - b + (b * length) / (2 * avg)))), bit);
      }
      return;
    }
    const neighbours = this.neighbours;
    let count = 0;
    postings.forEach((tf, id) => {
      const slot = slotOf[id] as number;
      if (slot < 0) return;
      if (id > 0 && slotOf[id - 1] === slot && (!onlyTouched || mask[id - 1] !== 0)) {
        if (ctxTf[id - 1] === 0) neighbours[count++] = id - 1;
        ctxTf[id - 1] = (ctxTf[id - 1] as number) + tf;
      }
      if (id < last && slotOf[id + 1] === slot && (!onlyTouched || mask[id + 1] !== 0)) {
        if (ctxTf[id + 1] === 0) neighbours[count++] = id + 1;
        ctxTf[id + 1] = (ctxTf[id + 1] as number) + tf;
      }
    });
    for (let i = 0; i < count; i++) {
      const id = neighbours[i] as number;
      const slot = slotOf[id];
      const tf = ctxTf[id] as number;
      ctxTf[id] = 0;
      const length =
        (slotOf[id - 1] === slot ? (len[id - 1] as number) : 0) +
        (id < last && slotOf[id + 1] === slot ? (len[id + 1] as number) : 0);
      this.bump(id, w * (d + (tf * (k + 1)) / (tf + k * (1 - b + (b * length) / (2 * avg)))), bit);
    }
  }

  /** Adds one term's `title` score to the passages of the articles whose title holds it. */
  private scoreTitle(postings: Postings, weight: number, bit: number, onlyTouched: boolean): void {
    const { k, b, d } = BM25;
    const titles = internals(this.titles);
    const avg = titles._avgFieldLength[TITLE_FIELD] || 1;
    const w = weight * BOOST.title * idfOf(titles._documentCount, postings.size);
    const mask = this.mask;
    if (onlyTouched && this.fewerTouched(postings)) {
      const slotOf = this.pSlot.data;
      for (let i = 0; i < this.touchedCount; i++) {
        const id = this.touched[i] as number;
        const slot = slotOf[id] as number;
        const tf = slot < 0 || !this.slots[slot] ? undefined : postings.get(slot);
        if (tf === undefined) continue;
        this.bump(id, w * (d + (tf * (k + 1)) / (tf + k * (1 - b + (b * (this.titleLength[slot] as number)) / avg))), bit);
      }
      return;
    }
    postings.forEach((tf, slot) => {
      const s = this.slots[slot];
      if (!s) return;
      const score = w * (d + (tf * (k + 1)) / (tf + k * (1 - b + (b * (this.titleLength[slot] as number)) / avg)));
      for (let id = s.firstId; id < s.firstId + s.count; id++) {
        if (!onlyTouched || mask[id] !== 0) this.bump(id, score, bit);
      }
    });
  }

  private bump(id: number, score: number, bit: number): void {
    const m = this.mask[id] as number;
    if (m === 0) this.touched[this.touchedCount++] = id;
    this.mask[id] = m | bit | TOUCHED;
    const total = (this.score[id] as number) + score;
    this.score[id] = total;
    if (total > this.maxScore) this.maxScore = total;
  }

  /** Final scores (score × matched query terms) of the touched passages, in `finals`. */
  private finalScores(): Float64Array {
    const n = this.touchedCount;
    if (finals.length < n) finals = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      const id = this.touched[i] as number;
      finals[i] = (this.score[id] as number) * popcount((this.mask[id] as number) & ~TOUCHED);
    }
    return finals;
  }

  /** How many touched passages have a final score above `value`, counting up to `enough`. */
  private countAbove(value: number, enough: number): number {
    let n = 0;
    for (let i = 0; i < this.touchedCount && n < enough; i++) {
      const id = this.touched[i] as number;
      if ((this.score[id] as number) * popcount((this.mask[id] as number) & ~TOUCHED) > value) n++;
    }
    return n;
  }

  /** The `limit`-th best final score among the touched passages so far (0 if fewer). */
  private kthBest(limit: number): number {
    if (this.touchedCount < limit) return 0;
    return kthLargest(this.finalScores(), this.touchedCount, limit);
  }

  /** The `limit` best of the touched passages by final score, best first, ties to the lower id. */
  private topK(limit: number): Array<[number, number]> {
    const threshold = this.touchedCount > limit ? this.kthBest(limit) : -Infinity;
    const values = this.finalScores();
    const out: Array<[number, number]> = [];
    for (let i = 0; i < this.touchedCount; i++) {
      if ((values[i] as number) >= threshold) out.push([this.touched[i] as number, values[i] as number]);
    }
    out.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    if (out.length > limit) out.length = limit;
    return out;
  }

  private result(id: number, score: number, queryTerms: readonly QueryTerm[]): SearchResult {
    const mask = this.mask[id] as number;
    const slotOf = this.pSlot.data;
    const slot = slotOf[id] as number;
    const match: Record<string, string[]> = {};
    const matched: string[] = [];
    for (const q of queryTerms) {
      if (!(mask & q.bit)) continue;
      matched.push(q.source);
      for (const v of q.variants) {
        // Most variants match nothing here: nothing is allocated for them (a search builds up
        // to `limit` results × every variant of every term).
        const text = v.text;
        const inText = text?.has(id) === true;
        const inContext =
          text !== undefined && ((slotOf[id - 1] === slot && text.has(id - 1)) || (slotOf[id + 1] === slot && text.has(id + 1)));
        const inTitle = v.title?.has(slot) === true;
        if (!inText && !inContext && !inTitle) continue;
        // The fields in order of first match (a term can be a variant of two query terms).
        let fields = match[v.term];
        if (fields === undefined) match[v.term] = fields = [];
        if (inText && !fields.includes("text")) fields.push("text");
        if (inContext && !fields.includes("context")) fields.push("context");
        if (inTitle && !fields.includes("title")) fields.push("title");
      }
    }
    return { id, score, terms: Object.keys(match), queryTerms: matched, match };
  }
}

interface Variant {
  readonly term: string;
  /** Fuzzy weight times the term's repetitions in the query. */
  readonly weight: number;
  text?: Postings | undefined;
  title?: Postings | undefined;
}

/** One index term in one field: what scoring goes through, unit by unit. */
interface Unit {
  readonly field: PassageField;
  readonly postings: Postings;
  readonly weight: number;
  /** The query term's bit in a passage's mask of matched terms. */
  readonly bit: number;
  /** The most this unit can add to a passage's score. */
  readonly bound: number;
}

/** An index term a query term matches (termVariants), with its postings in either index. */
interface TermVariant {
  readonly term: string;
  /** Edit distance to the query term (0 for the term itself). */
  readonly distance: number;
  text?: Postings | undefined;
  title?: Postings | undefined;
}

/** Query terms whose variants PassageIndex remembers (termVariants). */
const VARIANT_MEMO_LIMIT = 10_000;

interface QueryTerm {
  readonly source: string;
  readonly bit: number;
  readonly variants: readonly Variant[];
  readonly units: readonly Unit[];
}

const idfOf = (n: number, df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));

/** Passages collected before their postings are written into MiniSearch's radix tree. */
const POSTINGS_BATCH = 25_000;

/**
 * Writes collected postings as MiniSearch's `addTerm` would, one radix-tree lookup per term:
 * ids arrive in increasing order, so repeated ids (a word occurring twice) are adjacent and
 * make the term frequency.
 */
function writePostings(mini: MiniInternals, field: number, batch: Map<string, number[]>): void {
  for (const [term, ids] of batch) {
    const fields = mini._index.fetch(term, () => new Map());
    let postings = fields.get(field);
    if (!postings) fields.set(field, (postings = new Map()));
    for (let i = 0; i < ids.length; ) {
      const id = ids[i] as number;
      let tf = 0;
      while (i < ids.length && ids[i] === id) {
        tf++;
        i++;
      }
      postings.set(id, (postings.get(id) ?? 0) + tf);
    }
  }
}

/**
 * MiniSearch's `addDocumentId` and `addFieldLength` for a document with one field, whose id
 * is its short id (ids are handed out in step with MiniSearch's).
 */
function registerDocument(mini: MiniInternals, id: number, field: number, length: number): void {
  if (mini._nextId !== id) throw new Error("index: document ids out of step with MiniSearch");
  mini._idToShortId.set(id, id);
  mini._documentIds.set(id, id);
  const count = mini._documentCount;
  const lengths: number[] = [];
  lengths[field] = length;
  mini._fieldLength.set(id, lengths);
  mini._avgFieldLength[field] = ((mini._avgFieldLength[field] ?? 0) * count + length) / (count + 1);
  mini._documentCount = count + 1;
  mini._nextId = id + 1;
}

const TEXT_FIELD = 0;
const TITLE_FIELD = 1;
const TOUCHED = 0x80000000;
/**
 * How many postings walked cost about one lookup of a found passage in a postings Map: below
 * touchedCount × this, a unit adding only to found passages looks them up (fewerTouched).
 */
const TOUCHED_LOOKUP_COST = 4;

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Scratch space for the final scores of the touched passages (searches are synchronous). */
let finals = new Float64Array(1024);

/** The k-th largest of values[0, n) (1-based k ≤ n), reordering them: quickselect, O(n). */
function kthLargest(values: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((values[i] as number) > pivot) i++;
      while ((values[j] as number) < pivot) j--;
      if (i <= j) {
        const t = values[i] as number;
        values[i] = values[j] as number;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return values[target] as number;
}
