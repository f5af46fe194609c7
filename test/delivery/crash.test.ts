/**
 * Nothing lost, almost nothing repeated, across kill -9: a new article is queued for 200
 * subscribers, the sender runs as a child process against a fake Bot API on 127.0.0.1, and is
 * killed with SIGKILL while a message is in flight (its request reached "Telegram", the answer
 * never came back). A restarted sender delivers the rest: every subscriber has the
 * notification, and only the message in flight may arrive twice.
 *
 * On Postgres also with two instances: both campaign for leadership, the leader sends and is
 * killed mid-broadcast; the other takes over (within 30 s; the lock is retried every 5 s) and
 * delivers the rest, with the same guarantee.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Article } from "../../src/content/article.js";
import { openSqlite } from "../../src/storage/database.js";
import { storageOn, type Storage } from "../../src/storage/storage.js";
import { createSchema, hasPostgres } from "../support/backends.js";
import { openPostgres } from "../../src/storage/database.js";
import { Newsroom } from "./newsroom.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SUBSCRIBERS = 200;
/** The request the fake Bot API receives but never answers; the sender is killed then. */
const KILL_AT = 87;

const ARTICLE: Article = {
  id: "2025/belarus-iran-acord",
  title: "Belarusul şi Iranul au semnat un acord de cooperare militară",
  date: "2025-08-21",
  url: "https://stiri.example.ro/acord",
  source: "Exemplu",
  body: "Belarusul şi Iranul au semnat joi la Teheran un acord de cooperare militară, au anunţat ministerele apărării din cele două ţări.\n\nPreşedintele Aleksandr Lukaşenko a vizitat Iranul miercuri.",
};

interface FakeBotApi {
  readonly url: string;
  /** chat_id of every sendMessage that reached the server, in order. */
  readonly received: number[];
  /** Resolves when the request to hold has arrived. */
  readonly held: Promise<void>;
  hold: boolean;
  close(): Promise<void>;
}

async function startFakeBotApi(): Promise<FakeBotApi> {
  const received: number[] = [];
  const open: ServerResponse[] = [];
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const state = { hold: true };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString() || "{}") as { chat_id?: number; text?: string };
      if (!req.url?.endsWith("/sendMessage"))
        return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true, result: true }));
      received.push(Number(body.chat_id));
      if (state.hold && received.length === KILL_AT) {
        open.push(res); // in flight: Telegram has it, the sender never hears back
        release();
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          ok: true,
          result: { message_id: received.length, date: 0, chat: { id: body.chat_id, type: "private" }, text: body.text },
        }),
      );
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    held,
    get hold() {
      return state.hold;
    },
    set hold(v: boolean) {
      state.hold = v;
    },
    close: async () => {
      for (const r of open) r.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}

function startSender(dataDir: string, databaseUrl: string | null, apiRoot: string): { child: ChildProcess; log: () => string } {
  let log = "";
  const child = spawn(process.execPath, ["--import", "tsx", "test/delivery/sender-process.ts"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR: dataDir,
      TELEGRAM_API_ROOT: apiRoot,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr?.setEncoding("utf8").on("data", (c: string) => (log += c));
  child.stdout?.setEncoding("utf8").on("data", (c: string) => (log += c));
  return { child, log: () => log };
}

const BACKENDS = [
  { name: "sqlite", available: true },
  { name: "postgres", available: hasPostgres },
] as const;

for (const backend of BACKENDS)
  describe.skipIf(!backend.available)(`on ${backend.name}: a sender killed with SIGKILL while notifying 200 subscribers`, () => {
    let dataDir: string;
    let databaseUrl: string | null = null;
    let dropSchema: (() => Promise<void>) | null = null;
    let api: FakeBotApi;
    const children: ChildProcess[] = [];
    const open = async (): Promise<Storage> =>
      storageOn(databaseUrl ? await openPostgres(databaseUrl) : await openSqlite(dataDir));

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), "citat-crash-"));
      if (backend.name === "postgres") {
        const schema = await createSchema();
        databaseUrl = schema.url;
        dropSchema = schema.drop;
      }
      api = await startFakeBotApi();
      // One article, 200 matching subscribers: 200 rows in one transaction with the "processed" mark.
      const room = new Newsroom({ storage: await open() });
      for (let chat = 1; chat <= SUBSCRIBERS; chat++) await room.subscribe(chat, "Belarus Iran");
      const result = await room.publisher.publishContentArticle(ARTICLE, { notify: true });
      expect(result.queued).toBe(SUBSCRIBERS);
      await room.storage.close();
    });

    afterAll(async () => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
      await api?.close();
      rmSync(dataDir, { recursive: true, force: true });
      await dropSchema?.();
    });

    it("is restarted and delivers every notification, at most the one in flight twice", async () => {
      const first = startSender(dataDir, databaseUrl, api.url);
      children.push(first.child);
      await Promise.race([
        api.held,
        once(first.child, "exit").then(() => Promise.reject(new Error(`sender exited early:\n${first.log()}`))),
      ]);
      first.child.kill("SIGKILL");
      await once(first.child, "exit");
      expect(first.child.signalCode).toBe("SIGKILL");
      expect(api.received).toHaveLength(KILL_AT);

      api.hold = false;
      const second = startSender(dataDir, databaseUrl, api.url);
      children.push(second.child);
      const [code] = (await once(second.child, "exit")) as [number | null];
      expect(code, second.log()).toBe(0);

      const perChat = new Map<number, number>();
      for (const chat of api.received) perChat.set(chat, (perChat.get(chat) ?? 0) + 1);
      const missing = Array.from({ length: SUBSCRIBERS }, (_, i) => i + 1).filter((chat) => !perChat.has(chat));
      const duplicates = api.received.length - perChat.size;
      expect(missing).toEqual([]);
      expect(duplicates).toBeLessThanOrEqual(1);
      // The duplicate, if any, is exactly the message that was in flight at the kill.
      if (duplicates === 1) expect(perChat.get(api.received[KILL_AT - 1]!)).toBe(2);
      console.info(
        `crash test (${backend.name}): ${api.received.length} sendMessage requests for ${SUBSCRIBERS} subscribers, ${duplicates} duplicate(s)`,
      );

      const storage = await open();
      expect(await storage.outbox.counts()).toEqual({ pending: 0, sent: SUBSCRIBERS, failed: 0, dropped: 0 });
      await storage.close();
    }, 60_000);
  });

describe.skipIf(!hasPostgres)(
  "on postgres, two instances: the leader killed with SIGKILL mid-broadcast to 200 subscribers",
  () => {
    let databaseUrl: string;
    let dropSchema: () => Promise<void>;
    let api: FakeBotApi;
    const children: ChildProcess[] = [];

    beforeAll(async () => {
      const schema = await createSchema();
      databaseUrl = schema.url;
      dropSchema = schema.drop;
      api = await startFakeBotApi();
      const room = new Newsroom({ storage: storageOn(await openPostgres(databaseUrl)) });
      for (let chat = 1; chat <= SUBSCRIBERS; chat++) await room.subscribe(chat, "Belarus Iran");
      expect((await room.publisher.publishContentArticle(ARTICLE, { notify: true })).queued).toBe(SUBSCRIBERS);
      await room.storage.close();
    });

    afterAll(async () => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
      await api?.close();
      await dropSchema?.();
    });

    function startInstance(): { child: ChildProcess; log: () => string } {
      let log = "";
      const child = spawn(process.execPath, ["--import", "tsx", "test/delivery/leader-process.ts"], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: databaseUrl, TELEGRAM_API_ROOT: api.url },
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stderr?.setEncoding("utf8").on("data", (c: string) => (log += c));
      child.stdout?.setEncoding("utf8").on("data", (c: string) => (log += c));
      children.push(child);
      return { child, log: () => log };
    }

    const until = async (what: string, ok: () => boolean, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while (!ok()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };

    it("the other instance takes over within 30 s and delivers the rest: none lost, at most one twice", async () => {
      const a = startInstance();
      await until("instance A to lead", () => a.log().includes("elected"), 20_000);
      const b = startInstance();
      await until("instance B to campaign", () => b.log().includes("campaigning"), 20_000);
      await api.held;
      expect(b.log()).not.toContain("elected"); // one sender at a time
      a.child.kill("SIGKILL");
      const killedAt = Date.now();
      await once(a.child, "exit");
      expect(api.received).toHaveLength(KILL_AT);
      api.hold = false;

      await until("B to deliver to every subscriber", () => new Set(api.received).size === SUBSCRIBERS, 30_000);
      const takeoverMs = Date.now() - killedAt;
      expect(b.log()).toContain("elected");
      expect(takeoverMs).toBeLessThan(30_000);
      // Let a late duplicate show up before counting.
      await new Promise((r) => setTimeout(r, 500));
      const perChat = new Map<number, number>();
      for (const chat of api.received) perChat.set(chat, (perChat.get(chat) ?? 0) + 1);
      const duplicates = api.received.length - perChat.size;
      expect(perChat.size).toBe(SUBSCRIBERS);
      expect(duplicates).toBeLessThanOrEqual(1);
      if (duplicates === 1) expect(perChat.get(api.received[KILL_AT - 1]!)).toBe(2);
      console.info(
        `crash test (postgres, two instances): ${api.received.length} sendMessage requests for ${SUBSCRIBERS} subscribers, ${duplicates} duplicate(s); all delivered ${takeoverMs} ms after the kill`,
      );

      b.child.kill("SIGTERM");
      await once(b.child, "exit");
      const storage = storageOn(await openPostgres(databaseUrl));
      expect(await storage.outbox.counts()).toEqual({ pending: 0, sent: SUBSCRIBERS, failed: 0, dropped: 0 });
      await storage.close();
    }, 90_000);
  },
);
