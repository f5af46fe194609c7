/**
 * What kind of answer a question asks for, read from its question words: "când" wants a date,
 * "câți" a number, "cine" a name. A passage that holds such a token — one the question itself
 * does not contain — is likelier to hold the answer than one that only repeats the question.
 */
import { tokenize } from "../text/analyzer.js";
import { fold } from "../text/normalize.js";

export type AnswerType = "number" | "date" | "name" | "place";

const PATTERNS: ReadonlyArray<readonly [AnswerType, RegExp]> = [
  ["date", /\b(?:cand|(?:in|din) ce (?:an|secol|luna|zi|perioada|data|deceniu)|ce (?:an|data|zi|luna|secol))\b/],
  ["number", /\b(?:cat|cata|cati|cate|cator|ce (?:numar|procent|suma|varsta|distanta|marime|dimensiune|inaltime|lungime|greutate|temperatura|valoare))\b/],
  ["name", /\b(?:cine|(?:pe|cu|de|pentru|la|despre) cine|cui|(?:al|a|ai|ale) cui|ce (?:companie|firma|organizatie|echipa|grup|partid|institutie|persoana|om|jucator|trupa|formatie|rege|presedinte))\b/],
  ["place", /\b(?:unde|de unde|(?:in|din|spre) ce (?:oras|tara|stat|regiune|loc|zona|judet|localitate))\b/],
];

/** The answer type a question asks for, or null ("ce", "de ce", "cum" ask for anything). */
export function answerTypeOf(question: string): AnswerType | null {
  const q = fold(question);
  for (const [type, re] of PATTERNS) if (re.test(q)) return type;
  return null;
}

const MONTHS = /^(?:ian|feb|mar|apr|mai|iun|iul|aug|sep|oct|noi|dec)/;

/**
 * True when `text` holds a token of the asked type that the question does not contain:
 * digits for numbers and dates (and month names for dates), capitalised words that do not
 * open a sentence for names and places.
 */
export function hasAnswerToken(text: string, type: AnswerType, questionWords: ReadonlySet<string>): boolean {
  const tokens = tokenize(text);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const folded = fold(t.text);
    if (questionWords.has(folded)) continue;
    if (type === "number" || type === "date") {
      if (/\d/.test(folded)) return true;
      if (type === "number" && /^(?:doi|doua|trei|patru|cinci|sase|sapte|opt|noua|zece|suta|sute|mie|mii|milion|milioane|miliard|miliarde|jumatate|dublu)$/.test(folded)) return true;
      if (type === "date" && MONTHS.test(folded) && folded.length >= 3 && /^[\p{L}]+$/u.test(folded) && /^(?:ianuarie|februarie|martie|aprilie|mai|iunie|iulie|august|septembrie|octombrie|noiembrie|decembrie)$/.test(folded)) return true;
    } else {
      const before = text.slice(0, t.start).trimEnd();
      const opensSentence = i === 0 || /[.!?:„"«]$/u.test(before);
      if (/^\p{Lu}/u.test(t.text) && !opensSentence) return true;
    }
  }
  return false;
}

/** Folded words of the question, for hasAnswerToken. */
export function questionWordSet(question: string): Set<string> {
  return new Set(tokenize(question).map((t) => fold(t.text)));
}
