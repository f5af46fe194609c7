/**
 * `npm run eval:followup`: two-turn dialogues, asked through the same conversation code the
 * bot runs (src/conversation), over the bundled content, XQuAD-ro's paragraphs and the Digi24
 * articles (read from ../shared, never copied into the project).
 *
 * Each dialogue (test/fixtures/eval/followup-dialogues.jsonl) has two turns, a kind
 * ("follow-up": the second turn needs the first; "switch": it starts a new topic), the answer
 * strings any of which makes a quote right, and a self-contained rewording of the second turn.
 *
 * - right: the second turn's first quote (at most 400 characters) contains one of the expected
 *   strings (compared folded: case, diacritics and ş/ș ignored);
 * - polluted (topic switches only): the second turn was resolved with the old context (words
 *   added or the old articles preferred), or its first quote comes from an article the first
 *   turn's answer quoted.
 *
 * Three rows: the bot's resolution; the second turn asked alone (what a bot without memory
 * does); the self-contained rewording asked alone (an upper bound set by retrieval itself).
 * The last line printed is one JSON object with every figure.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Article } from "../src/content/article.js";
import { loadContent } from "../src/content/load-content.js";
import { Conversation, type Turn } from "../src/conversation/conversation.js";
import { createMemoryLogger } from "../src/logger.js";
import { AnswerEngine } from "../src/search/answer-engine.js";
import { fold } from "../src/text/normalize.js";
import { loadRoclico, loadXquad, requireShared, ROCLICO_DIR, XQUAD_PATH } from "./eval-data.js";

const QUOTE_LIMIT = 400;
const DIALOGUES = join(process.cwd(), "test/fixtures/eval/followup-dialogues.jsonl");
const TARGET = { right: 0.85, polluted: 0.05 };

interface Dialogue {
  id: string;
  corpus: "seed" | "xquad" | "digi";
  kind: "follow-up" | "switch";
  turns: [string, string];
  expect: string[];
  standalone: string;
}

requireShared([XQUAD_PATH, join(ROCLICO_DIR, "digi.json")]);

const dialogues: Dialogue[] = readFileSync(DIALOGUES, "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l, i) => {
    const d = JSON.parse(l) as Dialogue;
    if (d.turns?.length !== 2 || !Array.isArray(d.expect) || d.expect.length === 0 || !d.standalone) {
      throw new Error(`${DIALOGUES}:${i + 1}: a dialogue needs two turns, expected answers and a standalone question`);
    }
    return d;
  });

const seed = (await loadContent(join(process.cwd(), "content"), createMemoryLogger())).articles;
const corpus: Article[] = [...seed, ...loadXquad().articles, ...loadRoclico("digi")];
const started = performance.now();
const conversation = new Conversation(AnswerEngine.fromArticles(corpus));
const buildMs = Math.round(performance.now() - started);

const norm = (s: string) => fold(s).replace(/\s+/g, " ").trim();
const isRight = (d: Dialogue, turn: Turn) => {
  const first = turn.groups[0]?.quote.text;
  return first !== undefined && first.length <= QUOTE_LIMIT && d.expect.some((e) => norm(first).includes(norm(e)));
};

interface Row {
  name: string;
  right: number;
  /** Right among the dialogues whose self-contained rewording is answered right. */
  rightWhereAnswerable: number;
  rightFollowUps: number;
  rightSwitches: number;
  polluted: number;
  contextUsed: number;
}

const followUps = dialogues.filter((d) => d.kind === "follow-up");
const switches = dialogues.filter((d) => d.kind === "switch");
const share = (n: number, of: number) => (of === 0 ? 0 : Math.round((n / of) * 1000) / 1000);

const failures: string[] = [];
/** Dialogues whose self-contained rewording gets a right first quote: the follow-up handling's fair ceiling. */
const answerable = new Set(dialogues.filter((d) => isRight(d, conversation.ask(d.standalone, null))).map((d) => d.id));

function run(name: string, second: (d: Dialogue) => { turn: Turn; previousArticles: readonly string[] }, report = false): Row {
  let right = 0;
  let rightAnswerable = 0;
  let rightF = 0;
  let rightS = 0;
  let polluted = 0;
  let used = 0;
  for (const d of dialogues) {
    const { turn, previousArticles } = second(d);
    const ok = isRight(d, turn);
    const usedContext = turn.resolution.kind === "follow-up";
    if (ok) right++;
    if (ok && answerable.has(d.id)) rightAnswerable++;
    if (d.kind === "follow-up") {
      if (ok) rightF++;
      if (usedContext) used++;
    } else {
      if (ok) rightS++;
      const fromOld = turn.groups[0] !== undefined && previousArticles.includes(turn.groups[0].quote.article.id);
      if (usedContext || fromOld) polluted++;
    }
    if (report && (!ok || (d.kind === "switch" && usedContext))) {
      const first = turn.groups[0]?.quote;
      failures.push(
        `${d.id} [${d.kind}] ${ok ? "right" : "WRONG"}; resolved ${turn.resolution.kind}/${turn.resolution.reason}` +
          ` as «${turn.resolution.query}»; first quote ${first ? `${first.article.id}: «${first.text.slice(0, 90)}…»` : "none"}`,
      );
    }
  }
  return {
    name,
    right: share(right, dialogues.length),
    rightWhereAnswerable: share(rightAnswerable, answerable.size),
    rightFollowUps: share(rightF, followUps.length),
    rightSwitches: share(rightS, switches.length),
    polluted: share(polluted, switches.length),
    contextUsed: share(used, followUps.length),
  };
}

const rows = [
  run(
    "citat (with context)",
    (d) => {
      const first = conversation.ask(d.turns[0], null);
      return { turn: conversation.ask(d.turns[1], first.context), previousArticles: first.context.articleIds };
    },
    true,
  ),
  run("second turn alone", (d) => {
    const first = conversation.ask(d.turns[0], null);
    return { turn: conversation.ask(d.turns[1], null), previousArticles: first.context.articleIds };
  }),
  run("self-contained rewording", (d) => {
    const first = conversation.ask(d.turns[0], null);
    return { turn: conversation.ask(d.standalone, null), previousArticles: first.context.articleIds };
  }),
];

const byCorpus = Object.fromEntries(
  (["seed", "xquad", "digi"] as const).map((c) => [c, dialogues.filter((d) => d.corpus === c).length]),
);
console.log(
  `Corpus: ${seed.length} bundled + 240 XQuAD-ro paragraphs + Digi24 articles (${corpus.length} articles, index built in ${buildMs} ms).\n` +
    `Dialogues: ${dialogues.length} (${followUps.length} follow-ups, ${switches.length} topic switches = ${Math.round((switches.length / dialogues.length) * 100)} %; ` +
    `by corpus of the second turn's answer: ${Object.entries(byCorpus).map(([k, v]) => `${k} ${v}`).join(", ")}).\n`,
);
if (failures.length > 0) {
  console.log("Second turns that were wrong or took old context on a switch:");
  for (const f of failures) console.log(`  - ${f}`);
  console.log("");
}
const cols: Array<[keyof Row, string]> = [
  ["right", "right (all second turns)"],
  ["rightFollowUps", "  right, follow-ups"],
  ["rightSwitches", "  right, topic switches"],
  ["rightWhereAnswerable", "  right where rewording is"],
  ["polluted", "polluted topic switches"],
  ["contextUsed", "follow-ups resolved in context"],
];
const pad = (s: string, n: number) => s.padEnd(n);
console.log(`| ${pad("metric", 30)} | ${rows.map((r) => pad(r.name, 24)).join(" | ")} |`);
console.log(`| ${"-".repeat(30)} | ${rows.map(() => "-".repeat(24)).join(" | ")} |`);
for (const [key, label] of cols) console.log(`| ${pad(label, 30)} | ${rows.map((r) => pad(String(r[key]), 24)).join(" | ")} |`);
const ours = rows[0] as Row;
console.log(
  `\nTargets: right ≥ ${TARGET.right * 100} %, polluted ≤ ${TARGET.polluted * 100} % — ` +
    `${ours.right >= TARGET.right && ours.polluted <= TARGET.polluted ? "met" : "NOT met"}.`,
);
console.log(
  JSON.stringify({
    dialogues: dialogues.length,
    followUps: followUps.length,
    switches: switches.length,
    right: ours.right,
    rightFollowUps: ours.rightFollowUps,
    rightSwitches: ours.rightSwitches,
    rightWhereRewordingRight: ours.rightWhereAnswerable,
    polluted: ours.polluted,
    contextUsed: ours.contextUsed,
    secondTurnAlone: { right: rows[1]!.right, rightFollowUps: rows[1]!.rightFollowUps },
    selfContained: { right: rows[2]!.right, rightFollowUps: rows[2]!.rightFollowUps },
    targetsMet: ours.right >= TARGET.right && ours.polluted <= TARGET.polluted,
  }),
);
