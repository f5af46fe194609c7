/**
 * Bytes of a feed or page → text. Its own module (no HTTP client imported) because the
 * parsing workers decode too, and should not load undici to do it.
 */

/** The charset named in a Content-Type header, or null. */
export function charsetOf(contentType: string | null): string | null {
  const m = /;\s*charset\s*=\s*"?([\w.:-]+)"?/i.exec(contentType ?? "");
  return m ? (m[1] as string).toLowerCase() : null;
}

function decoderFor(label: string | null): InstanceType<typeof TextDecoder> | null {
  if (!label) return null;
  try {
    return new TextDecoder(label);
  } catch {
    return null;
  }
}

/**
 * Bytes → text: HTTP charset, BOM, XML declaration (or HTML meta charset), else UTF-8. When
 * the bytes are not all valid UTF-8, the whole document decides: if nearly all of its
 * non-ASCII text is valid UTF-8 (a stray byte in a UTF-8 feed), it is UTF-8 with the bad bytes
 * replaced; if most of it is not (an undeclared ISO-8859-1 feed), it is Windows-1252.
 */
export function decodeText(bytes: Uint8Array, contentType: string | null): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder("utf-8").decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 1024));
  const declared =
    /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1] ??
    /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1] ??
    null;
  const label = charsetOf(contentType) ?? declared?.toLowerCase() ?? null;
  const decoder = decoderFor(label);
  if (decoder && decoder.encoding !== "utf-8") return decoder.decode(bytes);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const lossy = new TextDecoder("utf-8").decode(bytes);
    let replaced = 0;
    let nonAscii = 0;
    for (let i = 0; i < lossy.length; i++) {
      const c = lossy.charCodeAt(i);
      if (c === 0xfffd) replaced++;
      else if (c > 0x7f) nonAscii++;
    }
    // Valid multi-byte characters outnumber the bad bytes four to one: UTF-8 with a few bad bytes.
    return nonAscii >= 4 * replaced ? lossy : new TextDecoder("windows-1252").decode(bytes);
  }
}
