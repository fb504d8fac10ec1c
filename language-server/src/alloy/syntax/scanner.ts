/**
 * Alloy's scanner: UTF-8 bytes in, tokens out, with Alloy's automatic terminators and Alloy's error texts at
 * Alloy's positions. Never throws; an error is reported through `onError` and scanning goes on.
 */
import { SourceFile } from "./source";
import { Tok } from "./token";
import { decodeRune, formatRune, isDigit, isLetter } from "./unicode";

export type ScanErrorHandler = (offset: number, message: string) => void;

const EOF_CH = -1;
const BOM = 0xfeff;

const KEYWORDS: Readonly<Record<string, Tok>> = { true: Tok.BOOL, false: Tok.BOOL, null: Tok.NULL };

export class Scanner {
  private readonly src: Uint8Array;
  private ch = EOF_CH; // current character (rune), EOF_CH at the end
  private offset = 0; // byte offset of ch
  private readOffset = 0; // byte offset after ch
  private insertTerm = false;

  /** The token scanned last: kind, start offset, end offset and text. */
  tok: Tok = Tok.EOF;
  pos = 0;
  end = 0;
  lit = "";

  constructor(
    private readonly file: SourceFile,
    private readonly onError: ScanErrorHandler,
  ) {
    this.src = file.bytes;
    this.next();
    if (this.current() === BOM) this.next(); // a byte order mark at the very start is ignored
  }

  private next(): void {
    const src = this.src;
    if (this.readOffset >= src.length) {
      this.offset = src.length;
      this.ch = EOF_CH;
      return;
    }
    this.offset = this.readOffset;
    let r = src[this.readOffset],
      w = 1;
    if (r === 0) {
      this.onError(this.offset, "illegal character NUL");
    } else if (r >= 0x80) {
      const d = decodeRune(src, this.readOffset);
      r = d >>> 3;
      w = d & 7;
      if (r === 0xfffd && w === 1) this.onError(this.offset, "illegal UTF-8 encoding");
      else if (r === BOM && this.offset > 0) this.onError(this.offset, "illegal byte order mark");
    }
    this.readOffset += w;
    this.ch = r;
  }

  /** The current character (a method, so TypeScript does not narrow it across next()). */
  private current(): number {
    return this.ch;
  }

  private peekByte(): number {
    return this.readOffset < this.src.length ? this.src[this.readOffset] : -1;
  }

  private skipWhitespace(): void {
    for (;;) {
      const c = this.current();
      if (c === 0x20 || c === 0x09 || c === 0x0d || (c === 0x0a && !this.insertTerm)) this.next();
      else return;
    }
  }

  private text(start: number, end: number): string {
    return this.file.text(start, end);
  }

  /** Scans the next token into tok/pos/end/lit. */
  scan(): void {
    for (;;) {
      this.skipWhitespace();
      const pos = this.offset;
      this.pos = pos;
      this.lit = "";
      let insertTerm = false;
      const ch = this.current();

      if (isLetter(ch)) {
        const lit = this.scanIdentifier();
        this.lit = lit;
        this.tok = lit.length > 1 ? (KEYWORDS[lit] ?? Tok.IDENT) : Tok.IDENT;
        insertTerm = true;
      } else if (isDecimal(ch) || (ch === 0x2e && isDecimal(this.peekByte()))) {
        this.scanNumber();
        insertTerm = true;
      } else {
        this.next(); // make progress; ch is the token's first character
        switch (ch) {
          case EOF_CH:
            if (this.insertTerm) {
              this.insertTerm = false; // EOF consumed
              this.setTerminator(pos, pos);
              return;
            }
            this.tok = Tok.EOF;
            break;
          case 0x0a: // only reached when a terminator is due
            this.insertTerm = false;
            this.setTerminator(pos, pos + 1);
            return;
          case 0x22: // "
            insertTerm = true;
            this.tok = Tok.STRING;
            this.lit = this.scanString(pos, 0x22, true, false);
            break;
          case 0x60: // `
            insertTerm = true;
            this.tok = Tok.STRING;
            this.lit = this.scanString(pos, 0x60, false, true);
            break;
          case 0x27: // '
            insertTerm = true;
            this.onError(pos, "illegal single-quoted string; use double quotes");
            this.tok = Tok.ILLEGAL;
            this.lit = this.scanString(pos, 0x27, true, false);
            break;
          case 0x7c: // |
            if (this.current() !== 0x7c) this.onError(this.offset, "missing second | in ||");
            else this.next();
            this.tok = Tok.OR;
            break;
          case 0x26: // &
            if (this.current() !== 0x26) this.onError(this.offset, "missing second & in &&");
            else this.next();
            this.tok = Tok.AND;
            break;
          case 0x2f: // /
            if (this.current() === 0x2f || this.current() === 0x2a) {
              if (this.insertTerm && this.findLineEnd(pos)) {
                // A terminator is due before this comment: emit it at the comment's start and scan the
                // comment again next time.
                this.resetTo(pos);
                this.insertTerm = false;
                this.setTerminator(pos, pos);
                return;
              }
              this.tok = Tok.COMMENT;
              this.lit = this.scanComment(pos);
              this.insertTerm = false; // any terminator due was emitted before the comment
              this.end = this.offset;
              return;
            }
            this.tok = Tok.DIV;
            break;
          case 0x28:
            this.tok = Tok.LPAREN;
            break;
          case 0x29:
            insertTerm = true;
            this.tok = Tok.RPAREN;
            break;
          case 0x5b:
            this.tok = Tok.LBRACK;
            break;
          case 0x5d:
            insertTerm = true;
            this.tok = Tok.RBRACK;
            break;
          case 0x7b:
            this.tok = Tok.LCURLY;
            break;
          case 0x7d:
            insertTerm = true;
            this.tok = Tok.RCURLY;
            break;
          case 0x2c:
            this.tok = Tok.COMMA;
            break;
          case 0x2e:
            this.tok = Tok.DOT;
            break;
          case 0x2b:
            this.tok = Tok.ADD;
            break;
          case 0x2d:
            this.tok = Tok.SUB;
            break;
          case 0x2a:
            this.tok = Tok.MUL;
            break;
          case 0x25:
            this.tok = Tok.MOD;
            break;
          case 0x5e:
            this.tok = Tok.POW;
            break;
          case 0x3d:
            this.tok = this.switch2(Tok.ASSIGN, Tok.EQ);
            break;
          case 0x21:
            this.tok = this.switch2(Tok.NOT, Tok.NEQ);
            break;
          case 0x3c:
            this.tok = this.switch2(Tok.LT, Tok.LTE);
            break;
          case 0x3e:
            this.tok = this.switch2(Tok.GT, Tok.GTE);
            break;
          default:
            insertTerm = this.insertTerm; // an illegal character changes nothing about terminators
            if (ch !== BOM) this.onError(pos, `illegal character ${formatRune(ch)}`);
            this.tok = Tok.ILLEGAL;
            this.lit = String.fromCodePoint(ch);
        }
      }
      this.insertTerm = insertTerm;
      this.end = this.offset;
      return;
    }
  }

  private setTerminator(pos: number, end: number): void {
    this.tok = Tok.TERMINATOR;
    this.pos = pos;
    this.end = end;
    this.lit = "\n";
  }

  /** Rewinds to byte offset `offset` (a character boundary). */
  private resetTo(offset: number): void {
    this.readOffset = offset;
    this.next();
  }

  private switch2(single: Tok, withEquals: Tok): Tok {
    if (this.current() === 0x3d) {
      this.next();
      return withEquals;
    }
    return single;
  }

  private scanIdentifier(): string {
    const start = this.offset;
    while (isLetter(this.current()) || isDigit(this.current())) this.next();
    return this.text(start, this.offset);
  }

  private digits(): number {
    let n = 0;
    while (isDecimal(this.current())) {
      this.next();
      n++;
    }
    return n;
  }

  private scanNumber(): void {
    const start = this.offset;
    let tok = Tok.NUMBER;
    if (this.current() !== 0x2e) this.digits();
    if (this.current() === 0x2e) {
      tok = Tok.FLOAT;
      this.next();
      this.digits();
    }
    if (this.current() === 0x65 || this.current() === 0x45) {
      tok = Tok.FLOAT;
      this.next();
      if (this.current() === 0x2b || this.current() === 0x2d) this.next();
      if (this.digits() === 0) this.onError(start, "exponent has no digits");
    }
    this.tok = tok;
    this.lit = this.text(start, this.offset);
  }

  /**
   * A string whose opening quote (at `start`) is consumed, up to the closing `quote`. With `escapes`,
   * backslash escapes are checked (the text is kept raw); a `multiline` string may span lines (raw strings).
   */
  private scanString(start: number, quote: number, escapes: boolean, multiline: boolean): string {
    for (;;) {
      const ch = this.current();
      if ((!multiline && ch === 0x0a) || ch === EOF_CH) {
        this.onError(start, "string literal not terminated");
        break;
      }
      this.next();
      if (ch === quote) break;
      if (escapes && ch === 0x5c) this.scanEscape();
    }
    return this.text(start, this.offset);
  }

  /** Checks the escape after a backslash; errors are reported where the escape starts (after the `\\`). */
  private scanEscape(): void {
    const start = this.offset;
    let n: number, base: number, max: number;
    switch (this.current()) {
      case 0x61:
      case 0x62:
      case 0x66:
      case 0x6e:
      case 0x72:
      case 0x74:
      case 0x76:
      case 0x5c:
      case 0x22:
        this.next();
        return;
      case 0x30:
      case 0x31:
      case 0x32:
      case 0x33:
      case 0x34:
      case 0x35:
      case 0x36:
      case 0x37:
        [n, base, max] = [3, 8, 255];
        break;
      case 0x78: // x
        this.next();
        [n, base, max] = [2, 16, 255];
        break;
      case 0x75: // u
        this.next();
        [n, base, max] = [4, 16, 0x10ffff];
        break;
      case 0x55: // U
        this.next();
        [n, base, max] = [8, 16, 0x10ffff];
        break;
      default:
        this.onError(start, this.current() === EOF_CH ? "escape sequence not terminated" : "unknown escape sequence");
        return;
    }
    let x = 0;
    for (; n > 0; n--) {
      const d = digitValue(this.current());
      if (d >= base) {
        this.onError(
          start,
          this.current() === EOF_CH ? "escape sequence not terminated" : `illegal character ${formatRune(this.current())} in escape sequence`,
        );
        return;
      }
      x = x * base + d;
      this.next();
    }
    if (x > max || (x >= 0xd800 && x < 0xe000)) this.onError(start, "escape sequence is invalid Unicode code point");
  }

  /** A comment starting at `start` (its `/` consumed). Carriage returns are dropped as Alloy drops them. */
  private scanComment(start: number): string {
    let block = false;
    if (this.current() === 0x2f) {
      this.next();
      while (this.current() !== 0x0a && this.current() !== EOF_CH) this.next();
    } else {
      block = true;
      this.next();
      let closed = false;
      while (this.current() !== EOF_CH) {
        const ch = this.current();
        this.next();
        if (ch === 0x2a && this.current() === 0x2f) {
          this.next();
          closed = true;
          break;
        }
      }
      if (!closed) this.onError(start, "block comment not terminated");
    }
    let lit = this.text(start, this.offset);
    if (!lit.includes("\r")) return lit;
    if (lit.endsWith("\r")) lit = lit.slice(0, -1);
    // Every other CR goes, except (in a block comment) one between "*" and the closing "/".
    let out = "";
    for (let i = 0; i < lit.length; i++) {
      const ch = lit[i];
      if (ch !== "\r" || (block && out.length > 2 && out.endsWith("*") && lit[i + 1] === "/")) out += ch;
    }
    return out;
  }

  /**
   * Whether the comment(s) starting at `start` run to the end of the line (or the file), so that a pending
   * terminator belongs before them. Reads ahead with next() — reporting what it reads, as Alloy does — and
   * then returns to just after the comment's `/`.
   */
  private findLineEnd(start: number): boolean {
    try {
      while (this.current() === 0x2f || this.current() === 0x2a) {
        if (this.current() === 0x2f) return true; // a //-comment always ends its line
        this.next();
        while (this.current() !== EOF_CH) {
          const ch = this.current();
          if (ch === 0x0a) return true;
          this.next();
          if (ch === 0x2a && this.current() === 0x2f) {
            this.next();
            break;
          }
        }
        this.skipWhitespace(); // a terminator is pending, so newlines stop it
        if (this.current() === EOF_CH || this.current() === 0x0a) return true;
        if (this.current() !== 0x2f) return false;
        this.next();
      }
      return false;
    } finally {
      this.resetTo(start + 1);
    }
  }
}

function isDecimal(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function digitValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return 16;
}
