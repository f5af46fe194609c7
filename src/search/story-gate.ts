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
import type { Passage } from "./passage-index.js";
import { type AnswerTokens, type AnswerType, hasAnswerTokenIn, answerTokenIndexes } from "./answer-type.js";

/** Words between a question word and a token of the asked kind for the token to count as about it. */
export const NEAR_TOKENS = 4;

export interface StoryGate {
  /** ConfidenceFeatures.askedNear, computed the first time a candidate of the story reads it. */
  readonly askedNear: () => number;
  /** ConfidenceFeatures.otherArticle. */
  readonly otherArticle: number;
  /** The story holds every proper name of the question (false when the question names none). */
  readonly namesHeld: boolean;
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
  /** Per ranked sentence, each word's index term (termOf; null for a stop word), one per `tokensAt(i).words`. */
  readonly wordTermsAt: (i: number) => ReadonlyArray<string | null>;
  readonly type: AnswerType | null;
  /** Folded words that are not answers: the question's and the title's. */
  readonly known: ReadonlySet<string>;
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
  return {
    askedNear: () => (near ??= askedNear(input)),
    otherArticle: otherWeight === 0 ? 1 : otherHeld / otherWeight,
    namesHeld: names > 0 && namesHeld === names,
  };
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
