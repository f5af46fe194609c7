/**
 * The interface language: Romanian for users whose Telegram language is Romanian, and when
 * Telegram doesn't say; English for everyone else. A middleware puts the user's table on the
 * context (`ctx.t`), so handlers never pick a language themselves.
 */
import type { MiddlewareFn } from "grammy";
import type { Context } from "grammy";
import { messages } from "./messages.js";
import { messagesEn } from "./messages-en.js";

export type Lang = "ro" | "en";

/** The Romanian table with its literal strings widened: the shape every language fills. */
type Widen<T> = T extends string
  ? string
  : T extends (...args: infer A) => infer R
    ? (...args: A) => Widen<R>
    : T extends ReadonlyArray<infer E>
      ? ReadonlyArray<Widen<E>>
      : T extends object
        ? { readonly [K in keyof T]: Widen<T[K]> }
        : T;

export type Messages = Widen<typeof messages>;

export interface LanguageFlavor {
  lang: Lang;
  t: Messages;
}

export function langOf(languageCode: string | undefined): Lang {
  if (languageCode === undefined || languageCode === "") return "ro";
  return /^(ro|mo)\b/i.test(languageCode) ? "ro" : "en";
}

export function messagesFor(lang: Lang): Messages {
  return lang === "ro" ? messages : messagesEn;
}

/** Sets `ctx.lang` and `ctx.t` from the user who sent the update. */
export function languageMiddleware<C extends Context & LanguageFlavor>(): MiddlewareFn<C> {
  return (ctx, next) => {
    ctx.lang = langOf(ctx.from?.language_code);
    ctx.t = messagesFor(ctx.lang);
    return next();
  };
}
