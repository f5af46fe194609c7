/**
 * Questions and their answers: any text in a private chat; in groups only what is addressed to
 * the bot — `/ask …` (also `/ask@bot`), a mention of the bot, a reply to one of its messages —
 * answered as a reply to the asking message, in its forum topic. A question may follow up on
 * the previous one (src/conversation decides); `/new` forgets the topic. "More" pages through
 * the quotes: what was searched is stored with the answer message, so paging and replies keep
 * working after a restart (the question line of the message is the fallback).
 */
import { Composer, InlineKeyboard } from "grammy";
import type { Message } from "grammy/types";
import { PAGE_SIZE, type SearchSpec } from "../../conversation/conversation.js";
import { contextFromQuestion, type TopicContext } from "../../conversation/follow-up.js";
import type { QuoteGroup } from "../../search/wire-copy.js";
import type { CitatContext } from "../context.js";
import type { Messages } from "../i18n.js";
import { nonEssential } from "../non-essential.js";
import { normalizeQuestion, questionFromMessageText, renderPage, sourceLineHtml } from "../render.js";
import { remember, type BotServices } from "../services.js";

const DAY_MS = 86_400_000;
/** Answers whose newest article is older than this say so. */
export const STALE_AFTER_DAYS = 30;

/** What is stored with an answer: the search (for the next pages) and the topic after it (for replies). */
interface AnswerState {
  readonly search: SearchSpec;
  readonly context: TopicContext;
}

/** A stored topic as this version writes it (older or damaged data is ignored, not trusted). */
function isTopic(value: unknown): value is TopicContext {
  const v = value as Partial<TopicContext> | null | undefined;
  return (
    typeof v?.question === "string" && typeof v.query === "string" && [v.keywords, v.articleIds, v.shown].every(Array.isArray)
  );
}

function isAnswerState(value: unknown): value is AnswerState {
  const v = value as Partial<AnswerState> | null;
  return typeof v?.search?.query === "string" && isTopic(v.context);
}

export const FEEDBACK_UP = "fb:up";
export const FEEDBACK_DOWN = "fb:down";

export function answerKeyboard(t: Messages, nextOffset: number | null): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  if (nextOffset !== null) keyboard.text(t.more, `more:${nextOffset}`).row();
  // The follow button: features/subscriptions.ts subscribes the chat to the answer's topic.
  return keyboard.text("👍", FEEDBACK_UP).text("👎", FEEDBACK_DOWN).row().text(t.sub.follow, "follow");
}

/** The "most recent information" notice, when every article behind the answer is old. */
export function staleNotice(groups: readonly QuoteGroup[], now: Date, t: Messages): string | undefined {
  let newest: string | null = null;
  for (const g of groups) {
    for (const a of [g.quote.article, ...g.also]) if (a.date && (newest === null || a.date > newest)) newest = a.date;
  }
  if (newest === null) return undefined;
  return now.getTime() - Date.parse(`${newest}T00:00:00Z`) > STALE_AFTER_DAYS * DAY_MS ? t.staleNotice(newest) : undefined;
}

const isGroup = (ctx: CitatContext) => ctx.chat?.type === "group" || ctx.chat?.type === "supergroup";

/** In groups an answer replies to the asking message (ctx.reply keeps the forum topic itself). */
function replyTo(ctx: CitatContext): { reply_parameters?: { message_id: number; allow_sending_without_reply: true } } {
  return isGroup(ctx) && ctx.message
    ? { reply_parameters: { message_id: ctx.message.message_id, allow_sending_without_reply: true } }
    : {};
}

const textOf = (m: Message | undefined) => (m && "text" in m ? m.text : undefined);

/** Whether a message mentions the bot (by entity, or by its text when a client sent none). */
export function mentionsBot(message: Message.TextMessage, username: string): boolean {
  const handle = `@${username}`.toLowerCase();
  if (
    message.entities?.some(
      (e) => e.type === "mention" && message.text.slice(e.offset, e.offset + e.length).toLowerCase() === handle,
    )
  )
    return true;
  return mentionPattern(username).test(message.text);
}

const mentionPattern = (username: string) => new RegExp(`(^|[^\\w@])@${username}(?![\\w])`, "i");

/** The text without the bot's mentions. */
export function withoutMention(text: string, username: string): string {
  return text
    .replace(new RegExp(`(^|[^\\w@])@${username}(?![\\w])[,:]?`, "gi"), "$1")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * The context a reply continues: the replied answer's stored topic, else one rebuilt from its
 * question line. Null when the replied message is not one of the bot's answers.
 */
async function repliedContext(ctx: CitatContext, s: BotServices, replied: Message | undefined): Promise<TopicContext | null> {
  if (!replied || replied.from?.id !== ctx.me.id || !ctx.chat) return null;
  const record = await remember(s, "reading an answer", () => s.store.findAnswer(ctx.chat!.id, replied.message_id));
  if (record && isAnswerState(record.state)) return record.state.context;
  const question = record?.question ?? questionFromMessageText(textOf(replied));
  if (question === null) return null;
  const articles = s.conversation
    .search(question)
    .groups.slice(0, PAGE_SIZE)
    .map((g) => g.quote.article.id);
  return contextFromQuestion(question, articles);
}

/** Answers a question; "typing…" is shown only when the answer takes longer than `typingDelayMs`. */
export async function answerQuestion(ctx: CitatContext, s: BotServices, text: string, replied?: Message): Promise<void> {
  // A question is a sentence, not an article: long input is cut to what the answer shows.
  const question = normalizeQuestion(text);
  const showTyping = () => void nonEssential(s.logger, "sendChatAction", () => ctx.replyWithChatAction("typing"));
  let typing: NodeJS.Timeout | undefined;
  if (s.typingDelayMs <= 0) showTyping();
  else typing = setTimeout(showTyping, s.typingDelayMs);
  try {
    await replyWithAnswer(ctx, s, question, replied);
  } finally {
    clearTimeout(typing);
  }
}

async function replyWithAnswer(ctx: CitatContext, s: BotServices, question: string, replied?: Message): Promise<void> {
  const t = ctx.t;
  const fromReply = await repliedContext(ctx, s, replied);
  const session = ctx.session;
  const topic = isTopic(session?.topic) ? session.topic : null;
  const turn = s.conversation.ask(question, fromReply ?? topic, { reply: fromReply !== null });
  const found = turn.answer.found && turn.groups.length > 0;
  const questionId = await remember(s, "recording a question", () =>
    s.store.recordQuestion({
      askedAt: s.clock().getTime(),
      chatType: ctx.chat?.type ?? "unknown",
      lang: ctx.lang,
      kind: turn.resolution.kind,
      found,
      question,
      state: { search: turn.search, context: turn.context } satisfies AnswerState,
    }),
  );
  // Saved before the answer goes out: a follow-up typed at once may reach another instance.
  ctx.session = { ...session, topic: turn.context };
  await remember(s, "saving the conversation", () => ctx.saveSession());
  let sent: Message.TextMessage;
  if (turn.noStory) {
    sent = await ctx.reply(t.noStory(question), { parse_mode: "HTML", ...replyTo(ctx) });
  } else if (!found) {
    const related = turn.answer.related;
    const text =
      turn.answer.reason === "no-terms"
        ? t.noTerms
        : related
          ? t.notReported(question, sourceLineHtml(related, t))
          : t.notFound(question);
    sent = await ctx.reply(text, {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      ...replyTo(ctx),
    });
  } else {
    const page = renderPage(question, turn.groups.slice(0, PAGE_SIZE), {
      labels: t,
      contextWords: turn.resolution.contextWords,
      notice:
        [turn.outsideStory ? t.outsideStory : undefined, staleNotice(turn.groups, s.clock(), t)].filter(Boolean).join("\n") ||
        undefined,
    });
    sent = await ctx.reply(page.html, {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      reply_markup: answerKeyboard(t, page.shown < turn.groups.length ? page.shown : null),
      ...replyTo(ctx),
    });
  }
  if (questionId !== undefined && ctx.chat)
    await remember(s, "recording an answer", () => s.store.recordAnswerMessage(ctx.chat!.id, sent.message_id, questionId));
}

export function askFeature(s: BotServices): Composer<CitatContext> {
  const composer = new Composer<CitatContext>();

  composer.command("new", async (ctx) => {
    ctx.session = undefined;
    await remember(s, "saving the conversation", () => ctx.saveSession());
    await ctx.reply(ctx.t.newConversation, replyTo(ctx));
  });

  composer.command("ask", async (ctx) => {
    const question = withoutMention(ctx.match, ctx.me.username);
    if (question === "") await ctx.reply(ctx.t.askUsage, { parse_mode: "HTML", ...replyTo(ctx) });
    else await answerQuestion(ctx, s, question, ctx.msg.reply_to_message);
  });

  composer
    .chatType("private")
    .on("message:text")
    .filter((ctx) => !ctx.message.text.startsWith("/"))
    .use((ctx) =>
      answerQuestion(ctx, s, withoutMention(ctx.message.text, ctx.me.username) || ctx.message.text, ctx.message.reply_to_message),
    );

  // Groups: only what is addressed to the bot. Everything else is the group's own conversation.
  composer
    .chatType(["group", "supergroup"])
    .on("message:text")
    .filter((ctx) => !ctx.message.text.startsWith("/"))
    .use(async (ctx, next) => {
      const replied = ctx.message.reply_to_message;
      const toBot = replied?.from?.id === ctx.me.id;
      if (!toBot && !mentionsBot(ctx.message, ctx.me.username)) return next();
      const question = withoutMention(ctx.message.text, ctx.me.username);
      if (question === "") await ctx.reply(ctx.t.mentionUsage(ctx.me.username), { parse_mode: "HTML", ...replyTo(ctx) });
      else await answerQuestion(ctx, s, question, replied);
    });

  composer.callbackQuery(/^more:(\d+)$/, async (ctx) => {
    const t = ctx.t;
    const offset = Number(ctx.match[1]);
    const message = ctx.callbackQuery.message;
    const record = message
      ? await remember(s, "reading an answer", () => s.store.findAnswer(message.chat.id, message.message_id))
      : undefined;
    const state = isAnswerState(record?.state) ? record.state : null;
    const question = record?.question ?? questionFromMessageText(textOf(message as Message | undefined));
    // Telegram refuses answers to old queries ("query is too old"): that must not cost the page.
    if (question === null) {
      await nonEssential(s.logger, "answerCallbackQuery", () => ctx.answerCallbackQuery({ text: t.expired }));
      return;
    }
    await nonEssential(s.logger, "answerCallbackQuery", () => ctx.answerCallbackQuery());
    const groups = (state ? s.conversation.search(state.search.query, state.search) : s.conversation.search(question)).groups;
    const page = groups.slice(offset, offset + PAGE_SIZE);
    if (page.length === 0) {
      await ctx.reply(t.noMore);
    } else {
      const rendered = renderPage(question, page, { labels: t, contextWords: state?.search.contextWords ?? [] });
      const next = offset + rendered.shown;
      const sent = await ctx.reply(rendered.html, {
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
        reply_markup: answerKeyboard(t, next < groups.length ? next : null),
      });
      if (record)
        await remember(s, "recording an answer", () =>
          s.store.recordAnswerMessage(sent.chat.id, sent.message_id, record.questionId),
        );
    }
    // The old button has done its job (a second press would repeat this page); the votes stay.
    await nonEssential(s.logger, "editMessageReplyMarkup", () =>
      ctx.editMessageReplyMarkup({ reply_markup: answerKeyboard(t, null) }),
    );
  });

  return composer;
}
