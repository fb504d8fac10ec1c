/**
 * The text of a YAML string scalar with, for every character of it, where it is in the YAML source: block
 * scalars (`|`, `|-`, `|+`, with indentation), double-quoted (escapes, folded line breaks), single-quoted and
 * plain scalars. The mapping is rebuilt from the source and checked against the YAML parser's own value; a
 * scalar we cannot map (a folded `>` block, an unusual indentation indicator) gives undefined.
 */
import type { Scalar } from "yaml";

export interface MappedText {
  text: string;
  /** `sourceIndex[i]`: where character `i` of `text` is in the YAML source; one more entry for the end. */
  sourceIndex: Int32Array;
  /** For a literal block scalar: where its content lines start and end, and their indentation (to write it back). */
  block?: { contentStart: number; contentEnd: number; indent: number; chomping: "clip" | "strip" | "keep" };
}

class Builder {
  readonly chars: string[] = [];
  readonly at: number[] = [];
  /** Whether each character came from an escape (so line folding does not trim it). */
  readonly escaped: boolean[] = [];

  push(s: string, at: number, escaped = false): void {
    for (const ch of s) {
      for (let k = 0; k < ch.length; k++) {
        this.chars.push(ch[k]);
        this.at.push(at);
        this.escaped.push(escaped);
      }
    }
  }

  /** Source text copied as is: character k maps to `at + k`. */
  pushRun(s: string, at: number): void {
    for (let k = 0; k < s.length; k++) {
      this.chars.push(s[k]);
      this.at.push(at + k);
      this.escaped.push(false);
    }
  }

  trimTrailingBlanks(): void {
    while (this.chars.length > 0 && !this.escaped[this.chars.length - 1] && /[ \t]/.test(this.chars[this.chars.length - 1])) {
      this.chars.pop();
      this.at.pop();
      this.escaped.pop();
    }
  }

  result(value: string, end: number): Pick<MappedText, "text" | "sourceIndex"> | undefined {
    if (this.chars.join("") !== value) return undefined;
    return { text: value, sourceIndex: Int32Array.from([...this.at, end]) };
  }
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  "0": "\0",
  a: "\x07",
  b: "\b",
  t: "\t",
  "\t": "\t",
  n: "\n",
  v: "\v",
  f: "\f",
  r: "\r",
  e: "\x1b",
  " ": " ",
  '"': '"',
  "/": "/",
  "\\": "\\",
  N: "\x85",
  _: "\xa0",
  L: "\u2028",
  P: "\u2029",
};
const HEX_ESCAPES: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

/**
 * An unescaped line break inside a flow scalar at `i` (the `\n`): trailing blanks before it go, blank lines
 * become line feeds, a single break becomes a space, and the next line's leading blanks go. Returns the index
 * of the next line's first content character.
 */
function fold(src: string, i: number, end: number, b: Builder): number {
  b.trimTrailingBlanks();
  let breaks = 0;
  let j = i;
  for (;;) {
    // j is at a line break: skip it and the next line's leading blanks.
    j++;
    while (j < end && (src[j] === " " || src[j] === "\t")) j++;
    if (j < end && src[j] === "\r") j++;
    if (j < end && src[j] === "\n") {
      breaks++;
      continue;
    }
    break;
  }
  b.push(breaks === 0 ? " " : "\n".repeat(breaks), i);
  return j;
}

function quoted(src: string, node: Scalar, double: boolean): Pick<MappedText, "text" | "sourceIndex"> | undefined {
  const [start, valueEnd] = node.range!;
  const close = valueEnd - 1;
  const b = new Builder();
  let i = start + 1;
  while (i < close) {
    const c = src[i];
    if (c === "\r" && src[i + 1] === "\n") {
      i++;
      continue;
    }
    if (c === "\n") {
      i = fold(src, i, close, b);
      continue;
    }
    if (!double && c === "'" && src[i + 1] === "'") {
      b.push("'", i, true);
      i += 2;
      continue;
    }
    if (double && c === "\\") {
      const e = src[i + 1];
      if (e === "\n" || (e === "\r" && src[i + 2] === "\n")) {
        // An escaped line break joins the lines without a space.
        i += e === "\r" ? 3 : 2;
        while (i < close && (src[i] === " " || src[i] === "\t")) i++;
        continue;
      }
      if (e in SIMPLE_ESCAPES) {
        b.push(SIMPLE_ESCAPES[e], i, true);
        i += 2;
        continue;
      }
      const digits = HEX_ESCAPES[e];
      if (digits === undefined) return undefined;
      const code = parseInt(src.slice(i + 2, i + 2 + digits), 16);
      if (!Number.isInteger(code)) return undefined;
      b.push(String.fromCodePoint(code), i, true);
      i += 2 + digits;
      continue;
    }
    b.pushRun(c, i);
    i++;
  }
  return b.result(String(node.value), close);
}

function plain(src: string, node: Scalar): Pick<MappedText, "text" | "sourceIndex"> | undefined {
  const [start, valueEnd] = node.range!;
  const b = new Builder();
  for (let i = start; i < valueEnd;) {
    if (src[i] === "\n") i = fold(src, i, valueEnd, b);
    else if (src[i] === "\r") i++;
    else b.pushRun(src[i], i++);
  }
  return b.result(String(node.value), valueEnd);
}

function literalBlock(src: string, node: Scalar): MappedText | undefined {
  const [start, valueEnd] = node.range!;
  const headerEnd = src.indexOf("\n", start);
  if (headerEnd < 0 || headerEnd >= valueEnd) return String(node.value) === "" ? { text: "", sourceIndex: Int32Array.from([valueEnd]) } : undefined;
  const header = src
    .slice(start + 1, headerEnd)
    .replace(/\s+#.*$/, "")
    .trim();
  if (!/^([+-]?[1-9]?|[1-9][+-])$/.test(header)) return undefined;
  const chomping = header.includes("-") ? "strip" : header.includes("+") ? "keep" : "clip";
  const contentStart = headerEnd + 1;
  const lines: { start: number; text: string }[] = [];
  for (let p = contentStart; p < valueEnd;) {
    const nl = src.indexOf("\n", p);
    const e = nl < 0 || nl >= valueEnd ? valueEnd : nl;
    lines.push({ start: p, text: src.slice(p, e).replace(/\r$/, "") });
    p = e + 1;
  }
  const first = lines.find((l) => l.text.trim() !== "");
  const indent = first === undefined ? 0 : first.text.length - first.text.trimStart().length;
  const b = new Builder();
  for (const l of lines) {
    if (l.text.length > indent) b.pushRun(l.text.slice(indent), l.start + indent);
    b.push("\n", l.start + l.text.length);
  }
  const value = String(node.value);
  const built = b.chars.join("");
  if (!built.startsWith(value)) return undefined;
  const sourceIndex = Int32Array.from([...b.at.slice(0, value.length), value.length < b.at.length ? b.at[value.length] : valueEnd]);
  // Trailing blank lines stay where they are when the block is written back.
  const last = [...lines].reverse().find((l) => l.text.trim() !== "");
  const contentEnd = last === undefined ? contentStart : Math.min(valueEnd, last.start + last.text.length + 1);
  return { text: value, sourceIndex, block: { contentStart, contentEnd, indent, chomping } };
}

/** The scalar's string value mapped onto the source, or undefined when it is not a string we can map. */
export function mappedScalarText(src: string, node: Scalar): MappedText | undefined {
  if (typeof node.value !== "string" || node.range === undefined || node.range === null) return undefined;
  switch (node.type) {
    case "BLOCK_LITERAL":
      return literalBlock(src, node);
    case "QUOTE_DOUBLE":
      return quoted(src, node, true);
    case "QUOTE_SINGLE":
      return quoted(src, node, false);
    case "PLAIN":
      return plain(src, node);
    default:
      return undefined;
  }
}
