/**
 * While the Bot API cannot be reached the operator hears about it once, with a reminder on long
 * outages and a recovery line — never the token. Against real sockets on 127.0.0.1.
 */
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Api } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { ApiOutageMonitor } from "../../src/bot/api-outage.js";
import { createStderrLogger } from "../../src/logger.js";

const TOKEN = "123456789:AAEoutageTestToken0123456789abcdefgh";
let server: Server | undefined;
afterEach(async () => {
  server?.close();
  server = undefined;
});

async function listen(handler: Parameters<typeof createServer>[1], port = 0): Promise<number> {
  server = createServer(handler);
  server.listen(port, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as AddressInfo).port;
}

describe("ApiOutageMonitor", () => {
  it("warns once per outage, reminds on long ones, logs the recovery; the token never shows", async () => {
    // A port that was free a moment ago: connections are refused.
    const port = await listen(() => undefined);
    server!.close();
    await once(server!, "close");
    const lines: string[] = [];
    const logger = createStderrLogger("info", { secrets: [TOKEN], write: (l) => void lines.push(l) });
    let now = 0;
    const monitor = new ApiOutageMonitor(logger, { apiRoot: `http://127.0.0.1:${port}`, now: () => now, remindEveryMs: 60_000 });
    const api = new Api(TOKEN, { apiRoot: `http://127.0.0.1:${port}` });
    api.config.use(monitor.transformer);

    for (let i = 0; i < 3; i++) {
      await expect(api.getMe()).rejects.toThrow(/Network request for 'getMe' failed/);
      now += 10_000;
    }
    expect(monitor.down).toBe(true);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(`warn  telegram: the Bot API at http://127.0.0.1:${port} is unreachable \\(getMe: .*ECONNREFUSED`),
    );
    // The network error quotes the URL it failed on, token included: redacted.
    expect(lines[0]).toContain("/bot[redacted]/getMe");
    now += 60_000;
    await expect(api.getMe()).rejects.toThrow();
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/still unreachable after 90 s \(4 failed calls/);

    await listen((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true, result: { id: 1, is_bot: true, first_name: "Citat", username: "citat_bot" } }));
    }, port);
    now += 30_000;
    await expect(api.getMe()).resolves.toMatchObject({ username: "citat_bot" });
    await api.getMe();
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/info {2}telegram: the Bot API is reachable again after 2 min \(4 failed calls\)/);
    expect(lines.join("")).not.toContain("AAEoutage");
  });

  it("a 5xx answer is an outage too; a 4xx is not", async () => {
    let status = 502;
    const port = await listen((_req, res) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(
        JSON.stringify(
          status === 200 ? { ok: true, result: true } : { ok: false, error_code: status, description: "Bad Gateway" },
        ),
      );
    });
    const lines: string[] = [];
    const monitor = new ApiOutageMonitor(createStderrLogger("info", { write: (l) => void lines.push(l) }), { apiRoot: "x" });
    const api = new Api(TOKEN, { apiRoot: `http://127.0.0.1:${port}` });
    api.config.use(monitor.transformer);
    await expect(api.deleteWebhook()).rejects.toThrow(/502/);
    expect(monitor.down).toBe(true);
    status = 400;
    await expect(api.deleteWebhook()).rejects.toThrow(/400/);
    expect(monitor.down).toBe(false); // the server answered: it is reachable
    expect(lines.map((l) => l.split(" ")[1])).toEqual(["warn", "info"]);
  });
});
