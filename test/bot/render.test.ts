/** The HTML builders: escaping, dates, shortening, quotes, the question line and whole answers. */
import { describe, expect, it } from "vitest";
import {
  escapeHtml,
  formatDate,
  MESSAGE_LIMIT,
  QUESTION_LIMIT,
  QUESTION_MARK,
  questionFromMessageText,
  questionLineHtml,
  quoteHtml,
  renderAnswer,
  renderAnswerText,
  renderPage,
  shorten,
  sourceLineHtml,
} from "../../src/bot/render.js";
import { messages } from "../../src/bot/messages.js";
import type { Article } from "../../src/content/article.js";
import type { Answer, Quote } from "../../src/search/answer-engine.js";
import { telegramPlainText, validateTelegramHtml } from "../support/telegram-html.js";

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const ARTICLE: Article = {
  id: "g4media/belarus",
  title: "Belarusul şi Iranul vor să-şi consolideze legăturile",
  date: "2025-08-20",
  url: "https://www.g4media.ro/stire?a=1&b=2",
  source: "G4Media",
  body: "",
};

function quote(text: string, extra: Partial<Quote> = {}): Quote {
  return {
    start: 0,
    end: text.length,
    cutStart: false,
    cutEnd: false,
    text,
    score: 1,
    confidence: 1,
    article: ARTICLE,
    highlights: [],
    ...extra,
  };
}

function answer(quotes: Quote[], question = "Ce tratat?"): Answer {
  return { question, found: true, quotes, total: quotes.length };
}

describe("escapeHtml", () => {
  it("escapes &, < and > (in that order, so nothing is escaped twice)", () => {
    expect(escapeHtml(`<b>Tom & "Jerry"</b> &amp; 5 > 3`)).toBe(`&lt;b&gt;Tom &amp; "Jerry"&lt;/b&gt; &amp;amp; 5 &gt; 3`);
  });

  it("round-trips through Telegram's parser for any text", () => {
    for (const s of ["", "plain", "<<&&>>", "&lt;", "&#128269;", "\"'", "🔎 </blockquote><i>", "a\nb"]) {
      const html = `<i>${escapeHtml(s)}</i>x`;
      expect(validateTelegramHtml(html).errors).toEqual([]);
      expect(telegramPlainText(html)).toBe(`${s}x`);
    }
  });

  it("leaves text without special characters alone", () => {
    expect(escapeHtml("Lukaşenko şi Pezeshkian, „citat”")).toBe("Lukaşenko şi Pezeshkian, „citat”");
  });
});

describe("formatDate", () => {
  it("writes dates the Romanian way", () => {
    expect(formatDate("2025-08-20")).toBe("20 aug. 2025");
    expect(formatDate("2024-01-05")).toBe("5 ian. 2024");
    expect(formatDate("2025-05-31")).toBe("31 mai 2025");
    expect(formatDate("2023-09-01")).toBe("1 sept. 2023");
    expect(formatDate("2023-12-25")).toBe("25 dec. 2023");
  });

  it("has a distinct name for each month", () => {
    const months = Array.from({ length: 12 }, (_, i) => formatDate(`2025-${String(i + 1).padStart(2, "0")}-10`).split(" ")[1]);
    expect(new Set(months).size).toBe(12);
    expect(months.join(" ")).not.toMatch(/undefined/);
  });
});

describe("shorten", () => {
  it("returns short text unchanged", () => {
    expect(shorten("scurt", 5)).toBe("scurt");
    expect(shorten("", 3)).toBe("");
  });

  it("cuts at a word boundary and adds …", () => {
    expect(shorten("Belarusul şi Iranul vor un tratat", 20)).toBe("Belarusul şi Iranul…");
    expect(shorten("Belarusul şi Iranul vor un tratat", 20).length).toBeLessThanOrEqual(20);
  });

  it("cuts inside a word when there is no space in the second half", () => {
    expect(shorten("a Pneumonoultramicroscopic", 12)).toBe("a Pneumonou…");
    expect(shorten("x".repeat(50), 10)).toBe(`${"x".repeat(9)}…`);
  });

  it("never splits a surrogate pair", () => {
    expect(shorten("😀".repeat(10), 6)).toBe("😀😀…");
    expect(shorten("ab😀😀😀", 4)).toBe("ab…");
    const texts = ["😀".repeat(40), `a${"🧑‍🤝‍🧑".repeat(10)}`, "x😀 y😀😀 z😀😀😀 w".repeat(5), `🔎 ${"🇷🇴".repeat(20)}`];
    for (const text of texts) {
      for (let max = 1; max < text.length; max++) {
        const s = shorten(text, max);
        expect(s.length, `${text} @${max}`).toBeLessThanOrEqual(max);
        expect(LONE_SURROGATE.test(s), `${JSON.stringify(s)} @${max}`).toBe(false);
        expect(s.endsWith("…")).toBe(true);
        expect(text.startsWith(s.slice(0, -1))).toBe(true);
      }
    }
  });
});

describe("quoteHtml", () => {
  it("puts matched words in bold inside a blockquote and escapes everything", () => {
    const q = quote("Belarus & Iran <vor> un tratat.", {
      highlights: [
        [0, 7],
        [10, 14],
        [24, 30],
      ],
    });
    const html = quoteHtml(q);
    expect(html).toBe("<blockquote><b>Belarus</b> &amp; <b>Iran</b> &lt;vor&gt; un <b>tratat</b>.</blockquote>");
    expect(telegramPlainText(html)).toBe(q.text);
  });

  it("marks cuts with … at either end", () => {
    const q = quote("la un tratat de parteneriat", { cutStart: true, cutEnd: true, highlights: [[6, 12]] });
    expect(quoteHtml(q)).toBe("<blockquote>…la un <b>tratat</b> de parteneriat…</blockquote>");
    expect(quoteHtml({ ...q, cutStart: false })).toBe("<blockquote>la un <b>tratat</b> de parteneriat…</blockquote>");
    expect(quoteHtml({ ...q, cutEnd: false })).toBe("<blockquote>…la un <b>tratat</b> de parteneriat</blockquote>");
  });

  it("skips overlapping highlights instead of nesting or breaking tags", () => {
    const q = quote("Lukaşenko a spus", {
      highlights: [
        [0, 9],
        [3, 6],
        [10, 11],
      ],
    });
    const html = quoteHtml(q);
    expect(validateTelegramHtml(html).errors).toEqual([]);
    expect(html).toBe("<blockquote><b>Lukaşenko</b> <b>a</b> spus</blockquote>");
  });

  it("escapes markup inside bold words", () => {
    const q = quote("<b>&amp;</b>", { highlights: [[0, 12]] });
    expect(quoteHtml(q)).toBe("<blockquote><b>&lt;b&gt;&amp;amp;&lt;/b&gt;</b></blockquote>");
    expect(telegramPlainText(quoteHtml(q))).toBe("<b>&amp;</b>");
  });
});

describe("sourceLineHtml", () => {
  it("joins outlet, date and the linked title", () => {
    expect(sourceLineHtml(ARTICLE)).toBe(
      '— G4Media · 20 aug. 2025 · <a href="https://www.g4media.ro/stire?a=1&amp;b=2">Belarusul şi Iranul vor să-şi consolideze legăturile</a>',
    );
  });

  it("leaves out what is unknown and escapes the rest", () => {
    const a: Article = { ...ARTICLE, source: null, date: null, url: null, title: "A <b> & B" };
    expect(sourceLineHtml(a)).toBe("— A &lt;b&gt; &amp; B");
    const hostile: Article = { ...ARTICLE, source: "<i>Ziar</i>", url: 'https://e.ro/"><script>', title: "x".repeat(1000) };
    const html = sourceLineHtml(hostile);
    expect(validateTelegramHtml(html).errors).toEqual([]);
    expect(telegramPlainText(html)).toMatch(/^— <i>Ziar<\/i> · 20 aug\. 2025 · x{159}…$/);
  });
});

describe("the question line", () => {
  it("is the mark and the question in italics", () => {
    expect(questionLineHtml("Ce tratat?")).toBe(`${QUESTION_MARK}<i>Ce tratat?</i>`);
    expect(questionLineHtml(" a\n\n<b> & c \t")).toBe(`${QUESTION_MARK}<i>a &lt;b&gt; &amp; c</i>`);
  });

  it("reads back from the message's plain text, as Telegram returns it", () => {
    const questions = [
      "Ce tratat vor să încheie Belarusul și Iranul?",
      '<b>bold</b> & </blockquote> &amp; "ghilimele"',
      "multi\nline\n\nquestion",
      "🔎 starts with the mark",
      "emoji 🧑‍🤝‍🧑🔥 and zero\u200bwidth",
      "lung ".repeat(100),
      "😀".repeat(150),
    ];
    for (const q of questions) {
      const line = questionLineHtml(q);
      expect(validateTelegramHtml(line).errors).toEqual([]);
      const text = `${telegramPlainText(line)}\n\n„un citat”\n— G4Media`;
      const back = questionFromMessageText(text);
      expect(back, q).toBe(shorten(q.replace(/\s+/g, " ").trim(), QUESTION_LIMIT));
      expect(back!.length).toBeLessThanOrEqual(QUESTION_LIMIT);
      expect(LONE_SURROGATE.test(back!)).toBe(false);
      // Read back and rendered again, it is stable.
      expect(questionFromMessageText(telegramPlainText(questionLineHtml(back!)))).toBe(back);
    }
  });

  it("is null when the message has no question line", () => {
    expect(questionFromMessageText(undefined)).toBeNull();
    expect(questionFromMessageText("")).toBeNull();
    expect(questionFromMessageText("Nu mai sunt alte citate.")).toBeNull();
    expect(questionFromMessageText(`${QUESTION_MARK}   \nrest`)).toBeNull();
    expect(questionFromMessageText(`text\n${QUESTION_MARK}întrebare`)).toBeNull();
  });
});

describe("renderAnswer", () => {
  it("heads the message with the question, then each quote and its source", () => {
    const page = renderAnswer(answer([quote("Primul citat.", { highlights: [[0, 6]] }), quote("Al doilea.")]));
    expect(page.shown).toBe(2);
    expect(page.html).toBe(
      [
        `${QUESTION_MARK}<i>Ce tratat?</i>`,
        "",
        "<blockquote><b>Primul</b> citat.</blockquote>",
        sourceLineHtml(ARTICLE),
        "",
        "<blockquote>Al doilea.</blockquote>",
        sourceLineHtml(ARTICLE),
      ].join("\n"),
    );
    expect(validateTelegramHtml(page.html).errors).toEqual([]);
  });

  it("stops before the quote that would pass 4096 characters and says how many it holds", () => {
    const big = "&<".repeat(190); // 380 characters, 1,710 once escaped
    const page = renderAnswer(answer([quote(big), quote(big), quote(big)]));
    expect(page.shown).toBe(2);
    expect(page.html.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(validateTelegramHtml(page.html).errors).toEqual([]);
  });

  it("a single quote too long for any message is cut, so the limit always holds", () => {
    const huge = `${"<&>".repeat(3000)} 😀😀😀 ${"a".repeat(5000)}`;
    const page = renderAnswer(answer([quote(huge), quote("next")], "q ".repeat(300)));
    expect(page.shown).toBe(1);
    expect(page.html.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    const v = validateTelegramHtml(page.html);
    expect(v.errors).toEqual([]);
    expect(v.text).toContain("<&><&>");
    expect(v.text).toMatch(/…$/);
  });

  it("with no quotes, only the question line", () => {
    expect(renderAnswer({ question: "x", found: false, quotes: [], total: 0 })).toEqual({
      html: `${QUESTION_MARK}<i>x</i>`,
      shown: 0,
    });
  });
});

describe("renderAnswerText", () => {
  it("prints quotes with their sources for the command line, unescaped", () => {
    const text = renderAnswerText(answer([quote("A & <b>", { cutEnd: true })]), "nimic");
    expect(text).toBe(`„A & <b>…”\n   — G4Media · 20 aug. 2025 · ${ARTICLE.title}\n     ${ARTICLE.url}`);
    expect(renderAnswerText({ question: "x", found: false, quotes: [], total: 0 }, "nimic")).toBe("nimic");
  });
});

describe("renderPage (the bot's pages: wire copies, context and notice lines)", () => {
  const labels = messages;
  const hostile = (n: number): Article => ({
    ...ARTICLE,
    id: `copy/${n}`,
    source: `<b>Ziar & ${n}</b> "x"`,
    url: `https://ziar.example/${n}?a="1"&b=<2>`,
  });

  it("lists the other outlets of a wire copy once each, escaped and linked, at most five", () => {
    const others = [1, 2, 2, 3, 4, 5, 6, 7].map(hostile);
    const page = renderPage("Ce?", [{ quote: quote("Textul agenției."), also: [{ ...ARTICLE, id: "same-outlet" }, ...others] }], {
      labels,
    });
    expect(validateTelegramHtml(page.html).ok).toBe(true);
    const plain = telegramPlainText(page.html);
    expect(plain).toMatch(/↳ Apare și în: <b>Ziar & 1<\/b> "x", <b>Ziar & 2<\/b> "x", .* \+2$/m);
    expect(plain).not.toMatch(/Apare și în: G4Media/);
    expect(page.html).toContain('<a href="https://ziar.example/1?a=&quot;1&quot;&amp;b=&lt;2&gt;">');
  });

  it("shows the follow-up's context and the notice under the question, and stays under the limit", () => {
    const long = "Propoziție lungă despre buget. ".repeat(40);
    const groups = Array.from({ length: 20 }, (_, i) => ({ quote: quote(`${i} ${long}`), also: [1, 2, 3].map(hostile) }));
    const page = renderPage("Și <el>?", groups, {
      labels,
      contextWords: ["Lukașenko", "<Minsk>"],
      notice: labels.staleNotice("2025-08-20"),
    });
    const lines = telegramPlainText(page.html).split("\n");
    expect(lines.slice(0, 3)).toEqual([
      "🔎 Și <el>?",
      "↪ în legătură cu: Lukașenko, <Minsk>",
      "ℹ️ Cea mai recentă informație găsită este din 20 august 2025.",
    ]);
    expect(page.html.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(validateTelegramHtml(page.html).ok).toBe(true);
    expect(page.shown).toBeGreaterThan(0);
    expect(page.shown).toBeLessThan(groups.length);
  });

  it("shows quotes of one story under its source line once, the best quote first, and counts them all", () => {
    const other: Article = { ...ARTICLE, id: "alt/1", source: "Alt <ziar>", title: "Alt titlu & altceva", url: null };
    const groups = [
      { quote: quote("Primul citat <din> poveste."), also: [] },
      { quote: quote("Un citat din altă poveste.", { article: other }), also: [] },
      { quote: quote("Al doilea citat din poveste."), also: [] },
    ];
    const page = renderPage("Ce s-a semnat?", groups, { labels });
    expect(validateTelegramHtml(page.html).ok).toBe(true);
    expect(page.shown).toBe(3);
    const plain = telegramPlainText(page.html);
    expect(plain.match(/G4Media/g)).toHaveLength(1);
    expect(plain.match(/Alt <ziar>/g)).toHaveLength(1);
    // The story's source line, then its two quotes, then the other story.
    const at = (s: string) => plain.indexOf(s);
    expect(at("G4Media")).toBeLessThan(at("Primul citat"));
    expect(at("Primul citat <din> poveste.")).toBeLessThan(at("Al doilea citat"));
    expect(at("Al doilea citat")).toBeLessThan(at("Un citat din altă poveste."));
    expect(at("Un citat din altă poveste.")).toBeLessThan(at("Alt <ziar>"));
  });

  it("keeps a wire copy (a quote other outlets carry) as its own block with its outlets", () => {
    const groups = [
      { quote: quote("Primul citat."), also: [] },
      { quote: quote("Citatul agenției."), also: [hostile(1)] },
    ];
    const plain = telegramPlainText(renderPage("Ce?", groups, { labels }).html);
    expect(plain.match(/G4Media/g)).toHaveLength(2);
    expect(plain).toMatch(/Citatul agenției\.\n— G4Media.*\n↳ Apare și în: <b>Ziar & 1<\/b>/);
  });
});
