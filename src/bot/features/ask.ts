/**
 * Questions and their answers: any text in a private chat, `/ask …` anywhere, and the "More"
 * button. The button carries only the next offset; the question is read back from the answer
 * message itself, so paging needs no server-side state and survives restarts.
 */
import { Composer, InlineKeyboard, type Context } from "grammy";
import type { Answer } from "../../search/answer-engine.js";
import type { BotDeps } from "../deps.js";
import { messages } from "../messages.js";
import { nonEssential } from "../non-essential.js";
import { normalizeQuestion, questionFromMessageText, renderAnswer } from "../render.js";

const PAGE_SIZE = 3;

function moreKeyboard(answer: Answer, offset: number, shown: number): InlineKeyboard | undefined {
  const next = offset + shown;
  return next < answer.total ? new InlineKeyboard().text(messages.more, `more:${next}`) : undefined;
}

async function sendAnswer(ctx: Context, deps: BotDeps, question: string, offset: number): Promise<boolean> {
  // A question is a sentence, not an article: long input is cut to what the answer shows.
  const answer = deps.engine.ask(normalizeQuestion(question), { offset, limit: PAGE_SIZE });
  if (!answer.found) {
    await ctx.reply(answer.reason === "no-terms" ? messages.noTerms : messages.notFound(question), {
      parse_mode: "HTML",
    });
    return true;
  }
  if (answer.quotes.length === 0) return false;
  const page = renderAnswer(answer);
  await ctx.reply(page.html, {
    parse_mode: "HTML",
    link_preview_options: { is_disabled: true },
    reply_markup: moreKeyboard(answer, offset, page.shown),
  });
  return true;
}

export async function answerQuestion(ctx: Context, deps: BotDeps, question: string): Promise<void> {
  void nonEssential(deps.logger, "sendChatAction", () => ctx.replyWithChatAction("typing"));
  await sendAnswer(ctx, deps, question, 0);
}

export function askFeature(deps: BotDeps): Composer<Context> {
  const composer = new Composer<Context>();

  composer.command("ask", async (ctx) => {
    const question = ctx.match.trim();
    if (question === "") await ctx.reply(messages.askUsage, { parse_mode: "HTML" });
    else await answerQuestion(ctx, deps, question);
  });

  composer
    .chatType("private")
    .on("message:text")
    .filter((ctx) => !ctx.message.text.startsWith("/"))
    .use((ctx) => answerQuestion(ctx, deps, ctx.message.text));

  composer.callbackQuery(/^more:(\d+)$/, async (ctx) => {
    const offset = Number(ctx.match[1]);
    const message = ctx.callbackQuery.message;
    const question = questionFromMessageText(message && "text" in message ? message.text : undefined);
    // Telegram refuses answers to old queries ("query is too old"): that must not cost the page.
    if (question === null) {
      await nonEssential(deps.logger, "answerCallbackQuery", () => ctx.answerCallbackQuery({ text: messages.expired }));
      return;
    }
    await nonEssential(deps.logger, "answerCallbackQuery", () => ctx.answerCallbackQuery());
    const sent = await sendAnswer(ctx, deps, question, offset);
    if (!sent) await ctx.reply(messages.noMore);
    // The old button has done its job; a second press would only repeat this page.
    await nonEssential(deps.logger, "editMessageReplyMarkup", () => ctx.editMessageReplyMarkup());
  });

  return composer;
}
