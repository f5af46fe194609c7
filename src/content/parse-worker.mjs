/**
 * Entry point of a parsing worker (see parse-pool.ts): loads the TypeScript jobs through tsx's
 * API (a worker does not get the main thread's tsx loader, even when it inherits `--import tsx`)
 * and answers `{ id, job }` messages with `{ id, ok, value | error }`.
 */
import { parentPort } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

const { runJob } = await tsImport("./parse-jobs.ts", import.meta.url);

parentPort.on("message", async ({ id, job }) => {
  try {
    parentPort.postMessage({ id, ok: true, value: await runJob(job) });
  } catch (err) {
    parentPort.postMessage({ id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
});
