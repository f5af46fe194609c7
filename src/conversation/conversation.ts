/**
 * One turn of a conversation: the question, the context left by the previous turn, and the
 * answer engine, in; what was searched, the quotes (wire copies grouped) and the context for
 * the next turn, out. No grammY: the bot, the terminal chat and `npm run eval:followup` all
 * go through here.
 */
import type { Article } from "../content/article.js";
import type { Answer, AnswerEngine } from "../search/answer-engine.js";
import { groupWireCopies, type QuoteGroup } from "../search/wire-copy.js";
import { analyze } from "../text/analyzer.js";
import { nextContext, resolveTurn, type Resolution, type TopicContext } from "./follow-up.js";

/** Quotes per page (the first page is what the next turn's context remembers). */
export const PAGE_SIZE = 3;

export interface SearchOptions {
  /** Articles to prefer (a follow-up). */
  readonly preferArticles?: readonly string[];
  /** Quotes not to show again (quoteKey); ignored when nothing else is left. */
  readonly skipShown?: readonly string[];
  /** Quotes the user has seen (quoteKey): ranked lower, by SEEN_FACTOR. */
  readonly demoteShown?: readonly string[];
  /** Words from the conversation, searched with the query but weighing less. */
  readonly contextWords?: readonly string[];
}

export interface SearchResult {
  /** The engine's answer: `found`, `reason`, and every good quote (not a page). */
  readonly answer: Answer;
  /** The quotes to show, wire copies grouped, already-shown ones left out; all pages. */
  readonly groups: readonly QuoteGroup[];
}

/** A search as a turn ran it: enough to run it again for the next page. */
export interface SearchSpec extends SearchOptions {
  readonly query: string;
}

export interface Turn extends SearchResult {
  readonly question: string;
  readonly resolution: Resolution;
  /** What was searched (the next page repeats it). */
  readonly search: SearchSpec;
  /** The context after this turn, assuming its first page is shown. */
  readonly context: TopicContext;
}

/** Identifies a shown quote: `articleId#start#end`. */
export const quoteKey = (g: QuoteGroup) => `${g.quote.article.id}#${g.quote.start}#${g.quote.end}`;

/** Score factor for a follow-up's quotes the user has already seen. */
export const SEEN_FACTOR = 0.7;

/** Whether a quote overlaps one of the shown ones by at least half of its own length. */
function seenIn(shown: ReadonlyMap<string, Array<[number, number]>>, g: QuoteGroup): boolean {
  const spans = shown.get(g.quote.article.id);
  if (!spans) return false;
  const { start, end } = g.quote;
  return spans.some(([s, e]) => Math.min(end, e) - Math.max(start, s) >= (end - start) / 2);
}

function spansOf(keys: readonly string[]): Map<string, Array<[number, number]>> {
  const out = new Map<string, Array<[number, number]>>();
  for (const key of keys) {
    const m = /^(.*)#(\d+)#(\d+)$/.exec(key);
    if (!m) continue;
    const list = out.get(m[1] as string) ?? [];
    list.push([Number(m[2]), Number(m[3])]);
    out.set(m[1] as string, list);
  }
  return out;
}

/** Articles by id, rebuilt when the index's article count changes. */
class ArticleLookup {
  private byId = new Map<string, Article>();
  private count = -1;
  private readonly terms = new Map<string, Set<string>>();

  constructor(private readonly engine: AnswerEngine) {}

  get(id: string): Article | undefined {
    if (this.count !== this.engine.index.articleCount) {
      this.byId = new Map(this.engine.index.articles().map((a) => [a.id, a]));
      this.count = this.engine.index.articleCount;
      this.terms.clear();
    }
    return this.byId.get(id);
  }

  /** Index terms of an article's title and body. */
  termsOf(id: string): Set<string> {
    const article = this.get(id);
    let terms = this.terms.get(id);
    if (!terms) {
      terms = new Set(article ? analyze(`${article.title}\n${article.body}`) : []);
      if (this.terms.size >= 256) this.terms.clear();
      this.terms.set(id, terms);
    }
    return terms;
  }
}

export class Conversation {
  private readonly articles: ArticleLookup;

  constructor(
    readonly engine: AnswerEngine,
    private readonly seenFactor = SEEN_FACTOR,
  ) {
    this.articles = new ArticleLookup(engine);
  }

  /** Searches `query` the way a turn does: all good quotes, copies grouped, shown ones skipped. */
  search(query: string, options: SearchOptions = {}): SearchResult {
    const prefer = options.preferArticles?.filter((id) => this.articles.get(id) !== undefined) ?? [];
    const answer = this.engine.ask(query, {
      limit: this.engine.tuning.maxQuotes,
      ...(prefer.length > 0 ? { preferArticles: new Set(prefer) } : {}),
      ...(options.contextWords?.length ? { context: options.contextWords.join(" ") } : {}),
    });
    let all = groupWireCopies(answer.quotes);
    if (options.demoteShown?.length) {
      const seen = spansOf(options.demoteShown);
      all = all
        .map((g) => ({ g, score: g.quote.score * (seenIn(seen, g) ? this.seenFactor : 1) }))
        .sort((a, b) => b.score - a.score)
        .map((x) => x.g);
    }
    const skip = spansOf(options.skipShown ?? []);
    const unseen = all.filter((g) => !seenIn(skip, g));
    // "Ce a mai spus?" when everything relevant was shown: showing it again beats "nothing found".
    return { answer, groups: unseen.length > 0 ? unseen : all };
  }

  /** Answers `question` in `context` (null: no conversation yet). */
  ask(question: string, context: TopicContext | null | undefined, options: { reply?: boolean } = {}): Turn {
    const storyIds = context?.articleIds ?? [];
    let resolution = resolveTurn(question, context, {
      ...(options.reply ? { reply: true } : {}),
      storyHas: (term) => storyIds.some((id) => this.articles.termsOf(id).has(term)),
    });
    let search: SearchSpec = {
      query: resolution.query,
      preferArticles: resolution.preferArticles,
      skipShown: resolution.skipShown,
      contextWords: resolution.contextWords,
      ...(resolution.kind === "follow-up" && context ? { demoteShown: context.shown } : {}),
    };
    let result = this.search(search.query, search);
    if (!result.answer.found && resolution.kind === "follow-up" && resolution.contextWords.length > 0) {
      // The context made the question unanswerable (its words count towards the confidence):
      // the question alone, still preferring the story, is better than "nothing found".
      const plain: SearchSpec = { ...search, query: question, contextWords: [] };
      const alone = this.search(plain.query, plain);
      if (alone.answer.found) {
        search = plain;
        result = alone;
        resolution = { ...resolution, query: question, contextWords: [] };
      }
    }
    const page = result.groups.slice(0, PAGE_SIZE);
    const next = nextContext(question, resolution, context, {
      articleIds: page.map((g) => g.quote.article.id),
      quoteKeys: page.map(quoteKey),
    });
    return { ...result, question, resolution, search, context: next };
  }

  /** The articles of a context that are still indexed. */
  article(id: string): Article | undefined {
    return this.articles.get(id);
  }
}
