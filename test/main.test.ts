/**
 * `npm start` as an operator meets it: what it leaves in DATA_DIR, how it refuses a database it
 * cannot trust, and what it logs while the Bot API is away (real processes, 127.0.0.1 only).
 */
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const TOKEN = "123456789:AAEmainTestTokenSecret0123456789abcd";

/** Only what node needs, no developer .env, the bundled content, no feeds. */
function env(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: tmpdir(),
    CONTENT_DIR: "content",
    DATA_DIR: dataDir,
    DOTENV_CONFIG_PATH: join(dataDir, "absent.env"),
    FEEDS: "",
    LOG_LEVEL: "info",
    ...extra,
  };
}

const start = (dataDir: string, extra: Record<string, string> = {}, input = "") =>
  spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], {
    input,
    encoding: "utf8",
    env: env(dataDir, extra),
    timeout: 60_000,
  });

const freshDir = () => join(mkdtempSync(join(tmpdir(), "citat-main-")), "data");

describe("npm start: DATA_DIR", () => {
  it("creates DATA_DIR owner-only and every file in it owner-only", () => {
    const dataDir = freshDir();
    const r = start(dataDir, {}, "Ce tratat vor să încheie Belarusul și Iranul?\n");
    expect(r.status, r.stderr).toBe(0);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const files = readdirSync(dataDir);
    expect(files).toEqual(expect.arrayContaining(["citat.sqlite", "passage-index.json"]));
    for (const f of files) expect([f, statSync(join(dataDir, f)).mode & 0o777]).toEqual([f, 0o600]);
  }, 60_000);

  it.each([
    ["a 0-byte database", Buffer.alloc(0), /empty \(0 bytes\)/],
    ["a corrupt database", Buffer.from("SQLite format 3\0".padEnd(4096, "\u00ff")), /is corrupt/],
  ])(
    "refuses %s: exit 1, one clear line naming DATA_DIR and what to do, the file untouched",
    (_, bytes, reason) => {
      const dataDir = freshDir();
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(join(dataDir, "citat.sqlite"), bytes);
      const r = start(dataDir, { LOG_FORMAT: "json" });
      expect(r.status).toBe(1);
      const lines = r.stderr
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { level: string; msg: string });
      const fatal = lines.at(-1)!;
      expect(fatal.level).toBe("error");
      expect(fatal.msg).toMatch(/^cannot start: storage: /);
      expect(fatal.msg).toMatch(reason);
      expect(fatal.msg).toContain(dataDir);
      expect(fatal.msg).toMatch(/Restore it from a backup/);
      expect(readFileSync(join(dataDir, "citat.sqlite")).equals(bytes)).toBe(true);
      expect(readdirSync(dataDir)).toEqual(["citat.sqlite"]);
    },
    60_000,
  );
});

describe("npm start: the Bot API unreachable", () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it("warns once, logs the recovery, and never prints the token or the API root's credentials", async () => {
    // A port nobody listens on yet; the fake Bot API comes up on it later.
    const probe = createServer().listen(0, "127.0.0.1");
    await once(probe, "listening");
    const port = (probe.address() as AddressInfo).port;
    probe.close();
    await once(probe, "close");

    const dataDir = freshDir();
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      env: env(dataDir, { BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: `http://admin:s3cretPass@127.0.0.1:${port}`, LOG_FORMAT: "json" }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (output += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (output += c));
    const waitFor = async (re: RegExp, ms: number) => {
      const until = Date.now() + ms;
      while (!re.test(output)) {
        if (Date.now() > until || child.exitCode !== null) throw new Error(`no ${re} in:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    try {
      await waitFor(/is unreachable/, 30_000);
      server = createServer((req, res) => {
        const method = req.url?.split("/").pop();
        const result =
          method === "getMe"
            ? { id: 1, is_bot: true, first_name: "Citat", username: "citat_test_bot" }
            : method === "getUpdates"
              ? []
              : true;
        // getUpdates: answer empty after a moment, as a long poll with nothing new would.
        setTimeout(
          () => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true, result })),
          method === "getUpdates" ? 200 : 0,
        );
      });
      server.listen(port, "127.0.0.1");
      await once(server, "listening");
      await waitFor(/reachable again/, 30_000);
      await waitFor(/polling/, 10_000);
    } finally {
      child.kill("SIGTERM");
      await once(child, "exit");
    }
    const records = output
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { level: string; msg: string });
    expect(records.filter((r) => /is unreachable/.test(r.msg))).toHaveLength(1);
    expect(records.find((r) => /is unreachable/.test(r.msg))?.level).toBe("warn");
    expect(records.find((r) => /polling/.test(r.msg))?.msg).toBe(
      `telegram: @citat_test_bot polling http://[redacted]@127.0.0.1:${port}`,
    );
    expect(output).not.toContain("AAEmainTestToken");
    expect(output).not.toContain("s3cretPass");
    expect(output).not.toContain("admin");
  }, 90_000);
});
