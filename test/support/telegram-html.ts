/**
 * A strict validator for Telegram's HTML parse mode, after the Bot API's "Formatting options":
 *
 * - only the supported tags: b, strong, i, em, u, ins, s, strike, del, a href="…", code, pre,
 *   blockquote (optionally `expandable`), tg-spoiler, span class="tg-spoiler"; a
 *   `<code class="language-…">` only directly inside `<pre>`;
 * - tags properly nested and closed; no self-closing tags; lower-case names only;
 * - nesting restrictions: nothing inside code/pre (except pre > code), links, code and pre never
 *   contain each other, no blockquote inside a blockquote or inside a, code or pre;
 * - every `<`, `>` and `&` that is not part of a tag or an entity is an error; the only named
 *   entities are &lt; &gt; &amp; &quot;, numeric ones (&#NN; &#xHH;) must be valid code points;
 * - the text must be well-formed UTF-16 (no lone surrogates: Telegram needs valid UTF-8) and
 *   not empty once tags are removed;
 * - the visible text (tags removed, entities decoded) is at most 4096 UTF-16 units.
 *
 * Stricter than Telegram in places (it tolerates a bare `>` and upper-case tags), never laxer.
 */

export const TELEGRAM_TEXT_LIMIT = 4096;

export interface TelegramHtmlResult {
  readonly ok: boolean;
  readonly errors: string[];
  /** What Telegram would show: tags removed, entities decoded. */
  readonly text: string;
  /** `text.length` (UTF-16 units), the measure of Telegram's 4096 limit. */
  readonly visibleLength: number;
}

/** Formatting tags: may contain and be part of anything except code and pre. */
const FORMATTING = new Set(["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "tg-spoiler", "span"]);
const SUPPORTED = new Set([...FORMATTING, "a", "code", "pre", "blockquote"]);
/** Entities that can't contain each other (pre > code excepted). */
const EXCLUSIVE = new Set(["a", "code", "pre"]);

const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };
const ENTITY = /&(?:(lt|gt|amp|quot)|#(\d{1,8})|#[xX]([0-9a-fA-F]{1,6}));/y;
const OPEN_TAG = /<([a-z][a-z0-9-]*)((?:\s+[a-z][a-z-]*(?:\s*=\s*(?:"[^"]*"|'[^']*'))?)*)\s*(\/?)>/y;
const CLOSE_TAG = /<\/([a-z][a-z0-9-]*)\s*>/y;
const ATTRIBUTE = /\s+([a-z][a-z-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'))?/gy;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

interface OpenTag {
  readonly name: string;
  readonly at: number;
}

/** Decodes the entity at `at` (or returns null when there is none). */
function entityAt(html: string, at: number): { text: string; length: number } | { error: string; length: number } | null {
  ENTITY.lastIndex = at;
  const m = ENTITY.exec(html);
  if (!m) return null;
  if (m[1]) return { text: NAMED[m[1]] as string, length: m[0].length };
  const code = m[2] !== undefined ? Number.parseInt(m[2], 10) : Number.parseInt(m[3] as string, 16);
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
    return { error: `invalid numeric entity ${m[0]} at ${at}`, length: m[0].length };
  }
  return { text: String.fromCodePoint(code), length: m[0].length };
}

/** Decodes an attribute value, reporting bare `<`, `>` and `&` in it. */
function decodeValue(value: string, where: string, errors: string[]): string {
  let out = "";
  for (let i = 0; i < value.length; ) {
    const ch = value[i] as string;
    if (ch === "&") {
      const e = entityAt(value, i);
      if (e === null) {
        errors.push(`bare "&" in ${where}`);
        out += ch;
        i++;
      } else {
        if ("error" in e) errors.push(`${e.error} in ${where}`);
        else out += e.text;
        i += e.length;
      }
    } else {
      if (ch === "<" || ch === ">") errors.push(`bare "${ch}" in ${where}`);
      out += ch;
      i++;
    }
  }
  return out;
}

function checkAttributes(name: string, raw: string, at: number, parent: string | undefined, errors: string[]): void {
  const attrs = new Map<string, string | null>();
  ATTRIBUTE.lastIndex = 0;
  for (const m of raw.matchAll(ATTRIBUTE)) {
    const attr = m[1] as string;
    if (attrs.has(attr)) errors.push(`duplicate attribute ${attr} on <${name}> at ${at}`);
    const value = m[2] ?? m[3];
    attrs.set(attr, value === undefined ? null : decodeValue(value, `<${name} ${attr}> at ${at}`, errors));
  }
  const allowed: Record<string, readonly string[]> = {
    a: ["href"],
    span: ["class"],
    blockquote: ["expandable"],
    code: ["class"],
  };
  for (const attr of attrs.keys()) {
    if (!(allowed[name] ?? []).includes(attr)) errors.push(`attribute ${attr} not allowed on <${name}> at ${at}`);
  }
  if (name === "a") {
    const href = attrs.get("href");
    if (href === undefined || href === null || href.trim() === "") errors.push(`<a> without href at ${at}`);
  }
  if (name === "span" && attrs.get("class") !== "tg-spoiler") errors.push(`<span> without class="tg-spoiler" at ${at}`);
  if (name === "blockquote" && attrs.has("expandable") && attrs.get("expandable") !== null) {
    errors.push(`expandable takes no value at ${at}`);
  }
  if (name === "code" && attrs.has("class")) {
    const cls = attrs.get("class");
    if (parent !== "pre") errors.push(`a language is only allowed on <code> directly inside <pre> (at ${at})`);
    if (cls === null || cls === undefined || !/^language-\S+$/.test(cls)) errors.push(`bad <code> class at ${at}`);
  }
}

function checkNesting(name: string, at: number, stack: readonly OpenTag[], errors: string[]): void {
  const parent = stack[stack.length - 1]?.name;
  for (const open of stack) {
    const isPreCode = name === "code" && open.name === "pre" && parent === "pre";
    if ((open.name === "code" || open.name === "pre") && !isPreCode) {
      errors.push(`<${name}> at ${at} inside <${open.name}>, which can't contain other entities`);
    } else if (EXCLUSIVE.has(open.name) && EXCLUSIVE.has(name) && !isPreCode) {
      errors.push(`<${name}> at ${at} inside <${open.name}>`);
    }
    if (name === "blockquote" && (open.name === "blockquote" || EXCLUSIVE.has(open.name))) {
      errors.push(`<blockquote> at ${at} inside <${open.name}>`);
    }
  }
}

export function validateTelegramHtml(html: string): TelegramHtmlResult {
  const errors: string[] = [];
  const stack: OpenTag[] = [];
  let text = "";
  for (let i = 0; i < html.length; ) {
    const ch = html[i] as string;
    if (ch === "<") {
      CLOSE_TAG.lastIndex = i;
      const close = CLOSE_TAG.exec(html);
      if (close) {
        const name = close[1] as string;
        const top = stack[stack.length - 1];
        if (!top) errors.push(`closing </${name}> at ${i} with no open tag`);
        else if (top.name !== name) {
          errors.push(`closing </${name}> at ${i} while <${top.name}> (opened at ${top.at}) is open`);
          // Recover: close up to the matching tag if there is one.
          const k = stack.map((t) => t.name).lastIndexOf(name);
          if (k >= 0) stack.length = k;
        } else stack.pop();
        i += close[0].length;
        continue;
      }
      OPEN_TAG.lastIndex = i;
      const open = OPEN_TAG.exec(html);
      if (open) {
        const name = open[1] as string;
        if (!SUPPORTED.has(name)) errors.push(`unsupported tag <${name}> at ${i}`);
        else {
          if (open[3]) errors.push(`self-closing <${name}/> at ${i}`);
          checkNesting(name, i, stack, errors);
          checkAttributes(name, open[2] ?? "", i, stack[stack.length - 1]?.name, errors);
        }
        if (!open[3]) stack.push({ name, at: i });
        i += open[0].length;
        continue;
      }
      errors.push(`bare "<" at ${i} (not a tag)`);
      text += ch;
      i++;
    } else if (ch === "&") {
      const e = entityAt(html, i);
      if (e === null) {
        errors.push(`bare "&" at ${i} (not an entity)`);
        text += ch;
        i++;
      } else {
        if ("error" in e) errors.push(e.error);
        else text += e.text;
        i += e.length;
      }
    } else {
      if (ch === ">") errors.push(`bare ">" at ${i}`);
      text += ch;
      i++;
    }
  }
  for (const open of stack) errors.push(`<${open.name}> opened at ${open.at} is never closed`);
  if (LONE_SURROGATE.test(html)) errors.push("lone surrogate: the text is not well-formed UTF-16");
  if (text.trim() === "") errors.push("the message text is empty");
  if (text.length > TELEGRAM_TEXT_LIMIT) {
    errors.push(`visible text is ${text.length} UTF-16 units, over Telegram's ${TELEGRAM_TEXT_LIMIT}`);
  }
  return { ok: errors.length === 0, errors, text, visibleLength: text.length };
}

/** The plain text Telegram shows (and sends back in `message.text`) for valid HTML; throws otherwise. */
export function telegramPlainText(html: string): string {
  const r = validateTelegramHtml(html);
  if (!r.ok) throw new Error(`invalid Telegram HTML: ${r.errors.join("; ")}`);
  return r.text;
}
