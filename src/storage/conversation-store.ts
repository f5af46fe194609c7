/**
 * Questions, the bot's answer messages and feedback in SQLite. Only what the bot needs: the
 * question text and what was searched (to page and to resolve replies after a restart), the
 * kind and outcome of each question (for /stats), and 👍/👎 votes. No user ids are kept with
 * questions; a vote keeps its voter's id so that voting again replaces the vote. None of it is
 * kept longer than QUESTION_RETENTION_DAYS: `pruneExpired` (run by storage/retention.ts)
 * deletes old questions with their answer-message links (which hold the chat id, in a private
 * chat the user's id) and votes.
 */
import type { Db } from "./database.js";

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

export class ConversationStore {
  constructor(private readonly db: Db) {}

  /** Stores a question; returns its id. */
  recordQuestion(q: QuestionRecord): number {
    const result = this.db
      .prepare("INSERT INTO questions (asked_at, chat_type, lang, kind, found, question, state) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .run(q.askedAt, q.chatType, q.lang, q.kind, q.found ? 1 : 0, q.question, q.state === undefined ? null : JSON.stringify(q.state));
    return Number(result.lastInsertRowid);
  }

  /** Links a message the bot sent to the question it answers. */
  recordAnswerMessage(chatId: number, messageId: number, questionId: number): void {
    this.db
      .prepare("INSERT INTO answer_messages (chat_id, message_id, question_id) VALUES (?, ?, ?) ON CONFLICT (chat_id, message_id) DO UPDATE SET question_id = excluded.question_id")
      .run(chatId, messageId, questionId);
  }

  /** The question a bot message answers, with its stored state. */
  findAnswer(chatId: number, messageId: number): AnswerLookup | undefined {
    const row = this.db
      .prepare("SELECT q.id, q.question, q.state FROM answer_messages m JOIN questions q ON q.id = m.question_id WHERE m.chat_id = ? AND m.message_id = ?")
      .get(chatId, messageId) as { id: number; question: string; state: string | null } | undefined;
    if (!row) return undefined;
    let state: unknown = null;
    try {
      state = row.state === null ? null : JSON.parse(row.state);
    } catch {
      state = null;
    }
    return { questionId: row.id, question: row.question, state };
  }

  /**
   * Stores (or replaces) a user's vote on one of the bot's answer messages. Returns false, and
   * stores nothing, when the message is not a known answer (any other message, or an answer
   * whose question has been deleted by the retention).
   */
  recordFeedback(chatId: number, messageId: number, userId: number, vote: 1 | -1, at: number): boolean {
    const questionId = this.findAnswer(chatId, messageId)?.questionId;
    if (questionId === undefined) return false;
    this.db
      .prepare(
        "INSERT INTO feedback (chat_id, message_id, user_id, vote, question_id, voted_at) VALUES (?, ?, ?, ?, ?, ?) " +
          "ON CONFLICT (chat_id, message_id, user_id) DO UPDATE SET vote = excluded.vote, question_id = excluded.question_id, voted_at = excluded.voted_at",
      )
      .run(chatId, messageId, userId, vote, questionId, at);
    return true;
  }

  /**
   * Deletes what is older than `before` (ms): questions asked before it with the links to their
   * answer messages, votes cast before it or on those questions, and votes tied to no answer.
   * One transaction. Returns how many of each.
   */
  pruneExpired(before: number): { questions: number; answerMessages: number; votes: number } {
    return this.db.transaction(() => {
      const old = "SELECT id FROM questions WHERE asked_at < ?";
      const votes = this.db.prepare(`DELETE FROM feedback WHERE voted_at < ? OR question_id IS NULL OR question_id IN (${old})`).run(before, before).changes;
      const answerMessages = this.db.prepare(`DELETE FROM answer_messages WHERE question_id IN (${old})`).run(before).changes;
      const questions = this.db.prepare("DELETE FROM questions WHERE asked_at < ?").run(before).changes;
      return { questions, answerMessages, votes };
    })();
  }

  stats(now: number): Stats {
    const q = this.db
      .prepare(
        `SELECT COUNT(*) AS questions,
                COALESCE(SUM(asked_at >= ?), 0) AS last7,
                COALESCE(SUM(found), 0) AS answered,
                COALESCE(SUM(kind = 'follow-up'), 0) AS followUps,
                COALESCE(SUM(kind = 'inline'), 0) AS inline
           FROM questions`,
      )
      .get(now - 7 * DAY) as { questions: number; last7: number; answered: number; followUps: number; inline: number };
    const f = this.db
      .prepare("SELECT COALESCE(SUM(vote = 1), 0) AS up, COALESCE(SUM(vote = -1), 0) AS down FROM feedback")
      .get() as { up: number; down: number };
    return {
      questions: q.questions,
      questionsLast7Days: q.last7,
      answered: q.answered,
      followUps: q.followUps,
      inline: q.inline,
      up: f.up,
      down: f.down,
    };
  }
}
