/**
 * Input caps for untrusted HTML, checked BEFORE it is parsed: linkedom's parser and
 * Readability are super-linear in nesting depth (an 11 KB page nested 1000 deep took 11 s),
 * so a page or feed entry that is too deep, has too many tags or too many bytes is not parsed
 * at all. The check is one linear scan of the text.
 */

export interface HtmlLimits {
  /** Largest HTML accepted, in characters. */
  readonly maxChars: number;
  /** Deepest element nesting accepted (real news pages stay well under 60). */
  readonly maxDepth: number;
  /** Most tags accepted. */
  readonly maxTags: number;
}

export const DEFAULT_HTML_LIMITS: HtmlLimits = { maxChars: 3 * 1024 * 1024, maxDepth: 256, maxTags: 60_000 };

/** HTML over one of the limits: not parsed. */
export class HtmlLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HtmlLimitError";
  }
}

/** Elements that never hold children, or that the parser closes by itself when a sibling opens. */
const NOT_NESTING = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "link",
  "meta",
  "param",
  "source",
  "track",
  "wbr",
  "p",
  "li",
  "dt",
  "dd",
  "tr",
  "td",
  "th",
  "option",
  "optgroup",
  "thead",
  "tbody",
  "tfoot",
  "rt",
  "rp",
]);

const isNameChar = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 58;

/** Nesting depth and tag count of an HTML text, estimated in one pass (tags opened minus tags closed). */
export function measureHtml(html: string): { depth: number; tags: number } {
  let depth = 0;
  let maxDepth = 0;
  let tags = 0;
  let i = html.indexOf("<");
  while (i >= 0 && i < html.length - 1) {
    const next = html.charCodeAt(i + 1);
    const closing = next === 47; // "/"
    let j = closing ? i + 2 : i + 1;
    const nameStart = j;
    while (j < html.length && isNameChar(html.charCodeAt(j))) j++;
    if (j === nameStart) {
      i = html.indexOf("<", i + 1);
      continue;
    }
    const name = html.slice(nameStart, Math.min(j, nameStart + 16)).toLowerCase();
    const end = html.indexOf(">", j);
    if (end < 0) break;
    tags++;
    if (closing) {
      if (!NOT_NESTING.has(name) && depth > 0) depth--;
    } else if (!NOT_NESTING.has(name) && html.charCodeAt(end - 1) !== 47) {
      depth++;
      if (depth > maxDepth) maxDepth = depth;
    }
    i = html.indexOf("<", end + 1);
  }
  return { depth: maxDepth, tags };
}

/** Throws HtmlLimitError when the HTML is over a limit. */
export function checkHtml(html: string, limits: HtmlLimits = DEFAULT_HTML_LIMITS): void {
  if (html.length > limits.maxChars)
    throw new HtmlLimitError(`HTML of ${html.length} characters is over the ${limits.maxChars}-character limit`);
  const { depth, tags } = measureHtml(html);
  if (depth > limits.maxDepth)
    throw new HtmlLimitError(`HTML nested ${depth} deep is over the depth limit of ${limits.maxDepth}`);
  if (tags > limits.maxTags) throw new HtmlLimitError(`HTML with ${tags} tags is over the limit of ${limits.maxTags}`);
}
