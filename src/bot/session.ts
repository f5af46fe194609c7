/**
 * Conversation sessions: grammY's session middleware on the shared session repository (SQLite
 * or Postgres), so a conversation survives a restart and continues on whichever instance gets
 * the next message, with a 30-minute idle expiry (enhanceStorage rewrites the expiry on every
 * answer). One session per private chat, and one per user inside a group: two people asking
 * in the same group don't continue each other's questions.
 */
import { Composer, enhanceStorage, session, type Context, type Enhance, type MiddlewareFn } from "grammy";
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

/**
 * grammY's session middleware, plus `ctx.saveSession()`. grammY writes the session when the
 * handler returns, which is after the answer was sent: a follow-up typed at once and handled by
 * another instance (several instances share one database) could read the session from before
 * the answer and lose the conversation. An answer therefore saves its topic before it is sent;
 * grammY's own write at the end stores the same value again (compare-and-set against the version
 * the early save wrote, so a newer write by someone else is still never overwritten).
 */
export function conversationSession(sessions: SessionRepository, logger: Logger): MiddlewareFn<CitatContext> {
  const storage = enhanceStorage<ConversationSession | undefined>({
    storage: new SessionStorage<Enhance<ConversationSession | undefined>>(sessions, Date.now, 500, (key) =>
      logger.info(`sessions: ${key} was written by another update meanwhile; kept the newer state`),
    ),
    millisecondsToLive: SESSION_TTL_MS,
  });
  const saving = new Composer<CitatContext>();
  saving.use(session<ConversationSession | undefined, CitatContext>({ storage, getSessionKey: sessionKey }));
  saving.use((ctx, next) => {
    ctx.saveSession = async () => {
      const key = sessionKey(ctx);
      if (key === undefined) return;
      const value = ctx.session;
      if (value == null) await storage.delete(key);
      else await storage.write(key, value);
    };
    return next();
  });
  return saving.middleware();
}
