/**
 * What kind of answer a follow-up asks for, read from its question words, and whether a
 * sentence holds such an answer. It extends the engine's answer types (src/search/answer-type.ts:
 * number, date, name, place) with the kinds a follow-up asks for most and the engine doesn't
 * type: a cause ("de ce", "din ce motiv"), a name asked as "cum îl cheamă", and what someone
 * said ("ce a zis"). Inside one story a sentence that holds the asked kind is the likeliest
 * answer even when it shares no word with the follow-up ("de ce a făcut asta?").
 */
import { answerTypeOf, hasAnswerToken, questionWordSet } from "../search/answer-type.js";
import { fold } from "../text/normalize.js";

export type AskedKind = "number" | "date" | "name" | "place" | "cause" | "said";

/** Asked before the engine's types: "de ce" must not fall through to "ce". */
const OWN_PATTERNS: ReadonlyArray<readonly [AskedKind, RegExp]> = [
  ["cause", /\b(?:de ce|din ce (?:motiv|cauza)|care (?:e|este|a fost) (?:motivul|cauza)|cum de|pentru ce)\b/],
  ["name", /\bcum (?:il|o|ii|le|se) (?:cheama|numeste|numesc|zice)\b|\bce nume\b/],
  ["number", /\bce varsta\b|\bcati ani\b/],
  [
    "said",
    /\bce (?:a|au|ar fi|i-a|le-a) (?:zis|spus|declarat|raspuns|transmis|scris|mai zis|mai spus)\b|\bce (?:zice|spune|declara)\b/,
  ],
];

/** The kind of answer a question asks for, or null when its question words don't say. */
export function askedKindOf(question: string): AskedKind | null {
  const q = fold(question);
  for (const [kind, re] of OWN_PATTERNS) if (re.test(q)) return kind;
  // The engine also types "cum" (manner), which follow-ups do not use.
  const type = answerTypeOf(question);
  return type === "manner" ? null : type;
}

/** Words that give a cause or a purpose in Romanian news prose. */
const CAUSE =
  /\b(?:pentru ca|deoarece|din cauza|din pricina|intrucat|fiindca|caci|motivul|motivele|pe motiv|dupa ce|ca urmare|in urma|pentru a|ca sa|a vrut sa|voia sa|a incercat sa|ar fi vrut|intentiona|nemultumit|suparat|gelozie|datorii)\b/;
/** Verbs of saying, a colon or quotation marks: a sentence that reports what someone said. */
const SAID =
  /\b(?:a (?:spus|declarat|zis|afirmat|precizat|explicat|adaugat|transmis|scris|marturisit|povestit|recunoscut|sustinut)|spune|sustine|declara|afirma|potrivit|a mai spus)\b|[„"«:]/;

/** A sentence that gives someone's name in words ("se numește", "pe nume"). */
const NAMING = /\b(?:se numeste|se numea|pe nume|numele (?:sau|lui|ei|acestuia|acesteia))\b/;

/**
 * Whether `sentence` holds an answer of `kind` that the question's own words don't already give.
 * `known`: the question (its text) or the folded words already known (questionWordSet of the
 * question, the topic, the title): a name or number among them is not an answer.
 */
export function holdsKind(sentence: string, kind: AskedKind, known: string | ReadonlySet<string>): boolean {
  if (kind === "cause") return CAUSE.test(fold(sentence));
  if (kind === "said") return SAID.test(fold(sentence));
  if (kind === "name" && NAMING.test(fold(sentence))) return true;
  return hasAnswerToken(sentence, kind, typeof known === "string" ? questionWordSet(known) : known);
}
