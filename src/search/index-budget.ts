/**
 * The index's memory budget, in passages (INDEX_MAX_PASSAGES): the index is what fills the
 * heap (about 1.3 KB a passage at 100k, articles and each sentence's stored words included),
 * and a heap that overflows crashes the bot into a restart loop that ends during start-up. So:
 * - at start-up, `fitToBudget` keeps the content folder's articles first, then the newest
 *   feed articles, as long as they fit, and says what it left out: the bot always starts;
 * - while running, `IndexBudget.enforce` drops the OLDEST feed articles when a new article
 *   pushes the index over the budget (logged); if the content folder alone is over it, the
 *   new article is not kept.
 */
import type { Article } from "../content/article.js";
import type { Logger } from "../logger.js";
import { articleParagraphs, type PassageIndex } from "./passage-index.js";

export const DEFAULT_INDEX_MAX_PASSAGES = 200_000;

/** The passages an article makes (one per sentence). */
export function passagesOf(article: Article): number {
  let n = 0;
  for (const p of articleParagraphs(article.body)) n += p.length;
  return n;
}

export interface Fitted {
  readonly content: Article[];
  readonly feeds: Article[];
  readonly passages: number;
  /** Articles left out (content, feeds). */
  readonly leftOut: { readonly content: number; readonly feeds: number };
}

/**
 * The articles that fit in `maxPassages`: content first (in order), then feed articles newest
 * first (`feeds` is oldest first, as stored).
 */
export function fitToBudget(content: readonly Article[], feeds: readonly Article[], maxPassages: number): Fitted {
  let passages = 0;
  const keptContent: Article[] = [];
  for (const a of content) {
    const n = passagesOf(a);
    if (passages + n > maxPassages) continue;
    passages += n;
    keptContent.push(a);
  }
  const keptFeeds: Article[] = [];
  for (let i = feeds.length - 1; i >= 0; i--) {
    const a = feeds[i] as Article;
    const n = passagesOf(a);
    if (passages + n > maxPassages) break;
    passages += n;
    keptFeeds.push(a);
  }
  keptFeeds.reverse();
  return {
    content: keptContent,
    feeds: keptFeeds,
    passages,
    leftOut: { content: content.length - keptContent.length, feeds: feeds.length - keptFeeds.length },
  };
}

export class IndexBudget {
  constructor(
    readonly maxPassages: number,
    private readonly index: PassageIndex,
    /** The ids of feed articles in the index, oldest first. */
    private readonly oldestFeedArticles: () => Iterable<string>,
    /** Drops a feed article from the index and from storage. */
    private readonly dropFeedArticle: (id: string) => void,
    private readonly logger: Logger,
  ) {}

  get over(): boolean {
    return this.index.passageCount > this.maxPassages;
  }

  /**
   * After `justAdded` was indexed: drops the oldest feed articles until the index is within
   * budget. Returns false when `justAdded` itself had to go (the content folder fills it).
   */
  enforce(justAdded: string): boolean {
    if (!this.over) return true;
    let dropped = 0;
    for (const id of this.oldestFeedArticles()) {
      if (!this.over) break;
      if (id === justAdded) continue;
      this.dropFeedArticle(id);
      dropped++;
    }
    if (dropped > 0) {
      this.logger.warn(
        `index: over its budget of ${this.maxPassages} passages (INDEX_MAX_PASSAGES); the ${dropped} oldest feed articles left the index`,
      );
    }
    if (!this.over) return true;
    this.index.remove(justAdded);
    this.logger.warn(
      `index: full (${this.index.passageCount} of ${this.maxPassages} passages, INDEX_MAX_PASSAGES); article ${justAdded} was not indexed`,
    );
    return false;
  }
}
