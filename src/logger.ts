/**
 * The tiny logging seam every module takes. Logs always go to stderr so that stdout stays
 * clean for the CLI's JSON output and the terminal chat.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, err?: unknown): void;
}

const describe = (err: unknown): string =>
  err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);

export function createStderrLogger(level: "info" | "warn" | "silent" = "info"): Logger {
  const write = (tag: string, message: string) => process.stderr.write(`[citat] ${tag} ${message}\n`);
  return {
    info: (m) => level === "info" && write("info", m),
    warn: (m) => level !== "silent" && write("warn", m),
    error: (m, err) => level !== "silent" && write("error", err === undefined ? m : `${m}: ${describe(err)}`),
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
