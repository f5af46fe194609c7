/**
 * Conversation sessions: grammY's session middleware on the shared session repository (SQLite
 * or Postgres), so a conversation survives a restart and continues on whichever instance gets
 * the next message, with a 30-minute idle expiry (enhanceStorage rewrites the expiry on every
 * answer). One session per private chat, and one per user inside a group: two people asking
 * in the same group don't continue each other's questions.
 */
import { enhanceStorage, session, type Context, type Enhance, type MiddlewareFn } from "grammy";
import type { Logger } from "../logger.js";
import { SessionStorage, type SessionRepository } from "../storage/session-storage.js";
import type { CitatContext, ConversationSession } from "./context.js";

export const SESSION_TTL_MS = 30 * 60 * 1000;

export function sessionKey(ctx: Context): string | undefined {
  const chat = ctx.chat;
  if (!chat) return undefined;
  if (chat.type === "private") return String(chat.id);
  if ((chat.type === "group" || chat.type === "supergroup") && ctx.from) return `${chat.id}:${ctx.from.id}`;
  return undefined;
}

export function conversationSession(sessions: SessionRepository, logger: Logger): MiddlewareFn<CitatContext> {
  const storage = enhanceStorage<ConversationSession | undefined>({
    storage: new SessionStorage<Enhance<ConversationSession | undefined>>(sessions, Date.now, 500, (key) =>
      logger.info(`sessions: ${key} was written by another update meanwhile; kept the newer state`),
    ),
    millisecondsToLive: SESSION_TTL_MS,
  });
  return session<ConversationSession | undefined, CitatContext>({ storage, getSessionKey: sessionKey });
}
