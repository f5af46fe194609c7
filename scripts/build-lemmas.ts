/**
 * Builds src/text/lemmas.txt: groups of index terms (Snowball stems of folded words) that are
 * inflections of one dictionary lemma but that Snowball stems apart ("Rusia" → "rusi", "Rusiei"
 * → "rus"; "Ucraina"/"Ucrainei"). src/text/lemmas.ts reads it.
 *
 *   node --import tsx scripts/build-lemmas.ts [--out src/text/lemmas.txt] [--no-munch]
 *
 * Source: the Romanian Hunspell dictionary of the Rospell team (npm `dictionary-ro`,
 * GPL-2.0 / LGPL-2.1 / MPL-1.1 tri-licence; the derived table ships under MPL-1.1, see README).
 * Each .dic entry with affix flags is expanded by `hunspell-reader` (the cspell project's reader)
 * into its forms: one lemma. Prefixed forms are left out (the dictionary's prefixes "ne-", "re-"
 * make antonyms and repetitions, not inflections), and so are forms with a hyphen (clitics:
 * the tokenizer splits them).
 *
 * Many entries (proper names above all: "Rusia", "Rusiei", "Rusie") are listed bare, one entry
 * per form. For those the script runs the affix rules backwards ("munch"): a bare word that one
 * suffix rule turns back into a base whose expansion under the same flag gives at least
 * MUNCH_MIN_FORMS bare words of the dictionary joins those words in a lemma.
 *
 * Only what matching needs is written: a lemma's distinct index terms, when it has two or more
 * (one term means Snowball already unites its forms). One line per lemma, terms sorted.
 */
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { IterableHunspellReader } from "hunspell-reader";
import { termOf } from "../src/text/analyzer.js";
import { fold } from "../src/text/normalize.js";

/** The part of hunspell-reader's parsed suffix rule the munch step reads. */
interface SuffixRule {
  substitutionsForRegExps: Array<{ match: RegExp; substitutions: Array<{ remove: string; attach: string }> }>;
}

/** A bare word's reconstructed paradigm must have this many forms in the dictionary. */
const MUNCH_MIN_FORMS = 3;

const argv = process.argv.slice(2);
const outAt = argv.indexOf("--out");
const out = outAt >= 0 ? argv[outAt + 1]! : "src/text/lemmas.txt";
const munch = !argv.includes("--no-munch");

const dir = dirname(fileURLToPath(import.meta.resolve("dictionary-ro")));
const reader = await IterableHunspellReader.createFromFiles(join(dir, "index.aff"), join(dir, "index.dic"));

/**
 * Forms worth matching: letters only (no hyphen: the tokenizer splits clitics off), at least
 * two, no prefix of the dictionary's ("ne-", "re-" make other words), and not a vocative
 * ("-o", "-ule") nor the informal article-less "-u" ("secolu"): rare in news, and half the table.
 */
const usable = (f: { word: string; prefix: string; suffix: string }) =>
  f.prefix === "" && /^\p{L}{2,}$/u.test(f.word) && !/o$|^ule$|^u$/.test(f.suffix);

/** Index terms of a set of forms. */
function termsOf(forms: Iterable<string>): Set<string> {
  const terms = new Set<string>();
  for (const f of forms) {
    const t = termOf(fold(f));
    if (t !== null && !/\d/.test(t)) terms.add(t);
  }
  return terms;
}

const groups = new Set<string>();
const add = (terms: Set<string>) => {
  if (terms.size >= 2) groups.add([...terms].sort().join(" "));
};

let entries = 0;
const bare: string[] = [];
for (const forms of reader.seqTransformDictionaryEntries()) {
  entries++;
  const first = forms[0];
  if (!first) continue;
  if (!first.dic.includes("/")) {
    if (/^\p{L}{2,}$/u.test(first.word)) bare.push(first.word);
    continue;
  }
  add(termsOf(forms.filter(usable).map((f) => f.word)));
}
const flagged = groups.size;

let munched = 0;
if (munch) {
  const bareSet = new Set(bare);
  // Every suffix substitution by the ending it attaches: a bare word ending so may be that form.
  const byAttach = new Map<string, Array<{ flag: string; remove: string; match: RegExp }>>();
  // `rules` (flag → affix rule) is protected in hunspell-reader's typings; it is the parsed .aff.
  const affRules = (reader.aff as unknown as { rules: Map<string, { sfx?: SuffixRule }> }).rules;
  for (const [flag, rule] of affRules) {
    const sfx = rule.sfx;
    if (!sfx) continue;
    for (const set of sfx.substitutionsForRegExps)
      for (const s of set.substitutions) {
        const list = byAttach.get(s.attach) ?? [];
        list.push({ flag, remove: s.remove === "0" ? "" : s.remove, match: set.match });
        byAttach.set(s.attach, list);
      }
  }
  const expanded = new Map<string, string[]>();
  const paradigm = (base: string, flag: string) => {
    const key = `${base}/${flag}`;
    let forms = expanded.get(key);
    if (!forms) {
      forms = reader.aff
        .applyRulesToDicEntry(key, 1)
        .filter(usable)
        .map((f) => f.word);
      expanded.set(key, forms);
    }
    return forms;
  };
  const done = new Set<string>();
  for (const w of bare) {
    if (done.has(w)) continue;
    let best: string[] = [];
    for (let n = 1; n <= Math.min(6, w.length - 2); n++) {
      const rules = byAttach.get(w.slice(w.length - n));
      if (!rules) continue;
      for (const r of rules) {
        const base = w.slice(0, w.length - n) + r.remove;
        if (!r.match.test(base)) continue;
        const present = [...new Set(paradigm(base, r.flag))].filter((f) => bareSet.has(f));
        if (present.includes(w) && present.length > best.length) best = present;
      }
    }
    if (best.length < MUNCH_MIN_FORMS) continue;
    for (const f of best) done.add(f);
    const before = groups.size;
    add(termsOf(best));
    if (groups.size > before) munched++;
  }
}

const lines = [...groups].sort();
const header = [
  "# Generated by scripts/build-lemmas.ts from the npm package dictionary-ro (Rospell team,",
  "# GPL-2.0/LGPL-2.1/MPL-1.1 tri-licence; this derived table is distributed under MPL-1.1).",
  "# One lemma per line: its Snowball index terms (folded), when Snowball splits its forms.",
];
writeFileSync(out, `${[...header, ...lines].join("\n")}\n`);
console.log(
  `${entries} dictionary entries (${bare.length} bare); ${flagged} flagged lemmas and ${munched} munched ones split by Snowball; ${lines.length} lines written to ${out}`,
);
