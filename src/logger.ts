/**
 * The tiny logging seam every module takes. Logs always go to stderr so that stdout stays
 * clean for the CLI's JSON output and the terminal chat.
 *
 * Every record is exactly one line, whatever it quotes: control characters (newlines, ANSI
 * escapes, bidi overrides) in messages and errors are spelled out (`\n`, `\x1b`), so a file
 * name or a feed title cannot forge a log line or rewrite the operator's terminal; secrets
 * (the bot token, URL credentials, `/bot<token>` paths) are redacted. Modules just log.
 *
 * Two formats: `text` (`2026-01-31T08:00:00.000Z warn  message`) for people, `json` (one JSON
 * object per line: `{"time","level","msg","err"?}`) for log collectors (LOG_FORMAT=json).
 * Written synchronously: the line before a crash or `process.exit` is never lost. A
 * dependency such as pino was considered; it would add worker-thread transports and still need
 * this escaping and redaction of the message text, so the ~80 lines here are the whole logger.
 */
import { escapeControlChars } from "./control-chars.js";
import { redact } from "./redact.js";

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, err?: unknown): void;
}

export type LogLevel = "info" | "warn" | "silent";
export type LogFormat = "text" | "json";

export interface StderrLoggerOptions {
  readonly format?: LogFormat;
  /** Values redacted wherever they appear (BOT_TOKEN). */
  readonly secrets?: readonly string[];
  /** Where lines go (default: stderr, synchronously). */
  readonly write?: (line: string) => void;
  readonly now?: () => Date;
}

/** What is logged of an error: its name and message, its cause's, and (text) its stack frames. */
interface ErrorRecord {
  readonly message: string;
  readonly stack?: string;
}

function describeError(err: unknown): ErrorRecord {
  if (!(err instanceof Error)) return { message: String(err) };
  let message = `${err.name}: ${err.message}`;
  // grammY's HttpError keeps the network error in `error`; standard errors in `cause`.
  const inner = (err as { error?: unknown }).error ?? err.cause;
  if (inner !== undefined && inner !== err)
    message += ` (cause: ${inner instanceof Error ? `${inner.name}: ${inner.message}` : String(inner)})`;
  const frames = (err.stack ?? "")
    .split("\n")
    .filter((l) => /^\s+at /.test(l))
    .slice(0, 20);
  return frames.length > 0 ? { message, stack: frames.map((f) => f.trim()).join("\n") } : { message };
}

const SEVERITY: Record<Exclude<LogLevel, "silent">, number> = { info: 1, warn: 2 };
const writeStderr = (line: string) => {
  try {
    process.stderr.write(line);
  } catch {
    // A closed stderr must not take the bot down.
  }
};

export function createStderrLogger(level: LogLevel = "info", options: StderrLoggerOptions = {}): Logger {
  const { format = "text", secrets = [], write = writeStderr, now = () => new Date() } = options;
  const clean = (s: string) => escapeControlChars(redact(s, secrets));
  const log = (tag: "info" | "warn" | "error", message: string, err?: unknown) => {
    if (level === "silent" || (tag === "info" && SEVERITY[level] > SEVERITY.info)) return;
    const time = now().toISOString();
    const e = err === undefined ? undefined : describeError(err);
    if (format === "json") {
      const record: Record<string, unknown> = { time, level: tag, msg: clean(message) };
      if (e) record.err = { message: clean(e.message), ...(e.stack ? { stack: redact(e.stack, secrets) } : {}) };
      // JSON.stringify escapes C0 controls; the other invisible ones are already spelled out.
      write(`${JSON.stringify(record)}\n`);
      return;
    }
    let line = `${time} ${tag.padEnd(5)} ${clean(message)}`;
    if (e) line += `: ${clean(e.message)}`;
    // Stack frames come from V8 (function names, file paths), each its own indented line; a
    // forged line would need a newline in the message, and those are escaped above.
    if (e?.stack)
      line += e.stack
        .split("\n")
        .map((f) => `\n    ${clean(f)}`)
        .join("");
    write(`${line}\n`);
  };
  return {
    info: (m) => log("info", m),
    warn: (m) => log("warn", m),
    error: (m, err) => log("error", m, err),
  };
}

/** A logger that remembers messages: for tests that assert on warnings. */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => void lines.push(`info ${m}`),
    warn: (m) => void lines.push(`warn ${m}`),
    error: (m, err) => void lines.push(`error ${m}${err === undefined ? "" : `: ${String(err)}`}`),
  };
}
