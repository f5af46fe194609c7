/**
 * `npm run bench:storage`: what the storage adds to one answer, on SQLite and on Postgres —
 * the session read and write, the question and its answer-message link (4 statements, as
 * the bot does for each question), `--n` times one after another and `--n` at once (32 in
 * flight). Postgres needs DATABASE_URL (or CITAT_TEST_DATABASE_URL); it runs in a schema of its
 * own, dropped afterwards. Prints one JSON line per backend. (The test cluster of
 * scripts/pg-cluster.sh runs with fsync off: a production server's commits cost more.)
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { SessionStorage } from "../src/storage/session-storage.js";
import { memoryStorageSync, storageOn, type Storage } from "../src/storage/storage.js";
import { openPostgres, openSqlite } from "../src/storage/database.js";

const { values } = parseArgs({ options: { n: { type: "string", default: "2000" } } });
const N = Number(values.n);

async function answer(s: Storage, sessions: SessionStorage<unknown>, i: number): Promise<void> {
  const key = String(1000 + (i % 500));
  await sessions.read(key);
  const id = await s.questions.recordQuestion({
    askedAt: Date.now(),
    chatType: "private",
    lang: "ro",
    kind: "new",
    found: true,
    question: `q${i}`,
    state: { search: { query: `q${i}` } },
  });
  await s.questions.recordAnswerMessage(Number(key), i, id);
  await sessions.write(key, { __d: { topic: i }, e: Date.now() + 1_800_000 });
}

async function measure(name: string, s: Storage): Promise<void> {
  const sessions = new SessionStorage<unknown>(s.sessions);
  const lat: number[] = [];
  let t = performance.now();
  for (let i = 0; i < N; i++) {
    const a = performance.now();
    await answer(s, sessions, i);
    lat.push(performance.now() - a);
  }
  const sequentialMs = performance.now() - t;
  lat.sort((a, b) => a - b);
  t = performance.now();
  let next = 0;
  // 32 at once, each on its own session key (as sequentialize would allow).
  await Promise.all(
    Array.from({ length: 32 }, async (_, w) => {
      const own = new SessionStorage<unknown>(s.sessions);
      while (next < N) await answer(s, own, N + w * 1_000_000 + next++);
    }),
  );
  const concurrentMs = performance.now() - t;
  console.log(
    JSON.stringify({
      backend: name,
      answers: N,
      sequentialPerSecond: Math.round((N / sequentialMs) * 1000),
      p50Ms: Number(lat[Math.floor(N * 0.5)]!.toFixed(3)),
      p99Ms: Number(lat[Math.floor(N * 0.99)]!.toFixed(3)),
      concurrent32PerSecond: Math.round((N / concurrentMs) * 1000),
    }),
  );
}

await measure("sqlite (memory)", memoryStorageSync());
const dir = mkdtempSync(join(tmpdir(), "citat-bench-storage-"));
try {
  const file = storageOn(await openSqlite(dir));
  await measure("sqlite (file, WAL)", file);
  await file.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const url = process.env.DATABASE_URL ?? process.env.CITAT_TEST_DATABASE_URL;
if (url) {
  const schema = `bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const u = new URL(url);
  u.searchParams.set("options", `-c search_path=${schema}`);
  const s = storageOn(await openPostgres(u.href));
  try {
    await measure("postgres", s);
  } finally {
    await s.close();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
} else {
  console.error("bench-storage: no DATABASE_URL / CITAT_TEST_DATABASE_URL: Postgres not measured");
}
