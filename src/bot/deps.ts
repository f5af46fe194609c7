import type { Logger } from "../logger.js";
import type { AnswerEngine } from "../search/answer-engine.js";
import type { Storage } from "../storage/storage.js";

/** What the bot's features need from the rest of the program. */
export interface BotDeps {
  readonly engine: AnswerEngine;
  readonly logger: Logger;
  /** The state repositories (sessions, questions, feedback, subscriptions…); without them, an in-memory SQLite database. */
  readonly storage?: Storage;
  /** "Now", for the "most recent information" notice; injectable for tests. */
  readonly now?: () => Date;
  /** Telegram user ids allowed to use /stats (ADMIN_IDS). */
  readonly adminIds?: readonly number[];
  /** Outlet names of the configured feeds, recognised by `/subscribe <outlet>`. */
  readonly feedNames?: readonly string[];
  /**
   * How long an answer may take before "typing…" is shown (default 500 ms; 0 shows it at once).
   * Answers usually take milliseconds: an indicator for every one would cost a Bot API call per
   * question for nothing the user can see, and under a burst those calls compete with answers.
   */
  readonly typingDelayMs?: number;
}
