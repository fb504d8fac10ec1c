/** The Unicode facts Alloy's scanner relies on, with Go's semantics. */

/** Go's utf8.RuneError. */
export const RUNE_ERROR = 0xfffd;

/**
 * Decodes one UTF-8 sequence at b[i] the way Go's utf8.DecodeRune does: an invalid or overlong sequence, a
 * surrogate or a value past U+10FFFF decodes as RUNE_ERROR of width 1. Returns rune * 8 + width.
 */
export function decodeRune(b: Uint8Array, i: number): number {
  const c0 = b[i];
  if (c0 < 0x80) return c0 * 8 + 1;
  const n = b.length;
  const cont = (k: number): number => (i + k < n && (b[i + k] & 0xc0) === 0x80 ? b[i + k] & 0x3f : -1);
  if (c0 >= 0xc2 && c0 <= 0xdf) {
    const c1 = cont(1);
    if (c1 >= 0) return (((c0 & 0x1f) << 6) | c1) * 8 + 2;
  } else if (c0 >= 0xe0 && c0 <= 0xef) {
    const c1 = cont(1),
      c2 = cont(2);
    if (c1 >= 0 && c2 >= 0) {
      const r = ((c0 & 0x0f) << 12) | (c1 << 6) | c2;
      if (r >= 0x800 && (r < 0xd800 || r > 0xdfff)) return r * 8 + 3;
    }
  } else if (c0 >= 0xf0 && c0 <= 0xf4) {
    const c1 = cont(1),
      c2 = cont(2),
      c3 = cont(3);
    if (c1 >= 0 && c2 >= 0 && c3 >= 0) {
      const r = ((c0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
      if (r >= 0x10000 && r <= 0x10ffff) return r * 8 + 4;
    }
  }
  return RUNE_ERROR * 8 + 1;
}

const LETTER = /^\p{L}$/u;
const DIGIT = /^\p{Nd}$/u;
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

export function isLetter(r: number): boolean {
  return (r >= 0x61 && r <= 0x7a) || (r >= 0x41 && r <= 0x5a) || r === 0x5f || (r >= 0x80 && LETTER.test(String.fromCodePoint(r)));
}

export function isDigit(r: number): boolean {
  return (r >= 0x30 && r <= 0x39) || (r >= 0x80 && DIGIT.test(String.fromCodePoint(r)));
}

/** Go's strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrint(r: number): boolean {
  return r === 0x20 || (r >= 0 && r <= 0x10ffff && PRINTABLE.test(String.fromCodePoint(r)));
}

/** Go's `%#U`: `U+0023 '#'`, without the quoted character when it is not printable. */
export function formatRune(r: number): string {
  const hex = `U+${r.toString(16).toUpperCase().padStart(4, "0")}`;
  return isPrint(r) ? `${hex} '${String.fromCodePoint(r)}'` : hex;
}

/** Whether s is an Alloy identifier (a letter or `_`, then letters, digits or `_`). */
export function isValidIdentifier(s: string): boolean {
  if (s === "") return false;
  let first = true;
  for (const ch of s) {
    const r = ch.codePointAt(0)!;
    if (!(isLetter(r) || (!first && isDigit(r)))) return false;
    first = false;
  }
  return true;
}
