/** The interface language: Romanian by default and for Romanian users, English for the others; quotes verbatim. */
import { beforeAll, describe, expect, it } from "vitest";
import { langOf } from "../../src/bot/i18n.js";
import { messages } from "../../src/bot/messages.js";
import { messagesEn } from "../../src/bot/messages-en.js";
import type { Article } from "../../src/content/article.js";
import { AnswerEngine } from "../../src/search/answer-engine.js";
import { telegramPlainText } from "../support/telegram-html.js";
import { loadSeedArticles, SEED_ANSWER, SEED_QUESTION, UNANSWERABLE } from "./fixtures.js";
import { buttonsOf, createHarness, onlyMessage, OTHER_USER, USER, useMessageAudit } from "./harness.js";

useMessageAudit();

let seed: Article[];
let engine: AnswerEngine;
beforeAll(async () => {
  seed = await loadSeedArticles();
  engine = AnswerEngine.fromArticles(seed);
});

const ENGLISH = OTHER_USER;
const { language_code: _unused, ...NO_LANGUAGE } = USER;

describe("interface language", () => {
  it("is Romanian for 'ro' and when Telegram sends no language, English otherwise", () => {
    expect(langOf("ro")).toBe("ro");
    expect(langOf("ro-MD")).toBe("ro");
    expect(langOf(undefined)).toBe("ro");
    for (const code of ["en", "en-US", "de", "ru", "uk", "hu"]) expect(langOf(code)).toBe("en");
  });

  it("an English user gets English help, buttons and source dates; the quotes stay verbatim Romanian", async () => {
    const h = createHarness(engine);
    expect(telegramPlainText(onlyMessage(await h.send("/help", undefined, { from: ENGLISH })).text)).toContain(
      "How to use Citat",
    );
    const { text, payload } = onlyMessage(await h.send(SEED_QUESTION, undefined, { from: ENGLISH }));
    const plain = telegramPlainText(text);
    expect(plain).toContain(SEED_ANSWER);
    expect(plain).toContain("— G4Media · 20 Aug 2025 · ");
    expect(buttonsOf(payload).map((b) => b.text)).toEqual([messagesEn.more, "👍", "👎", messagesEn.sub.follow]);
    for (const m of text.matchAll(/<blockquote>([\s\S]*?)<\/blockquote>/g)) {
      expect(seed[0]!.body).toContain(telegramPlainText(m[1] as string).replace(/^…|…$/g, ""));
    }
    expect(onlyMessage(await h.send(UNANSWERABLE, undefined, { from: ENGLISH })).text).toBe(messagesEn.notFound(UNANSWERABLE));
    expect(onlyMessage(await h.send("/nimic", undefined, { from: ENGLISH })).text).toBe(messagesEn.unknownCommand);
  });

  it("a Romanian user, or one without a language, gets Romanian", async () => {
    const h = createHarness(engine);
    for (const from of [USER, NO_LANGUAGE]) {
      expect(telegramPlainText(onlyMessage(await h.send("/help", undefined, { from })).text)).toContain("Cum folosești Citat");
      const { text, payload } = onlyMessage(await h.send(SEED_QUESTION, undefined, { from }));
      expect(telegramPlainText(text)).toContain("— G4Media · 20 aug. 2025 · ");
      expect(buttonsOf(payload)[0]?.text).toBe(messages.more);
    }
  });

  it("the English table has every message of the Romanian one", () => {
    expect(Object.keys(messagesEn).sort()).toEqual(Object.keys(messages).sort());
    expect(messagesEn.commands.map((c) => c.command)).toEqual(messages.commands.map((c) => c.command));
  });
});
