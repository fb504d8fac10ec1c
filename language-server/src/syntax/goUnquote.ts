/**
 * The value of an Alloy string literal as written (`"a\tb"`, or a raw `` `…` `` string): Go's escapes, with
 * `\x` and octal escapes as bytes, so the result is the UTF-8 text Alloy would hold. Undefined when the literal
 * is not a well-formed string (the scanner has reported that already).
 */
const NAMED: Readonly<Record<string, number>> = { a: 0x07, b: 0x08, f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09, v: 0x0b, "\\": 0x5c, '"': 0x22 };

export function goUnquote(literal: string): string | undefined {
  if (literal.length >= 2 && literal.startsWith("`") && literal.endsWith("`")) return literal.slice(1, -1).replace(/\r/g, "");
  if (literal.length < 2 || !literal.startsWith('"') || !literal.endsWith('"')) return undefined;
  const body = literal.slice(1, -1);
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < body.length; ) {
    const ch = body[i];
    if (ch !== "\\") {
      const cp = body.codePointAt(i)!;
      const s = String.fromCodePoint(cp);
      bytes.push(...encoder.encode(s));
      i += s.length;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) return undefined;
    if (e in NAMED) {
      bytes.push(NAMED[e]);
      i += 2;
      continue;
    }
    const [digits, base] = e === "x" ? [2, 16] : e === "u" ? [4, 16] : e === "U" ? [8, 16] : /[0-7]/.test(e) ? [3, 8] : [0, 0];
    if (digits === 0) return undefined;
    const start = /[0-7]/.test(e) ? i + 1 : i + 2;
    const text = body.slice(start, start + digits);
    if (text.length !== digits || !(base === 8 ? /^[0-7]+$/ : /^[0-9a-fA-F]+$/).test(text)) return undefined;
    const n = parseInt(text, base);
    if (e === "x" || base === 8) {
      if (n > 255) return undefined;
      bytes.push(n);
    } else {
      if (n > 0x10ffff || (n >= 0xd800 && n < 0xe000)) return undefined;
      bytes.push(...encoder.encode(String.fromCodePoint(n)));
    }
    i = start + digits;
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
