import type { Migration } from "./migrations.js";

/** Sessions, questions asked, feedback (versions 1–99). */
export const CONVERSATION_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "sessions",
    // grammY session data by session key; the value carries its own expiry (enhanceStorage).
    up: `CREATE TABLE sessions (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    )`,
  },
  {
    version: 2,
    name: "questions and answer messages",
    // One row per question asked (chat or inline); `state` holds what was searched and the
    // conversation context after it (JSON), so "More" and replies work after a restart.
    up: `CREATE TABLE questions (
      id INTEGER PRIMARY KEY,
      asked_at INTEGER NOT NULL,
      chat_type TEXT NOT NULL,
      lang TEXT NOT NULL,
      kind TEXT NOT NULL,
      found INTEGER NOT NULL,
      question TEXT NOT NULL,
      state TEXT
    );
    CREATE INDEX questions_asked_at ON questions (asked_at);
    CREATE TABLE answer_messages (
      chat_id INTEGER NOT NULL,
      message_id INTEGER NOT NULL,
      question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
      PRIMARY KEY (chat_id, message_id)
    )`,
  },
  {
    version: 3,
    name: "feedback",
    // One vote per user and answer message; voting again replaces the vote.
    up: `CREATE TABLE feedback (
      chat_id INTEGER NOT NULL,
      message_id INTEGER NOT NULL,
      user_id INTEGER NOT NULL,
      vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
      question_id INTEGER REFERENCES questions (id) ON DELETE SET NULL,
      voted_at INTEGER NOT NULL,
      PRIMARY KEY (chat_id, message_id, user_id)
    )`,
  },
  {
    version: 10,
    name: "retention indexes",
    // The retention job deletes answer-message links and votes by question and by age.
    up: `CREATE INDEX answer_messages_question ON answer_messages (question_id);
    CREATE INDEX feedback_voted_at ON feedback (voted_at)`,
  },
];
