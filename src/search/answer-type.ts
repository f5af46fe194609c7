/**
 * What kind of answer a question asks for, read from its Romanian question words: "când" wants a
 * date, "câți" a number, "cine" a name, "unde" a place, "de ce" a cause, "cum" a manner. A
 * sentence that holds such a token (one the question itself does not contain) is likelier to
 * answer than one that only repeats the question's words; a story that holds none anywhere
 * probably does not report the fact asked about.
 *
 * Users often type without diacritics or question mark, so everything is matched on the folded
 * question ("cati", "cand", "unde").
 */
import { tokenize, type Token } from "../text/analyzer.js";
import { fold } from "../text/normalize.js";

export type AnswerType = "number" | "date" | "name" | "place" | "cause" | "manner";

const PATTERNS: ReadonlyArray<readonly [AnswerType, RegExp]> = [
  [
    "cause",
    /\b(?:de ce|din ce (?:cauza|motiv)|care (?:e|este|a fost|au fost) (?:motivul|cauza)|ce (?:a cauzat|a provocat|a determinat|a declansat)|(?:pe|pentru) ce motiv|(?:de la|din) ce (?:a pornit|a izbucnit|s-a produs|s-a declansat))\b/,
  ],
  [
    "date",
    /\b(?:cand|(?:in|din|de) ce (?:an|secol|luna|zi|perioada|data|deceniu)|ce (?:an|data|zi|luna|secol)|de cand|pana cand|la ce ora)\b/,
  ],
  [
    "number",
    /\b(?:cat|cata|cati|cate|cator|ce (?:numar|numere|procent|procente|suma|sume|varsta|varste|distanta|distante|marime|marimi|dimensiune|dimensiuni|inaltime|lungime|greutate|temperatura|temperaturi|valoare|valori|pret|preturi|salariu|salarii|amenda|amenzi|avere|averi|scor|scoruri|durata|nota|note|medie|media|punctaj|punctaje)|la ce (?:pret|suma|varsta|distanta|inaltime|temperatura|viteza))\b/,
  ],
  [
    "name",
    /\b(?:cine|(?:pe|cu|de|pentru|la|despre) cine|cui|(?:al|a|ai|ale) cui|cum (?:il|o|ii|le|se) (?:cheama|cheamau|numeste|numesc|numea|numeau|zice)|ce nume|ce (?:companie|companii|firma|firme|organizatie|organizatii|echipa|echipe|grup|grupuri|partid|partide|institutie|institutii|persoana|persoane|om|oameni|jucator|jucatori|trupa|trupe|formatie|formatii|rege|presedinte|club|cluburi|marca|marci|brand|branduri|model|modele|banca|banci|publicatie|publicatii|ziar|ziare|revista|reviste|post|posturi|televiziune|radio|emisiune|emisiuni|serial|seriale|film|filme|carte|carti|melodie|melodii|piesa|piese|album|albume|nava|nave|hotel|hoteluri|restaurant|restaurante|aplicatie|aplicatii|retea|retele))\b/,
  ],
  [
    "place",
    /\b(?:unde|de unde|pana unde|(?:in|din|spre|la|pe) ce (?:oras|orase|tara|tari|stat|state|regiune|regiuni|loc|locuri|zona|zone|judet|judete|localitate|localitati|munte|munti|insula|insule|continent|strada|strazi|spital|spitale|sat|sate|comuna|comune))\b/,
  ],
  ["manner", /(?:^|[^\p{L}])cum (?!(?:il|o|ii|le|se) (?:cheama|numeste|numesc|numea|numeau|zice))/u],
];

/** The answer type a question asks for, or null ("ce", "care" ask for anything). */
export function answerTypeOf(question: string): AnswerType | null {
  const q = fold(question);
  for (const [type, re] of PATTERNS) if (re.test(q)) return type;
  return null;
}

const NUMBER_WORDS =
  /^(?:unu|doi|doua|trei|patru|cinci|sase|sapte|opt|noua|zece|unsprezece|doisprezece|douasprezece|douazeci|treizeci|patruzeci|cincizeci|suta|sute|mie|mii|milion|milioane|miliard|miliarde|jumatate|dublu|triplu|zeci|zecile|sutele|miile)$/;
const MONTH_NAMES = /^(?:ianuarie|februarie|martie|aprilie|mai|iunie|iulie|august|septembrie|octombrie|noiembrie|decembrie)$/;
const DAY_WORDS =
  /^(?:luni|marti|miercuri|joi|vineri|sambata|duminica|ieri|alaltaieri|aseara|azi|astazi|saptamana|weekend|dimineata|seara|noaptea|ora|orele)$/;
/** Phrases that give a cause ("pentru că", "din cauza") or a manner ("prin", "cu ajutorul"). */
const CAUSE =
  /(?:^|[^\p{L}])(?:pentru ca|deoarece|din cauza|din pricina|intrucat|fiindca|caci|dupa ce|ca urmare|in urma|motivul|cauza|pe motiv|a provocat|a dus la|s-a datorat|din motive|pe fondul|(?:cauzat|cauzata|provocat|provocata|declansat|declansata|generat|generata) de|(?:a|au) pornit de la|se datoreaza|s-au datorat|acuzat(?:i|a|e)? (?:de|ca))(?:[^\p{L}]|$)/u;
const MANNER =
  /(?:^|[^\p{L}])(?:prin|cu ajutorul|folosind|utilizand|astfel|dupa ce|pretinzand|dandu-se|in timp ce|cu un|cu o)(?:[^\p{L}]|$)/u;

const foldCache = new Map<string, string>();
/** fold() of one word, remembered (every candidate sentence of every question goes through here). */
export function foldWord(word: string): string {
  let f = foldCache.get(word);
  if (f === undefined) {
    if (foldCache.size >= 100_000) foldCache.clear();
    foldCache.set(word, (f = fold(word)));
  }
  return f;
}

const PLACE_PREPOSITIONS = /^(?:in|din|la|langa|spre|pe|prin|catre|pana|de)$/;
const YEAR = /^(?:1[89]|20)\d\d$/;

/** A text's words as answer-type checks need them: folded, and where capitals stand. */
export interface AnswerTokens {
  /** The whole text folded (for cause and manner phrases). */
  readonly folded: string;
  readonly words: ReadonlyArray<{ readonly folded: string; readonly capitalised: boolean }>;
}

/**
 * Whether `tokens[i]` (of `text`) is a name: a capitalised word (not one in capitals: headings,
 * "CITEȘTE ȘI") that does not open a sentence.
 */
export function isCapitalisedName(text: string, tokens: readonly Token[], i: number): boolean {
  const t = tokens[i]!;
  if (!/^\p{Lu}\p{Ll}/u.test(t.text)) return false;
  if (i === 0) return false;
  let k = t.start - 1;
  while (k >= 0 && /\s/u.test(text[k]!)) k--;
  return !/[.!?:„"«]/u.test(text[k] ?? "");
}

/** Analyses a text once for any number of hasAnswerTokenIn checks. */
export function answerTokens(text: string): AnswerTokens {
  return answerTokensOf(text, tokenize(text));
}

/** answerTokens for a text already tokenised (`tokens` = tokenize(text)): the answer engine tokenises each sentence once. */
export function answerTokensOf(text: string, tokens: readonly Token[]): AnswerTokens {
  const words = tokens.map((t, i) => ({ folded: foldWord(t.text), capitalised: isCapitalisedName(text, tokens, i) }));
  // The whole folded text only matters for cause, manner and clock times: folded when read.
  let folded: string | undefined;
  return {
    get folded() {
      return (folded ??= fold(text));
    },
    words,
  };
}

/**
 * True when `text` holds a token of the asked type that is not among `known` (the question's
 * folded words, and the story's: a name already in the title is the story, not the answer):
 * digits or number words for numbers; a year, a month or day word, or a clock time for dates;
 * a capitalised word that does not open a sentence for names, one after a place preposition
 * ("în Elveția", "din Slatina") for places; cause or manner phrases for "de ce"/"cum".
 */
export function hasAnswerToken(text: string, type: AnswerType, known: ReadonlySet<string>): boolean {
  return hasAnswerTokenIn(answerTokens(text), type, known);
}

export function hasAnswerTokenIn(tokens: AnswerTokens, type: AnswerType, known: ReadonlySet<string>): boolean {
  if (type === "cause" || type === "manner") return (type === "cause" ? CAUSE : MANNER).test(tokens.folded);
  return nextAnswerToken(tokens, type, known, 0) >= 0;
}

/**
 * The word indexes (in `tokens.words`) of the answer tokens of a number, date, name or place
 * type (none for cause and manner, which are phrases): where in the sentence the answer stands.
 */
export function answerTokenIndexes(tokens: AnswerTokens, type: AnswerType, known: ReadonlySet<string>): number[] {
  const out: number[] = [];
  if (type === "cause" || type === "manner") return out;
  for (let i = nextAnswerToken(tokens, type, known, 0); i >= 0; i = nextAnswerToken(tokens, type, known, i + 1)) out.push(i);
  return out;
}

/** The index of the first answer token at or after `from`, or -1. */
function nextAnswerToken(tokens: AnswerTokens, type: AnswerType, known: ReadonlySet<string>, from: number): number {
  const words = tokens.words;
  for (let i = from; i < words.length; i++) {
    const w = words[i]!;
    if (known.has(w.folded)) continue;
    if (type === "number") {
      if (/\d/.test(w.folded) || NUMBER_WORDS.test(w.folded)) return i;
    } else if (type === "date") {
      if (YEAR.test(w.folded) || MONTH_NAMES.test(w.folded) || DAY_WORDS.test(w.folded)) return i;
      if (/^\d{1,2}$/.test(w.folded) && /^\d\d$/.test(words[i + 1]?.folded ?? "") && /\b\d{1,2}[.:]\d\d\b/.test(tokens.folded))
        return i;
    } else if (w.capitalised) {
      if (type === "name") return i;
      const prev = words[i - 1];
      if (prev && PLACE_PREPOSITIONS.test(prev.folded)) return i;
    }
  }
  return -1;
}

/** Folded words of the question, for hasAnswerToken. */
export function questionWordSet(question: string): Set<string> {
  return new Set(tokenize(question).map((t) => fold(t.text)));
}

/** A question about money ("ce preț", "cât costă", "ce salariu"): a number answers it only with a currency. */
const MONEY_ASKED =
  /\b(?:pret|preturi|cost|costa|costau|costat|costul|suma|sume|salariu|salarii|salariul|bani|banii|amenda|amenzi|avere|averea|castiga|castigat|plateste|platit|taxa|tarif|chirie|chiria)\b/;
/** A currency in news prose (folded text). */
const CURRENCY = /\b(?:lei|leu|ron|euro|eur|dolari|dolar|usd|lire|franci|ruble|grivne|bani)\b|[$€£]/;

export function asksMoney(question: string): boolean {
  return MONEY_ASKED.test(fold(question));
}

export function holdsCurrency(text: string): boolean {
  return CURRENCY.test(fold(text));
}
