/**
 * One turn of a conversation: the question, the context left by the previous turn, and the
 * answer engine, in; what was searched, the quotes (wire copies grouped) and the context for
 * the next turn, out. No grammY: the bot, the terminal chat and `npm run eval:followup` all
 * go through here.
 */
import type { Article } from "../content/article.js";
import type { Answer, AnswerEngine } from "../search/answer-engine.js";
import { groupWireCopies, type QuoteGroup } from "../search/wire-copy.js";
import { analyze, termOf } from "../text/analyzer.js";
import { askedKindOf } from "./asked-kind.js";
import {
  contentWords,
  decideTurn,
  DEFAULT_RECOGNITION,
  markersOf,
  namesOf,
  nextContext,
  resolveTurn,
  type RecognitionTuning,
  type Resolution,
  type TopicContext,
  type TurnEvidence,
  type TurnKind,
  type TurnReason,
} from "./follow-up.js";
import { DEFAULT_STORY_TUNING, searchStory, type StoryQuery, type StoryTuning } from "./story-search.js";

function standaloneResolution(question: string, kind: TurnKind, reason: TurnReason): Resolution {
  return { kind, reason, query: question, contextWords: [], preferArticles: [], skipShown: [] };
}

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
  /** Search inside these articles only, every sentence of them (a follow-up answered in its story). */
  readonly story?: StorySpec;
}

/** A search inside the story, as stored with an answer (plain data: "Mai multe" repeats it). */
export interface StorySpec extends StoryQuery {
  readonly articleIds: readonly string[];
}

/** Numbers that decide follow-ups; `npm run eval:followup` fits them on training folds. */
export interface ConversationTuning {
  readonly recognition: RecognitionTuning;
  readonly story: StoryTuning;
  /** A story sentence holding this share of the turn's own words holds the answer: the story is not left. */
  readonly holdFit: number;
  /** The story is left when an article outside it fits the turn's words this much better. */
  readonly leaveMargin: number;
}

export const DEFAULT_CONVERSATION_TUNING: ConversationTuning = {
  recognition: DEFAULT_RECOGNITION,
  story: DEFAULT_STORY_TUNING,
  holdFit: 0.5,
  leaveMargin: 0.3,
};

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
  /** What the follow-up decision was based on (absent for a first question). */
  readonly evidence?: TurnEvidence;
  /** A follow-up whose story doesn't hold the answer, answered from other articles: say so. */
  readonly outsideStory?: boolean;
  /** A follow-up of a declined question: there is no story to continue. */
  readonly noStory?: boolean;
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

  readonly tuning: ConversationTuning;

  constructor(
    readonly engine: AnswerEngine,
    private readonly seenFactor = SEEN_FACTOR,
    tuning: Partial<ConversationTuning> = {},
  ) {
    this.tuning = { ...DEFAULT_CONVERSATION_TUNING, ...tuning };
    this.articles = new ArticleLookup(engine);
  }

  /** Searches `query` the way a turn does: all good quotes, copies grouped, shown ones skipped. */
  search(query: string, options: SearchOptions = {}): SearchResult {
    if (options.story) return this.searchInStory(options.story, options);
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

  /** A follow-up's search inside the previous answer's articles (every sentence of them). */
  private searchInStory(spec: StorySpec, options: SearchOptions): SearchResult {
    const articles = spec.articleIds.map((id) => this.articles.get(id)).filter((a): a is Article => a !== undefined);
    const found = searchStory(articles, spec, (t) => this.engine.index.idf(t), this.tuning.story, this.engine.tuning.maxQuotes);
    const all = groupWireCopies(found.quotes);
    const skip = spansOf(options.skipShown ?? []);
    const unseen = all.filter((g) => !seenIn(skip, g));
    const groups = unseen.length > 0 ? unseen : all;
    const answer: Answer = groups.length > 0
      ? { question: spec.question, found: true, quotes: found.quotes, total: found.quotes.length }
      : { question: spec.question, found: false, reason: "no-match", quotes: [], total: 0 };
    return { answer, groups };
  }

  /** Answers `question` in `context` (null: no conversation yet). */
  ask(question: string, context: TopicContext | null | undefined, options: { reply?: boolean } = {}): Turn {
    if (!context) return this.finish(question, standaloneResolution(question, "new", "no-context"), null, { query: question });
    const storyIds = context.articleIds.filter((id) => this.articles.get(id) !== undefined);
    const words = resolveTurn(question, context, {
      ...(options.reply ? { reply: true } : {}),
      storyHas: (term) => storyIds.some((id) => this.articles.termsOf(id).has(term)),
    });
    const own = contentWords(question);
    const ownTerms = own.map((w) => w.term);
    const topicTerms = context.keywords.map((w) => termOf(w)).filter((t): t is string => t !== null);
    const stories = storyIds.map((id) => this.articles.get(id)).filter((a): a is Article => a !== undefined);
    const storyQuery: StoryQuery = { question, ownTerms, topicTerms, kind: askedKindOf(question), shown: context.shown };
    const story = searchStory(stories, storyQuery, (t) => this.engine.index.idf(t), this.tuning.story);
    const alone = this.search(question);
    const aloneFirst = alone.answer.found ? alone.answer.quotes[0] : undefined;
    const aloneFeatures = aloneFirst ? this.engine.explain(question).find((c) => c.passage.article.id === aloneFirst.article.id)?.features : undefined;
    const topicHas = new Set(topicTerms);
    const evidence: TurnEvidence = {
      reply: options.reply === true,
      markers: markersOf(question),
      ownCount: own.length,
      newName: [...namesOf(question)].some((t) => !topicHas.has(t) && !storyIds.some((id) => this.articles.termsOf(id).has(t))),
      storyShare: story.storyShare,
      storyFit: story.fit,
      novelty: ownTerms
        .filter((t) => !topicHas.has(t) && !storyIds.some((id) => this.articles.termsOf(id).has(t)))
        .reduce((a, t) => a + this.engine.index.idf(t), 0),
      alone: {
        found: aloneFirst !== undefined,
        confidence: aloneFirst?.confidence ?? 0,
        coverage: aloneFeatures?.coverage ?? aloneFirst?.confidence ?? 0,
        inStory: aloneFirst !== undefined && storyIds.includes(aloneFirst.article.id),
      },
    };
    const decision = decideTurn(evidence, this.tuning.recognition);
    if (decision.kind === "switch") {
      return { ...this.finish(question, standaloneResolution(question, "switch", "new-topic"), context, { query: question }, alone), evidence };
    }
    if (stories.length === 0) {
      // The previous question was declined (or its articles are gone): there is no story to
      // continue. A turn that finds something on its own is a new question; one that doesn't
      // gets told so, instead of a search over its generic words.
      if (evidence.ownCount > 0 && evidence.alone.found && !options.reply) {
        return { ...this.finish(question, standaloneResolution(question, "new", "no-context"), context, { query: question }, alone), evidence };
      }
      const resolution: Resolution = { ...standaloneResolution(question, "follow-up", "no-story"), query: question };
      const empty: Answer = { question, found: false, reason: "no-match", quotes: [], total: 0 };
      return { answer: empty, groups: [], question, resolution, search: { query: question }, context: nextContext(question, resolution, context, { articleIds: [], quoteKeys: [] }), evidence, noStory: true };
    }
    if (words.reason === "more") {
      // "Mai mult": the previous search again, without what was already shown.
      const spec: SearchSpec = { query: words.query, preferArticles: words.preferArticles, skipShown: words.skipShown, contextWords: words.contextWords };
      return { ...this.finish(question, words, context, spec), evidence };
    }
    const resolution: Resolution = {
      kind: "follow-up",
      reason: decision.reason,
      query: question,
      contextWords: context.keywords.filter((w) => !ownTerms.includes(termOf(w) ?? "")),
      preferArticles: storyIds,
      skipShown: [],
    };
    const inStory: SearchSpec = { query: question, contextWords: resolution.contextWords, story: { ...storyQuery, articleIds: storyIds } };
    // The story holds the answer unless it clearly doesn't: the turn has words of its own, no
    // sentence of the story holds most of them, and the engine (with the topic's words, still
    // preferring the story) finds an article outside the story that does.
    if (own.length > 0 && story.fit < this.tuning.holdFit) {
      const wider: SearchSpec = { query: question, preferArticles: storyIds, contextWords: resolution.contextWords, demoteShown: context.shown };
      const elsewhere = this.search(wider.query, wider);
      const first = elsewhere.answer.found ? elsewhere.groups[0]?.quote : undefined;
      if (first && !storyIds.includes(first.article.id)) {
        const fits = this.engine.explain(question).find((c) => c.passage.article.id === first.article.id)?.features.coverage ?? 0;
        if (fits - story.fit >= this.tuning.leaveMargin) {
          return { ...this.finish(question, resolution, context, wider, elsewhere), evidence, outsideStory: true };
        }
      }
    }
    return { ...this.finish(question, resolution, context, inStory), evidence };
  }

  /** Runs (or takes) the search of a turn and works out the context after it. */
  private finish(question: string, resolution: Resolution, context: TopicContext | null, search: SearchSpec, result?: SearchResult): Turn {
    const found = result ?? this.search(search.query, search);
    const page = found.groups.slice(0, PAGE_SIZE);
    const next = nextContext(question, resolution, context, {
      articleIds: page.map((g) => g.quote.article.id),
      quoteKeys: page.map(quoteKey),
    });
    return { ...found, question, resolution, search, context: next };
  }

  /** The articles of a context that are still indexed. */
  article(id: string): Article | undefined {
    return this.articles.get(id);
  }
}
