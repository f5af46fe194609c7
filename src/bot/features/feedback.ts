/** 👍/👎 under answers: one vote per user and answer (voting again replaces it), stored for /stats. */
import { Composer } from "grammy";
import type { CitatContext } from "../context.js";
import { nonEssential } from "../non-essential.js";
import { remember, type BotServices } from "../services.js";
import { FEEDBACK_DOWN, FEEDBACK_UP } from "./ask.js";

export function feedbackFeature(s: BotServices): Composer<CitatContext> {
  const composer = new Composer<CitatContext>();
  composer.callbackQuery([FEEDBACK_UP, FEEDBACK_DOWN], async (ctx) => {
    const message = ctx.callbackQuery.message;
    const vote = ctx.callbackQuery.data === FEEDBACK_UP ? 1 : -1;
    if (message) {
      remember(s, "recording feedback", () => s.store.recordFeedback(message.chat.id, message.message_id, ctx.from.id, vote, s.clock().getTime()));
    }
    await nonEssential(s.logger, "answerCallbackQuery", () => ctx.answerCallbackQuery({ text: ctx.t.feedbackThanks }));
  });
  return composer;
}
