/**
 * What the bot says, in Romanian (the default interface language). Kept in one place so a
 * second language is a second table, not a hunt through handlers. Functions return HTML-safe
 * strings: every value that comes from outside is escaped by the caller or here.
 */
import { escapeHtml, normalizeQuestion } from "./render.js";

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
      "• În grupuri: <code>/ask întrebarea ta</code>.",
      "",
      `Știri indexate acum: ${articleCount}.`,
    ].join("\n"),
  searching: "Caut…",
  notFound: (question: string) =>
    `Nu am găsit nimic care să răspundă la „${escapeHtml(normalizeQuestion(question))}” în articolele indexate.\n\n` +
    "Încearcă altfel: folosește numele persoanelor, locurilor sau instituțiilor din știre (de exemplu <code>Lukașenko Iran tratat</code>).",
  noTerms:
    "Întrebarea nu are cuvinte după care să caut. Scrie despre cine sau despre ce vrei să afli, de exemplu <code>ce au discutat Belarus și Iran</code>.",
  askUsage: "Scrie întrebarea după comandă, de exemplu: <code>/ask ce tratat vor Belarus și Iran</code>",
  textOnly: "Pot răspunde doar la întrebări scrise. Trimite-mi întrebarea ca text.",
  unknownCommand: "Nu cunosc această comandă. /help arată ce pot face.",
  noMore: "Nu mai sunt alte citate pentru această întrebare.",
  expired: "Nu mai găsesc întrebarea acestui răspuns. Trimite-o din nou.",
  failure: "A apărut o eroare la căutare. Încearcă din nou peste puțin timp.",
  more: "Mai multe ›",
  commands: [
    { command: "start", description: "Ce face Citat" },
    { command: "help", description: "Cum pui întrebări" },
    { command: "ask", description: "Întreabă (în grupuri)" },
  ],
} as const;
