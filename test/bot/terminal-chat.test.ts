/**
 * The local chat: the same bot middleware, driven from a terminal with no token.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createBot } from "../../src/bot/create-bot.js";
import { htmlToPlain, htmlToTerminal, runTerminalChat, TERMINAL_BOT_INFO } from "../../src/bot/terminal-chat.js";
import type { Article } from "../../src/content/article.js";
import { loadContent } from "../../src/content/load-content.js";
import { createMemoryLogger } from "../../src/logger.js";
import { AnswerEngine } from "../../src/search/answer-engine.js";

async function chat(lines: string[], options: { articles?: Article[]; color?: boolean } = {}): Promise<string> {
  const logger = createMemoryLogger();
  const articles = options.articles ?? (await loadContent("content", logger)).articles;
  const bot = createBot(
    { engine: AnswerEngine.fromArticles(articles), logger },
    { token: "0:local", botInfo: TERMINAL_BOT_INFO, autoRetry: false },
  );
  const input = new PassThrough();
  const output = new PassThrough();
  let text = "";
  output.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  const done = runTerminalChat(bot, { input, output, color: options.color ?? false });
  input.end(lines.map((l) => `${l}\n`).join(""));
  await done;
  return text;
}

describe("terminal chat", () => {
  it("says it is a local chat, answers questions and shows buttons as numbered choices", async () => {
    const out = await chat(["Ce tratat vor să încheie Belarusul și Iranul?"]);
    expect(out.split("\n")[0]).toMatch(/chat local.*BOT_TOKEN/);
    expect(out).toContain("tratat de parteneriat strategic");
    expect(out).toContain("G4Media · 20 aug. 2025");
    expect(out).toMatch(/\[1\] Mai multe ›/);
  });

  it("a number presses the button: the next quotes come as a new message", async () => {
    const out = await chat(["Ce tratat vor să încheie Belarusul și Iranul?", "1"]);
    const answers = out.split("🔎 Ce tratat vor să încheie Belarusul și Iranul?");
    expect(answers).toHaveLength(3);
    expect(answers[2]).toContain("—"); // a source line in the second page
    expect(answers[2]).not.toContain("tratat de parteneriat strategic");
  });

  it("runs commands through the same middleware", async () => {
    const out = await chat(["/start", "/help", "/nimic"]);
    expect(out).toContain("Citat răspunde la întrebări");
    expect(out).toContain("Cum folosești Citat");
    expect(out).toContain("Nu cunosc această comandă");
  });

  it("renders HTML for a terminal without losing text", () => {
    const html =
      '🔎 <i>a &lt;b&gt; &amp; c</i>\n\n<blockquote>x <b>y</b></blockquote>\n— <a href="https://e.ro/a?b=1&amp;c=2">T</a>';
    expect(htmlToPlain(html)).toBe("🔎 a <b> & c\n\nx y\n— T");
    expect(htmlToTerminal(html, false)).toBe("🔎 a <b> & c\n\n  │ x y\n— T (https://e.ro/a?b=1&c=2)");
  });
});

describe("terminal chat and hostile text", () => {
  it("shows control and ANSI characters from articles and questions spelled out, never as escapes", async () => {
    const hostile: Article = {
      id: "ansi",
      title: "Titlu\x1b[2J\x1b[H curat \u202eevil",
      date: "2025-08-20",
      url: "https://example.ro/a\x1b]8;;https://evil.example\x07",
      source: "Sursa\r\x1b[31m",
      body: "Ministrul a anunțat bugetul pentru spitale\x1b[31m roșu\x1b[0m și\rșters\x07 astăzi la Iași.",
    };
    const out = await chat(["bugetul pentru spitale\x1b[5m anunțat"], { articles: [hostile], color: true });
    expect(out).toContain("bugetul pentru spitale");
    // The only escapes are the chat's own: bold, italics, reset, its two colours.
    const escapes = out.match(/\x1b\[[0-9;]*[A-Za-z]/g) ?? [];
    expect(new Set(escapes)).toEqual(new Set(["\x1b[36m", "\x1b[0m", "\x1b[32m", "\x1b[1m", "\x1b[3m"]));
    expect(out.replace(/\x1b\[(36|0|32|1|3)m/g, "")).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/);
    expect(out).toContain("\\x1b[31m roșu");
    expect(out).toContain("\\x1b[5m");
  });
});

describe("npm start without a token", () => {
  it("opens the local chat and answers from the bundled content", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], {
      input: "ce a zis lukasenko despre subiecte inchise\n",
      encoding: "utf8",
      env: {
        ...process.env,
        BOT_TOKEN: "",
        CONTENT_DIR: "content",
        DATA_DIR: mkdtempSync(join(tmpdir(), "citat-chat-")),
        LOG_LEVEL: "info",
      },
      timeout: 30_000,
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/chat local/);
    expect(r.stdout).toContain("subiecte închise");
    expect(r.stderr).toMatch(/content: 1 articles/);
  }, 30_000);
});
