/** UTF-8 as Go sees JavaScript text, and Go's byte-wise string order. */

const encoder = new TextEncoder();

/** UTF-8 bytes of s; a lone surrogate becomes U+FFFD, as Go's conversion of such text does. */
export function utf8Bytes(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Length in bytes of utf8Bytes(s), without encoding. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * Orders strings as Go does (byte-wise over UTF-8, i.e. by code point). JavaScript's `<` compares UTF-16
 * code units, which disagrees only when a surrogate (a code point ≥ U+10000) meets a unit in U+E000–U+FFFF.
 */
export function compareGoStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i),
      cb = b.charCodeAt(i);
    if (ca === cb) continue;
    const sa = ca >= 0xd800 && ca <= 0xdfff,
      sb = cb >= 0xd800 && cb <= 0xdfff;
    if (sa !== sb && (ca >= 0xe000 || cb >= 0xe000)) return sa ? 1 : -1;
    return ca - cb;
  }
  return a.length - b.length;
}
