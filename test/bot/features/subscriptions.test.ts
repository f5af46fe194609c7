/** /subscribe, /subscriptions, /unsubscribe and the follow/unfollow buttons, through updates. */
import { beforeAll, describe, expect, it } from "vitest";
import { findOutlet, storyTopic } from "../../../src/bot/features/subscriptions.js";
import { messages } from "../../../src/bot/messages.js";
import { messagesEn } from "../../../src/bot/messages-en.js";
import type { AnswerEngine } from "../../../src/search/answer-engine.js";
import type { SqlDatabase } from "../../../src/storage/sql.js";
import { memoryStorageSync } from "../../../src/storage/storage.js";
import { MAX_SUBSCRIPTIONS_PER_CHAT, type SubscriptionRepository } from "../../../src/subscriptions/subscription-store.js";
import { SEED_QUESTION, seedEngine } from "../fixtures.js";
import {
  buttonsOf,
  createHarness,
  FORUM_CHAT,
  GROUP_CHAT,
  onlyMessage,
  OTHER_USER,
  PRIVATE_CHAT,
  USER,
  useMessageAudit,
  type BotHarness,
} from "../harness.js";

useMessageAudit();

let engine: AnswerEngine;
beforeAll(async () => {
  engine = await seedEngine();
});

function setup(): { h: BotHarness; db: SqlDatabase; store: SubscriptionRepository } {
  const storage = memoryStorageSync();
  return { h: createHarness(engine, { storage }), db: storage.db, store: storage.subscriptions };
}

/** Answers getChatMember: USER administers the groups, everyone else is a member. */
function withAdmins(h: BotHarness): BotHarness {
  h.bot.api.config.use(async (prev, method, payload, signal) => {
    if (method !== "getChatMember") return prev(method, payload, signal);
    const userId = (payload as { user_id: number }).user_id;
    return {
      ok: true,
      result: { status: userId === USER.id ? "administrator" : "member", user: { id: userId, is_bot: false, first_name: "x" } },
    } as never;
  });
  return h;
}

const toast = (calls: { method: string; payload: Record<string, unknown> }[]) =>
  calls.find((c) => c.method === "answerCallbackQuery")?.payload.text;

describe("/subscribe", () => {
  it("explains itself without words, follows a topic once whatever its spelling, and an outlet by name", async () => {
    const { h, store } = setup();
    expect(onlyMessage(await h.send("/subscribe")).text).toBe(messages.sub.usage);
    expect(onlyMessage(await h.send("/subscribe Belarus Iran")).text).toBe(messages.sub.added("Belarus Iran"));
    expect(onlyMessage(await h.send("/subscribe belarusul, iranul")).text).toBe(messages.sub.exists("Belarus Iran"));
    expect(onlyMessage(await h.send("/subscribe g4media")).text).toBe(messages.sub.addedOutlet("G4Media"));
    expect(onlyMessage(await h.send("/subscribe Adevarul")).text).toBe(messages.sub.addedOutlet("Adevărul"));
    expect(onlyMessage(await h.send("/subscribe și de la")).text).toBe(messages.sub.noTerms);
    expect((await store.listForChat(PRIVATE_CHAT.id)).map((s) => [s.kind, s.query, s.lang])).toEqual([
      ["topic", "Belarus Iran", "ro"],
      ["outlet", "G4Media", "ro"],
      ["outlet", "Adevărul", "ro"],
    ]);
  });

  it(`stops at ${MAX_SUBSCRIPTIONS_PER_CHAT} per chat`, async () => {
    const { h, store } = setup();
    const words = [
      "Iran",
      "Belarus",
      "Rusia",
      "Ucraina",
      "Moldova",
      "Ungaria",
      "Polonia",
      "Franța",
      "Germania",
      "Italia",
      "Spania",
      "Grecia",
      "Turcia",
      "Israel",
      "Egipt",
      "China",
      "Japonia",
      "Brazilia",
      "Canada",
      "Mexic",
      "Chile",
    ];
    for (const w of words.slice(0, MAX_SUBSCRIPTIONS_PER_CHAT)) await h.send(`/subscribe ${w}`);
    expect(await store.count(PRIVATE_CHAT.id)).toBe(MAX_SUBSCRIPTIONS_PER_CHAT);
    expect(onlyMessage(await h.send(`/subscribe ${words[MAX_SUBSCRIPTIONS_PER_CHAT]}`)).text).toBe(
      messages.sub.limit(MAX_SUBSCRIPTIONS_PER_CHAT),
    );
  });

  it("speaks English to English users and remembers the language for the notifications", async () => {
    const { h, store } = setup();
    expect(
      onlyMessage(await h.send("/subscribe Belarus Iran", PRIVATE_CHAT, { from: { ...USER, language_code: "en" } })).text,
    ).toBe(messagesEn.sub.added("Belarus Iran"));
    expect((await store.listForChat(PRIVATE_CHAT.id))[0]?.lang).toBe("en");
  });

  it("in groups, only administrators change subscriptions; in a forum topic, notifications go to the topic", async () => {
    const { h, store } = setup();
    withAdmins(h);
    expect(onlyMessage(await h.send("/subscribe Iran", GROUP_CHAT, { from: OTHER_USER })).text).toBe(messagesEn.sub.adminsOnly);
    expect(onlyMessage(await h.send("/subscribe Iran", GROUP_CHAT)).text).toBe(messages.sub.added("Iran"));
    await h.send("/subscribe Belarus", FORUM_CHAT, { threadId: 12 });
    expect((await store.all()).map((s) => [s.chatId, s.threadId, s.query])).toEqual([
      [GROUP_CHAT.id, null, "Iran"],
      [FORUM_CHAT.id, 12, "Belarus"],
    ]);
    // Without an answer from getChatMember, nothing changes.
    const plain = setup();
    expect(onlyMessage(await plain.h.send("/subscribe Iran", GROUP_CHAT)).text).toBe(messages.sub.adminsOnly);
    expect(await plain.store.all()).toEqual([]);
  });
});

describe("/subscriptions and /unsubscribe", () => {
  it("lists the chat's subscriptions with remove and digest buttons that redraw the list", async () => {
    const { h, store } = setup();
    expect(onlyMessage(await h.send("/subscriptions")).text).toBe(messages.sub.empty);
    await h.send("/subscribe Belarus Iran");
    await h.send("/subscribe G4Media");
    const list = onlyMessage(await h.send("/subscriptions"));
    expect(list.text).toContain("1. Belarus Iran · ⚡ imediat");
    expect(list.text).toContain("2. publicația G4Media · ⚡ imediat");
    const [topic, outlet] = await store.listForChat(PRIVATE_CHAT.id);
    expect(buttonsOf(list.payload).map((b) => [b.text, b.callback_data])).toEqual([
      ["✖ Belarus Iran", `sub:rm:${topic!.id}`],
      ["📅 zilnic", `sub:dg:${topic!.id}`],
      ["✖ publicația G4Media", `sub:rm:${outlet!.id}`],
      ["📅 zilnic", `sub:dg:${outlet!.id}`],
      [messages.sub.unsubscribeAll, "sub:rmall"],
    ]);

    const digest = await h.press(`sub:dg:${topic!.id}`, h.lastSent);
    expect(toast(digest)).toBe(messages.sub.digestOn("Belarus Iran"));
    expect((await store.get(topic!.id))?.digest).toBe(true);
    expect(String(digest.find((c) => c.method === "editMessageText")?.payload.text)).toContain("1. Belarus Iran · 📅 zilnic");

    const removed = await h.press(`sub:rm:${outlet!.id}`, h.lastSent);
    expect(toast(removed)).toBe(messages.sub.removed("publicația G4Media"));
    expect((await store.listForChat(PRIVATE_CHAT.id)).map((s) => s.query)).toEqual(["Belarus Iran"]);
    expect(toast(await h.press(`sub:rm:${outlet!.id}`, h.lastSent))).toBe(messages.sub.gone);
  });

  it("/unsubscribe <words> stops the matching one; without words it shows the list; 'remove all' empties it", async () => {
    const { h, store } = setup();
    await h.send("/subscribe Belarus Iran");
    await h.send("/subscribe Digi24");
    await h.send("/subscribe Pezeshkian");
    expect(onlyMessage(await h.send("/unsubscribe iranul belarusul")).text).toBe(messages.sub.removed("Belarus Iran"));
    expect(onlyMessage(await h.send("/unsubscribe sarmale")).text).toBe(messages.sub.unsubscribeNone("sarmale"));
    expect(onlyMessage(await h.send("/unsubscribe digi24")).text).toBe(messages.sub.removed("publicația Digi24"));
    await h.send("/subscribe Lukașenko");
    expect(onlyMessage(await h.send("/unsubscribe")).text).toContain("Pezeshkian");
    expect(toast(await h.press("sub:rmall", h.lastSent))).toBe(messages.sub.removedAll(2));
    expect(await store.all()).toEqual([]);
  });

  it("/unsubscribe <long text> echoes it shortened, on one line", async () => {
    const { h } = setup();
    const long = `${"cuvânt lung ".repeat(300)}\nsfârșit`;
    const { text } = onlyMessage(await h.send(`/unsubscribe ${long}`));
    expect(text.length).toBeLessThan(300);
    expect(text).toContain("…");
    expect(text).not.toContain("sfârșit");
  });

  it("the notification's 🔕 button stops that subscription, only in its own chat", async () => {
    const { h, store } = setup();
    await h.send("/subscribe Belarus Iran");
    const sub = (await store.all())[0]!;
    const notification = { ...h.lastSent, text: "🔔 Belarusul şi Iranul…" };
    expect(toast(await h.press(`unsub:${sub.id}`, { ...notification, chat: GROUP_CHAT }, USER))).toBe(messages.sub.adminsOnly);
    expect(toast(await h.press(`unsub:${sub.id}`, notification))).toBe(messages.sub.removed("Belarus Iran"));
    expect(await store.all()).toEqual([]);
    expect(toast(await h.press(`unsub:${sub.id}`, notification))).toBe(messages.sub.gone);
  });
});

describe("🔔 Follow this story", () => {
  it("under an answer, follows the names of its question, once", async () => {
    const { h, store } = setup();
    await h.send(SEED_QUESTION);
    const answer = h.lastSent;
    expect(toast(await h.press("follow", answer))).toBe(messages.sub.followed("Belarusul Iranul"));
    expect(toast(await h.press("follow", answer))).toBe(messages.sub.followed("Belarusul Iranul"));
    expect((await store.all()).map((s) => [s.kind, s.query])).toEqual([["topic", "Belarusul Iranul"]]);
  });

  it("falls back to the question line when the answer isn't stored", async () => {
    const { h, store } = setup();
    const stranger = { message_id: 5, date: 0, chat: PRIVATE_CHAT, text: "🔎 ce a zis lukasenko despre subiecte inchise\n\n…" };
    await h.press("follow", stranger);
    expect((await store.all()).map((s) => s.query)).toEqual(["lukasenko subiecte inchise"]);
    expect(toast(await h.press("follow", { ...stranger, text: "no question here" }))).toBe(messages.sub.followFailed);
  });

  it("picks names when a question has two or more, otherwise its key words", () => {
    expect(storyTopic(["tratat", "încheie", "Belarusul", "Iranul"])).toBe("Belarusul Iranul");
    expect(storyTopic(["ce", "Trump", "tarife"])).toBe("ce Trump tarife");
    expect(findOutlet("europa libera romania")).toBe("Europa Liberă România");
    expect(findOutlet("Belarus")).toBeNull();
    expect(findOutlet("Ziarul de Test", ["Ziarul de Test"])).toBe("Ziarul de Test");
  });
});
