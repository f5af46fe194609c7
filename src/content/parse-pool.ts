/**
 * A small pool of worker threads for parsing untrusted text (parse-jobs.ts), so that a hostile
 * feed, page or file can never block the event loop that answers questions:
 * - every job has a hard time limit: when it passes, the worker is TERMINATED (a runaway regex
 *   or a super-linear DOM algorithm cannot be interrupted any other way) and the job fails
 *   with ParseTimeout; a fresh worker takes its place;
 * - each worker has a heap limit (resourceLimits): a job that allocates without end kills only
 *   its worker, and the job fails with ParseCrash;
 * - workers hold the process open only while they have work (the CLI exits when it is done).
 *
 * Plain worker_threads rather than a pool library: the pool needs exactly "terminate on
 * timeout, respawn, heap limit", which is a screenful of code. The workers run TypeScript
 * through tsx, like the rest of Citat (parse-worker.mjs).
 */
import { Worker } from "node:worker_threads";
import { limits, type Limits } from "./limits.js";
import type { ParseJob, ParseResult } from "./parse-jobs.js";

/** A parsing job failed: it timed out (the worker was terminated), its worker died, or it threw. */
export class ParseJobError extends Error {
  constructor(
    readonly reason: "timeout" | "crash" | "error" | "closed",
    message: string,
  ) {
    super(message);
    this.name = "ParseJobError";
  }
}

interface Pending {
  readonly job: ParseJob;
  readonly transfer: ArrayBuffer[];
  readonly timeoutMs: number;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: Pending | null;
  timer: NodeJS.Timeout | null;
  /** Jobs this worker ran: a worker is replaced now and then (linkedom and Readability leak a little). */
  runs: number;
  /** Whether the worker has loaded its code (a job's time limit starts then, not at the spawn). */
  ready: boolean;
}

const WORKER_URL = new URL("./parse-worker.mjs", import.meta.url);
const RECYCLE_AFTER = 500;
/** A worker that has not loaded its code by then is broken. */
const STARTUP_MS = 60_000;

export class ParsePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private closed = false;
  /** Jobs that failed by timeout or crash, for logs and tests. */
  killed = 0;

  constructor(private readonly options: { size?: number; memoryMb?: number; limits?: () => Limits } = {}) {}

  private get size(): number {
    return Math.max(1, this.options.size ?? limits().parseWorkers);
  }

  /** Runs a job in a worker; rejects with ParseJobError. `timeoutMs` defaults to PARSE_TIMEOUT_MS. */
  run<J extends ParseJob>(job: J, timeoutMs = limits().parseTimeoutMs, transfer: ArrayBuffer[] = []): Promise<ParseResult<J>> {
    if (this.closed) return Promise.reject(new ParseJobError("closed", "the parsing pool is closed"));
    return new Promise((resolve, reject) => {
      this.queue.push({ job, transfer, timeoutMs, resolve: resolve as (v: unknown) => void, reject });
      this.dispatch();
    });
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_URL, {
      resourceLimits: {
        maxOldGenerationSizeMb: this.options.memoryMb ?? limits().parseWorkerMemoryMb,
        maxYoungGenerationSizeMb: 32,
      },
      stderr: false,
    });
    const slot: Slot = { worker, busy: null, timer: null, runs: 0, ready: false };
    worker.postMessage({ id: -1, job: { kind: "limits", limits: (this.options.limits ?? limits)() } });
    const startup = setTimeout(() => {
      const pending = slot.busy;
      this.retire(slot);
      pending?.reject(new ParseJobError("crash", `the parsing worker did not start within ${STARTUP_MS} ms`));
      this.dispatch();
    }, STARTUP_MS);
    startup.unref();
    worker.on("message", (msg: { id: number; ok: boolean; value?: unknown; error?: string }) => {
      if (msg.id === -1) {
        clearTimeout(startup);
        slot.ready = true;
        if (slot.busy) this.startTimer(slot, slot.busy);
        return;
      }
      const pending = slot.busy;
      if (!pending) return;
      this.finish(slot);
      if (msg.ok) pending.resolve(msg.value);
      else pending.reject(new ParseJobError("error", msg.error ?? "parsing failed"));
      this.dispatch();
    });
    const died = (why: string) => {
      const pending = slot.busy;
      this.remove(slot);
      if (pending) {
        this.killed++;
        pending.reject(new ParseJobError("crash", `the parsing worker died (${why})`));
      }
      this.dispatch();
    };
    worker.on("error", (err) => {
      clearTimeout(startup);
      died(err.message);
    });
    worker.on("exit", (code) => died(`exit code ${code}`));
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  private finish(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.busy = null;
    slot.worker.unref();
    if (++slot.runs >= RECYCLE_AFTER) this.retire(slot);
  }

  private remove(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    slot.busy = null;
  }

  private retire(slot: Slot): void {
    this.remove(slot);
    slot.worker.removeAllListeners("exit");
    slot.worker.removeAllListeners("error");
    void slot.worker.terminate();
  }

  private dispatch(): void {
    while (this.queue.length > 0 && !this.closed) {
      let slot = this.slots.find((s) => s.busy === null);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const pending = this.queue.shift() as Pending;
      slot.busy = pending;
      slot.worker.ref(); // a job in flight keeps the process alive
      if (slot.ready) this.startTimer(slot, pending);
      slot.worker.postMessage({ id: slot.runs, job: pending.job }, pending.transfer);
    }
  }

  private startTimer(slot: Slot, pending: Pending): void {
    slot.timer = setTimeout(() => {
      this.killed++;
      this.retire(slot);
      pending.reject(new ParseJobError("timeout", `parsing took longer than ${pending.timeoutMs} ms; stopped`));
      this.dispatch();
    }, pending.timeoutMs);
    slot.timer.unref();
  }

  /** Terminates the workers; queued jobs fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new ParseJobError("closed", "the parsing pool is closed"));
    const slots = this.slots.splice(0);
    for (const s of slots) {
      if (s.timer) clearTimeout(s.timer);
      s.busy?.reject(new ParseJobError("closed", "the parsing pool is closed"));
      s.worker.removeAllListeners("exit");
    }
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}

let shared: ParsePool | null = null;

/** The process's parsing pool (created on first use). */
export function parsePool(): ParsePool {
  shared ??= new ParsePool();
  return shared;
}

/** Runs a job in the shared pool; `transfer` moves buffers to the worker instead of copying them. */
export function parseInWorker<J extends ParseJob>(job: J, timeoutMs?: number, transfer?: ArrayBuffer[]): Promise<ParseResult<J>> {
  return parsePool().run(job, timeoutMs, transfer);
}
