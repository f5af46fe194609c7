import { Api } from "grammy";
import { describe, expect, it } from "vitest";
import { createMetrics } from "../src/metrics.js";

/** Prometheus text → `name{labels}` → value. */
function parse(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

describe("createMetrics", () => {
  it("counts the notifications the sender's API client sends and fails to send", async () => {
    const metrics = createMetrics({}, { processMetrics: false });
    const api = new Api("123:test");
    // The fake Bot API (installed first: grammY runs the last-installed transformer outermost): chat 2 is refused, chat 3's call fails on the network.
    api.config.use(async (_prev, method, payload) => {
      const chat = Number((payload as { chat_id?: number }).chat_id);
      if (chat === 3) throw new Error("network down");
      if (chat === 2) return { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" } as never;
      return {
        ok: true,
        result:
          method === "sendMessage"
            ? { message_id: 1, date: 0, chat: { id: chat, type: "private", first_name: "U" }, text: "x" }
            : true,
      } as never;
    });
    metrics.countNotifications(api);
    await api.sendMessage(1, "a");
    await api.sendMessage(1, "b");
    await expect(api.sendMessage(2, "c")).rejects.toThrow(/blocked/);
    await expect(api.sendMessage(3, "d")).rejects.toThrow(/network down/);
    await api.sendChatAction(1, "typing");
    const m = parse((await metrics.render()).body);
    expect(m.get('citat_notification_sends_total{result="sent"}')).toBe(2);
    expect(m.get('citat_notification_sends_total{result="failed"}')).toBe(2);
  });

  it("keeps every registry apart, so two bots in one process don't share counts", async () => {
    const a = createMetrics({}, { processMetrics: false });
    const b = createMetrics({}, { processMetrics: false });
    a.observer.question("answered", "chat", 0.2);
    expect(parse((await a.render()).body).get('citat_questions_total{outcome="answered",channel="chat"}')).toBe(1);
    expect(parse((await b.render()).body).has('citat_questions_total{outcome="answered",channel="chat"}')).toBe(false);
    expect((await createMetrics().render()).body).toContain("citat_process_cpu_seconds_total");
  });
});
