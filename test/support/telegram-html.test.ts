import { describe, expect, it } from "vitest";
import { telegramPlainText, validateTelegramHtml } from "./telegram-html.js";

const errorsOf = (html: string) => validateTelegramHtml(html).errors;

describe("validateTelegramHtml accepts what Telegram accepts", () => {
  it.each([
    ["plain text", "Salut, lume!"],
    [
      "every simple tag",
      "<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s><strike>k</strike><del>d</del>",
    ],
    ["spoilers", '<tg-spoiler>x</tg-spoiler> <span class="tg-spoiler">y</span>'],
    ["a link with an escaped query", '<a href="https://e.ro/a?b=1&amp;c=&quot;2&quot;">titlu</a>'],
    ["nested formatting", "<b>bold <i>both <u>all</u></i></b>"],
    ["formatting inside a link and a blockquote", '<blockquote>„<b>x</b>” <a href="https://e.ro"><i>y</i></a></blockquote>'],
    ["an expandable blockquote", "<blockquote expandable>lung</blockquote>"],
    ["pre with a language", '<pre><code class="language-ts">const a = 1 &lt; 2;</code></pre>'],
    ["entities", "&lt;b&gt; &amp; &quot; &#128269; &#x1F50E;"],
    ["a bare double quote and apostrophe in text", `el a spus "da" și 'nu'`],
    ["emoji and Romanian letters", "🔎 <i>Ce a spus Lukaşenko?</i> 🧑‍🤝‍🧑"],
  ])("%s", (_, html) => {
    expect(errorsOf(html)).toEqual([]);
  });

  it("decodes entities and drops tags for the visible text and its UTF-16 length", () => {
    const r = validateTelegramHtml('🔎 <i>a &lt;b&gt; &amp; c</i>\n<a href="https://e.ro/?x=1&amp;y=2">T</a> &#x1F600;');
    expect(r.ok).toBe(true);
    expect(r.text).toBe("🔎 a <b> & c\nT 😀");
    expect(r.visibleLength).toBe(17); // 13 characters + two emoji of 2 UTF-16 units each
    expect(telegramPlainText("<b>x</b> &amp; y")).toBe("x & y");
  });

  it("measures the limit on visible text, not on raw HTML", () => {
    expect(validateTelegramHtml(`<b>${"a".repeat(4096)}</b>`).ok).toBe(true);
    expect(validateTelegramHtml("&amp;".repeat(4096)).visibleLength).toBe(4096);
    expect(validateTelegramHtml("&amp;".repeat(4096)).ok).toBe(true);
    const over = validateTelegramHtml("a".repeat(4097));
    expect(over.ok).toBe(false);
    expect(over.errors.join()).toMatch(/4097.*4096/);
    expect(validateTelegramHtml("😀".repeat(2049)).ok).toBe(false); // 4098 UTF-16 units
  });
});

describe("validateTelegramHtml rejects what Telegram rejects", () => {
  it.each([
    ["an unclosed tag", "<b>bold", /never closed/],
    ["a closing tag with nothing open", "text</b>", /no open tag/],
    ["misnesting", "<b><i>x</b></i>", /while <i>/],
    ["a bare ampersand", "Tom & Jerry", /bare "&"/],
    ["an ampersand that looks like an entity but isn't", "&nbsp; &copy; &amp", /bare "&"/],
    ["a bare less-than", "5 < 7", /bare "<"/],
    ["a bare greater-than", "7 > 5", /bare ">"/],
    ["an unknown tag", "<div>x</div>", /unsupported tag <div>/],
    ["a line break tag", "a<br/>b", /unsupported tag <br>/],
    ["an upper-case tag", "<B>x</B>", /bare "<"/],
    ["a link without href", "<a>x</a>", /without href/],
    ["an unknown attribute", '<b class="x">y</b>', /attribute class not allowed/],
    ["a span that is not a spoiler", '<span class="red">x</span>', /tg-spoiler/],
    ["an unescaped & in href", '<a href="https://e.ro/?a=1&b=2">x</a>', /bare "&" in <a href>/],
    ["an unquoted attribute", "<a href=https://e.ro>x</a>", /bare "<"/],
    ["a nested blockquote", "<blockquote>a<blockquote>b</blockquote></blockquote>", /inside <blockquote>/],
    ["formatting inside code", "<code>a <b>b</b></code>", /inside <code>/],
    ["a link inside a link", '<a href="https://a.ro"><a href="https://b.ro">x</a></a>', /inside <a>/],
    ["a language on standalone code", '<code class="language-js">x</code>', /only allowed on <code> directly inside <pre>/],
    ["an invalid numeric entity", "&#0; &#xD800; &#x110000;", /invalid numeric entity/],
    ["a lone surrogate", "abc\ud83d", /lone surrogate/],
    ["empty text", "<b> </b>", /empty/],
  ])("%s", (_, html, error) => {
    const r = validateTelegramHtml(html);
    expect(r.ok).toBe(false);
    expect(r.errors.join("\n")).toMatch(error);
  });

  it("reports every problem, not just the first", () => {
    expect(errorsOf("<b>a & b <x>").length).toBeGreaterThanOrEqual(3);
  });

  it("telegramPlainText throws on invalid HTML", () => {
    expect(() => telegramPlainText("<b>x")).toThrow(/never closed/);
  });
});
