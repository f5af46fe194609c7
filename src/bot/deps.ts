import type { Logger } from "../logger.js";
import type { AnswerEngine } from "../search/answer-engine.js";

/** What the bot's features need from the rest of the program. */
export interface BotDeps {
  readonly engine: AnswerEngine;
  readonly logger: Logger;
}
