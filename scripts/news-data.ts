/**
 * The news evaluation data, read from ../shared (never copied into the project): the news-qa-ro
 * questions and follow-up dialogues, and the corpus they are asked over.
 *
 * - Answer pool: RoCliCo's Libertatea and Viva articles (ids `libertatea/<i>`, `viva/<i>`, the
 *   index the question set names).
 * - Distractors: RoCliCo's Digi24 articles, the Romanian political articles, and the bundled seed.
 *
 * Folds are by article, so a question and every other question or dialogue over the same article
 * always fall in the same fold: a tuned figure is reported only on folds that were not tuned on.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Article } from "../src/content/article.js";
import { parseFile } from "../src/content/load-content.js";
import { fold } from "../src/text/normalize.js";
import { cleanDrafts, POLITICAL_CSV, politicalDrafts, roclicoDrafts } from "./bench-data.js";
import { ROCLICO_DIR, SHARED } from "./eval-data.js";

export const NEWS_QA_DIR = join(SHARED, "data/news-qa-ro");
export const NEWS_QUESTIONS_PATH = join(NEWS_QA_DIR, "dev.jsonl");
export const NEWS_DIALOGUES_PATH = join(NEWS_QA_DIR, "followups-dev.jsonl");
export const NEWS_FOLDS = 5;

/** Every file the news evaluation reads, for `requireShared`. */
export const NEWS_DATA_PATHS = [
  NEWS_QUESTIONS_PATH,
  NEWS_DIALOGUES_PATH,
  join(ROCLICO_DIR, "libertatea.json"),
  join(ROCLICO_DIR, "viva.json"),
  join(ROCLICO_DIR, "digi.json"),
  POLITICAL_CSV,
];

export type NewsQuestionType =
  | "who"
  | "what"
  | "when"
  | "where"
  | "howmany"
  | "why"
  | "how"
  | "which"
  | "yesno-free"
  | "unanswerable";

export interface NewsQuestion {
  readonly id: string;
  readonly question: string;
  /** Any one of these in a quote (folded, see `containsAnswer`) shows the quote answers. Empty: unanswerable. */
  readonly answers: readonly string[];
  /** The article that answers it (`libertatea/<i>` or `viva/<i>`), or null when unanswerable. */
  readonly articleId: string | null;
  readonly title: string | null;
  readonly type: NewsQuestionType;
  /** 0 … NEWS_FOLDS-1, by article (unanswerable questions by id). */
  readonly fold: number;
}

export interface NewsDialogue {
  readonly id: string;
  readonly turns: readonly [string, string];
  /** Answers to the second turn. */
  readonly answers: readonly string[];
  /** The article that answers the second turn. */
  readonly articleId: string;
  readonly title: string;
  readonly kind: "followup" | "switch";
  readonly fold: number;
}

export interface NewsCorpus {
  /** Libertatea + Viva: the articles the questions are about. */
  readonly answerPool: Article[];
  /** Digi24, the political articles and the seed: more news the questions are not about. */
  readonly distractors: Article[];
  readonly all: Article[];
}

/** A stable fold for a key (FNV-1a), the same in every script that uses it. */
export function foldOf(key: string, folds = NEWS_FOLDS): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % folds;
}

/** SOURCE.md's comparison: case, diacritics and ş/ș aside, whitespace collapsed. */
export function normalizeForAnswer(text: string): string {
  return fold(text).replace(/\s+/g, " ").trim();
}

/** Whether a quote holds one of the answers, compared as SOURCE.md says. */
export function containsAnswer(quote: string, answers: readonly string[]): boolean {
  const q = normalizeForAnswer(quote);
  return answers.some((a) => q.includes(normalizeForAnswer(a)));
}

function readJsonl<T>(path: string): T[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as T);
}

interface RawQuestion {
  id: string;
  q: string;
  source: string | null;
  index: number | null;
  title: string | null;
  answer: string[];
  type: NewsQuestionType;
}

interface RawDialogue {
  id: string;
  source: string;
  index: number;
  title: string;
  turns: [string, string];
  answer: string[];
  kind: "followup" | "switch";
}

export function loadNewsQuestions(): NewsQuestion[] {
  return readJsonl<RawQuestion>(NEWS_QUESTIONS_PATH).map((r) => {
    const articleId = r.source !== null && r.index !== null ? `${r.source}/${r.index}` : null;
    return {
      id: r.id,
      question: r.q,
      answers: r.answer,
      articleId,
      title: r.title,
      type: r.type,
      fold: foldOf(articleId ?? r.id),
    };
  });
}

export function loadNewsDialogues(): NewsDialogue[] {
  return readJsonl<RawDialogue>(NEWS_DIALOGUES_PATH).map((r) => {
    const articleId = `${r.source}/${r.index}`;
    return { id: r.id, turns: r.turns, answers: r.answer, articleId, title: r.title, kind: r.kind, fold: foldOf(articleId) };
  });
}

/** The corpus the news questions are asked over, cleaned like content. */
export function loadNewsCorpus(options: { distractors?: boolean } = {}): NewsCorpus {
  const answerPool = cleanDrafts([...roclicoDrafts("libertatea"), ...roclicoDrafts("viva")]);
  const distractors: Article[] = [];
  if (options.distractors !== false) {
    distractors.push(...cleanDrafts([...roclicoDrafts("digi"), ...politicalDrafts()]));
    const seed = join(process.cwd(), "content/g4media-2025-08-20-belarus-iran.txt");
    if (existsSync(seed))
      distractors.push(...parseFile(readFileSync(seed, "utf8"), "g4media-2025-08-20-belarus-iran.txt", () => {}));
  }
  return { answerPool, distractors, all: [...answerPool, ...distractors] };
}
