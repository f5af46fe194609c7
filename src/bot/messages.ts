/**
 * What the bot says, in Romanian (the default interface language). Kept in one place so a
 * second language is a second table, not a hunt through handlers. Functions return HTML-safe
 * strings: every value that comes from outside is escaped by the caller or here.
 */
import { escapeHtml, normalizeQuestion } from "./render.js";

const MONTHS_LONG = [
  "ianuarie",
  "februarie",
  "martie",
  "aprilie",
  "mai",
  "iunie",
  "iulie",
  "august",
  "septembrie",
  "octombrie",
  "noiembrie",
  "decembrie",
];
const MONTHS_SHORT = ["ian.", "feb.", "mar.", "apr.", "mai", "iun.", "iul.", "aug.", "sept.", "oct.", "nov.", "dec."];
const dateParts = (date: string) => date.split("-").map(Number) as [number, number, number];
const percent = (n: number, of: number) => (of === 0 ? "–" : `${Math.round((n / of) * 100)}%`);

export const messages = {
  welcome: (examples: string[]) =>
    [
      "👋 <b>Citat</b> răspunde la întrebări despre știri cu <b>citate exacte</b> din articole, fiecare cu sursa: publicația, data, titlul și linkul.",
      "Nimic parafrazat, nimic inventat: fiecare rând pe care îl vezi apare cuvânt cu cuvânt într-un articol real.",
      "",
      examples.length > 0 ? "Încearcă, de exemplu:" : "",
      ...examples.map((q) => `• <code>${escapeHtml(q)}</code>`),
      "",
      "Scrie-mi o întrebare. /help pentru detalii.",
    ]
      .filter((line, i, all) => line !== "" || all[i - 1] !== "")
      .join("\n"),
  help: (articleCount: number) =>
    [
      "<b>Cum folosești Citat</b>",
      "• Scrie o întrebare scurtă, cu sau fără diacritice: <code>ce a zis lukasenko despre sanctiuni</code>.",
      "• Primești cele mai potrivite 1–3 pasaje, citate exact, cu sursa lor. „Mai multe” arată următoarele.",
      "• Cuvintele găsite sunt îngroșate.",
      "• Poți continua: „Și ce a spus Pezeshkian?”, „de ce?”, „mai mult” sau un răspuns (reply) la mesajul meu. /new începe o conversație nouă.",
      "• În grupuri: <code>/ask întrebarea ta</code>, o mențiune a botului sau un reply la răspunsul meu.",
      "• În orice chat: scrie numele botului și întrebarea (mod inline) ca să trimiți un citat cu sursa.",
      "• 👍/👎 sub răspuns ne spun dacă citatul a fost bun.",
      "• <code>/subscribe Belarus Iran</code> sau 🔔 sub un răspuns: îți trimit articolele noi despre subiect. /subscriptions le arată.",
      "",
      `Știri indexate acum: ${articleCount}.`,
    ].join("\n"),
  searching: "Caut…",
  notFound: (question: string) =>
    `Nu am găsit nimic care să răspundă la „${escapeHtml(normalizeQuestion(question))}” în articolele indexate.\n\n` +
    "Încearcă altfel: folosește numele persoanelor, locurilor sau instituțiilor din știre (de exemplu <code>Lukașenko Iran tratat</code>).",
  /** A declined question whose closest article covers its subject but not the fact asked. */
  notReported: (question: string, sourceLine: string) =>
    `Nu am găsit nimic care să răspundă la „${escapeHtml(normalizeQuestion(question))}” în articolele indexate. ` +
    `Cel mai apropiat articol despre subiect nu spune asta:\n${sourceLine}\n\n` +
    "Întreabă altceva despre această știre sau încearcă alte cuvinte.",
  noTerms:
    "Întrebarea nu are cuvinte după care să caut. Scrie despre cine sau despre ce vrei să afli, de exemplu <code>ce au discutat Belarus și Iran</code>.",
  askUsage: "Scrie întrebarea după comandă, de exemplu: <code>/ask ce tratat vor Belarus și Iran</code>",
  textOnly: "Pot răspunde doar la întrebări scrise. Trimite-mi întrebarea ca text.",
  unknownCommand: "Nu cunosc această comandă. /help arată ce pot face.",
  noMore: "Nu mai sunt alte citate pentru această întrebare.",
  expired: "Nu mai găsesc întrebarea acestui răspuns. Trimite-o din nou.",
  failure: "A apărut o eroare la căutare. Încearcă din nou peste puțin timp.",
  more: "Mai multe ›",
  /** Second line of a follow-up's answer: what it was understood to be about. */
  followUpContext: (words: readonly string[]) => `↪ <i>în legătură cu: ${escapeHtml(words.join(", "))}</i>`,
  /** A follow-up the previous answer's articles don't answer, answered from other articles. */
  outsideStory: "În articolul de mai sus nu scrie asta; iată ce am găsit în altele:",
  /** A follow-up of a question that found nothing: there is no story to continue. */
  noStory: (question: string) =>
    `„${escapeHtml(normalizeQuestion(question))}” continuă întrebarea de dinainte, dar pentru aceea nu am găsit niciun articol, deci nu am unde căuta răspunsul.\n\n` +
    "Pune o întrebare întreagă, cu numele persoanelor, locurilor sau instituțiilor din știre.",
  /** "20 aug. 2025" (source lines). */
  dateShort: (date: string) => {
    const [y, m, d] = dateParts(date);
    return `${d} ${MONTHS_SHORT[m - 1]} ${y}`;
  },
  undated: "fără dată",
  staleNotice: (date: string) => {
    const [y, m, d] = dateParts(date);
    return `ℹ️ Cea mai recentă informație găsită este din ${d} ${MONTHS_LONG[m - 1]} ${y}.`;
  },
  /** `outlets` is HTML (escaped names, maybe links). */
  alsoReportedBy: (outlets: string) => `↳ Apare și în: ${outlets}`,
  feedbackThanks: "Mulțumim! Am notat părerea ta.",
  feedbackGone: "Acest răspuns nu mai poate fi evaluat (răspunsurile se păstrează un timp limitat).",
  newConversation: "Am început o conversație nouă: următoarea întrebare nu mai continuă subiectul de dinainte.",
  mentionUsage: (username: string) =>
    `Scrie întrebarea după mențiune, de exemplu: <code>@${escapeHtml(username)} ce tratat vor Belarus și Iran</code>`,
  inlineNothing: "Nimic găsit. Deschide Citat",
  inlineHeadlines: "Ultimele știri",
  stats: (s: {
    questions: number;
    questionsLast7Days: number;
    answered: number;
    followUps: number;
    inline: number;
    up: number;
    down: number;
  }) =>
    [
      "📊 <b>Statistici Citat</b>",
      `Întrebări: ${s.questions} (ultimele 7 zile: ${s.questionsLast7Days})`,
      `Cu răspuns: ${percent(s.answered, s.questions)}`,
      `Continuări: ${percent(s.followUps, s.questions)} · inline: ${s.inline}`,
      `Păreri: 👍 ${s.up} · 👎 ${s.down}${s.up + s.down > 0 ? ` (${percent(s.up, s.up + s.down)} pozitive)` : ""}`,
    ].join("\n"),
  /** Subscriptions and notifications (features/subscriptions.ts, delivery/notification.ts). */
  sub: {
    usage:
      "<b>Abonamente</b>\n" +
      "• <code>/subscribe Belarus Iran</code> — îți trimit fiecare articol nou despre subiect, cu citatul potrivit.\n" +
      "• <code>/subscribe G4Media</code> — fiecare articol nou al publicației.\n" +
      "• 🔔 sub un răspuns urmărește subiectul întrebării.\n" +
      "• /subscriptions arată abonamentele, cu butoane de ștergere; /unsubscribe le oprește.",
    added: (topic: string) =>
      `🔔 Gata: îți trimit articolele noi despre <b>${escapeHtml(topic)}</b>.\n/subscriptions arată toate abonamentele.`,
    addedOutlet: (outlet: string) =>
      `🔔 Gata: îți trimit articolele noi de la <b>${escapeHtml(outlet)}</b>.\n/subscriptions arată toate abonamentele.`,
    exists: (topic: string) => `Urmărești deja <b>${escapeHtml(topic)}</b>.`,
    limit: (max: number) =>
      `Ai deja ${max} abonamente, cât se poate într-un chat. Șterge unul din /subscriptions și încearcă din nou.`,
    noTerms:
      "Subiectul nu are cuvinte după care să caut. Scrie nume de persoane, locuri sau instituții, de exemplu <code>/subscribe Belarus Iran</code>.",
    list: (count: number, max: number) =>
      `<b>Abonamentele acestui chat</b> (${count} din ${max}). Apasă ✖ ca să ștergi unul, 📅 pentru un rezumat zilnic în loc de mesaje imediate.`,
    empty: "Nu ai niciun abonament. Scrie <code>/subscribe Belarus Iran</code> sau <code>/subscribe G4Media</code>.",
    outletLabel: (outlet: string) => `publicația ${outlet}`,
    digestLabel: "zilnic",
    instantLabel: "imediat",
    removed: (topic: string) => `Nu mai urmărești ${topic}.`,
    removedAll: (n: number) => (n === 1 ? "Am șters abonamentul." : `Am șters toate cele ${n} abonamente.`),
    unsubscribeNone: (topic: string) => `Nu urmăreai <b>${escapeHtml(topic)}</b>. /subscriptions arată ce urmărești.`,
    unsubscribeAll: "Șterge toate",
    gone: "Abonamentul nu mai există.",
    adminsOnly: "În grupuri, doar administratorii pot schimba abonamentele.",
    follow: "🔔 Urmărește subiectul",
    followed: (topic: string) => `🔔 Urmăresc: ${topic}`,
    followFailed: "Nu mai găsesc subiectul acestui răspuns. Folosește /subscribe.",
    digestOn: (topic: string) => `📅 ${topic}: un rezumat pe zi.`,
    digestOff: (topic: string) => `⚡ ${topic}: imediat ce apare.`,
    /** `topics` is HTML. */
    because: (topics: string) => `<i>Urmărești: ${topics}</i>`,
    readArticle: "📰 Articolul",
    stop: "🔕 Nu mai urmări",
    digestTitle: (date: string) => {
      const [y, m, d] = dateParts(date);
      return `🗞 <b>Rezumatul zilei</b> · ${d} ${MONTHS_LONG[m - 1]} ${y}`;
    },
    digestMore: (n: number) => `…și încă ${n} articole.`,
    feedsTitle: "📡 <b>Fluxuri</b>",
    feedsNone: "Niciun flux configurat (FEEDS= le oprește; vezi README).",
    feedLine: (name: string, state: "ok" | "failing" | "off" | "new", failures: number, lastOk: string | null) =>
      `${state === "ok" ? "✅" : state === "failing" ? "⚠️" : state === "off" ? "⛔" : "🕓"} ${escapeHtml(name)}` +
      (state === "failing" ? ` — ${failures} erori la rând` : state === "off" ? " — oprit" : "") +
      (lastOk ? ` · ultima citire reușită ${lastOk}` : ""),
    deliveryLine: (d: { pending: number; sent: number; failed: number; subscriptions: number; chats: number }) =>
      `📬 De trimis: ${d.pending} · trimise: ${d.sent} · eșuate: ${d.failed}\n🔔 Abonamente: ${d.subscriptions} în ${d.chats} chaturi`,
    feedOn: (name: string) => `▶ Repornește ${name}`,
    feedEnabled: (name: string) => `${name} repornit: îl citesc la următoarea trecere.`,
    feedDisabled: (name: string, url: string, failures: number, error: string) =>
      `⚠️ Fluxul <b>${escapeHtml(name)}</b> (${escapeHtml(url)}) a eșuat de ${failures} ori la rând și a fost oprit.\nUltima eroare: <code>${escapeHtml(error)}</code>\nRepornește botul după ce îl corectezi (FEEDS sau feeds.json).`,
  },
  commands: [
    { command: "start", description: "Ce face Citat" },
    { command: "help", description: "Cum pui întrebări" },
    { command: "ask", description: "Întreabă (în grupuri)" },
    { command: "new", description: "Conversație nouă" },
    { command: "subscribe", description: "Urmărește un subiect sau o publicație" },
    { command: "subscriptions", description: "Abonamentele tale" },
    { command: "unsubscribe", description: "Oprește un abonament" },
  ],
} as const;
