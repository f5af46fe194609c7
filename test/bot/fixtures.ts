/** Engines for the bot tests: the bundled seed article, and small inline articles (some hostile). */
import { fileURLToPath } from "node:url";
import type { Article } from "../../src/content/article.js";
import { loadContent } from "../../src/content/load-content.js";
import { createMemoryLogger } from "../../src/logger.js";
import { AnswerEngine } from "../../src/search/answer-engine.js";

export const CONTENT_DIR = fileURLToPath(new URL("../../content", import.meta.url));

/** The seed question and what its best answer must quote. */
export const SEED_QUESTION = "Ce tratat vor să încheie Belarusul și Iranul?";
export const SEED_ANSWER = "tratat de parteneriat strategic";
export const UNANSWERABLE = "Care este rețeta de sarmale a bunicii?";

export async function loadSeedArticles(): Promise<Article[]> {
  const logger = createMemoryLogger();
  const { articles } = await loadContent(CONTENT_DIR, logger);
  if (articles.length === 0) throw new Error(`no articles loaded from ${CONTENT_DIR}: ${logger.lines.join("; ")}`);
  return articles;
}

export async function seedEngine(): Promise<AnswerEngine> {
  return AnswerEngine.fromArticles(await loadSeedArticles());
}

const article = (a: Partial<Article> & Pick<Article, "id" | "title" | "body">): Article => ({
  date: "2025-06-01",
  url: null,
  source: null,
  ...a,
});

/** Plain, friendly inline articles: five separate reports about one topic, so a question has many quotes. */
export const FRIENDLY_ARTICLES: Article[] = [
  article({
    id: "local/pod-1",
    title: "Podul de la Giurgiu se închide pentru reparații",
    source: "Ziarul Local",
    url: "https://ziar.example/pod-1",
    body: "Podul de la Giurgiu se închide pentru reparații timp de două luni, a anunțat compania de drumuri.\n\nȘoferii vor folosi bacul de la Calafat.",
  }),
  article({
    id: "local/pod-2",
    title: "Reparații la podul Giurgiu–Ruse",
    source: "Radio Sud",
    date: "2025-06-02",
    body: "Reparațiile podului de la Giurgiu vor costa 40 de milioane de lei, potrivit ministerului.\n\nLucrările încep luni.",
  }),
  article({
    id: "local/pod-3",
    title: "Cozi la bac după închiderea podului",
    date: "2025-06-03",
    body: "După închiderea podului de la Giurgiu pentru reparații, cozile la bac au ajuns la trei kilometri.",
  }),
  article({
    id: "local/pod-4",
    title: "Primarul din Giurgiu cere grabă",
    date: "2025-06-04",
    body: "Primarul a cerut ca reparațiile la podul de la Giurgiu să fie terminate înainte de toamnă.",
  }),
  article({
    id: "local/pod-5",
    title: "Transportatorii protestează",
    date: "2025-06-05",
    body: "Transportatorii spun că închiderea podului de la Giurgiu pentru reparații îi costă zilnic.",
  }),
];

const LONG_CLAUSE = [
  'guvernul a promis <b>spitale</b> noi & autostrăzi "moderne" pentru fiecare județ',
  "ministrul a spus că bugetul pentru spitale crește cu 5 < 7 procente",
  "opoziția a răspuns că </blockquote> promisiunile & &amp; cifrele nu se leagă",
  "medicii 🩺👩🏽‍⚕️ au cerut salarii mai mari și aparatură",
  "sindicatele au anunțat proteste în fața spitalelor județene",
];

/** A paragraph of `length` characters with commas but no full stop. */
function runOn(length: number): string {
  let s = "";
  for (let i = 0; s.length < length; i++) s += `${LONG_CLAUSE[i % LONG_CLAUSE.length]} (${i}), `;
  return s.trimEnd();
}

/** Articles whose text is full of what breaks naive HTML: markup, entities, quotes, emoji, giant paragraphs and titles. */
export const HOSTILE_ARTICLES: Article[] = [
  article({
    id: "hostile/markup",
    title: `<b>Primăria</b> & "consiliul" </blockquote> ${"titlu foarte lung & <i>periculos</i> ".repeat(30)}`.slice(0, 1000),
    source: 'Ziarul <i>"Adevărul & Co"</i>',
    url: 'https://ziar.example/stire?id=1&cat="a"&x=<b>',
    body: [
      'Primăria a votat <b>bugetul</b> & taxele "noi" pentru 2025, iar consilierii au scris </blockquote><a href="x"> în procesul-verbal.',
      "Consiliul local a aprobat bugetul cu 5 < 7 voturi & o abținere; textul conține literal &amp; și &lt;b&gt; și &#128269;.",
      "Bugetul primăriei prevede <script>alert(1)</script> de lei pentru străzi & parcuri.",
    ].join("\n\n"),
  }),
  article({
    id: "hostile/emoji",
    title: "🔥🔥 Protest 🧑‍🤝‍🧑 la pod 🌉 ".repeat(40).trim(),
    source: "😡 Știri 😡",
    date: "2025-07-01",
    body: [
      "Protestatarii 🧑‍🤝‍🧑🔥🔥 au blocat podul 🌉 din Cluj 😡😡 timp de trei ore, iar poliția 👮🏻‍♀️ a intervenit.",
      "🔥".repeat(3000),
      `Protestatarii au cerut demisia primarului ${"😡".repeat(400)} și a consiliului.`,
    ].join("\n\n"),
  }),
  article({
    id: "hostile/runon",
    title: `Spitale și bugete: ${"o frază fără sfârșit, ".repeat(60)}`.slice(0, 1000),
    source: "Observator <Sănătate>",
    date: "2025-07-02",
    url: "https://sanatate.example/spitale",
    body: [runOn(12_000), runOn(10_500), `Spitalele & bugetele: ${"&amp;".repeat(2500)}`, "<".repeat(3000)].join("\n\n"),
  }),
  article({
    id: "hostile/no-spaces",
    title: "x".repeat(1000),
    source: "&".repeat(300),
    date: "2025-07-03",
    body: `Spitalul${'&<>"'.repeat(3000)}spitalul are buget pentru aparatură.\n\nBugetul spitalului a fost aprobat.`,
  }),
];

/** Questions a user might send to break things. */
export const HOSTILE_QUESTIONS: string[] = [
  "<b>bugetul</b> & taxele primăriei",
  '</blockquote><a href="javascript:alert(1)">bugetul</a>',
  "Ce spun medicii despre spitale & bugetul?",
  "&amp; &lt; bugetul &#128269;",
  `${"spitale buget guvernul ".repeat(230)}`.slice(0, 5000),
  `${"sarmale ".repeat(700)}`.slice(0, 5000),
  `${"<".repeat(2000)} bugetul ${"&".repeat(2000)}`,
  "🔥🔥🔥😡😡🧑‍🤝‍🧑",
  "\u200b\u200c\u200d\ufeff",
  "pro\u200btestatarii au blocat po\u200dd\ufeffUL?",
  "  \n\n protestatarii \n\t podul \n ",
  "🔎 protestatarii podul",
  "Protestatarii 😡 podul 🌉 Cluj",
  "x".repeat(5000),
];
