/** The context every feature of the bot sees: grammY's, plus the session and the language. */
import type { Context, SessionFlavor } from "grammy";
import type { TopicContext } from "../conversation/follow-up.js";
import type { LanguageFlavor } from "./i18n.js";

/** What a chat (private) or a user in a group (group) remembers between questions. */
export interface ConversationSession {
  /** The topic of the conversation: what a follow-up question continues. */
  topic?: TopicContext;
}

/** Saves `ctx.session` now rather than when the handler returns (bot/session.ts says why). */
export interface SaveSessionFlavor {
  saveSession(): Promise<void>;
}

export type CitatContext = Context & SessionFlavor<ConversationSession | undefined> & SaveSessionFlavor & LanguageFlavor;
