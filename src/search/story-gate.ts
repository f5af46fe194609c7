/**
 * What the decline gate learns about a whole candidate story (see ConfidenceFeatures in
 * answer-engine.ts): whether it holds the kind of thing asked near the question's detail words,
 * how much of the question beyond its names it holds, and whether it holds every name (for
 * Answer.related: a declined question is then about this story).
 *
 * A question about an unreported fact ("Ce notă a luat X la examen?" when the story only says
 * where X studies) matches its story on the names and the context; what gives it away is that
 * no sentence pairs the detail asked about with an answer of the asked kind.
 */
import { fold } from "../text/normalize.js";
import type { Passage } from "./passage-index.js";
import { STOP_WORDS } from "../text/stopwords.js";
import {
  type AnswerTokens,
  type AnswerType,
  answerTokenIndexes,
  asksMoney,
  hasAnswerTokenIn,
  holdsCurrency,
} from "./answer-type.js";

/** Words between a question word and a token of the asked kind for the token to count as about it. */
export const NEAR_TOKENS = 4;

export interface StoryGate {
  /** ConfidenceFeatures.askedNear, computed the first time a candidate of the story reads it. */
  readonly askedNear: () => number;
  /** ConfidenceFeatures.otherArticle. */
  readonly otherArticle: number;
  /** The story holds every proper name of the question (false when the question names none). */
  readonly namesHeld: boolean;
  /** ConfidenceFeatures.detailAbsent. */
  readonly detailAbsent: number;
  /** ConfidenceFeatures.numberAbsent. */
  readonly numberAbsent: number;
  /** ConfidenceFeatures.unitUncounted, computed the first time a candidate of the story reads it. */
  readonly unitUncounted: () => number;
}

export interface StoryGateInput {
  /** The question's terms with their weights; `name` marks proper names of the question itself. */
  readonly query: ReadonlyArray<{ readonly weight: number; readonly name: boolean }>;
  /** Per question term: is it one of the story's words (title and lead)? */
  readonly isStory: readonly boolean[];
  /** Per question term: its best credit anywhere in the story, title included. */
  readonly inStory: readonly number[];
  /** Per ranked sentence of the story, per question term: its credit in the sentence. */
  readonly credits: ReadonlyArray<readonly number[]>;
  /** Per question term: the index terms that count for it (itself and typo variants). */
  readonly variantTerms: ReadonlyArray<readonly string[]>;
  /** The ranked sentences of the story, in order, and their answer tokens. */
  readonly passages: readonly Passage[];
  readonly tokensAt: (i: number) => AnswerTokens;
  /**
   * The answer tokens of the whole story, title first, then every sentence (not only the ranked
   * ones); read only by unitUncounted, so only for a count question.
   */
  readonly storyTokens: () => readonly AnswerTokens[];
  /** Per ranked sentence, each word's index term (termOf; null for a stop word), one per `tokensAt(i).words`. */
  readonly wordTermsAt: (i: number) => ReadonlyArray<string | null>;
  readonly type: AnswerType | null;
  /** Folded words that are not answers: the question's and the title's. */
  readonly known: ReadonlySet<string>;
  /** Per question term: the folded first letters of its word (inflections Snowball stems apart), if long enough. */
  readonly prefixes: ReadonlyArray<string | undefined>;
  /** Whether ranked sentence `i` has a word starting with `prefix` (folded first letters, the same length). */
  readonly hasPrefixAt: (i: number, prefix: string) => boolean;
  /** The story's title's word prefixes (the same length). */
  readonly titlePrefixes: ReadonlySet<string>;
  /** The question's numbers as written (digits, with their separators): see questionNumbers. */
  readonly numbers: readonly string[];
  /** What the question counts, if it says: see askedUnit. */
  readonly unit: AskedUnit | null;
}

/** What a count question counts: money, or the first letters of a counted word ("câți ani" → "ani"). */
export type AskedUnit = { readonly money: true } | { readonly money: false; readonly prefixes: readonly string[] };

/** Words for people: a count of any of them answers "câți oameni" ("30 de persoane", "200 de locuitori"). */
const PEOPLE = ["oamen", "perso", "locuit", "individ", "cetat", "victim", "suflet"];

/**
 * The unit a question asks a count of: the noun after "câți"/"câte" ("câte medalii" → "medal";
 * any word for people after "câți oameni"), years for an age ("ce vârstă", "câți ani"), else money
 * ("ce salariu", "cât a costat"). Null when the question asks no count or does not say of what
 * ("de câte ori", "cât timp": too many ways to answer).
 */
export function askedUnit(question: string, type: AnswerType | null): AskedUnit | null {
  if (type !== "number") return null;
  const q = fold(question);
  const counted = /\b(?:cati|cate|cator) (\p{L}+)/u.exec(q)?.[1];
  if (counted !== undefined) {
    if (STOP_WORDS.has(counted)) return null;
    if (asksMoney(counted)) return { money: true };
    if (counted === "ani") return { money: false, prefixes: ["an"] };
    const prefix = counted.slice(0, Math.max(3, Math.min(5, counted.length - 1)));
    return { money: false, prefixes: PEOPLE.some((p) => prefix.startsWith(p) || p.startsWith(prefix)) ? PEOPLE : [prefix] };
  }
  if (/\b(?:ce|la ce) varst[ae]\b/.test(q)) return { money: false, prefixes: ["an"] };
  if (/\bcat(?:a)? (?:timp|vreme)\b/.test(q)) return null;
  return asksMoney(question) ? { money: true } : null;
}

/** The numbers a question writes in digits ("2023", "600.000"), folded. */
export function questionNumbers(question: string): string[] {
  return [...fold(question).matchAll(/\d+(?:[.,]\d+)*/g)].map((m) => m[0]);
}

/**
 * A question about the present moment ("azi", "acum" — not "acum doi ani" —, "în prezent", "anul acesta"): an archive
 * of news reports what was, and a live fact (today's rate, this week's weather) is answered by
 * an old story only by chance. ConfidenceFeatures.live.
 */
const LIVE =
  /(?:^|[^\p{L}])(?:azi|astazi|acum(?! (?:\p{L}+|\d+) (?:de )?(?:an|ani|luna|luni|zi|zile|saptamana|saptamani|ora|ore|minute|decenii|secole)(?!\p{L}))|actualmente|in prezent|in momentul de fata|in acest moment|(?:anul|luna|saptamana|ziua|sezonul|weekendul|iarna|vara|toamna|primavara) (?:acesta|aceasta|asta|curent|curenta)|zilele (?:acestea|astea))(?![\p{L}])/u;
export function asksLive(question: string): boolean {
  return LIVE.test(fold(question));
}

export function storyGate(input: StoryGateInput): StoryGate {
  const { query, inStory } = input;
  let otherWeight = 0;
  let otherHeld = 0;
  let names = 0;
  let namesHeld = 0;
  query.forEach((q, k) => {
    if (q.name) {
      names++;
      if (inStory[k]! > 0) namesHeld++;
      return;
    }
    otherWeight += q.weight;
    otherHeld += q.weight * inStory[k]!;
  });
  let near: number | undefined;
  let unit: number | undefined;
  return {
    askedNear: () => (near ??= askedNear(input)),
    otherArticle: otherWeight === 0 ? 1 : otherHeld / otherWeight,
    namesHeld: names > 0 && namesHeld === names,
    detailAbsent: detailAbsent(input),
    numberAbsent: numberAbsent(input),
    unitUncounted: () => (unit ??= unitUncounted(input)),
  };
}

/**
 * Share of the question's detail words (those beyond the story's title and lead) that the story
 * holds nowhere, not even as another inflection (the same first letters): a fact the story never
 * mentions. 0 when the story holds all the question's words.
 */
function detailAbsent(input: StoryGateInput): number {
  const { query, isStory, inStory, prefixes, hasPrefixAt, passages, titlePrefixes } = input;
  let detail = 0;
  let absent = 0;
  query.forEach((q, k) => {
    if (isStory[k]) return;
    detail += q.weight;
    if (inStory[k]! > 0) return;
    const prefix = prefixes[k];
    if (prefix !== undefined && (titlePrefixes.has(prefix) || passages.some((_, i) => hasPrefixAt(i, prefix)))) return;
    absent += q.weight;
  });
  return detail === 0 ? 0 : absent / detail;
}

/**
 * 1 when the question writes a number (a year, an edition, a sum) that the story's title and text
 * do not: it asks about another instance of what the story covers (another year's contest).
 */
function numberAbsent(input: StoryGateInput): number {
  if (input.numbers.length === 0 || input.passages.length === 0) return 0;
  const article = input.passages[0]!.article;
  // Digits and their separators fold to themselves: the raw text is searched.
  return input.numbers.some((n) => !article.title.includes(n) && !article.body.includes(n)) ? 1 : 0;
}

const NO_WORDS: ReadonlySet<string> = new Set();

/** Words after a number that may still name what it counts ("12 milioane de lei", "3 de ani"). */
const UNIT_AFTER = 4;

/**
 * 1 when the question asks a count of something (askedUnit) and the story's whole text (title
 * included, not only the ranked sentences) holds no number followed by it: "câți ani are X" of a
 * story whose numbers count lei or votes, "câte titluri" of one that names a title but counts none.
 * For a count of things, only when the story names the thing: one that never does may count it in
 * other words ("locuri de muncă" for "joburi"). For money (any currency), also when the story
 * names no currency at all: a sum is written with one.
 */
function unitUncounted(input: StoryGateInput): number {
  const { unit, passages } = input;
  if (unit === null || passages.length === 0) return 0;
  const isUnit = (w: string) => (unit.money ? holdsCurrency(w) : unit.prefixes.some((p) => w.startsWith(p)));
  let named = false;
  // Sentence by sentence (the words the index stored: nothing is tokenised again), the title's
  // numbers too ("Amenzi de până la 100.000 de euro" reports the sum).
  for (const tokens of input.storyTokens()) {
    const words = tokens.words;
    for (const a of answerTokenIndexes(tokens, "number", NO_WORDS)) {
      for (let j = a + 1; j <= a + UNIT_AFTER && j < words.length; j++) if (isUnit(words[j]!.folded)) return 0;
    }
    if (!named && !unit.money) named = words.some((w) => isUnit(w.folded));
  }
  return unit.money || named ? 1 : 0;
}

function askedNear(input: StoryGateInput): number {
  const { query, isStory, credits, variantTerms, passages, type, known } = input;
  // The detail: the words beyond the story's; all the question's words when the story holds them all.
  let detail = query.map((_, k) => !isStory[k]);
  if (!detail.some(Boolean)) detail = query.map(() => true);
  const detailWeight = query.reduce((x, q, k) => x + (detail[k] ? q.weight : 0), 0);
  if (detailWeight === 0) return 0;
  const typedSentence = (i: number) => type !== null && hasAnswerTokenIn(input.tokensAt(i), type, known);
  let best = 0;
  passages.forEach((p, i) => {
    const present = query.map((_, k) => detail[k]! && credits[i]![k]! > 0);
    if (!present.some(Boolean)) return;
    let held = 0;
    if (type === null) {
      query.forEach((q, k) => {
        if (present[k]) held += q.weight * credits[i]![k]!;
      });
    } else if (type === "cause" || type === "manner") {
      // Its neighbours in the same paragraph ("… a demisionat. Motivul: …").
      const prev = p.position > 0 && passages[i - 1]?.id === p.id - 1;
      const next = p.position < p.paragraph.length - 1 && passages[i + 1]?.id === p.id + 1;
      if (typedSentence(i) || (prev && typedSentence(i - 1)) || (next && typedSentence(i + 1)))
        query.forEach((q, k) => {
          if (present[k]) held += q.weight * credits[i]![k]!;
        });
    } else {
      // The sentence's stored words (the index's analysis, not the text's again): its answer
      // tokens and each word's term, in the same order.
      const answers = answerTokenIndexes(input.tokensAt(i), type, known);
      if (answers.length === 0) return;
      const terms = input.wordTermsAt(i);
      query.forEach((q, k) => {
        if (!present[k]) return;
        const variants = variantTerms[k]!;
        const isNear = terms.some(
          (term, j) => term !== null && variants.includes(term) && answers.some((a) => Math.abs(a - j) <= NEAR_TOKENS),
        );
        if (isNear) held += q.weight * credits[i]![k]!;
      });
    }
    best = Math.max(best, held / detailWeight);
  });
  return best;
}
