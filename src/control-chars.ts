/**
 * Text from strangers (file names, feed titles, article text, a user's question) reaches the
 * log and the terminal. A raw newline there forges a log line; an ANSI escape recolours,
 * clears or rewrites the operator's terminal; a bidi override reorders what they read. These
 * helpers make such characters visible instead (`\n`, `\x1b`, `\u202e`), in one linear pass.
 */

/** C0 controls, DEL, C1 controls, line/paragraph separators, bidi embeddings and isolates. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** The same without the line feed (and tab): for multi-line text shown on a terminal. */
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function visible(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** One line, every control character spelled out: safe to write as (part of) a log line. */
export function escapeControlChars(text: string): string {
  return text.replace(CONTROL, visible);
}

/** Keeps line feeds and tabs, spells out everything else (ESC, CR, bidi…): for terminal output. */
export function escapeTerminalText(text: string): string {
  return text.replace(CONTROL_BUT_LINES, visible);
}
