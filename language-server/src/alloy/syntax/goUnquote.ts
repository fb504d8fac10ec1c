/**
 * The value of an Alloy string literal as written (`"a\tb"`, or a raw `` `…` `` string): Go's escapes, with
 * `\x` and octal escapes as bytes, so the result is the UTF-8 text Alloy would hold. Undefined when the literal
 * is not a well-formed string (the scanner has reported that already).
 */
const NAMED: Readonly<Record<string, string>> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", '"': '"' };

export function goUnquote(literal: string): string | undefined {
  if (literal.length >= 2 && literal.startsWith("`") && literal.endsWith("`")) return literal.slice(1, -1).replace(/\r/g, "");
  if (literal.length < 2 || !literal.startsWith('"') || !literal.endsWith('"')) return undefined;
  const body = literal.slice(1, -1);
  if (!body.includes("\\")) return body;
  // Byte escapes (\x, octal) can build UTF-8 sequences across escapes: collect bytes and decode once.
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  let plainFrom = 0;
  const flush = (to: number) => {
    if (to > plainFrom) for (const b of encoder.encode(body.slice(plainFrom, to))) bytes.push(b);
  };
  for (let i = 0; i < body.length;) {
    if (body[i] !== "\\") {
      i++;
      continue;
    }
    flush(i);
    const e = body[i + 1];
    if (e === undefined) return undefined;
    let next: number;
    if (e in NAMED) {
      bytes.push(NAMED[e].charCodeAt(0));
      next = i + 2;
    } else {
      const octal = /[0-7]/.test(e);
      const [digits, base] = e === "x" ? [2, 16] : e === "u" ? [4, 16] : e === "U" ? [8, 16] : octal ? [3, 8] : [0, 0];
      if (digits === 0) return undefined;
      const start = octal ? i + 1 : i + 2;
      const text = body.slice(start, start + digits);
      if (text.length !== digits || !(base === 8 ? /^[0-7]+$/ : /^[0-9a-fA-F]+$/).test(text)) return undefined;
      const n = parseInt(text, base);
      if (e === "x" || octal) {
        if (n > 255) return undefined;
        bytes.push(n);
      } else {
        if (n > 0x10ffff || (n >= 0xd800 && n < 0xe000)) return undefined;
        for (const b of encoder.encode(String.fromCodePoint(n))) bytes.push(b);
      }
      next = start + digits;
    }
    i = plainFrom = next;
  }
  flush(body.length);
  return new TextDecoder().decode(new Uint8Array(bytes));
}
