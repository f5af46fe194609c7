/**
 * Inflections that Snowball stems apart ("Rusia" → "rusi" but "Rusiei" → "rus"; "Franța" →
 * "frant" but "Franței" → "frante"), from a lemma table built out of the Romanian Hunspell
 * dictionary (scripts/build-lemmas.ts writes lemmas.txt: one lemma per line, its index terms).
 *
 * Measured and not wired into ranking: as a sentence-ranker feature, a retrieval variant, a
 * coverage credit or a follow-up "inflection" it gave no held-out gain (see README, "Quality").
 * The table is read the first time it is asked for (0.9 MB of text, about 9 MB of heap), so a
 * process that never asks never pays for it.
 */
import { readFileSync } from "node:fs";

const TABLE_URL = new URL("./lemmas.txt", import.meta.url);

/** Index term → the other index terms of its lemmas, space-separated. */
let siblings: Map<string, string> | undefined;

function load(): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of readFileSync(TABLE_URL, "utf8").split("\n")) {
    if (line.length === 0 || line.startsWith("#")) continue;
    const terms = line.split(" ");
    for (const term of terms) {
      const others = terms.filter((t) => t !== term).join(" ");
      const known = map.get(term);
      map.set(term, known === undefined ? others : `${known} ${others}`);
    }
  }
  return map;
}

/**
 * The other index terms (termOf) that inflections of the same dictionary lemma as `term` have:
 * lemmaSiblings("rusi") holds "rus". Empty for a term whose forms Snowball already unites.
 */
export function lemmaSiblings(term: string): string[] {
  siblings ??= load();
  const s = siblings.get(term);
  return s === undefined ? [] : [...new Set(s.split(" "))];
}
