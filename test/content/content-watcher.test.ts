/** CONTENT_DIR watched: files added, changed and removed reach the index (and subscribers) without a restart. */
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ContentWatcher, type ChangeSummary } from "../../src/content/content-watcher.js";
import { loadContent } from "../../src/content/load-content.js";
import { dedupKeys } from "../../src/content/article-keys.js";
import { createMemoryLogger } from "../../src/logger.js";
import { Newsroom } from "../delivery/newsroom.js";

// Parsing runs in worker threads that load TypeScript when they start: seconds on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

const md = (title: string, body: string, date = "2025-08-21") =>
  `---\ntitle: ${title}\ndate: ${date}\nsource: Test\n---\n${body}\n`;
const BELARUS = md(
  "Belarusul şi Iranul semnează un acord",
  "Belarusul şi Iranul au semnat joi un acord de cooperare militară la Teheran, după vizita lui Lukaşenko.",
);

const dirs: string[] = [];
const watchers: ContentWatcher[] = [];
afterEach(async () => {
  await Promise.all(watchers.splice(0).map((w) => w.stop()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function setup(files: Record<string, string>): Promise<{ dir: string; room: Newsroom }> {
  const dir = mkdtempSync(join(tmpdir(), "citat-watch-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const { articles } = await loadContent(dir, createMemoryLogger());
  return { dir, room: new Newsroom({ articles }) };
}

/** A watcher whose batches of changes can be awaited one by one. */
function watch(dir: string, room: Newsroom): { watcher: ContentWatcher; next: () => Promise<ChangeSummary> } {
  const queue: ChangeSummary[] = [];
  let waiting: ((s: ChangeSummary) => void) | null = null;
  const watcher = new ContentWatcher(dir, room.engine.index, room.publisher, room.logger, {
    debounceMs: 30,
    onChange: (s) => {
      if (waiting) {
        const w = waiting;
        waiting = null;
        w(s);
      } else queue.push(s);
    },
  });
  watchers.push(watcher);
  const next = () => {
    const ready = queue.shift();
    return ready ? Promise.resolve(ready) : new Promise<ChangeSummary>((resolve) => (waiting = resolve));
  };
  return { watcher, next };
}

describe("the content watcher", () => {
  it("indexes a new file within a second and notifies its subscribers; a change re-indexes without notifying again; a removal unindexes", async () => {
    const { dir, room } = await setup({
      "vechi.md": md("Meci amical", "România a câştigat meciul amical cu 2-0 pe Arena Naţională."),
    });
    const { watcher, next } = watch(dir, room);
    await watcher.start(); // first start: what is there is not news
    expect(await room.outbox.pendingCount()).toBe(0);
    await room.subscribe(1, "Belarus Iran");
    await room.subscribe(2, "fotbal amical");

    const started = Date.now();
    writeFileSync(join(dir, "nou.md"), BELARUS);
    expect(await next()).toEqual({ added: ["nou"], changed: [], removed: [], queued: 1 });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(room.engine.ask("acord cooperare militară Teheran").found).toBe(true);
    expect(await room.pending()).toEqual(new Map([[1, 1]]));

    writeFileSync(join(dir, "nou.md"), BELARUS.replace("joi", "vineri, 22 august,"));
    expect(await next()).toMatchObject({ added: [], changed: ["nou"], queued: 0 });
    expect(room.engine.ask("acord semnat vineri 22 august").quotes[0]?.text).toContain("vineri");

    // An old article (an archive import) is indexed, not news.
    writeFileSync(
      join(dir, "arhiva.md"),
      md("Belarusul şi Iranul, acord din 2019", "Belarusul şi Iranul au discutat în 2019 un acord de cooperare.", "2019-05-01"),
    );
    expect(await next()).toEqual({ added: ["arhiva"], changed: [], removed: [], queued: 0 });

    unlinkSync(join(dir, "nou.md"));
    expect(await next()).toMatchObject({ removed: ["nou"] });
    expect(room.engine.index.hasArticle("nou")).toBe(false);
    expect(await room.outbox.pendingCount()).toBe(1);
  });

  it("at a restart, a file added while the bot was down is news; a broken file is skipped with a warning", async () => {
    const { dir, room } = await setup({ "a.md": BELARUS });
    const first = watch(dir, room);
    await first.watcher.start();
    await first.watcher.stop();
    await room.subscribe(1, "Lukaşenko");
    writeFileSync(
      join(dir, "b.md"),
      md("Lukaşenko la Teheran", "Aleksandr Lukaşenko a ajuns miercuri la Teheran pentru discuţii cu preşedintele iranian."),
    );
    writeFileSync(join(dir, "stricat.md"), "---\ntitle: [nu e yaml\n---\ntext");
    const second = watch(dir, room);
    await second.watcher.start();
    expect(await room.pending()).toEqual(new Map([[1, 1]]));
    expect(room.logger.lines.some((l) => l.startsWith("warn") && l.includes("stricat.md"))).toBe(true);
    expect(await room.storage.db.all("SELECT item FROM outbox")).toEqual([{ item: "article:b" }]);
  });

  it("does not notify an article whose story a feed already brought", async () => {
    const { dir, room } = await setup({});
    const { watcher, next } = watch(dir, room);
    await room.publisher.markContentProcessed(["earlier"]); // not a first start
    await watcher.start();
    await room.subscribe(1, "Belarus Iran");
    await room.publisher.publishFeedArticle(
      {
        id: "feed:x/1",
        title: "Belarusul şi Iranul semnează un acord",
        date: "2025-08-21",
        url: "https://e.ro/1",
        source: "X",
        body: "Belarusul şi Iranul au semnat joi un acord.",
      },
      dedupKeys({ urls: ["https://e.ro/1"], title: "Belarusul şi Iranul semnează un acord" }),
      "https://e.ro/feed",
      { notify: false },
    );
    writeFileSync(
      join(dir, "copie.md"),
      md("Belarusul şi Iranul semnează un acord", "Belarusul şi Iranul au semnat joi un acord de cooperare militară la Teheran."),
    );
    // Same title as the feed's article → the same title key: indexed, not notified.
    const change = await next();
    expect(change.added).toEqual(["copie"]);
    expect(change.queued).toBe(0);
  });
});

describe("a file that cannot be read", () => {
  it("is warned about once, not re-read at every scan, and read again once it changes", async () => {
    const { dir, room } = await setup({ "ok.md": BELARUS });
    writeFileSync(join(dir, "bad.txt"), Buffer.from([0x64, 0x61, 0x74, 0x65, 0x20, 0xff, 0xfe, 0x0a]));
    const { watcher } = watch(dir, room);
    await watcher.start();
    const warnings = () => room.logger.lines.filter((l) => l.includes("bad.txt")).length;
    expect(warnings()).toBe(1);
    await watcher.rescan();
    await watcher.rescan();
    expect(warnings()).toBe(1);
    writeFileSync(
      join(dir, "bad.txt"),
      "date 2025-08-22 Primăria a anunţat lucrări noi\nPrimăria a anunţat joi lucrări de reparaţii pe trei străzi din centru.\n",
    );
    await watcher.rescan();
    expect(room.engine.ask("lucrări de reparaţii pe trei străzi").found).toBe(true);
  });
});
