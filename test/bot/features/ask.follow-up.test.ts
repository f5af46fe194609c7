/** Conversations through updates: follow-ups, replies, topic switches, /new, restarts, expiry. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { messages } from "../../../src/bot/messages.js";
import { SESSION_TTL_MS } from "../../../src/bot/session.js";
import type { Article } from "../../../src/content/article.js";
import { AnswerEngine } from "../../../src/search/answer-engine.js";
import { openPostgres, openSqliteSync } from "../../../src/storage/database.js";
import { memoryStorageSync, storageOn } from "../../../src/storage/storage.js";
import { createSchema, hasPostgres } from "../../support/backends.js";
import { telegramPlainText } from "../../support/telegram-html.js";
import { FRIENDLY_ARTICLES, loadSeedArticles, SEED_QUESTION } from "../fixtures.js";
import { createHarness, GROUP_CHAT, moreButtons, onlyMessage, OTHER_USER, USER, useMessageAudit } from "../harness.js";

useMessageAudit();

let engine: AnswerEngine;
let seed: Article[];
beforeAll(async () => {
  seed = await loadSeedArticles();
  engine = AnswerEngine.fromArticles([...seed, ...FRIENDLY_ARTICLES]);
});

const quotesOf = (html: string) =>
  [...html.matchAll(/<blockquote>([\s\S]*?)<\/blockquote>/g)].map((m) => telegramPlainText(m[1] as string));
const CONTEXT_LINE = /↪ <i>în legătură cu: /;
const MINSK = "Ce au discutat Lukașenko și Pezeshkian la Minsk?";
const GIURGIU = "Cât costă reparațiile podului de la Giurgiu?";

describe("follow-up questions in a private chat", () => {
  it("a pronoun or an ellipsis continues the topic: the answer says so and quotes the same story", async () => {
    const h = createHarness(engine);
    const first = onlyMessage(await h.send(MINSK));
    expect(first.text).not.toMatch(CONTEXT_LINE);
    const second = onlyMessage(await h.send("Și ce a spus Pezeshkian?"));
    expect(second.text).toMatch(/↪ <i>în legătură cu: discutat, Lukașenko, Minsk<\/i>/);
    const quotes = quotesOf(second.text);
    expect(quotes[0]).toMatch(/Pezeshkian/);
    expect(quotes[0]).not.toBe(quotesOf(first.text)[0]);
    for (const q of quotes) expect(seed[0]!.body).toContain(q.replace(/^…|…$/g, ""));

    // "de ce?" alone has no words to search: in context it does.
    const why = onlyMessage(await h.send("de ce?"));
    expect(why.text).not.toBe(messages.noTerms);
    expect(why.text).toContain("<blockquote>");
  });

  it("a reply to an earlier answer continues that answer's topic, not the latest one", async () => {
    const h = createHarness(engine);
    await h.send(MINSK);
    const minskAnswer = h.lastSent;
    const giurgiu = onlyMessage(await h.send(GIURGIU));
    expect(quotesOf(giurgiu.text)[0]).toMatch(/40 de milioane/);
    const reply = onlyMessage(await h.send("Și ce a mai spus Lukașenko?", undefined, { replyTo: minskAnswer }));
    expect(reply.text).toMatch(CONTEXT_LINE);
    expect(quotesOf(reply.text)[0]).toMatch(/Lukaşenko/);
    expect(reply.text).not.toMatch(/Giurgiu/);
  });

  it("a new, self-contained question is not polluted by the old topic", async () => {
    const h = createHarness(engine);
    await h.send(SEED_QUESTION);
    const { text } = onlyMessage(await h.send(GIURGIU));
    expect(text).not.toMatch(CONTEXT_LINE);
    expect(text).not.toMatch(/Belarus|Iran/);
    expect(quotesOf(text)[0]).toMatch(/40 de milioane de lei/);
  });

  it("/new forgets the topic: an ellipsis then has nothing to continue", async () => {
    const h = createHarness(engine);
    await h.send(SEED_QUESTION);
    expect(onlyMessage(await h.send("/new")).text).toBe(messages.newConversation);
    expect(onlyMessage(await h.send("de ce?")).text).toBe(messages.noTerms);
  });

  it("paging a follow-up repeats the follow-up's search, not the bare question", async () => {
    const h = createHarness(engine);
    await h.send(SEED_QUESTION);
    const followUp = onlyMessage(await h.send("de ce?"));
    expect(followUp.text).toMatch(CONTEXT_LINE);
    const more = moreButtons(followUp.payload)[0];
    expect(more?.callback_data).toMatch(/^more:\d+$/);
    const page = onlyMessage(await h.press(more!.callback_data!, h.lastSent));
    expect(telegramPlainText(page.text).split("\n")[0]).toBe("🔎 de ce?");
    expect(page.text).toMatch(CONTEXT_LINE);
    expect(quotesOf(page.text).length).toBeGreaterThan(0);
    for (const q of quotesOf(page.text)) expect(quotesOf(followUp.text)).not.toContain(q);
  });
});

describe("conversation state", () => {
  const dirs: string[] = [];
  afterEach(() => {
    vi.useRealTimers();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("survives a restart: a new bot on the same database continues the conversation and pages old answers", async () => {
    const dir = mkdtempSync(join(tmpdir(), "citat-restart-"));
    dirs.push(dir);
    const before = createHarness(engine, { storage: storageOn(openSqliteSync(dir)) });
    onlyMessage(await before.send(SEED_QUESTION));
    const answer = before.lastSent;
    before.bot.stop().catch(() => {});

    const after = createHarness(engine, { storage: storageOn(openSqliteSync(dir)) });
    const why = onlyMessage(await after.send("Și ce a spus Pezeshkian?"));
    expect(why.text).toMatch(/↪ <i>în legătură cu: tratat, încheie, Belarusul, Iranul<\/i>/);
    expect(quotesOf(why.text)[0]).toMatch(/Pezeshkian/);
    // The first bot's answer still pages, from what was stored with it.
    const page = onlyMessage(await after.press("more:3", answer));
    expect(page.text).toContain("<blockquote>");
  });

  it("expires after 30 idle minutes", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-01-10T10:00:00Z"));
    const h = createHarness(engine);
    await h.send(SEED_QUESTION);
    vi.setSystemTime(new Date(Date.now() + SESSION_TTL_MS - 60_000));
    expect(onlyMessage(await h.send("de ce?")).text).toContain("<blockquote>");
    // Each answer restarts the clock; 31 quiet minutes end the conversation.
    vi.setSystemTime(new Date(Date.now() + SESSION_TTL_MS + 60_000));
    expect(onlyMessage(await h.send("de ce?")).text).toBe(messages.noTerms);
  });

  it("a stored topic it can't read (older format, damaged) is ignored, not trusted", async () => {
    const storage = memoryStorageSync();
    const h = createHarness(engine, { storage });
    const damaged = JSON.stringify({ __d: { topic: { question: 1, keywords: "x" } }, e: Date.now() + 60_000 });
    await storage.db.run("INSERT INTO sessions (key, value, updated_at) VALUES (?, ?, 0)", [String(USER.id), damaged]);
    expect(onlyMessage(await h.send("de ce?")).text).toBe(messages.noTerms);
    expect(h.errors()).toEqual([]);
    // The next answer replaces it.
    await h.send(SEED_QUESTION);
    expect(onlyMessage(await h.send("de ce?")).text).toContain("<blockquote>");
  });

  it("is saved before the answer is sent: a follow-up reaching another instance at that moment continues it", async () => {
    // Two bots on one database, as two instances behind one webhook. The follow-up is handled by
    // the second while the first is still sending its answer (before grammY's own session write).
    const storage = memoryStorageSync();
    const one = createHarness(engine, { storage });
    const two = createHarness(engine, { storage });
    let followUp: string | undefined;
    one.bot.api.config.use(async (prev, method, payload, signal) => {
      if (method === "sendMessage" && followUp === undefined)
        followUp = onlyMessage(await two.send("Și ce a spus Pezeshkian?")).text;
      return prev(method, payload, signal);
    });
    expect(quotesOf(onlyMessage(await one.send(MINSK)).text).length).toBeGreaterThan(0);
    expect(followUp).toMatch(CONTEXT_LINE);
    expect(quotesOf(followUp as string)[0]).toMatch(/Pezeshkian/);
    // The first instance's write at the end of its update lost to the second's newer state:
    // logged, and the newer state is what a third question continues.
    expect(one.logger.lines.some((l) => l.includes("was written by another update meanwhile"))).toBe(true);
    const stored = await storage.sessions.read(String(USER.id));
    expect(JSON.parse(stored?.value ?? "{}").__d.topic.question).toMatch(/Pezeshkian/);
    expect(one.errors()).toEqual([]);
    expect(two.errors()).toEqual([]);
  });

  it("in a group, each member has their own conversation", async () => {
    const h = createHarness(engine);
    await h.send(`/ask ${SEED_QUESTION}`, GROUP_CHAT, { from: USER });
    // Another member's ellipsis doesn't continue Ana's question (and is answered in English).
    const other = onlyMessage(await h.send("/ask de ce?", GROUP_CHAT, { from: OTHER_USER }));
    expect(telegramPlainText(other.text)).toMatch(/no words I can search/);
    const mine = onlyMessage(await h.send("/ask de ce?", GROUP_CHAT, { from: USER }));
    expect(mine.text).toContain("<blockquote>");
  });
});

describe.skipIf(!hasPostgres)("two instances on one Postgres database", () => {
  it("a conversation started on one continues on the other; a reply to the first's answer pages there too", async () => {
    const { url, drop } = await createSchema();
    const a = storageOn(await openPostgres(url, undefined, { max: 2 }));
    const b = storageOn(await openPostgres(url, undefined, { max: 2 }));
    try {
      const one = createHarness(engine, { storage: a });
      const two = createHarness(engine, { storage: b });
      onlyMessage(await one.send(SEED_QUESTION));
      const answer = one.lastSent;
      const why = onlyMessage(await two.send("Și ce a spus Pezeshkian?"));
      expect(why.text).toMatch(CONTEXT_LINE);
      expect(quotesOf(why.text)[0]).toMatch(/Pezeshkian/);
      const page = onlyMessage(await two.press("more:3", answer));
      expect(page.text).toContain("<blockquote>");
      // Back on the first instance: it sees the second's newer state (the topic moved on).
      const next = onlyMessage(await one.send("de ce?"));
      expect(next.text).toContain("<blockquote>");
      expect(one.errors()).toEqual([]);
      expect(two.errors()).toEqual([]);
    } finally {
      await a.close();
      await b.close();
      await drop();
    }
  });
});
