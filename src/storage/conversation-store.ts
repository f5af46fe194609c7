/**
 * Questions, the bot's answer messages and feedback in the database (SQLite or Postgres). Only what the bot needs: the
 * question text and what was searched (to page and to resolve replies after a restart), the
 * kind and outcome of each question (for /stats), and 👍/👎 votes. No user ids are kept with
 * questions; a vote keeps its voter's id so that voting again replaces the vote. None of it is
 * kept longer than QUESTION_RETENTION_DAYS: `pruneExpired` (run by storage/retention.ts)
 * deletes old questions with their answer-message links (which hold the chat id, in a private
 * chat the user's id) and votes.
 */
import type { SqlDatabase } from "./sql.js";

export type QuestionKind = "new" | "follow-up" | "switch" | "inline";

export interface QuestionRecord {
  readonly askedAt: number;
  readonly chatType: string;
  readonly lang: string;
  readonly kind: QuestionKind;
  readonly found: boolean;
  readonly question: string;
  /** JSON-serialisable state: what was searched and the context after the answer. */
  readonly state?: unknown;
}

export interface AnswerLookup {
  readonly questionId: number;
  readonly question: string;
  readonly state: unknown;
}

export interface Stats {
  readonly questions: number;
  readonly questionsLast7Days: number;
  /** Questions with at least one quote. */
  readonly answered: number;
  readonly followUps: number;
  readonly inline: number;
  readonly up: number;
  readonly down: number;
}

const DAY = 86_400_000;

/** Questions, answer messages and votes (SQLite or Postgres: ConversationStore over either). */
export interface QuestionRepository {
  /** Stores a question; returns its id. */
  recordQuestion(q: QuestionRecord): Promise<number>;
  /** Links a message the bot sent to the question it answers. */
  recordAnswerMessage(chatId: number, messageId: number, questionId: number): Promise<void>;
  /** The question a bot message answers, with its stored state. */
  findAnswer(chatId: number, messageId: number): Promise<AnswerLookup | undefined>;
  /**
   * Stores (or replaces) a user's vote on one of the bot's answer messages. Resolves false, and
   * stores nothing, when the message is not a known answer (any other message, or an answer
   * whose question has been deleted by the retention).
   */
  recordFeedback(chatId: number, messageId: number, userId: number, vote: 1 | -1, at: number): Promise<boolean>;
  /**
   * Deletes what is older than `before` (ms): questions asked before it with the links to their
   * answer messages, votes cast before it or on those questions, and votes tied to no answer.
   * One transaction. Resolves how many of each.
   */
  pruneExpired(before: number): Promise<{ questions: number; answerMessages: number; votes: number }>;
  stats(now: number): Promise<Stats>;
}

export class ConversationStore implements QuestionRepository {
  constructor(private readonly db: SqlDatabase) {}

  async recordQuestion(q: QuestionRecord): Promise<number> {
    const row = await this.db.get<{ id: number }>(
      "INSERT INTO questions (asked_at, chat_type, lang, kind, found, question, state) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
      [
        q.askedAt,
        q.chatType,
        q.lang,
        q.kind,
        q.found ? 1 : 0,
        q.question,
        q.state === undefined ? null : JSON.stringify(q.state),
      ],
    );
    return Number(row?.id);
  }

  async recordAnswerMessage(chatId: number, messageId: number, questionId: number): Promise<void> {
    await this.db.run(
      "INSERT INTO answer_messages (chat_id, message_id, question_id) VALUES (?, ?, ?) ON CONFLICT (chat_id, message_id) DO UPDATE SET question_id = excluded.question_id",
      [chatId, messageId, questionId],
    );
  }

  async findAnswer(chatId: number, messageId: number): Promise<AnswerLookup | undefined> {
    const row = await this.db.get<{ id: number; question: string; state: string | null }>(
      "SELECT q.id, q.question, q.state FROM answer_messages m JOIN questions q ON q.id = m.question_id WHERE m.chat_id = ? AND m.message_id = ?",
      [chatId, messageId],
    );
    if (!row) return undefined;
    let state: unknown = null;
    try {
      state = row.state === null ? null : JSON.parse(row.state);
    } catch {
      state = null;
    }
    return { questionId: row.id, question: row.question, state };
  }

  async recordFeedback(chatId: number, messageId: number, userId: number, vote: 1 | -1, at: number): Promise<boolean> {
    const questionId = (await this.findAnswer(chatId, messageId))?.questionId;
    if (questionId === undefined) return false;
    await this.db.run(
      "INSERT INTO feedback (chat_id, message_id, user_id, vote, question_id, voted_at) VALUES (?, ?, ?, ?, ?, ?) " +
        "ON CONFLICT (chat_id, message_id, user_id) DO UPDATE SET vote = excluded.vote, question_id = excluded.question_id, voted_at = excluded.voted_at",
      [chatId, messageId, userId, vote, questionId, at],
    );
    return true;
  }

  pruneExpired(before: number): Promise<{ questions: number; answerMessages: number; votes: number }> {
    return this.db.transaction(async (tx) => {
      const old = "SELECT id FROM questions WHERE asked_at < ?";
      const votes = await tx.run(`DELETE FROM feedback WHERE voted_at < ? OR question_id IS NULL OR question_id IN (${old})`, [
        before,
        before,
      ]);
      const answerMessages = await tx.run(`DELETE FROM answer_messages WHERE question_id IN (${old})`, [before]);
      const questions = await tx.run("DELETE FROM questions WHERE asked_at < ?", [before]);
      return { questions, answerMessages, votes };
    });
  }

  async stats(now: number): Promise<Stats> {
    const q = await this.db.get<{ questions: number; last7: number; answered: number; followups: number; inline: number }>(
      `SELECT COUNT(*) AS questions,
              COUNT(*) FILTER (WHERE asked_at >= ?) AS last7,
              COUNT(*) FILTER (WHERE found = 1) AS answered,
              COUNT(*) FILTER (WHERE kind = 'follow-up') AS followups,
              COUNT(*) FILTER (WHERE kind = 'inline') AS inline
         FROM questions`,
      [now - 7 * DAY],
    );
    const f = await this.db.get<{ up: number; down: number }>(
      "SELECT COUNT(*) FILTER (WHERE vote = 1) AS up, COUNT(*) FILTER (WHERE vote = -1) AS down FROM feedback",
    );
    return {
      questions: q?.questions ?? 0,
      questionsLast7Days: q?.last7 ?? 0,
      answered: q?.answered ?? 0,
      followUps: q?.followups ?? 0,
      inline: q?.inline ?? 0,
      up: f?.up ?? 0,
      down: f?.down ?? 0,
    };
  }
}
