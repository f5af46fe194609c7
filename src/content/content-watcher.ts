/**
 * Keeps the index in step with CONTENT_DIR while the bot runs: a file added, changed or
 * removed is re-read within a second (fs.watch, debounced), and a rescan every `rescanMs`
 * catches what a watcher can miss (network drives, editors that swap files, inotify limits).
 * Only files whose size or modification time changed are parsed again.
 *
 * New articles go through the publisher, which notifies subscribers; at start-up the folder
 * is compared with what was processed before, so a file added while the bot was down is news
 * too. On the very first start nothing is news: what the folder holds is marked processed.
 */
import { type Dirent, watch, type FSWatcher } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { extname, join, relative, sep } from "node:path";
import type { Logger } from "../logger.js";
import { articleHash } from "../search/passage-index.js";
import type { PassageIndex } from "../search/passage-index.js";
import type { ContentArticleSink } from "./article-sink.js";
import type { Article } from "./article.js";
import { ARTICLE_EXTENSIONS, parseFileInWorker } from "./load-content.js";

/** Articles indexed between two yields to the event loop (questions are answered in between). */
const ARTICLES_PER_SLICE = 20;

export interface ContentWatcherOptions {
  readonly debounceMs?: number;
  readonly rescanMs?: number;
  /** Called after each batch of changes was applied (tests await it). */
  readonly onChange?: (summary: ChangeSummary) => void;
}

export interface ChangeSummary {
  readonly added: string[];
  readonly changed: string[];
  readonly removed: string[];
  readonly queued: number;
}

interface FileState {
  readonly mtimeMs: number;
  readonly size: number;
  readonly ids: string[];
}

const isArticleFile = (name: string) => (ARTICLE_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase());

export class ContentWatcher {
  private files = new Map<string, FileState>();
  /** Files that could not be read or parsed, as they were then (size, mtime). */
  private readonly failed = new Map<string, { mtimeMs: number; size: number }>();
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private interval: NodeJS.Timeout | null = null;
  private scanning: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly dir: string,
    private readonly index: PassageIndex,
    private readonly publisher: ContentArticleSink,
    private readonly logger: Logger,
    private readonly options: ContentWatcherOptions = {},
  ) {}

  /** Reconciles the folder with the index and what was processed, then watches it. */
  async start(): Promise<void> {
    this.stopped = false;
    const firstRun = (await this.publisher.processedContentIds()).size === 0;
    await this.scan(firstRun ? "first-run" : "start");
    if (this.stopped) return;
    try {
      this.watcher = watch(this.dir, { recursive: true }, (_event, name) => {
        if (name === null || isArticleFile(String(name)) || !extname(String(name))) this.schedule();
      });
      this.watcher.on("error", (err) => {
        this.logger.warn(
          `content: watching ${this.dir} failed (${err.message}); rescanning every ${Math.round(this.rescanMs / 1000)} s instead`,
        );
        this.watcher?.close();
        this.watcher = null;
      });
    } catch (err) {
      this.logger.warn(
        `content: cannot watch ${this.dir} (${(err as Error).message}); rescanning every ${Math.round(this.rescanMs / 1000)} s instead`,
      );
    }
    this.interval = setInterval(() => this.schedule(), this.rescanMs);
    this.interval.unref();
    this.logger.info(`content: watching ${this.dir} for new and changed articles`);
  }

  private get rescanMs(): number {
    return this.options.rescanMs ?? 30_000;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.watcher?.close();
    this.watcher = null;
    if (this.timer) clearTimeout(this.timer);
    if (this.interval) clearInterval(this.interval);
    this.timer = this.interval = null;
    await this.scanning;
  }

  /** Rescans soon (debounced: an editor's save is several events). */
  schedule(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.rescan();
    }, this.options.debounceMs ?? 250);
  }

  /** Rescans now; concurrent calls coalesce into one more scan. */
  async rescan(): Promise<void> {
    if (this.scanning) {
      this.again = true;
      return this.scanning;
    }
    this.scanning = (async () => {
      do {
        this.again = false;
        await this.scan("change");
      } while (this.again && !this.stopped);
    })().finally(() => (this.scanning = null));
    return this.scanning;
  }

  private async listFiles(): Promise<Map<string, { mtimeMs: number; size: number }>> {
    const out = new Map<string, { mtimeMs: number; size: number }>();
    let entries: Dirent[];
    try {
      entries = await readdir(this.dir, { withFileTypes: true, recursive: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT")
        this.logger.warn(`content: cannot read ${this.dir} (${(err as Error).message})`);
      return out;
    }
    for (const e of entries) {
      if (!e.isFile() || !isArticleFile(e.name)) continue;
      const path = join(e.parentPath ?? this.dir, e.name);
      const rel = relative(this.dir, path);
      if (rel.split(sep).some((part) => part.startsWith("."))) continue;
      try {
        const s = await stat(path);
        out.set(rel, { mtimeMs: s.mtimeMs, size: s.size });
      } catch {
        // Gone between the listing and the stat: the next scan sees it removed.
      }
    }
    return out;
  }

  /**
   * A file's articles, parsed in a worker (size checked first, time-limited). A file that
   * fails is remembered with its size and modification time: it is not read (nor warned
   * about) again until it changes.
   */
  private async readArticles(rel: string, meta: { mtimeMs: number; size: number }): Promise<Article[] | null> {
    const failed = this.failed.get(rel);
    if (failed && failed.mtimeMs === meta.mtimeMs && failed.size === meta.size) return null;
    const result = await parseFileInWorker(join(this.dir, rel), rel);
    for (const problem of result.problems) this.logger.warn(problem);
    if (result.error !== undefined) {
      this.failed.set(rel, meta);
      this.logger.warn(`${result.error}; skipped until the file changes`);
      return null;
    }
    this.failed.delete(rel);
    return result.articles;
  }

  private async scan(mode: "first-run" | "start" | "change"): Promise<void> {
    const current = await this.listFiles();
    const processed = mode === "change" ? null : await this.publisher.processedContentIds();
    const owner = new Map<string, string>();
    for (const [file, state] of this.files) for (const id of state.ids) owner.set(id, file);
    const summary: ChangeSummary = { added: [], changed: [], removed: [], queued: 0 };
    let queued = 0;
    const baseline: string[] = [];

    for (const [rel, meta] of current) {
      const before = this.files.get(rel);
      if (before && before.mtimeMs === meta.mtimeMs && before.size === meta.size) continue;
      const articles = await this.readArticles(rel, meta);
      if (this.stopped) return;
      if (articles === null) continue; // unreadable now (maybe half-written): keep what was indexed
      const ids: string[] = [];
      let slice = 0;
      for (const a of articles) {
        // A big file is many articles: index them a slice at a time, answering questions in between.
        if (++slice % ARTICLES_PER_SLICE === 0) {
          await yieldToEventLoop();
          if (this.stopped) return;
        }
        const other = owner.get(a.id);
        if (other !== undefined && other !== rel && current.has(other)) {
          this.logger.warn(`content: ${rel}: duplicate article id "${a.id}" (also in ${other}); skipped`);
          continue;
        }
        ids.push(a.id);
        owner.set(a.id, rel);
        const indexedHash = this.index.articleHashOf(a.id);
        if (mode === "first-run") {
          if (indexedHash !== articleHash(a)) await this.publisher.publishContentArticle(a, { notify: false });
          baseline.push(a.id);
          continue;
        }
        const isNew = processed ? !processed.has(a.id) : indexedHash === undefined;
        if (!isNew && indexedHash === articleHash(a)) continue;
        try {
          const r = await this.publisher.publishContentArticle(a, { notify: true });
          queued += r.queued;
          (isNew ? summary.added : summary.changed).push(a.id);
        } catch (err) {
          this.logger.error(`content: ${rel}: article "${a.id}" could not be published; it is retried at the next change`, err);
        }
      }
      for (const id of before?.ids ?? []) {
        if (!ids.includes(id) && owner.get(id) === rel && this.publisher.removeArticle(id)) summary.removed.push(id);
      }
      this.files.set(rel, { mtimeMs: meta.mtimeMs, size: meta.size, ids });
    }
    for (const [rel, state] of this.files) {
      if (current.has(rel)) continue;
      this.files.delete(rel);
      for (const id of state.ids) if (this.publisher.removeArticle(id)) summary.removed.push(id);
    }
    if (baseline.length > 0) await this.publisher.markContentProcessed(baseline);
    const result = { ...summary, queued };
    if (result.added.length + result.changed.length + result.removed.length > 0) {
      this.logger.info(
        `content: ${result.added.length} new, ${result.changed.length} changed, ${result.removed.length} removed articles indexed` +
          (queued > 0 ? `; ${queued} notifications queued` : ""),
      );
    }
    if (mode === "change" || result.added.length + result.changed.length + result.removed.length > 0)
      this.options.onChange?.(result);
  }
}
