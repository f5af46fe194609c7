/**
 * The plain full-text setups Citat is measured against, over the same sentence passages:
 * MiniSearch with its default options, and Lunr with lunr-languages' Romanian support.
 * Each returns its top passage, grown to the same quote budget as Citat's quotes.
 */
import { createRequire } from "node:module";
import MiniSearch from "minisearch";
import type { Article } from "../src/content/article.js";
import { articleParagraphs } from "../src/search/passage-index.js";
import { growQuote } from "../src/search/quote.js";
import { termOf, tokenizeWords } from "../src/text/analyzer.js";
import type { Span } from "../src/text/sentences.js";

export interface SimpleQuote {
  text: string;
  articleId: string;
}
export interface Retriever {
  readonly name: string;
  ask(question: string): { found: boolean; quotes: SimpleQuote[] };
}

interface Sentence {
  article: Article;
  paragraph: Span[];
  position: number;
}

function sentencesOf(articles: Article[]): Sentence[] {
  const out: Sentence[] = [];
  for (const article of articles) {
    for (const paragraph of articleParagraphs(article.body)) {
      paragraph.forEach((_, position) => {
        out.push({ article, paragraph, position });
      });
    }
  }
  return out;
}

function quoteOf(s: Sentence): SimpleQuote {
  const q = growQuote(s.article.body, s.paragraph, s.position, new Set());
  return { text: s.article.body.slice(q.start, q.end), articleId: s.article.id };
}

export function miniSearchDefault(articles: Article[]): Retriever {
  const sentences = sentencesOf(articles);
  const mini = new MiniSearch<{ id: number; text: string }>({ fields: ["text"] });
  mini.addAll(
    sentences.map((s, id) => ({ id, text: s.article.body.slice(s.paragraph[s.position]!.start, s.paragraph[s.position]!.end) })),
  );
  return {
    name: "minisearchDefault",
    ask(question) {
      const hits = mini.search(question).slice(0, 3);
      const quotes = hits.map((h) => quoteOf(sentences[h.id as number] as Sentence));
      return { found: quotes.length > 0, quotes };
    },
  };
}

/**
 * MiniSearch over sentences with Citat's analyzer (folding, stop words, Snowball stemmer) and
 * nothing else: no neighbours, no title, no re-ranking, no decline.
 */
export function stemmerBaseline(articles: Article[]): Retriever {
  const sentences = sentencesOf(articles);
  const mini = new MiniSearch<{ id: number; text: string }>({ fields: ["text"], tokenize: tokenizeWords, processTerm: termOf });
  mini.addAll(
    sentences.map((s, id) => ({ id, text: s.article.body.slice(s.paragraph[s.position]!.start, s.paragraph[s.position]!.end) })),
  );
  return {
    name: "stemmerBaseline",
    ask(question) {
      const hits = mini.search(question).slice(0, 3);
      const quotes = hits.map((h) => quoteOf(sentences[h.id as number] as Sentence));
      return { found: quotes.length > 0, quotes };
    },
  };
}

type Lunr = typeof import("lunr");

export function lunrRomanian(articles: Article[]): Retriever {
  const require = createRequire(import.meta.url);
  const lunr = require("lunr") as Lunr & { ro: unknown; tokenizer: (s: string) => Array<{ toString(): string }> };
  require("lunr-languages/lunr.stemmer.support")(lunr);
  require("lunr-languages/lunr.ro")(lunr);
  const sentences = sentencesOf(articles);
  const idx = lunr(function () {
    this.use(lunr.ro as never);
    this.ref("id");
    this.field("text");
    sentences.forEach((s, id) => {
      const span = s.paragraph[s.position]!;
      this.add({ id: String(id), text: s.article.body.slice(span.start, span.end) });
    });
  });
  return {
    name: "lunrRo",
    ask(question) {
      const words = question
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter(Boolean);
      const hits = idx
        .query((q) => {
          for (const w of words) q.term(w, { presence: lunr.Query.presence.OPTIONAL });
        })
        .slice(0, 3);
      const quotes = hits.map((h) => quoteOf(sentences[Number(h.ref)] as Sentence));
      return { found: quotes.length > 0, quotes };
    },
  };
}
