/**
 * One turn of a conversation: the question, the context left by the previous turn, and the
 * answer engine, in; what was searched, the quotes (wire copies grouped) and the context for
 * the next turn, out. No grammY: the bot, the terminal chat and `npm run eval:followup` all
 * go through here.
 */
import type { Article } from "../content/article.js";
import type { Answer, AnswerEngine, Candidate } from "../search/answer-engine.js";
import type { Span } from "../text/sentences.js";
import { groupWireCopies, type QuoteGroup } from "../search/wire-copy.js";
import { analyze, termOf, tokenize } from "../text/analyzer.js";
import { asksMoney, holdsCurrency, questionWordSet } from "../search/answer-type.js";
import { askedKindOf, holdsKind } from "./asked-kind.js";
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
import {
  DEFAULT_STORY_TUNING,
  searchStory,
  storyCandidates,
  storySentences,
  type EngineScores,
  type StoryCandidate,
  type StoryQuery,
  type StorySentence,
  type StoryTuning,
  shownSpans,
} from "./story-search.js";

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
  /** Articles whose quotes are left out (a follow-up answered outside its story). */
  readonly skipArticles?: readonly string[];
  /** Search inside these articles only, every sentence of them (a follow-up answered in its story). */
  readonly story?: StorySpec;
}

/** A search inside the story, as stored with an answer (plain data: "Mai multe" repeats it). */
export interface StorySpec extends StoryQuery {
  readonly articleIds: readonly string[];
}

function isStorySpec(v: unknown): v is StorySpec {
  const s = v as Partial<StorySpec> | null;
  const strings = (a: unknown) => Array.isArray(a) && a.every((x) => typeof x === "string");
  return (
    typeof s?.question === "string" && strings(s.ownTerms) && strings(s.topicTerms) && strings(s.shown) && strings(s.articleIds)
  );
}

/** Numbers that decide follow-ups; `npm run eval:followup` fits them on training folds. */
export interface ConversationTuning {
  readonly recognition: RecognitionTuning;
  readonly story: StoryTuning;
  /** A story sentence holding this share of the turn's own words holds the answer: the story is not left (0: never left). */
  readonly holdFit: number;
  /** The story is left when an article outside it fits the turn's words this much better. */
  readonly leaveMargin: number;
  /** A turn with words of its own takes the engine's answer (topic words, story preferred) when it comes from the story and holds more of the turn's words. */
  readonly engineFirst: boolean;
  /**
   * A follow-up with words of its own whose best sentence inside the story (asked by the answer
   * engine with the topic's words, only the story's articles) has a confidence below this share
   * of the engine's minConfidence is declined as not reported by the story (Answer.related),
   * instead of answered with the story's nearest sentence. 0: never. The gate was fitted on
   * first questions, not on a turn plus the topic's words: a follow-up must fall well below its
   * bar — half of it, as quotes after the first must reach (Tuning.furtherConfidence). At the
   * full bar (1), 3 of 45 news and 3 of 48 XQuAD answerable follow-ups were declined. Only a
   * turn asking a kind of answer the story holds nowhere is declined (see unreportedIn).
   */
  readonly declineUnreported: number;
}

export const DEFAULT_CONVERSATION_TUNING: ConversationTuning = {
  recognition: DEFAULT_RECOGNITION,
  story: DEFAULT_STORY_TUNING,
  holdFit: 0.01,
  leaveMargin: 1,
  engineFirst: true,
  declineUnreported: 0.5,
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

/** Most articles a story is made of (the previous answer's articles and their other parts). */
const MAX_STORY_PARTS = 12;

/** Articles by id, rebuilt when the index's article count changes. */
class ArticleLookup {
  private byId = new Map<string, Article>();
  private count = -1;
  private readonly terms = new Map<string, Set<string>>();

  constructor(private readonly engine: AnswerEngine) {}

  private byTitle = new Map<string, Article[]>();

  get(id: string): Article | undefined {
    if (this.count !== this.engine.index.articleCount) {
      const all = this.engine.index.articles();
      this.byId = new Map(all.map((a) => [a.id, a]));
      this.byTitle = new Map();
      for (const a of all) {
        const list = this.byTitle.get(a.title) ?? [];
        list.push(a);
        this.byTitle.set(a.title, list);
      }
      this.count = this.engine.index.articleCount;
      this.terms.clear();
      this.sentences.clear();
    }
    return this.byId.get(id);
  }

  /**
   * The story of a set of articles: them and the other parts of the same article (same title
   * and source: an article indexed in parts, a live text's updates), at most MAX_STORY_PARTS.
   */
  story(ids: readonly string[]): Article[] {
    const out = new Map<string, Article>();
    for (const id of ids) {
      const a = this.get(id);
      if (!a) continue;
      out.set(a.id, a);
      for (const part of this.byTitle.get(a.title) ?? []) {
        if (out.size >= MAX_STORY_PARTS) break;
        if (part.source === a.source) out.set(part.id, part);
      }
    }
    return [...out.values()];
  }

  private readonly sentences = new Map<string, StorySentence[][]>();

  /** An article's sentences analysed for a story search (cached: a conversation asks about the same story again). */
  sentencesOf(article: Article): StorySentence[][] {
    let s = this.sentences.get(article.id);
    if (!s) {
      s = storySentences(article);
      if (this.sentences.size >= 64) this.sentences.clear();
      this.sentences.set(article.id, s);
    }
    return s;
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
    // A stored spec is data from the database: a damaged one is searched as a plain question.
    if (options.story && isStorySpec(options.story)) return this.searchInStory(options.story, options);
    const prefer = options.preferArticles?.filter((id) => this.articles.get(id) !== undefined) ?? [];
    const answer = this.engine.ask(query, {
      limit: this.engine.tuning.maxQuotes,
      ...(prefer.length > 0 ? { preferArticles: new Set(prefer) } : {}),
      ...(options.contextWords?.length ? { context: options.contextWords.join(" ") } : {}),
    });
    let all = groupWireCopies(answer.quotes);
    if (options.demoteShown?.length) {
      const seen = shownSpans(options.demoteShown);
      all = all
        .map((g) => ({ g, score: g.quote.score * (seenIn(seen, g) ? this.seenFactor : 1) }))
        .sort((a, b) => b.score - a.score)
        .map((x) => x.g);
    }
    if (options.skipArticles?.length) all = all.filter((g) => !options.skipArticles!.includes(g.quote.article.id));
    const skip = shownSpans(options.skipShown ?? []);
    const unseen = all.filter((g) => !seenIn(skip, g));
    // "Ce a mai spus?" when everything relevant was shown: showing it again beats "nothing found".
    return { answer, groups: unseen.length > 0 ? unseen : all };
  }

  /**
   * The answer engine's scores of a story's sentences (its own ranking inside the story: BM25,
   * sentence features, quote windows), each as a share of its best candidate there: asked with
   * the topic's words, and asked the turn alone (the detail, when the story holds its words).
   */
  private engineScorer(spec: StorySpec, contextWords: readonly string[], always = false): EngineScores {
    const t = this.tuning.story;
    const story = new Set(spec.articleIds);
    const scorer = (ranked: readonly Candidate[]) => {
      const best = ranked[0]?.score ?? 0;
      return (article: Article, span: Span) => {
        let score = 0;
        for (const c of ranked) {
          const p = c.passage;
          if (p.article.id === article.id && Math.min(span.end, p.span.end) - Math.max(span.start, p.span.start) > 0)
            score = Math.max(score, c.score);
        }
        return best > 0 ? score / best : 0;
      };
    };
    const none = () => 0;
    const withTopic = t.engine !== 0 || always ? scorer(this.engine.explain(spec.question, contextWords.join(" "), story)) : none;
    const alone = t.engineTurn !== 0 || always ? scorer(this.engine.explain(spec.question, "", story)) : none;
    return (article, span) => ({ engine: withTopic(article, span), engineTurn: alone(article, span) });
  }

  private storyArticles(spec: StorySpec): Article[] {
    return spec.articleIds.map((id) => this.articles.get(id)).filter((a): a is Article => a !== undefined);
  }

  /** A follow-up's search inside the previous answer's articles (every sentence of them). */
  private searchInStory(spec: StorySpec, options: SearchOptions): SearchResult {
    const found = searchStory(
      this.storyArticles(spec),
      spec,
      (t) => this.engine.index.idf(t),
      this.tuning.story,
      this.engine.tuning.maxQuotes,
      this.engineScorer(spec, options.contextWords ?? []),
      (a) => this.articles.sentencesOf(a),
    );
    const all = groupWireCopies(found.quotes);
    const skip = shownSpans(options.skipShown ?? []);
    const unseen = all.filter((g) => !seenIn(skip, g));
    const ranked = unseen.length > 0 ? unseen : all;
    // The answer may be a sentence the user has read already ("când?" answered by the quote
    // above): it stays first. The quotes after it bring what was not shown yet.
    const read = shownSpans(spec.shown);
    const groups = ranked.filter((g, i) => i === 0 || !seenIn(read, g));
    const answer: Answer =
      groups.length > 0
        ? { question: spec.question, found: true, quotes: found.quotes, total: found.quotes.length }
        : { question: spec.question, found: false, reason: "no-match", quotes: [], total: 0 };
    return { answer, groups };
  }

  /** What a follow-up searches inside its story: the story's articles, the turn's own words, the topic's. */
  private followUpOf(question: string, context: TopicContext) {
    const stories = this.articles.story(context.articleIds);
    const storyIds = stories.map((a) => a.id);
    const own = contentWords(question);
    const ownTerms = own.map((w) => w.term);
    const topicTerms = context.keywords.map((w) => termOf(w)).filter((t): t is string => t !== null);
    const storyQuery: StoryQuery = {
      question,
      ownTerms,
      topicTerms,
      kind: askedKindOf(question),
      shown: context.shown,
      topicText: context.keywords.join(" "),
    };
    const contextWords = context.keywords.filter((w) => !ownTerms.includes(termOf(w) ?? ""));
    return { stories, storyIds, own, ownTerms, topicTerms, storyQuery, contextWords };
  }

  /**
   * Every sentence of the story a follow-up `question` would be answered from, with its features
   * (the engine's score always computed): what `npm run eval:followup` fits StoryTuning on.
   */
  storyCandidatesOf(question: string, context: TopicContext): StoryCandidate[] {
    const { stories, storyIds, storyQuery, contextWords } = this.followUpOf(question, context);
    const spec: StorySpec = { ...storyQuery, articleIds: storyIds };
    return storyCandidates(
      stories,
      spec,
      (t) => this.engine.index.idf(t),
      this.engineScorer(spec, contextWords, true),
      (a) => this.articles.sentencesOf(a),
    ).candidates;
  }

  /** Answers `question` in `context` (null: no conversation yet). */
  ask(question: string, context: TopicContext | null | undefined, options: { reply?: boolean } = {}): Turn {
    if (!context) return this.finish(question, standaloneResolution(question, "new", "no-context"), null, { query: question });
    const { stories, storyIds, own, ownTerms, topicTerms, storyQuery, contextWords } = this.followUpOf(question, context);
    const words = resolveTurn(question, context, {
      ...(options.reply ? { reply: true } : {}),
      storyHas: (term) => storyIds.some((id) => this.articles.termsOf(id).has(term)),
    });
    const story = searchStory(
      stories,
      storyQuery,
      (t) => this.engine.index.idf(t),
      this.tuning.story,
      0,
      undefined,
      (a) => this.articles.sentencesOf(a),
    );
    const alone = this.search(question);
    const aloneFirst = alone.answer.found ? alone.answer.quotes[0] : undefined;
    // The turn's candidates alone, computed once: the coverage of its own words by an article.
    let aloneRanked: Candidate[] | undefined;
    const coverageAlone = (articleId: string) =>
      (aloneRanked ??= this.engine.explain(question)).find((c) => c.passage.article.id === articleId)?.features.coverage;
    const aloneCoverage = aloneFirst ? coverageAlone(aloneFirst.article.id) : undefined;
    const topicHas = new Set(topicTerms);
    const evidence: TurnEvidence = {
      reply: options.reply === true,
      markers: markersOf(question),
      ownCount: own.length,
      newName: [...namesOf(question)].some((t) => !topicHas.has(t) && !storyIds.some((id) => this.articles.termsOf(id).has(t))),
      storyShare: story.storyShare,
      storyFit: story.fit,
      // In units of the rarest possible word (one in no passage): the same in a small index and a large one.
      novelty:
        ownTerms
          .filter((t) => !topicHas.has(t) && !storyIds.some((id) => this.articles.termsOf(id).has(t)))
          .reduce((a, t) => a + this.engine.index.idf(t), 0) / Math.max(1e-9, this.rarestIdf()),
      alone: {
        found: aloneFirst !== undefined,
        confidence: aloneFirst?.confidence ?? 0,
        coverage: aloneCoverage ?? aloneFirst?.confidence ?? 0,
        inStory: aloneFirst !== undefined && storyIds.includes(aloneFirst.article.id),
      },
    };
    const decision = decideTurn(evidence, this.tuning.recognition);
    if (decision.kind === "switch") {
      return {
        ...this.finish(question, standaloneResolution(question, "switch", "new-topic"), context, { query: question }, alone),
        evidence,
      };
    }
    if (stories.length === 0) {
      // The previous question was declined (or its articles are gone): there is no story to
      // continue. A turn that reads as a follow-up (no name or story of its own: decided above)
      // is told so, instead of being answered from whatever its generic words match.
      // A turn with words enough of its own that finds its answer alone is a question in its own
      // right ("cine e președintele Iranului" after a declined turn): answered as one.
      if (tokenize(question).length === 0 || (own.length >= 2 && alone.answer.found)) {
        return {
          ...this.finish(question, standaloneResolution(question, "new", "no-context"), context, { query: question }, alone),
          evidence,
        };
      }
      const resolution: Resolution = { ...standaloneResolution(question, "follow-up", "no-story"), query: question };
      const empty: Answer = { question, found: false, reason: "no-match", quotes: [], total: 0 };
      return {
        answer: empty,
        groups: [],
        question,
        resolution,
        search: { query: question },
        context: nextContext(question, resolution, context, { articleIds: [], quoteKeys: [] }),
        evidence,
        noStory: true,
      };
    }
    if (words.reason === "more") {
      // "Mai mult": the previous search again, without what was already shown.
      const spec: SearchSpec = {
        query: words.query,
        preferArticles: words.preferArticles,
        skipShown: words.skipShown,
        contextWords: words.contextWords,
      };
      return { ...this.finish(question, words, context, spec), evidence };
    }
    const resolution: Resolution = {
      kind: "follow-up",
      reason: decision.reason,
      query: question,
      contextWords,
      preferArticles: storyIds,
      skipShown: [],
    };
    if (aloneFirst && evidence.alone.inStory && own.length >= 2) {
      // A question of its own about the same story (asked again, or reworded with its names):
      // the engine answers it from the story as a first question would be answered.
      return { ...this.finish(question, resolution, context, { query: question }, alone), evidence };
    }
    const inStory: SearchSpec = {
      query: question,
      contextWords: resolution.contextWords,
      story: { ...storyQuery, articleIds: storyIds },
    };
    const storyResult = this.search(inStory.query, inStory);
    const wider: SearchSpec = {
      query: question,
      preferArticles: storyIds,
      contextWords: resolution.contextWords,
      demoteShown: context.shown,
    };
    const elsewhere = own.length > 0 ? this.search(wider.query, wider) : null;
    const first = elsewhere?.answer.found ? elsewhere.groups[0]?.quote : undefined;
    if (elsewhere && first && storyIds.includes(first.article.id) && this.tuning.engineFirst) {
      // Both answers come from the story: the engine's (BM25 with the topic's words, quote
      // windows) is taken when its quote holds more of the turn's own words than the story
      // search's best sentence does; otherwise the sentence of the asked kind stays.
      const ownCoverage = (text: string) => {
        const terms = new Set(analyze(text));
        const total = ownTerms.reduce((a, t) => a + this.engine.index.idf(t), 0);
        return total === 0 ? 0 : ownTerms.filter((t) => terms.has(t)).reduce((a, t) => a + this.engine.index.idf(t), 0) / total;
      };
      const storyFirst = storyResult.groups[0]?.quote;
      // The story's sentence is credited with its neighbours too (its `confidence` is that fit), as the engine's window is.
      const storyCoverage = storyFirst ? Math.max(ownCoverage(storyFirst.text), storyFirst.confidence) : 0;
      if (ownCoverage(first.text) > storyCoverage + 1e-9)
        return { ...this.finish(question, resolution, context, wider, elsewhere), evidence };
    }
    // The story holds the answer unless it clearly doesn't: the turn has words of its own, no
    // sentence of the story holds enough of them, and an article outside the story found with
    // the topic's words fits them clearly better.
    if (own.length > 0 && story.fit < this.tuning.holdFit) {
      // Only an article of the same story told elsewhere: found with the topic's words, or found
      // by the turn alone and holding most of the topic's words. The turn's generic words alone
      // ("cum îl cheamă") fit any article and prove nothing.
      const outside = (result: SearchResult | null) =>
        result?.answer.found ? result.groups.filter((g) => !storyIds.includes(g.quote.article.id)) : [];
      const topicWeight = topicTerms.reduce((a, t) => a + this.engine.index.idf(t), 0);
      const sameStory = (id: string) =>
        topicWeight > 0 &&
        topicTerms.filter((t) => this.articles.termsOf(id).has(t)).reduce((a, t) => a + this.engine.index.idf(t), 0) /
          topicWeight >=
          0.5;
      const withTopic = outside(elsewhere);
      const byTurn = outside(alone).filter((g) => sameStory(g.quote.article.id));
      const spec: SearchSpec =
        withTopic.length > 0 ? { ...wider, skipArticles: storyIds } : { query: question, skipArticles: storyIds };
      const groups = withTopic.length > 0 ? withTopic : byTurn;
      const top = groups[0]?.quote;
      if (top && (coverageAlone(top.article.id) ?? 0) - story.fit >= this.tuning.leaveMargin) {
        const result = { ...(withTopic.length > 0 ? (elsewhere as SearchResult) : alone), groups };
        return { ...this.finish(question, resolution, context, spec, result), evidence, outsideStory: true };
      }
    }
    const unreported =
      own.length > 0 && this.tuning.declineUnreported > 0 ? this.unreportedIn(question, contextWords, storyIds) : undefined;
    if (unreported) {
      // The story is about what the turn asks, no article outside it answers either, and no
      // sentence of it passes the decline gate: the user is told the story doesn't say it, and
      // the conversation stays where it was (see finish).
      const answer: Answer = { question, found: false, reason: "no-match", quotes: [], total: 0, related: unreported };
      const search: SearchSpec = { query: question, contextWords: resolution.contextWords, preferArticles: storyIds };
      return { ...this.finish(question, resolution, context, search, { answer, groups: [] }), evidence };
    }
    return { ...this.finish(question, resolution, context, inStory, storyResult), evidence };
  }

  /**
   * The story's article that a follow-up asks about when the answer engine's decline gate turns
   * the turn down inside the story (asked with the topic's words, only the story's articles; see
   * ConversationTuning.declineUnreported): the story does not report what is asked. Undefined
   * when a sentence of the story passes.
   */
  private unreportedIn(question: string, contextWords: readonly string[], storyIds: readonly string[]): Article | undefined {
    const ranked = this.engine.explain(question, contextWords.join(" "), new Set(storyIds));
    const best = ranked[0];
    const bar = this.engine.tuning.minConfidence * this.tuning.declineUnreported;
    if (!best || ranked.some((c) => c.confidence >= bar)) return undefined;
    // The gate alone can't tell a fact the story never reports from one it words otherwise ("la
    // ce echipă a jucat?" of a story saying "unsprezece sezoane la Dinamo"): the evidence is the
    // missing kind of answer. A question that asks no kind, or whose kind the story holds, stays
    // in the story.
    const kind = askedKindOf(question);
    if (kind === null) return undefined;
    const stories = this.articles.story(storyIds);
    const known = questionWordSet([question, ...contextWords, ...stories.map((a) => a.title)].join(" "));
    const money = kind === "number" && asksMoney(question);
    const holds = stories.some((a) =>
      this.articles.sentencesOf(a).some((paragraph) =>
        paragraph.some(({ span }) => {
          const text = a.body.slice(span.start, span.end);
          return holdsKind(text, kind, known) && (!money || holdsCurrency(text));
        }),
      ),
    );
    return holds ? undefined : best.passage.article;
  }

  /** IDF of a term found in no passage: the most a word can weigh in this index. */
  private rarestIdf(): number {
    const n = this.engine.index.passageCount;
    return Math.log(1 + (n + 0.5) / 0.5);
  }

  /** Runs (or takes) the search of a turn and works out the context after it. */
  private finish(
    question: string,
    resolution: Resolution,
    context: TopicContext | null,
    search: SearchSpec,
    result?: SearchResult,
  ): Turn {
    const found = result ?? this.search(search.query, search);
    const page = found.groups.slice(0, PAGE_SIZE);
    // A declined question about a story the news covers ("the article doesn't say that", with
    // the article named) leaves that story as the topic: the user is invited to ask more about it.
    const related = page.length === 0 ? found.answer.related : undefined;
    // When that story is the one the conversation was already on, the conversation stays as it
    // was: the declined question's words ("notă", "bacalaureat") would only pull the next turn
    // towards sentences that don't hold them either.
    if (related && context?.articleIds.includes(related.id)) return { ...found, question, resolution, search, context };
    const next = nextContext(question, resolution, context, {
      articleIds: related ? [related.id] : page.map((g) => g.quote.article.id),
      quoteKeys: page.map(quoteKey),
    });
    return { ...found, question, resolution, search, context: next };
  }

  /** The articles of a context that are still indexed. */
  article(id: string): Article | undefined {
    return this.articles.get(id);
  }
}
