/**
 * Alloy source as UTF-8 bytes, which is what Alloy's positions count: a line is 1-based, a column is the
 * 1-based byte offset within its line. Editors count UTF-16 units instead; that conversion lives in one place,
 * `utf16Column`.
 */

export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based byte column, as Alloy reports it. */
  column: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: false });

export class SourceFile {
  readonly bytes: Uint8Array;
  /** Byte offset at which each line starts; lineStarts[0] = 0. */
  private readonly lineStarts: number[];
  /**
   * The content as a string when every byte of it is ASCII (one byte, one UTF-16 unit): then a slice of it is
   * the text of a byte range, far cheaper than decoding the bytes for every token.
   */
  private readonly ascii: string | undefined;
  /** The answer of the last line lookup: where the next one starts looking. */
  private lastLineIndex = 0;

  constructor(
    readonly name: string,
    content: string | Uint8Array,
  ) {
    // Node's Buffer encodes several times faster than TextEncoder; both give a Uint8Array of UTF-8.
    this.bytes = typeof content !== "string" ? content : typeof Buffer === "function" ? Buffer.from(content, "utf8") : encoder.encode(content);
    this.ascii = typeof content === "string" && this.bytes.length === content.length ? content : undefined;
    const starts = [0];
    if (this.ascii !== undefined) {
      for (let i = this.ascii.indexOf("\n"); i >= 0; i = this.ascii.indexOf("\n", i + 1)) starts.push(i + 1);
    } else {
      const b = this.bytes;
      for (let i = 0; i < b.length; i++) if (b[i] === 0x0a) starts.push(i + 1);
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** The text of bytes [start, end). */
  text(start: number, end: number): string {
    if (this.ascii !== undefined) return this.ascii.slice(start, end);
    return decoder.decode(this.bytes.subarray(start, end));
  }

  /** 0-based line index holding byte offset `offset`. */
  lineIndex(offset: number): number {
    const starts = this.lineStarts;
    // The parser and the printer ask in source order: the line asked last, or the next, is usually the answer.
    const near = this.lastLineIndex;
    if (starts[near] <= offset) {
      if (near + 1 === starts.length || offset < starts[near + 1]) return near;
      if (near + 2 === starts.length || offset < starts[near + 2]) return (this.lastLineIndex = near + 1);
    }
    let a = 0,
      b = starts.length - 1;
    while (a < b) {
      const m = (a + b + 1) >>> 1;
      if (starts[m] <= offset) a = m;
      else b = m - 1;
    }
    return (this.lastLineIndex = a);
  }

  /** 1-based line of a byte offset. */
  line(offset: number): number {
    return this.lineIndex(offset) + 1;
  }

  position(offset: number): Position {
    const i = this.lineIndex(offset);
    return { line: i + 1, column: offset - this.lineStarts[i] + 1 };
  }

  lineStart(line: number): number {
    return this.lineStarts[line - 1];
  }

  /** Byte offset of a 1-based line and byte column. */
  offsetOf(pos: Position): number {
    return this.lineStarts[pos.line - 1] + pos.column - 1;
  }

  /** 0-based UTF-16 column of a byte offset, for editors (LSP positions). */
  utf16Column(offset: number): number {
    const start = this.lineStarts[this.lineIndex(offset)];
    return this.text(start, offset).length;
  }

  /** Byte offset of a 0-based line and 0-based UTF-16 column, for editors (LSP positions). */
  offsetAtUtf16(line: number, character: number): number {
    if (line >= this.lineStarts.length) return this.bytes.length;
    const start = this.lineStarts[line];
    const end = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.bytes.length;
    let offset = start,
      units = 0;
    while (offset < end && units < character) {
      const b = this.bytes[offset];
      const len = b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
      units += len === 4 ? 2 : 1;
      offset += len;
    }
    return Math.min(offset, end);
  }
}
