/** Go's strconv.Quote (what `%q` prints for a string): Alloy's messages and the operator shard key use it. */
import { isPrint } from "./unicode";

const NAMED_ESCAPES: Readonly<Record<number, string>> = {
  0x07: "\\a",
  0x08: "\\b",
  0x0c: "\\f",
  0x0a: "\\n",
  0x0d: "\\r",
  0x09: "\\t",
  0x0b: "\\v",
  0x5c: "\\\\",
  0x22: '\\"',
};

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    let cp = ch.codePointAt(0)!;
    // A lone surrogate cannot be UTF-8; Go sees the replacement character in its place.
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    const named = NAMED_ESCAPES[cp];
    if (named !== undefined) out += named;
    else if (isPrint(cp)) out += String.fromCodePoint(cp);
    else if (cp < 0x80) out += `\\x${hex(cp, 2)}`;
    else if (cp < 0x10000) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return out + '"';
}
