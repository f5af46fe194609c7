/**
 * Removal of scraping boilerplate: the lines a news site wraps around an article (font-size
 * widgets, "read also" cross-links, newsletter prompts, photo credits). They must never be
 * quoted as if they were news. Patterns are matched on the folded line (lower case, no
 * diacritics), so "Citește și", "Citeşte şi" and "Citeste si" are one rule.
 *
 * Some self-promotion lines name the outlet ("producții video G4Media"); those rules also
 * report it, which is how an article without metadata gets its source.
 */
import { fold } from "../text/normalize.js";

interface LineRule {
  /** Tested against the folded, trimmed line. */
  readonly pattern: RegExp;
  /** Extracts the outlet's name from the original line, when the rule names one. */
  readonly outlet?: (line: string) => string | null;
  /** Lines longer than this are real prose that merely starts alike; they are kept. */
  readonly maxLength?: number;
}

const after = (re: RegExp) => (line: string) => re.exec(line)?.[1]?.trim() || null;

const LINE_RULES: readonly LineRule[] = [
  { pattern: /^dimensiune text\b/ },
  {
    pattern: /^urmareste cele mai noi productii video\b/,
    outlet: after(/produc\S* video\s+(.+?)\s*(?:-|–|$)/iu),
    maxLength: 300,
  },
  { pattern: /^[-–—\s]*articolul continua (?:mai jos|dupa reclama)/ },
  { pattern: /^citeste si\b/, maxLength: 400 },
  { pattern: /^(?:pe acelasi subiect|vezi si|recomandarea editorului|recomandari)\s*:?/, maxLength: 200 },
  { pattern: /^inapoi la homepage\b/ },
  {
    pattern: /^puteti urmari stirile\b.*\bgoogle news\b/,
    outlet: after(/[șşs]tirile\s+(.+?)\s+(?:[șşs]i\s+)?pe Google News/iu),
    maxLength: 300,
  },
  { pattern: /^video recomandate?\b/, maxLength: 200 },
  { pattern: /^(?:sursa\s+)?(?:foto|fotografie|photo|video|imagine|credit foto)\s*:/, maxLength: 160 },
  { pattern: /^(?:foto|video|galerie foto)$/ },
  { pattern: /^sursa\s*:/, maxLength: 80 },
  { pattern: /^abonea\w*-te\b/, maxLength: 200 },
  { pattern: /^lasa-ne adresa\b/, maxLength: 300 },
  { pattern: /^sunt de acord cu\b.*\b(?:politica de confidentialitate|termenii)/, maxLength: 300 },
  { pattern: /^vezi stirea completa\b/, maxLength: 200 },
  { pattern: /^tot articolul,? (?:in|pe)\b/, maxLength: 120 },
  {
    pattern: /^urmareste pe libertatea livetext\b/,
    outlet: () => "Libertatea",
  },
  { pattern: /^afla totul despre vedetele\b/, outlet: () => "Viva", maxLength: 300 },
  { pattern: /^logheaza-te in contul tau\b/, maxLength: 300 },
  { pattern: /^ati sesizat o eroare\b/, maxLength: 400 },
  {
    pattern:
      /^(?:urmareste|urmariti|urmareste-ne|urmariti-ne)\b.*\b(?:facebook|instagram|tiktok|youtube|twitter|google news|whatsapp|telegram)\b/,
    maxLength: 200,
  },
  { pattern: /^https?:\/\/\S+$/ },
  { pattern: /^\(p\)$/ },
];

/**
 * Phrases that scrapers glue to the end of the last sentence ("…pasageră.Sursa foto:
 * FacebookAflă totul despre vedetele…"): everything from the phrase to the end of the line
 * is boilerplate. Matched on the original line, diacritics in either spelling.
 */
const TAIL_PHRASES: readonly { pattern: RegExp; outlet?: string }[] = [
  { pattern: /Afl[ăa] totul despre vedetele din Rom[âa]nia/u, outlet: "Viva" },
  { pattern: /Logheaz[ăa]-te [îi]n contul t[ăa]u pentru a ad[ăa]uga comentarii/u },
  { pattern: /Urm[ăa]re[șşs]te pe Libertatea LIVETEXT/u, outlet: "Libertatea" },
  { pattern: /A[țţt]i sesizat o eroare [îi]ntr-un articol din Libertatea/u, outlet: "Libertatea" },
  { pattern: /Pute[țţt]i urm[ăa]ri [șşs]tirile .{1,40}? pe Google News/u },
  { pattern: /Urm[ăa]re[șşs]te cele mai noi produc[țţt]ii video/u },
];

/**
 * A photo credit left dangling at the end of a line once a tail phrase is cut. Only the last
 * PHOTO_CREDIT_TAIL characters of a line are searched (a credit is short, and lines are tidied
 * to single spaces): the regex never scans a long line from every position.
 */
const TRAILING_PHOTO_CREDIT = /\s?(?:\(?\s?(?:Sursa\s)?(?:foto|FOTO|Foto|Photo)\s?:[^.!?]{0,80})$/u;
const PHOTO_CREDIT_TAIL = 120;

function cutTrailingPhotoCredit(line: string): string {
  const from = Math.max(0, line.length - PHOTO_CREDIT_TAIL);
  return (line.slice(0, from) + line.slice(from).replace(TRAILING_PHOTO_CREDIT, "")).trim();
}

export interface CleanResult {
  /** The cleaned paragraphs, in order. */
  readonly paragraphs: string[];
  /** The outlet named by a self-promotion line, when one was found. */
  readonly outlet: string | null;
  /** How many lines or line tails were removed (for logs and tests). */
  readonly removed: number;
}

/** Collapses runs of any white space (em spaces too) into one space and trims; other characters are left untouched. */
function tidy(line: string): string {
  return line.replace(/[\s\u200b\ufeff]+/gu, " ").trim();
}

/** Splits raw text into lines, removes boilerplate, returns the paragraphs that remain. */
export function cleanParagraphs(raw: string): CleanResult {
  let outlet: string | null = null;
  let removed = 0;
  const paragraphs: string[] = [];
  for (const rawLine of raw.replace(/\r\n?/g, "\n").split("\n")) {
    let line = tidy(rawLine);
    if (line === "") continue;
    // Lines with no letter or digit at all ("-->", "***") are layout, not text.
    if (!/[\p{L}\p{N}]/u.test(line)) {
      removed++;
      continue;
    }
    const folded = fold(line);
    const rule = LINE_RULES.find((r) => r.pattern.test(folded) && (r.maxLength === undefined || line.length <= r.maxLength));
    if (rule) {
      removed++;
      outlet ??= rule.outlet?.(line) ?? null;
      continue;
    }
    for (const tail of TAIL_PHRASES) {
      const m = tail.pattern.exec(line);
      if (m && m.index !== undefined) {
        line = line.slice(0, m.index);
        outlet ??= tail.outlet ?? null;
        removed++;
      }
    }
    if (line !== tidy(rawLine)) line = cutTrailingPhotoCredit(line);
    if (line !== "" && /[\p{L}\p{N}]/u.test(line)) paragraphs.push(line);
  }
  return { paragraphs, outlet, removed };
}
