/**
 * What the bot says in English, to users whose Telegram language is not Romanian. The same
 * keys as the Romanian table (messages.ts): TypeScript refuses a missing one. Quotes are never
 * translated: only the bot's own words are.
 */
import type { Messages } from "./i18n.js";
import { escapeHtml, normalizeQuestion } from "./render.js";

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const dateParts = (date: string) => date.split("-").map(Number) as [number, number, number];
const percent = (n: number, of: number) => (of === 0 ? "–" : `${Math.round((n / of) * 100)}%`);

export const messagesEn: Messages = {
  welcome: (examples: string[]) =>
    [
      "👋 <b>Citat</b> answers questions about the news with <b>exact quotes</b> from Romanian articles, each with its source: outlet, date, title and link.",
      "Nothing paraphrased, nothing invented: every line you see appears word for word in a real article. Quotes stay in the language of the article.",
      "",
      examples.length > 0 ? "Try, for example:" : "",
      ...examples.map((q) => `• <code>${escapeHtml(q)}</code>`),
      "",
      "Send me a question. /help for details.",
    ]
      .filter((line, i, all) => line !== "" || all[i - 1] !== "")
      .join("\n"),
  help: (articleCount: number) =>
    [
      "<b>How to use Citat</b>",
      "• Ask a short question, best in Romanian, with or without diacritics: <code>ce a zis lukasenko despre sanctiuni</code>.",
      "• You get the 1–3 best passages, quoted exactly, with their source. “More” shows the next ones.",
      "• The words that matched are in bold.",
      "• You can follow up: “Și ce a spus Pezeshkian?”, “de ce?”, “mai mult”, or reply to my message. /new starts a new conversation.",
      "• In groups: <code>/ask your question</code>, a mention of the bot, or a reply to my answer.",
      "• In any chat: type the bot's username and a question (inline mode) to send a sourced quote.",
      "• 👍/👎 under an answer tell us whether the quote was good.",
      "• <code>/subscribe Belarus Iran</code> or 🔔 under an answer: I send you new articles on the topic. /subscriptions lists them.",
      "",
      `News articles indexed now: ${articleCount}.`,
    ].join("\n"),
  searching: "Searching…",
  notFound: (question: string) =>
    `I found nothing that answers “${escapeHtml(normalizeQuestion(question))}” in the indexed articles.\n\n` +
    "Try another way: use the names of the people, places or institutions in the story (for example <code>Lukașenko Iran tratat</code>).",
  notReported: (question: string, sourceLine: string) =>
    `I found nothing that answers “${escapeHtml(normalizeQuestion(question))}” in the indexed articles. ` +
    `The closest article on the subject doesn't say:\n${sourceLine}\n\n` +
    "Ask something else about this story, or try other words.",
  noTerms:
    "Your question has no words I can search for. Write who or what you want to know about, for example <code>ce au discutat Belarus și Iran</code>.",
  askUsage: "Write your question after the command, for example: <code>/ask ce tratat vor Belarus și Iran</code>",
  textOnly: "I can only answer written questions. Send me your question as text.",
  unknownCommand: "I don't know that command. /help shows what I can do.",
  noMore: "There are no more quotes for this question.",
  expired: "I can no longer find the question of this answer. Please send it again.",
  failure: "Something went wrong while searching. Please try again in a moment.",
  more: "More ›",
  followUpContext: (words: readonly string[]) => `↪ <i>following up on: ${escapeHtml(words.join(", "))}</i>`,
  outsideStory: "The article above doesn't say; here is what I found in others:",
  noStory: (question: string) =>
    `“${escapeHtml(normalizeQuestion(question))}” follows up on your previous question, but I found no article for that one, so there is no story to look in.\n\n` +
    "Ask a whole question, with the names of the people, places or institutions in the story.",
  dateShort: (date: string) => {
    const [y, m, d] = dateParts(date);
    return `${d} ${MONTHS[m - 1]?.slice(0, 3)} ${y}`;
  },
  undated: "undated",
  staleNotice: (date: string) => {
    const [y, m, d] = dateParts(date);
    return `ℹ️ The most recent information found is from ${d} ${MONTHS[m - 1]} ${y}.`;
  },
  alsoReportedBy: (outlets: string) => `↳ Also reported by: ${outlets}`,
  feedbackThanks: "Thank you! Your feedback is noted.",
  feedbackGone: "This answer can no longer be rated (answers are kept for a limited time).",
  newConversation: "New conversation started: your next question won't continue the previous topic.",
  mentionUsage: (username: string) =>
    `Write your question after the mention, for example: <code>@${escapeHtml(username)} ce tratat vor Belarus și Iran</code>`,
  inlineNothing: "Nothing found. Open Citat",
  inlineHeadlines: "Latest news",
  stats: (s) =>
    [
      "📊 <b>Citat statistics</b>",
      `Questions: ${s.questions} (last 7 days: ${s.questionsLast7Days})`,
      `Answered: ${percent(s.answered, s.questions)}`,
      `Follow-ups: ${percent(s.followUps, s.questions)} · inline: ${s.inline}`,
      `Feedback: 👍 ${s.up} · 👎 ${s.down}${s.up + s.down > 0 ? ` (${percent(s.up, s.up + s.down)} positive)` : ""}`,
    ].join("\n"),
  sub: {
    usage:
      "<b>Subscriptions</b>\n" +
      "• <code>/subscribe Belarus Iran</code> — I send you every new article on the topic, with the matching quote.\n" +
      "• <code>/subscribe G4Media</code> — every new article from that outlet.\n" +
      "• 🔔 under an answer follows the question's topic.\n" +
      "• /subscriptions lists them, with buttons to remove; /unsubscribe stops them.",
    added: (topic: string) =>
      `🔔 Done: I'll send you new articles about <b>${escapeHtml(topic)}</b>.\n/subscriptions lists all your subscriptions.`,
    addedOutlet: (outlet: string) =>
      `🔔 Done: I'll send you new articles from <b>${escapeHtml(outlet)}</b>.\n/subscriptions lists all your subscriptions.`,
    exists: (topic: string) => `You already follow <b>${escapeHtml(topic)}</b>.`,
    limit: (max: number) =>
      `This chat already has ${max} subscriptions, the most it can have. Remove one in /subscriptions and try again.`,
    noTerms:
      "The topic has no words I can search for. Use names of people, places or institutions, for example <code>/subscribe Belarus Iran</code>.",
    list: (count: number, max: number) =>
      `<b>This chat's subscriptions</b> (${count} of ${max}). Press ✖ to remove one, 📅 for a daily digest instead of instant messages.`,
    empty: "You have no subscriptions. Send <code>/subscribe Belarus Iran</code> or <code>/subscribe G4Media</code>.",
    outletLabel: (outlet: string) => `outlet ${outlet}`,
    digestLabel: "daily",
    instantLabel: "instant",
    removed: (topic: string) => `You no longer follow ${topic}.`,
    removedAll: (n: number) => (n === 1 ? "Subscription removed." : `All ${n} subscriptions removed.`),
    unsubscribeNone: (topic: string) =>
      `You weren't following <b>${escapeHtml(topic)}</b>. /subscriptions lists what you follow.`,
    unsubscribeAll: "Remove all",
    gone: "That subscription no longer exists.",
    adminsOnly: "In groups, only administrators can change subscriptions.",
    follow: "🔔 Follow this story",
    followed: (topic: string) => `🔔 Following: ${topic}`,
    followFailed: "I can no longer find this answer's topic. Use /subscribe.",
    digestOn: (topic: string) => `📅 ${topic}: one digest a day.`,
    digestOff: (topic: string) => `⚡ ${topic}: as soon as it appears.`,
    because: (topics: string) => `<i>You follow: ${topics}</i>`,
    readArticle: "📰 Article",
    stop: "🔕 Unfollow",
    digestTitle: (date: string) => {
      const [y, m, d] = dateParts(date);
      return `🗞 <b>Daily digest</b> · ${MONTHS[m - 1]} ${d}, ${y}`;
    },
    digestMore: (n: number) => `…and ${n} more articles.`,
    feedsTitle: "📡 <b>Feeds</b>",
    feedsNone: "No feeds configured (FEEDS= turns them off; see the README).",
    feedLine: (name: string, state: "ok" | "failing" | "off" | "new", failures: number, lastOk: string | null) =>
      `${state === "ok" ? "✅" : state === "failing" ? "⚠️" : state === "off" ? "⛔" : "🕓"} ${escapeHtml(name)}` +
      (state === "failing" ? ` — ${failures} failures in a row` : state === "off" ? " — turned off" : "") +
      (lastOk ? ` · last read ${lastOk}` : ""),
    deliveryLine: (d: { pending: number; sent: number; failed: number; subscriptions: number; chats: number }) =>
      `📬 To send: ${d.pending} · sent: ${d.sent} · failed: ${d.failed}\n🔔 Subscriptions: ${d.subscriptions} in ${d.chats} chats`,
    feedOn: (name: string) => `▶ Turn ${name} back on`,
    feedEnabled: (name: string) => `${name} is back on: it is read at the next round.`,
    feedDisabled: (name: string, url: string, failures: number, error: string) =>
      `⚠️ The feed <b>${escapeHtml(name)}</b> (${escapeHtml(url)}) failed ${failures} times in a row and was turned off.\nLast error: <code>${escapeHtml(error)}</code>\nRestart the bot once it is fixed (FEEDS or feeds.json).`,
  },
  commands: [
    { command: "start", description: "What Citat does" },
    { command: "help", description: "How to ask" },
    { command: "ask", description: "Ask (in groups)" },
    { command: "new", description: "New conversation" },
    { command: "subscribe", description: "Follow a topic or an outlet" },
    { command: "subscriptions", description: "Your subscriptions" },
    { command: "unsubscribe", description: "Stop a subscription" },
  ],
};
