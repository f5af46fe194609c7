/**
 * Evaluation data read from ../shared (never copied into the project): XQuAD-ro paragraphs as
 * articles with their questions, and real news as distractors.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Article } from "../src/content/article.js";
import { finishArticle } from "../src/content/load-content.js";

export const SHARED = process.env.CITAT_SHARED_DIR ?? join(process.cwd(), "..", "shared");
export const XQUAD_PATH = join(SHARED, "data/xquad-ro/xquad.ro.json");
export const ROCLICO_DIR = join(SHARED, "data/roclico-test/Test");

export interface EvalQuestion {
  readonly id: string;
  readonly question: string;
  readonly answer: string;
  /** The article (paragraph) that holds the answer. */
  readonly articleId: string;
  /** Index of the XQuAD article: even ones are the tuning half, odd ones held out. */
  readonly xquadArticle: number;
}

interface Squad {
  data: Array<{
    title: string;
    paragraphs: Array<{ context: string; qas: Array<{ id: string; question: string; answers: Array<{ text: string }> }> }>;
  }>;
}

/** Exits with a clear note when ../shared is not beside the project. */
export function requireShared(paths: string[]): void {
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length > 0) {
    process.stderr.write(
      `Skipped: evaluation data not found (${missing.join(", ")}).\n` +
        "These scripts read ../shared/data beside the project (or CITAT_SHARED_DIR); it is not part of the repository.\n",
    );
    process.exit(0);
  }
}

export function loadXquad(): { articles: Article[]; questions: EvalQuestion[] } {
  const squad = JSON.parse(readFileSync(XQUAD_PATH, "utf8")) as Squad;
  const articles: Article[] = [];
  const questions: EvalQuestion[] = [];
  squad.data.forEach((doc, a) => {
    doc.paragraphs.forEach((p, i) => {
      const id = `xquad/${a}/${i}`;
      articles.push(
        finishArticle({ id, title: doc.title.replace(/_/g, " "), date: null, url: null, source: "XQuAD", body: p.context }, id),
      );
      for (const qa of p.qas) {
        questions.push({
          id: qa.id,
          question: qa.question,
          answer: (qa.answers[0] as { text: string }).text,
          articleId: id,
          xquadArticle: a,
        });
      }
    });
  });
  return { articles, questions };
}

/** Real news from RoCliCo (CC BY-NC-SA: evaluation only). */
export function loadRoclico(outlet: "digi" | "libertatea" | "viva"): Article[] {
  const items = JSON.parse(readFileSync(join(ROCLICO_DIR, `${outlet}.json`), "utf8")) as Array<{
    title: string;
    content: string;
  }>;
  const articles: Article[] = [];
  items.forEach((item, i) => {
    const id = `${outlet}/${i}`;
    try {
      articles.push(finishArticle({ id, title: item.title, date: null, url: null, source: outlet, body: item.content }, id));
    } catch {
      // An item with no text after cleaning is not a distractor.
    }
  });
  return articles;
}

export function readQuestionList(path: string): string[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)] as number;
}
