/**
 * How long `openDatabase` takes on a large database, integrity check included (it runs
 * `PRAGMA quick_check(1)` at every start). Builds a throwaway database of feed articles in a
 * temporary folder: `npx tsx scripts/bench-open-database.ts [articles=20000]`.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DATABASE_FILE, openDatabase } from "../src/storage/database.js";

const articles = Number(process.argv[2] ?? 20_000);
const dir = mkdtempSync(join(tmpdir(), "citat-bench-db-"));
try {
  let db = openDatabase(dir);
  const insert = db.prepare(
    "INSERT INTO feed_articles (id, feed_url, title, date, url, source, body, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const body = "Ministrul a anunțat astăzi bugetul pentru spitalele din țară. ".repeat(170);
  db.transaction(() => {
    for (let i = 0; i < articles; i++)
      insert.run(`a${i}`, "https://example.ro/feed", `Titlu ${i}`, null, null, null, `${body}${i}`, Date.now());
  })();
  db.close();
  const t0 = performance.now();
  db = openDatabase(dir);
  const open = performance.now() - t0;
  const t1 = performance.now();
  db.pragma("quick_check(1)");
  const check = performance.now() - t1;
  db.close();
  const mb = statSync(join(dir, DATABASE_FILE)).size / 1e6;
  console.log(
    `${articles} articles, ${mb.toFixed(1)} MB: openDatabase ${open.toFixed(0)} ms (a second quick_check alone, warm cache: ${check.toFixed(0)} ms)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
