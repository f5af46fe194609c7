/**
 * Romanian text normalisation shared by indexing and querying.
 *
 * Real Romanian news mixes two spellings of the same letters: the legacy cedilla
 * forms ş/ţ (U+015F, U+0163) and the correct comma-below forms ș/ț (U+0219, U+021B).
 * Users, on the other hand, mostly type without diacritics at all. Matching therefore
 * happens on a *folded* form: lower case, no diacritics, both spellings collapsed.
 */

const COMBINING_MARKS = /[\u0300-\u036f]/g;

/** Maps the legacy cedilla letters to their comma-below equivalents (same length). */
export function toCommaBelow(text: string): string {
  return text.replace(/ş/g, "ș").replace(/ţ/g, "ț").replace(/Ş/g, "Ș").replace(/Ţ/g, "Ț");
}

/**
 * Maps comma-below letters to the cedilla forms. The Snowball Romanian stemmer port on npm
 * (snowball-stemmers 0.6) predates comma-below support and only recognises the cedilla
 * spelling in its suffix rules; with this mapping it reproduces the reference vocabulary.
 */
export function toCedilla(text: string): string {
  return text.replace(/ș/g, "ş").replace(/ț/g, "ţ").replace(/Ș/g, "Ş").replace(/Ț/g, "Ţ");
}

/** Lower case without diacritics: "Sancţiuni" and "sanctiuni" both become "sanctiuni". */
export function fold(text: string): string {
  return text.toLowerCase().normalize("NFD").replace(COMBINING_MARKS, "").normalize("NFC");
}

/**
 * Folds one character at a time, keeping a map from every folded UTF-16 unit back to its
 * offset in the original text. Used to find query words in a quote and bold them in the
 * original (accented) text without changing a single character of it.
 */
export function foldWithOffsets(text: string): { folded: string; offsets: number[] } {
  let folded = "";
  const offsets: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    const f = fold(ch);
    for (let k = 0; k < f.length; k++) offsets.push(i);
    folded += f;
  }
  offsets.push(text.length);
  return { folded, offsets };
}
