/**
 * 👍/👎 under answers: one vote per user and answer (voting again replaces it), stored for /stats.
 * Only the bot's own answer messages take votes: a forged callback on any other message (or on an
 * answer whose question the retention has deleted) stores nothing.
 */
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
    const recorded =
      message !== undefined &&
      (await remember(s, "recording feedback", () =>
        s.store.recordFeedback(message.chat.id, message.message_id, ctx.from.id, vote, s.clock().getTime()),
      )) === true;
    await nonEssential(s.logger, "answerCallbackQuery", () =>
      ctx.answerCallbackQuery({ text: recorded ? ctx.t.feedbackThanks : ctx.t.feedbackGone }),
    );
  });
  return composer;
}
