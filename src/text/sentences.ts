/**
 * Sentence splitting for Romanian news text, returning offsets into the original string so
 * that every quote stays a verbatim substring.
 *
 * What it copes with, all seen in real scrapes:
 * - Romanian quotations „…” (and “…”, «…»): a full stop inside an open quotation does not end
 *   the sentence; the sentence ends after the closing mark when the next one starts;
 * - abbreviations ("dr.", "nr.", "art.", "ș.a.") and initials ("A. Popescu");
 * - sentences glued with no space after the full stop ("pasageră.Cu câteva…");
 * - decimals and thousands ("3.5", "1.000") and ellipses followed by lower case;
 * - quotations opened with „ and closed with “, ″ or an apostrophe, as some sites type them;
 * - paragraphs run together by the scrape: a closing quotation glued to the next sentence
 *   ("…decentă”Oficialii…", "…spus”.„Eu…"), a glued stop inside an open quotation, and
 *   "Citește și:" link runs glued to the text around them.
 */

/**
 * Version of the splitting rules. Persisted indexes store sentence boundaries, and the index
 * fingerprint covers this number: bump it whenever a rule changes where sentences end.
 * 2: „…“ closers, glued closing quotations, glued stops inside quotations, "Citește și:", domains.
 */
export const SPLITTER_VERSION = 2;

export interface Span {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

const TERMINATORS = new Set([".", "!", "?", "…"]);
const CLOSERS = new Set(["”", '"', "»", ")", "’", "'", "“", "″"]);
/** Marks that close a quotation opened with „ (sites type „…”, „…“, „…″ and even „…'). */
const QUOTE_CLOSERS = new Set(["”", "»", "“", "″", '"']);
/** "Read also" link runs that scrapes glue to the sentences around them. */
const READ_ALSO = /^(?:Citește și|Citeşte şi|CITEȘTE ȘI|CITEŞTE ŞI)\s*:/u;
const OPENERS_AFTER = /["„“«(\-–—'‘]/u;
const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;
/** Inside a quotation, a sentence this long already ends at the next stop followed by a capital. */
const QUOTE_SPLIT_AFTER = 200;
/** Quotations longer than this are assumed unbalanced (a missing ”) and stop blocking splits. */
const MAX_QUOTE_SPAN = 600;

/** Top-level domains that end a site's name cited at the end of a sentence ("news.ro."). */
const DOMAINS = new Set(["ro", "com", "net", "org", "eu", "md", "info", "uk", "de", "fr"]);

/** Lower-case words that end with a full stop without ending a sentence. */
const ABBREVIATIONS = new Set(
  `dr prof conf lect asist ing ec av jud mun com sat str bd bdul bld cal sos sp nr art alin lit pct cap par sec sect
  ian feb febr mar apr iun iul aug sep sept oct nov dec lun mart mie joi vin sam dum mil mld mii cca aprox
  tel fax fig ex etc vs pag pp vol ed red coord trad st sf gen col lt mr mrs ms jr sr dl dna dlui dnei dvs dumneavoastra
  resp id ibid op cit vezi ss nota obs pl reg min max sq inc ltd co corp univ acad arh pr pt prin`.split(/\s+/),
);

function wordBefore(text: string, end: number): string {
  let i = end;
  while (i > 0 && /[\p{L}]/u.test(text[i - 1] as string)) i--;
  return text.slice(i, end);
}

/** True when the full stop at `dot` belongs to an abbreviation or an initial. */
function isAbbreviation(text: string, dot: number): boolean {
  const word = wordBefore(text, dot);
  if (word === "") return false;
  // Initials ("A. Popescu", "S.U.A.") and dotted abbreviations ("ș.a.", "a.c.").
  if (word.length === 1) return true;
  const prevChar = text[dot - word.length - 1];
  // "potrivit news.ro." ends a sentence: a site's domain is no dotted abbreviation.
  if (prevChar === "." && DOMAINS.has(word.toLowerCase()) && wordBefore(text, dot - word.length - 1).length >= 2) return false;
  if (prevChar === ".") return true;
  return ABBREVIATIONS.has(word.toLowerCase().replace(/ş/g, "ș").replace(/ţ/g, "ț"));
}

function isApostrophe(ch: string): boolean {
  return ch === "'" || ch === "’";
}

/** True when a sentence plainly starts at `at` with nothing before it: "Cuvânt" or „Cuvânt. */
function gluedStart(text: string, at: number, to: number): boolean {
  if (at + 1 >= to) return false;
  const a = text[at] as string;
  const b = text[at + 1] as string;
  return (UPPER.test(a) && LOWER.test(b)) || (a === "„" && (UPPER.test(b) || b === "("));
}

/** True when the character at `at` is inside a web address ("https://site.ro/Pagina.Noua"). */
function inUrl(text: string, at: number): boolean {
  let k = at;
  while (k > 0 && !/\s/u.test(text[k - 1] as string) && at - k < 300) k--;
  return /https?:\/\/|www\./iu.test(text.slice(k, at));
}

/** "cuvânt.Cuvânt": a lower-case word of two or more letters, the stop at `dot`, a capitalised word. */
function gluedAfterWord(text: string, dot: number, to: number): boolean {
  const word = wordBefore(text, dot);
  return (
    word.length >= 2 &&
    LOWER.test(word[word.length - 1] as string) &&
    dot + 1 < to &&
    UPPER.test(text[dot + 1] ?? "") &&
    !inUrl(text, dot) &&
    !isAbbreviation(text, dot)
  );
}

/** Splits `text[from, to)` into sentence spans (trimmed, never empty). */
export function splitSentences(text: string, from = 0, to = text.length): Span[] {
  const spans: Span[] = [];
  let start = from;
  let quoteOpen = -1;
  const push = (end: number) => {
    let s = start;
    let e = end;
    while (s < e && /\s/u.test(text[s] as string)) s++;
    while (e > s && /\s/u.test(text[e - 1] as string)) e--;
    if (e > s) spans.push({ start: s, end: e });
    start = end;
  };
  for (let i = from; i < to; i++) {
    const ch = text[i] as string;
    let closes = ch === "”" || ch === "»" || ch === "″";
    if (ch === "„" || ch === "«") quoteOpen = i;
    else if (quoteOpen >= 0 && (QUOTE_CLOSERS.has(ch) || (isApostrophe(ch) && !LOWER.test(text[i + 1] ?? "")))) {
      quoteOpen = -1;
      closes = true;
    }
    if (ch === "\n") {
      push(i);
      continue;
    }
    if ((ch === "C" || ch === "c") && i > start && READ_ALSO.test(text.slice(i, i + 16))) {
      // "…TribunuluiCitește și: …" — a link run starts a sentence of its own.
      quoteOpen = -1;
      push(i);
      continue;
    }
    if (closes && quoteOpen < 0 && i > start && /[\p{L}\d.!?…]/u.test(text[i - 1] ?? "") && gluedStart(text, i + 1, to)) {
      // "…o viață decentă”Oficialii au…": a closed quotation glued to the next paragraph.
      push(i + 1);
      continue;
    }
    if (!TERMINATORS.has(ch)) continue;
    if (quoteOpen >= 0 && i - quoteOpen > MAX_QUOTE_SPAN) quoteOpen = -1;
    // The run of terminators and closing marks that ends this sentence ("?!", "...", ".”").
    let j = i + 1;
    while (j < to && TERMINATORS.has(text[j] as string)) j++;
    let closedQuote = false;
    while (j < to && CLOSERS.has(text[j] as string)) {
      if (QUOTE_CLOSERS.has(text[j] as string) || (quoteOpen >= 0 && isApostrophe(text[j] as string))) closedQuote = true;
      j++;
    }
    if (quoteOpen >= 0 && !closedQuote) {
      // Inside a quotation only a stop glued between two words ("…înțelege.A făcut…") splits: it is a
      // paragraph break the scrape lost, and the quotation goes on in the next sentence.
      if (ch === "." && j === i + 1 && gluedAfterWord(text, i, to)) {
        push(j);
        i = j - 1;
      } else if (i - start >= QUOTE_SPLIT_AFTER && /[ \t\u00a0]/u.test(text[j] ?? "") && UPPER.test(text[j + 1] ?? "")) {
        // A long quotation of several sentences: past QUOTE_SPLIT_AFTER characters, a stop followed by a
        // space and a capital ends the sentence, the quotation going on in the next one.
        if (!(ch === "." && j === i + 1 && isAbbreviation(text, i))) {
          push(j);
          i = j - 1;
        }
      }
      continue;
    }
    if (j >= to) break;
    const next = text[j] as string;
    let boundary = false;
    if (/\s/u.test(next)) {
      let k = j;
      while (k < to && /[ \t\u00a0]/u.test(text[k] as string)) k++;
      const after = text[k] ?? "";
      boundary = after === "\n" || UPPER.test(after) || /\d/.test(after) || OPENERS_AFTER.test(after);
      if (boundary && ch === "." && j === i + 1 && isAbbreviation(text, i)) {
        // "dr. Popescu" — but "…din Cluj. Apoi" still splits because "cluj" is no abbreviation.
        boundary = false;
      }
    } else if (ch !== "…" && j === i + 1 && !inUrl(text, i)) {
      // Glued sentences: a lower-case word of two or more letters, the stop, then upper case.
      const word = wordBefore(text, i);
      if (CLOSERS.has(text[i - 1] as string) && gluedStart(text, j, to)) {
        // "…a spus”.„Eu…", "…2025″.Există…", "…(RAM).Rundo…": a stop after a closed quotation or
        // bracket, glued to the next sentence.
        quoteOpen = -1;
        push(j);
        i = j - 1;
        continue;
      }
      const nextIsStart = UPPER.test(next) || (/[-–—„"]/u.test(next) && UPPER.test(text[j + 1] ?? ""));
      boundary =
        nextIsStart &&
        word.length >= 2 &&
        LOWER.test(word[word.length - 1] as string) &&
        !(ch === "." && isAbbreviation(text, i));
      // Also after a number or a word in capitals ("în 2021.Dar", "anunță SAJ.Florin", "AICI!Claude") when a capitalised
      // word follows: a decimal or a dotted abbreviation ("S.U.A.") never has that shape.
      if (!boundary && gluedStart(text, j, to)) {
        const prev = text[i - 1] ?? "";
        const digits = ch === "." && /\d/.test(prev) && wordBefore(text, i) === "";
        const acronym = word.length >= 2 && /^\p{Lu}+$/u.test(word) && (ch !== "." || text[i - word.length - 1] !== ".");
        boundary = digits || acronym;
      }
    } else if (closedQuote || j > i + 1) {
      boundary = UPPER.test(next);
    }
    if (boundary) {
      quoteOpen = -1;
      push(j);
      i = j - 1;
    }
  }
  push(to);
  return spans;
}
