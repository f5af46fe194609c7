/**
 * The persisted passage index in DATA_DIR, so that a restart with unchanged content does not
 * re-index anything.
 *
 * The file (`passage-index.json`) has four lines:
 * 1. a header: format, version, the analyzer/options fingerprint, and per article its id,
 *    content hash, first passage id and sentence spans;
 * 2. the sentence index, as MiniSearch JSON;
 * 3. the title index, as MiniSearch JSON;
 * 4. the sentences' words (word table and per-sentence word codes, see sentence-words.ts), so
 *    that a loaded index ranks sentences as cheaply as a freshly built one.
 * Both indexes are read with `MiniSearch.loadJSON(json, PASSAGE_INDEX_OPTIONS)`, the constant
 * they were built with; a file from another analyzer or other options has another fingerprint
 * and is rebuilt instead of trusted.
 *
 * `open` compares each article's content hash with the stored one: unchanged articles are kept
 * as they are, changed and new ones are (re-)indexed, removed ones are dropped. It never
 * throws for a bad file: a corrupt or mismatched file is reported with a warning and the index
 * is rebuilt from the content, which is always the source of truth.
 *
 * Live updates (a feed, a file watcher) use the same seam: `index.add(article)` or
 * `index.remove(id)`, then `store.save(index)`.
 */
import { randomBytes } from "node:crypto";
import { chmod, mkdir, open, readdir, readFile, rename, stat, unlink } from "node:fs/promises";
import { basename, join } from "node:path";
import type { Article } from "../content/article.js";
import type { Logger } from "../logger.js";
import { indexFingerprint, PassageIndex, type PassageIndexState, type StoredArticle } from "./passage-index.js";

export const INDEX_FILE = "passage-index.json";
const FORMAT = "citat-passage-index";
/** The index holds every article's text, the feed articles included: owner only, like the database. */
const FILE_MODE = 0o600;
/** A temporary file this old belongs to no write in progress (a write takes seconds). */
const ORPHAN_AGE_MS = 3_600_000;
/** 2: the fourth line (the sentences' words) was added. */
const FORMAT_VERSION = 2;

interface Header {
  format: typeof FORMAT;
  version: number;
  fingerprint: string;
  savedAt: string;
  nextId: number;
  slotCount: number;
  passages: number;
  articles: StoredArticle[];
}

/** What `open` did, for the start-up log line and for tests. */
export interface OpenStats {
  /** `loaded`: from the file (possibly updated); `built`: from scratch (no usable file). */
  readonly source: "loaded" | "built";
  /** Why the file was not used, when it existed but was not. */
  readonly reason?: string;
  /** Articles kept from the file without re-indexing. */
  readonly kept: number;
  /** Articles indexed now: new, changed, or all of them when built from scratch. */
  readonly indexed: number;
  /** Stored articles that changed (re-indexed, counted in `indexed` too). */
  readonly changed: number;
  /** Stored articles no longer in the content. */
  readonly removed: number;
  /** Whether the file was (re)written. */
  readonly saved: boolean;
}

/** The file could be read but not used: the reason, worded for the warning. */
class UnusableIndex extends Error {
  constructor(
    message: string,
    /** A file from another analyzer or options (expected after an upgrade), not damage. */
    readonly mismatch = false,
  ) {
    super(message);
  }
}

export class IndexStore {
  readonly path: string;
  /** The write in progress (with any writes requested meanwhile), and the index to write next. */
  private saving: Promise<boolean> | null = null;
  private pending: PassageIndex | null = null;

  constructor(
    readonly dataDir: string,
    private readonly logger: Logger,
    fileName = INDEX_FILE,
  ) {
    this.path = join(dataDir, fileName);
  }

  /**
   * The index for these articles: the persisted one brought up to date, or a new one. Writes
   * the file when anything changed. Never throws because of the file.
   */
  async open(articles: readonly Article[]): Promise<{ index: PassageIndex; stats: OpenStats }> {
    await this.removeOrphans();
    const current = new Map<string, Article>();
    for (const a of articles) if (!current.has(a.id)) current.set(a.id, a);
    let reason: string | undefined;
    let restored: { index: PassageIndex; kept: number; dropped: string[] } | null = null;
    try {
      const state = await this.read();
      if (state) restored = PassageIndex.restore(state, current);
    } catch (err) {
      const mismatch = err instanceof UnusableIndex && err.mismatch;
      reason = err instanceof Error ? err.message : String(err);
      this.logger.warn(
        mismatch
          ? `index: ${this.path} was built ${reason}; rebuilding it from the content (nothing is lost)`
          : `index: ${this.path} is unreadable (${reason}); rebuilding it from the content (nothing is lost). ` +
              `If this repeats, check the disk and the permissions of DATA_DIR (${this.dataDir}).`,
      );
    }

    if (restored && restored.dropped.length > restored.kept) {
      // Most of the content changed: a fresh build is cheaper than patching and leaves no holes.
      reason = `${restored.dropped.length} of ${restored.dropped.length + restored.kept} articles changed`;
      restored = null;
    }
    if (restored && restored.index.idSpace > 2 * restored.index.passageCount + 10_000) {
      // Replaced articles leave unused passage ids behind; compact once they dominate.
      reason = "compacting passage ids";
      restored = null;
    }

    if (!restored) {
      const index = new PassageIndex(current.values());
      const saved = await this.save(index);
      return {
        index,
        stats: {
          source: "built",
          ...(reason ? { reason } : {}),
          kept: 0,
          indexed: index.articleCount,
          changed: 0,
          removed: 0,
          saved,
        },
      };
    }

    const { index, kept, dropped } = restored;
    const droppedSet = new Set(dropped);
    const toIndex = [...current.values()].filter((a) => !index.hasArticle(a.id));
    const changed = toIndex.filter((a) => droppedSet.has(a.id)).length;
    const removed = dropped.length - changed;
    const added = toIndex.length > 0 ? index.addAll(toIndex) : 0;
    const saved = added > 0 || dropped.length > 0 ? await this.save(index) : false;
    return { index, stats: { source: "loaded", kept, indexed: toIndex.length, changed, removed, saved } };
  }

  /**
   * Writes the index atomically (a temporary file renamed over the old one). Calls made while
   * a write is running are coalesced into one more write of the latest index. Never throws:
   * a failed write is logged and the next save tries again.
   */
  save(index: PassageIndex): Promise<boolean> {
    this.pending = index;
    this.saving ??= this.drain();
    return this.saving;
  }

  private async drain(): Promise<boolean> {
    let ok = true;
    try {
      while (this.pending) {
        const next = this.pending;
        this.pending = null;
        ok = await this.write(next);
      }
    } finally {
      this.saving = null;
    }
    return ok;
  }

  private async write(index: PassageIndex): Promise<boolean> {
    const tmp = `${this.path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      await index.vacuum();
      const state = index.exportState();
      const header: Header = {
        format: FORMAT,
        version: FORMAT_VERSION,
        fingerprint: indexFingerprint(),
        savedAt: new Date().toISOString(),
        nextId: state.nextId,
        slotCount: state.slotCount,
        passages: index.passageCount,
        articles: state.articles,
      };
      await mkdir(this.dataDir, { recursive: true, mode: 0o700 });
      const file = await open(tmp, "w", FILE_MODE);
      try {
        for (const part of [
          JSON.stringify(header),
          "\n",
          state.passagesJson,
          "\n",
          state.titlesJson,
          "\n",
          state.wordsJson,
          "\n",
        ])
          await file.write(part);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(tmp, this.path);
      return true;
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      this.logger.warn(
        `index: could not write ${this.path} (${(err as Error).message}); the bot works, but the next start will re-index. ` +
          `Check that DATA_DIR (${this.dataDir}) is writable.`,
      );
      return false;
    }
  }

  /**
   * Deletes the temporary files (`passage-index.json.<pid>.<random>.tmp`) that writes cut short by
   * a crash or a kill left behind: each is a whole copy of the index. A file of a process that is
   * still running (the bot while `citat ask` starts) is left alone unless it is an hour old. Also
   * makes the index file owner-only when an older version left it readable to others.
   */
  async removeOrphans(): Promise<number> {
    const prefix = `${basename(this.path)}.`;
    let names: string[];
    try {
      names = await readdir(this.dataDir);
    } catch {
      return 0;
    }
    let removed = 0;
    for (const name of names) {
      if (!name.startsWith(prefix) || !name.endsWith(".tmp")) continue;
      const pid = /^(\d{1,10})\.[0-9a-f]{1,32}$/.exec(name.slice(prefix.length, -".tmp".length))?.[1];
      if (pid === undefined) continue;
      const file = join(this.dataDir, name);
      try {
        const old = Date.now() - (await stat(file)).mtimeMs > ORPHAN_AGE_MS;
        const ours = Number(pid) === process.pid && this.saving === null;
        if (old || ours || !processAlive(Number(pid))) {
          await unlink(file);
          removed++;
        }
      } catch {
        // Gone meanwhile (its writer renamed it), or not ours to delete: leave it.
      }
    }
    if (removed > 0)
      this.logger.info(`index: removed ${removed} temporary file(s) left by an interrupted write in ${this.dataDir}`);
    await stat(this.path)
      .then((s) => ((s.mode & 0o077) !== 0 ? chmod(this.path, FILE_MODE) : undefined))
      .catch(() => undefined);
    return removed;
  }

  /** The stored state, or null when there is no file yet. Throws UnusableIndex or a parse error. */
  private async read(): Promise<PassageIndexState | null> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") return null;
      throw err;
    }
    const first = text.indexOf("\n");
    if (first < 0) throw new UnusableIndex("truncated file");
    let header: Header;
    try {
      header = JSON.parse(text.slice(0, first)) as Header;
    } catch {
      throw new UnusableIndex("its header is not JSON");
    }
    if (header?.format !== FORMAT) throw new UnusableIndex("not a Citat index file");
    if (header.version !== FORMAT_VERSION) {
      throw new UnusableIndex(`with file format ${String(header.version)} (this version reads ${FORMAT_VERSION})`, true);
    }
    if (header.fingerprint !== indexFingerprint()) {
      throw new UnusableIndex("with another analyzer or other index options", true);
    }
    if (!Array.isArray(header.articles) || !Number.isInteger(header.nextId) || !Number.isInteger(header.slotCount)) {
      throw new UnusableIndex("its header is incomplete");
    }
    // The header first: a file of another version is an upgrade, not damage, whatever its lines.
    const second = text.indexOf("\n", first + 1);
    const third = second < 0 ? -1 : text.indexOf("\n", second + 1);
    const fourth = third < 0 ? -1 : text.indexOf("\n", third + 1);
    if (fourth < 0) throw new UnusableIndex("truncated file");
    return {
      nextId: header.nextId,
      slotCount: header.slotCount,
      articles: header.articles,
      passagesJson: text.slice(first + 1, second),
      titlesJson: text.slice(second + 1, third),
      wordsJson: text.slice(third + 1, fourth),
    };
  }
}

/** Whether a process with this id runs (EPERM: it does, as another user). */
function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
