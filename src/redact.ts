/**
 * Secrets never reach a log line: the bot token (it is the bot: whoever holds it reads every
 * chat and answers as the bot), credentials in a URL (`https://user:pass@host`), and a
 * `/bot<token>` path (a Bot API URL carries the token in its path, and network errors quote
 * the URL they failed on). The logger applies `redact` to every message, so a module that
 * logs an error or a URL needs to do nothing; `redactUrl` is for echoing a configured URL.
 */

const REDACTED = "[redacted]";
/** `/bot123456:AAE…` in a Bot API URL (the token is digits, a colon, letters). */
const BOT_PATH = /\/bot\d{1,20}:[\w-]{1,200}/g;
/** A bare token anywhere: digits, a colon, 30 or more letters (BotFather's are 35). */
const BARE_TOKEN = /\b\d{5,20}:[\w-]{30,200}/g;
/** `scheme://user:pass@` or `scheme://user@`: bounded quantifiers keep it linear. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]{0,30}:\/\/)[^\s/?#@]{1,512}@/gi;

/** The text with every known secret and every credential-looking part replaced. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s.length >= 8) out = out.split(s).join(REDACTED);
  return out.replace(BOT_PATH, `/bot${REDACTED}`).replace(BARE_TOKEN, REDACTED).replace(URL_USERINFO, `$1${REDACTED}@`);
}

/** A configured URL as it may be shown: no user, no password, no token in the path. */
export function redactUrl(url: string, secrets: readonly string[] = []): string {
  try {
    const u = new URL(url);
    const hadCredentials = u.username !== "" || u.password !== "";
    u.username = "";
    u.password = "";
    // URL adds a "/" to a bare origin; show it as configured.
    let href = u.href;
    if (u.pathname === "/" && u.search === "" && u.hash === "" && !url.endsWith("/")) href = href.slice(0, -1);
    if (hadCredentials) href = `${u.protocol}//${REDACTED}@${href.slice(u.protocol.length + 2)}`;
    return redact(href, secrets);
  } catch {
    return redact(url, secrets);
  }
}
