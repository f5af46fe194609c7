/**
 * Follow-up questions: is a new question a continuation of the conversation, and what does the
 * conversation remember? No grammY and no engine here: the caller measures the evidence
 * (TurnEvidence: the turn's own words, how much of them the story's articles hold, what the turn
 * finds alone) and `decideTurn` decides; src/conversation/conversation.ts runs the searches.
 *
 * A turn continues the story when it lacks what a new question has (see decideTurn): nothing
 * of its own to search ("de ce?", "mai mult"), no name the story doesn't mention, and little
 * the story and the topic don't already hold. Anything else is a topic switch and is searched
 * exactly as typed: old context never leaks into a self-contained new question.
 *
 * `resolveTurn` (the older word rules) still decides "mai mult" / "ce a mai spus" — the previous
 * search again without what was shown — and builds the query for it.
 */
import { termOf, tokenize } from "../text/analyzer.js";
import { fold } from "../text/normalize.js";

/** What a conversation remembers after an answer: enough to resolve the next question. */
export interface TopicContext {
  /** The last question, as the user wrote it. */
  readonly question: string;
  /** The query that was searched for it. */
  readonly query: string;
  /** The context words searched with it (a follow-up), weighing less than the query's own. */
  readonly contextWords?: readonly string[];
  /** Key words of the topic (surface forms, newest first), carried into follow-ups. */
  readonly keywords: readonly string[];
  /** Articles the answer quoted (first page), preferred by follow-ups. */
  readonly articleIds: readonly string[];
  /** Quotes already shown (`articleId#start`), skipped when the user asks for more. */
  readonly shown: readonly string[];
  /** The question word of the topic question ("când", "cine"…), reused by "Dar X?". */
  readonly questionWord?: string;
}

export type TurnKind = "new" | "follow-up" | "switch";

export type TurnReason =
  | "no-context"
  | "reply"
  | "ellipsis"
  | "more"
  | "marked"
  | "same-story"
  | "no-story-of-its-own"
  | "adds-little"
  | "no-story"
  | "new-topic";

export interface Resolution {
  readonly kind: TurnKind;
  readonly reason: TurnReason;
  /** What to search: the question (with the topic's question word for "Dar X?"). */
  readonly query: string;
  /** Words from the context searched with it, weighing less (empty unless a follow-up). */
  readonly contextWords: readonly string[];
  /** Articles to prefer (empty unless a follow-up). */
  readonly preferArticles: readonly string[];
  /** Quotes to skip (the user asked for more). */
  readonly skipShown: readonly string[];
}

export interface ResolveOptions {
  /** The question replies to one of the bot's answers. */
  readonly reply?: boolean;
  /** Whether the previous answer's articles contain an index term. */
  readonly storyHas?: (term: string) => boolean;
}

/** Most key words carried from one turn to the next. */
export const MAX_KEYWORDS = 8;

const words = (list: string) => new Set(list.split(/\s+/).filter(Boolean).map(fold));

/** Pronouns and demonstratives that point back at something already said. */
const ANAPHORA = words(`el ea ei ele lui lor dansul dansa dansii dansele acesta aceasta acestia acestea acestui acestei
  acestor asta aia ala acela aceea aceia acelea acelui acelei acolo atunci apoi ulterior acestuia acesteia`);

/** Conjunctions that open a continuation ("Și ce a spus…", "Dar Iranul?"). */
const OPENERS = words("si dar iar apoi deci atunci insa sau");

/** Question words, and the ones whose meaning carries over to "Dar X?" ("când" → "când"). */
const QUESTION_WORDS = words("ce cine cui care cand cum unde cat cata cati cate de ce");

/**
 * Words that say nothing about the topic: verbs of saying and happening, "detalii", "motiv".
 * They are searched when typed, but they don't make a question self-contained.
 */
const FILLERS = words(`spus spune spun zis zice zis declarat declara afirmat afirma anuntat anunta precizat
  adaugat explicat raspuns reactionat intamplat intampla petrecut urmat facut face fac avut are au avea loc
  fost este sunt era exista despre legat legatura detalii detaliu amanunte informatii stiri veste vesti
  motiv motivul motivele cauza cauzele scop rost inseamna adica exact anume mult multe putin altceva alt alta
  continua continuare inca vreun vreo rost sens urma urmare`);

/** "ce a mai spus", "mai mult", "altceva": the user wants what hasn't been shown yet. */
const MORE =
  /(?:^|\s)(?:(?:a|au|ai|am|ati|s-a|s-au|mai) mai\b|mai (?:mult|multe|departe|detalii|exista|sunt|este)\b|altceva\b|continua\b|inca\b)/;
const MORE_ONLY = /^(?:si )?(?:mai (?:mult|multe|departe)|altceva|continua|inca|detalii|mai multe detalii)\s*[?!.…]*$/;

const folded = (text: string) => fold(text);

/** Index terms of the words of `text` that are not fillers, with the surface word of each. */
export function contentWords(text: string): { term: string; word: string }[] {
  const out: { term: string; word: string }[] = [];
  const seen = new Set<string>();
  for (const t of tokenize(text)) {
    const f = folded(t.text);
    if (FILLERS.has(f) || QUESTION_WORDS.has(f)) continue;
    const term = termOf(t.text);
    if (term === null || seen.has(term)) continue;
    seen.add(term);
    out.push({ term, word: t.text });
  }
  return out;
}

/** A capitalised word that doesn't open the question, or a word with a capital inside (iPhone, NATO). */
export function namesOf(text: string): Set<string> {
  const names = new Set<string>();
  const tokens = tokenize(text);
  tokens.forEach((t, i) => {
    const before = text.slice(0, t.start).trimEnd();
    const opens = i === 0 || /[.!?:„"«]$/u.test(before);
    if ((/^\p{Lu}/u.test(t.text) && !opens) || /^\p{L}+\p{Lu}/u.test(t.text) || /^\p{Lu}{2,}$/u.test(t.text)) {
      const term = termOf(t.text);
      if (term !== null) names.add(term);
    }
  });
  return names;
}

/** The question word a question opens with, if any ("când", "cine", "de ce"…). */
export function questionWordOf(text: string): string | undefined {
  const tokens = tokenize(text).map((t) => folded(t.text));
  // Skip an opening conjunction and a preposition: "Și în ce an…", "Dar de ce…".
  for (let i = 0; i < Math.min(tokens.length, 4); i++) {
    const w = tokens[i] as string;
    if (w === "de" && tokens[i + 1] === "ce") return "de ce";
    if (QUESTION_WORDS.has(w) && w !== "de") return w;
  }
  return undefined;
}

/** The key words a question contributes to the topic: its content words, surface forms. */
export function keywordsOf(text: string): string[] {
  return contentWords(text).map((w) => w.word);
}

/** Merges key words, newest first, one per index term, at most MAX_KEYWORDS. */
export function mergeKeywords(newest: readonly string[], older: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const w of [...newest, ...older]) {
    const term = termOf(w);
    if (term === null || seen.has(term)) continue;
    seen.add(term);
    out.push(w);
    if (out.length >= MAX_KEYWORDS) break;
  }
  return out;
}

function standalone(question: string, kind: TurnKind, reason: TurnReason): Resolution {
  return { kind, reason, query: question, contextWords: [], preferArticles: [], skipShown: [] };
}

/**
 * Decides whether `question` follows up on `context` and what to search for it.
 * `question` is the text as the user wrote it (already one line, without a bot mention).
 */
export function resolveTurn(
  question: string,
  context: TopicContext | null | undefined,
  options: ResolveOptions = {},
): Resolution {
  if (!context) return standalone(question, "new", "no-context");
  const text = folded(question).trim();
  const tokens = tokenize(text).map((t) => t.text);
  const own = contentWords(question);
  const names = namesOf(question);
  const contextTerms = new Set(context.keywords.map((w) => termOf(w)).filter((t): t is string => t !== null));
  const storyHas = options.storyHas ?? (() => false);

  const more = MORE.test(` ${text}`);
  const anaphora = tokens.some((w) => ANAPHORA.has(w));
  const opener = tokens.length > 0 && OPENERS.has(tokens[0] as string);
  const short = own.length <= 1;
  const marked = anaphora || opener || more || short;

  const fresh = own.filter((w) => !contextTerms.has(w.term));
  const novel = fresh.filter((w) => !storyHas(w.term));

  let reason: TurnReason;
  if (options.reply) reason = "reply";
  else if (MORE_ONLY.test(text) || (more && own.length === 0)) reason = "more";
  else if (own.length === 0) reason = "ellipsis";
  else if (marked && novel.length < 3 && !novel.some((w) => names.has(w.term))) reason = "marked";
  else if (!marked && novel.length === 0) reason = "same-story";
  else return standalone(question, "switch", "new-topic");

  const skipShown = more ? context.shown : [];
  if (reason === "more") {
    // "Mai mult": the previous search again, without what was already shown.
    return {
      kind: "follow-up",
      reason,
      query: context.query,
      contextWords: context.contextWords ?? [],
      preferArticles: context.articleIds,
      skipShown,
    };
  }
  const ownTerms = new Set(own.map((w) => w.term));
  const contextWords = context.keywords.filter((w) => {
    const term = termOf(w);
    return term !== null && !ownTerms.has(term);
  });
  // "Dar de Priestley?" asks the previous question again about something else: keep its question word.
  const questionWord = questionWordOf(question) === undefined && context.questionWord ? [context.questionWord] : [];
  const query = [question, ...questionWord].join(" ");
  return { kind: "follow-up", reason, query, contextWords, preferArticles: context.articleIds, skipShown };
}

/** The context after answering `question` as `resolution`, given what the answer showed. */
export function nextContext(
  question: string,
  resolution: Resolution,
  previous: TopicContext | null | undefined,
  shown: { articleIds: readonly string[]; quoteKeys: readonly string[] },
): TopicContext {
  const own = keywordsOf(question);
  const followUp = resolution.kind === "follow-up" && previous;
  const keywords = followUp ? mergeKeywords(own, previous.keywords) : mergeKeywords(own, []);
  const questionWord = questionWordOf(question) ?? (followUp ? previous.questionWord : undefined);
  const articleIds = shown.articleIds.length > 0 ? shown.articleIds : followUp ? previous.articleIds : [];
  const keys = followUp && resolution.skipShown.length > 0 ? [...previous.shown, ...shown.quoteKeys] : shown.quoteKeys;
  return {
    question,
    query: resolution.query,
    ...(resolution.contextWords.length > 0 ? { contextWords: resolution.contextWords } : {}),
    keywords,
    articleIds: [...new Set(articleIds)].slice(0, 5),
    shown: [...new Set(keys)].slice(-30),
    ...(questionWord ? { questionWord } : {}),
  };
}

/** A context rebuilt from a question alone (a reply to an answer the database doesn't know). */
export function contextFromQuestion(question: string, articleIds: readonly string[] = []): TopicContext {
  const questionWord = questionWordOf(question);
  return {
    question,
    query: question,
    keywords: mergeKeywords(keywordsOf(question), []),
    articleIds,
    shown: [],
    ...(questionWord ? { questionWord } : {}),
  };
}

/** The word signs of a continuation, read from the question alone. */
export interface Markers {
  /** "ce a mai spus", "mai mult": the user wants what hasn't been shown yet. */
  readonly more: boolean;
  /** Only "mai mult" and the like: nothing else to search. */
  readonly moreOnly: boolean;
  /** A pronoun or demonstrative ("el", "asta", "acolo"). */
  readonly anaphora: boolean;
  /** An opening "și", "dar", "iar"… */
  readonly opener: boolean;
}

export function markersOf(question: string): Markers {
  const text = folded(question).trim();
  const tokens = tokenize(text).map((t) => t.text);
  return {
    more: MORE.test(` ${text}`),
    moreOnly: MORE_ONLY.test(text),
    anaphora: tokens.some((w) => ANAPHORA.has(w)),
    opener: tokens.length > 0 && OPENERS.has(tokens[0] as string),
  };
}

/**
 * What is measured about a second turn before deciding whether it continues the story: its
 * own words and names, how well the previous answer's articles hold them, and what the turn
 * finds when searched alone.
 */
export interface TurnEvidence {
  readonly reply: boolean;
  readonly markers: Markers;
  /** Content words of the turn (fillers and question words left out). */
  readonly ownCount: number;
  /** A name in the turn that neither the story nor the topic mentions. */
  readonly newName: boolean;
  /** IDF-weighted share of the turn's own words that the story's articles hold anywhere (1 when it has none). */
  readonly storyShare: number;
  /** The best share one sentence of the story holds (its neighbours counting half). */
  readonly storyFit: number;
  /** What the turn adds: the summed IDF of its own words that neither the story nor the topic holds, in units of the rarest word's IDF. */
  readonly novelty: number;
  /** The turn searched alone, with no conversation. */
  readonly alone: {
    readonly found: boolean;
    /** Confidence of its first quote (0 when nothing was found). */
    readonly confidence: number;
    /** Share of the turn covered by its first quote's sentence, neighbours and title. */
    readonly coverage: number;
    /** Its first quote comes from the story. */
    readonly inStory: boolean;
  };
}

/** The threshold of `decideTurn`, fitted by `npm run eval:followup` on training folds only. */
export interface RecognitionTuning {
  /** A turn adding at least this much (TurnEvidence.novelty: summed IDF, in rarest-word units) has a story of its own: a switch. */
  novelty: number;
  /**
   * The same for a turn marked as a continuation (an opening "și"/"dar", a pronoun: "Și la ce
   * firmă lucra el?"): those signs say it continues, so it needs more new words to be a switch.
   */
  markedNovelty: number;
}

export const DEFAULT_RECOGNITION: RecognitionTuning = { novelty: 1, markedNovelty: 1 };

/** An unmarked turn that finds nothing alone is a switch from this many times the novelty bar (about two new words). */
const UNFOUND_NOVELTY = 2;

/**
 * Follow-up or switch, from the evidence. A turn continues the story when it lacks what a new
 * question has: nothing of its own to search, no name of its own, and little the story and the
 * topic don't already hold (its new words weigh, in summed IDF, less than one word found nowhere else
 * in the news: "și soțul câți ani are?", "unde l-au prins?"). A turn that names something new,
 * or brings words enough to make a story of its own ("Cât e prejudiciul în dosarul X?"), is a
 * switch and is searched exactly as typed, whatever it shares with the old story.
 */
export function decideTurn(
  e: TurnEvidence,
  t: RecognitionTuning = DEFAULT_RECOGNITION,
): { kind: "follow-up" | "switch"; reason: TurnReason } {
  if (e.reply) return { kind: "follow-up", reason: "reply" };
  if (e.markers.moreOnly || (e.markers.more && e.ownCount === 0)) return { kind: "follow-up", reason: "more" };
  if (e.ownCount === 0) return { kind: "follow-up", reason: "ellipsis" };
  const marked = e.markers.anaphora || e.markers.opener || e.markers.more;
  const bar = marked ? Math.max(t.novelty, t.markedNovelty) : t.novelty;
  // A turn that finds nothing on its own has no story of its own when it is marked ("și când a
  // fost vizita?"), whatever words it adds, or when it adds about one new word, a verb the story
  // words otherwise ("unde s-au întâlnit?"): searching it alone can only decline. One adding
  // several ("care e rețeta de sarmale a bunicii?") asks about something not indexed.
  const switchBar = e.alone.found ? bar : marked ? Number.POSITIVE_INFINITY : UNFOUND_NOVELTY * bar;
  if (e.newName || e.novelty >= switchBar) return { kind: "switch", reason: "new-topic" };
  if (!e.alone.found) return { kind: "follow-up", reason: "no-story-of-its-own" };
  if (e.alone.inStory || e.novelty === 0) return { kind: "follow-up", reason: "same-story" };
  return { kind: "follow-up", reason: marked ? "marked" : "adds-little" };
}
