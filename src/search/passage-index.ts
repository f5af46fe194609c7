/**
 * The passage index: every article is split into sentences, and each sentence is indexed as a
 * passage with its neighbours and the article's title as weaker fields. Retrieval finds the
 * sentence; the quote is then grown around it (see quote.ts).
 *
 * One options constant (PASSAGE_INDEX_OPTIONS) serves indexing and, later, `loadJSON`, so a
 * persisted index is always read with the analyzer it was written with.
 */
import MiniSearch, { type Options, type SearchResult } from "minisearch";
import type { Article } from "../content/article.js";
import { analyze, termOf, tokenizeWords } from "../text/analyzer.js";
import { splitSentences, type Span } from "../text/sentences.js";

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

interface PassageDoc {
  id: number;
  text: string;
  context: string;
  title: string;
}

export const PASSAGE_FIELDS = ["text", "context", "title"] as const;
export type PassageField = (typeof PASSAGE_FIELDS)[number];

export const PASSAGE_INDEX_OPTIONS: Options<PassageDoc> = {
  fields: [...PASSAGE_FIELDS],
  storeFields: [],
  tokenize: tokenizeWords,
  processTerm: termOf,
  searchOptions: {
    combineWith: "OR",
    boost: { text: 1, context: 0.3, title: 0.4 },
    // One typo (or a transliteration like "lukashenko") on longer words, weighted low.
    fuzzy: (term: string) => (term.length >= 6 ? 1 : false),
    weights: { fuzzy: 0.35, prefix: 0.2 },
  },
};

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

export class PassageIndex {
  private readonly mini = new MiniSearch<PassageDoc>(PASSAGE_INDEX_OPTIONS);
  private readonly passages = new Map<number, Passage>();
  private readonly byArticle = new Map<string, number[]>();
  /** Passage-level document frequency of each term, for IDF-weighted query coverage. */
  private readonly docFreq = new Map<string, number>();
  private nextId = 0;

  constructor(articles: Iterable<Article> = []) {
    for (const a of articles) this.add(a);
  }

  get passageCount(): number {
    return this.passages.size;
  }

  get articleCount(): number {
    return this.byArticle.size;
  }

  articles(): Article[] {
    return [...this.byArticle.values()].map((ids) => this.passages.get(ids[0] as number)!.article);
  }

  hasArticle(id: string): boolean {
    return this.byArticle.has(id);
  }

  /** Adds (or replaces) an article. */
  add(article: Article): void {
    if (this.byArticle.has(article.id)) this.remove(article.id);
    const ids: number[] = [];
    const docs: PassageDoc[] = [];
    const paragraphs = articleParagraphs(article.body);
    // Neighbours cross paragraph breaks: in scraped news a paragraph is often one sentence.
    const all = paragraphs.flat();
    const slice = (s: Span | undefined) => (s ? article.body.slice(s.start, s.end) : "");
    let ordinal = 0;
    for (const paragraph of paragraphs) {
      paragraph.forEach((span, position) => {
        const id = this.nextId++;
        const text = slice(span);
        const context = `${slice(all[ordinal - 1])} ${slice(all[ordinal + 1])}`.trim();
        this.passages.set(id, { id, article, span, paragraph, position, ordinal });
        for (const t of new Set(analyze(text))) this.docFreq.set(t, (this.docFreq.get(t) ?? 0) + 1);
        docs.push({ id, text, context, title: article.title });
        ids.push(id);
        ordinal++;
      });
    }
    if (ids.length === 0) return;
    this.mini.addAll(docs);
    this.byArticle.set(article.id, ids);
  }

  /** Removes an article and its passages; unknown ids are ignored. */
  remove(articleId: string): void {
    const ids = this.byArticle.get(articleId);
    if (!ids) return;
    for (const id of ids) {
      const p = this.passages.get(id);
      if (!p) continue;
      for (const t of new Set(analyze(p.article.body.slice(p.span.start, p.span.end)))) {
        const n = (this.docFreq.get(t) ?? 1) - 1;
        if (n <= 0) this.docFreq.delete(t);
        else this.docFreq.set(t, n);
      }
      this.mini.discard(id);
      this.passages.delete(id);
    }
    this.byArticle.delete(articleId);
  }

  passage(id: number): Passage | undefined {
    return this.passages.get(id);
  }

  /** In how many passages a term occurs. */
  documentFrequency(term: string): number {
    return this.docFreq.get(term) ?? 0;
  }

  /** Inverse document frequency of an index term over passages (BM25's form, always > 0). */
  idf(term: string): number {
    const n = this.passages.size;
    const df = this.docFreq.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  search(query: string): SearchResult[] {
    return this.mini.search(query);
  }
}
