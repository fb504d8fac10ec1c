/**
 * `alloy fmt` for our syntax tree. The walker below decides what goes where (tokens, blanks, line breaks,
 * indentation); the Layout engine merges in the comments by source position and hands the text to the
 * column aligner, which lines up `=` signs and trailing comments. Byte-identical output to `alloy fmt` is
 * the contract, checked against Alloy's own formatter results (npm run conformance).
 */
import type { ArrayExpr, BlockStmt, CallExpr, Comment, CommentGroup, Expr, File, ObjectExpr, Span, Stmt } from "./ast";
import { ColumnWriter, ESCAPE } from "./columnAligner";
import { goQuote } from "./goQuote";
import { SourceFile } from "./source";
import { Tok, tokenName } from "./token";

/** Whitespace the walker asks for; it is buffered and written only before the next token or comment. */
const enum Ws {
  Ignore,
  Blank,
  VTab,
  Newline,
  Formfeed,
  Indent,
  Unindent,
}

const WS_TEXT = ["", " ", "\v", "\n", "\f"];

/** At most one blank line is kept: two line breaks. */
const MAX_NEWLINES = 2;

/**
 * Turns tokens and whitespace requests into text for the column aligner, placing comments: a run of
 * comments is written before the first token it precedes in the source, and the line breaks around it
 * follow the source (at most one blank line). Positions are plain numbers, not objects: this runs once per
 * token of the file.
 */
class Layout {
  private readonly columns = new ColumnWriter();
  private wroteAnything = false;
  private indent = 0;
  /** The last token written; undefined after whitespace. Decides when a blank must separate two tokens. */
  private lastTok: Tok | undefined;
  /** Pending whitespace: ws[0, wsCount). The array is reused, never shrunk (this runs once per token). */
  private readonly ws: Ws[] = [];
  private wsCount = 0;
  private groupIndex = 0;
  /** Where we are, approximately, in the source (byte offset, line): set from token positions, advanced as text is written. */
  private offset = 0;
  private line = 1;
  /** The source line just after the last text written. */
  private lastLine = 0;
  /** Column in the output (1 at the start of a line). */
  private outColumn = 1;

  constructor(
    private readonly source: SourceFile,
    private readonly commentGroups: readonly CommentGroup[],
  ) {}

  space(a: Ws, b?: Ws, c?: Ws): void {
    this.ws[this.wsCount++] = a;
    if (b !== undefined) this.ws[this.wsCount++] = b;
    if (c !== undefined) this.ws[this.wsCount++] = c;
    this.lastTok = undefined;
  }

  /** Writes a token; `at` is its source offset when the walker knows it. */
  token(tok: Tok, at?: number): void {
    const text = tokenName(tok);
    // Keep tokens apart that would otherwise scan as one: `1` `.` or `/` `*`.
    if ((this.lastTok === Tok.NUMBER && text[0] === ".") || (this.lastTok === Tok.DIV && text[0] === "*")) {
      this.ws[0] = Ws.Blank;
      this.wsCount = 1;
    }
    this.emit(text, tok, at, false);
  }

  /**
   * Writes an identifier or a literal's text. A string holding a tab, vertical tab or formfeed passes the
   * column aligner untouched: `alloy fmt` lets its tabwriter read them, which pads a tab into spaces and
   * turns a formfeed into a line break — changing the string, or leaving one that no longer parses.
   */
  word(text: string, tok: Tok, at: number): void {
    this.emit(text, tok, at, tok === Tok.STRING && /[\t\v\f]/.test(text));
  }

  private emit(text: string, tok: Tok, at: number | undefined, escaped: boolean): void {
    if (at !== undefined) {
      this.offset = at;
      this.line = this.source.line(at);
    }
    this.lastTok = tok;
    // Where the token is; writing whitespace first moves this.offset and this.line.
    const offset = this.offset;
    const line = this.line;
    this.flush(offset, line, tok);
    this.writeString(offset, line, text, escaped);
  }

  /** Writes the comments that come before the next token in the source, or else the pending whitespace. */
  private flush(nextOffset: number, nextLine: number, tok: Tok): void {
    if (this.commentBefore(nextOffset)) this.injectComments(nextOffset, nextLine, tok);
    else if (tok !== Tok.EOF) this.writeWhitespace(this.wsCount);
  }

  /** The text for the column aligner; trailing comments are written out. */
  finish(): string {
    this.flush(Infinity, Infinity, Tok.EOF);
    return this.columns.finish();
  }

  private commentBefore(nextOffset: number): boolean {
    return this.groupIndex < this.commentGroups.length && this.commentGroups[this.groupIndex][0].start <= nextOffset;
  }

  private injectComments(nextOffset: number, nextLine: number, tok: Tok): void {
    let last: Comment | undefined;
    while (this.commentBefore(nextOffset)) {
      for (const c of this.commentGroups[this.groupIndex++]) {
        const line = this.source.line(c.start);
        this.writeCommentPrefix(nextLine, line);
        this.writeString(c.start, line, c.text, true);
        last = c;
      }
    }
    this.writeCommentSuffix(nextLine, tok, last!);
  }

  private writeCommentPrefix(nextLine: number, line: number): void {
    if (!this.wroteAnything) return; // the very first thing written: nothing before it
    if (line === this.lastLine) {
      // After code on the same line: a tab (aligning trailing comments), or a blank when code follows.
      this.writeChar(line === nextLine ? " " : "\t", 1);
      return;
    }
    // On a line of its own: apply pending indentation, drop the first pending space or line break (the
    // comment brings its own), and break lines as the source does.
    const ws = this.ws;
    let count = 0;
    for (let i = 0; i < this.wsCount; i++) {
      const w = ws[i];
      if (w === Ws.Indent || w === Ws.Unindent) continue;
      if (w !== Ws.Ignore) ws[i] = Ws.Ignore;
      count = i;
      break;
    }
    this.writeWhitespace(count);
    const newlines = line - this.lastLine;
    if (newlines > 0) this.writeChar("\f", Math.min(newlines, MAX_NEWLINES));
  }

  /** After comments: pending spaces and line breaks are dropped; line breaks follow the source instead. */
  private writeCommentSuffix(nextLine: number, tok: Tok, lastComment: Comment): void {
    if (tok === Tok.EOF) return; // no blank lines at the end of the file
    if (lastComment.text[1] === "*" && nextLine === this.source.line(lastComment.end - 1)) this.writeChar(" ", 1);
    const newlines = nextLine - this.lastLine;
    let droppedFormfeed = false;
    const ws = this.ws;
    for (let i = 0; i < this.wsCount; i++) {
      const w = ws[i];
      if (w === Ws.Indent || w === Ws.Unindent) continue;
      if (w === Ws.Formfeed) droppedFormfeed = true;
      ws[i] = Ws.Ignore;
    }
    this.writeWhitespace(this.wsCount);
    // A formfeed ends the run of aligned lines; keep that if one was dropped.
    if (newlines > 0) this.writeChar(droppedFormfeed ? "\f" : "\n", Math.min(newlines, MAX_NEWLINES));
  }

  private writeIndent(): void {
    for (let i = 0; i < this.indent; i++) this.columns.cellBreak(true);
    this.wroteAnything = true;
    this.offset += this.indent;
    this.outColumn += this.indent;
  }

  private writeChar(ch: string, n: number): void {
    if (this.outColumn === 1) this.writeIndent();
    this.wroteAnything = true;
    for (let i = 0; i < n; i++) {
      if (ch === " ") this.columns.text(" ", 1);
      else if (ch === "\t" || ch === "\v") this.columns.cellBreak(ch === "\t");
      else this.columns.lineBreak(ch === "\f");
    }
    this.offset += n;
    if (ch === "\n" || ch === "\f") {
      this.line += n;
      this.outColumn = 1;
    } else {
      this.outColumn += n;
    }
  }

  /**
   * Writes text that came from `at` (byte offset, line) in the source. `escaped` text is written as it is;
   * otherwise a tab, vertical tab, line break or formfeed in it (a raw string's) is read by the column
   * writer, as Go's tabwriter reads it in `alloy fmt`.
   */
  private writeString(atOffset: number, atLine: number, s: string, escaped: boolean): void {
    if (this.outColumn === 1) this.writeIndent();
    this.wroteAnything = true;
    // One pass: UTF-8 bytes, line breaks, the bytes after the last one, and code points for the column writer.
    let bytes = 0,
      newlines = 0,
      afterNewline = 0,
      width = 0,
      pieceStart = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      const n = c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? (i++, 4) : 3;
      bytes += n;
      afterNewline += n;
      width++;
      // A formfeed breaks the line only where the column writer reads it, not inside escaped text.
      const lineBreak = c === 0x0a || (c === 0x0c && !escaped);
      if (lineBreak) {
        newlines++;
        afterNewline = 1;
      }
      if (escaped || (!lineBreak && c !== 0x09 && c !== 0x0b)) continue;
      this.columns.text(s.slice(pieceStart, i), width - 1);
      if (lineBreak) this.columns.lineBreak(c === 0x0c);
      else this.columns.cellBreak(c === 0x09);
      pieceStart = i + 1;
      width = 0;
    }
    if (escaped) this.columns.text(ESCAPE + s + ESCAPE, width);
    else if (pieceStart < s.length) this.columns.text(pieceStart === 0 ? s : s.slice(pieceStart), width);
    this.offset = atOffset + bytes;
    if (newlines > 0) {
      this.line = atLine + newlines;
      this.outColumn = afterNewline;
    } else {
      this.line = atLine;
      this.outColumn += bytes;
    }
    this.lastLine = this.line;
  }

  private writeWhitespace(n: number): void {
    const ws = this.ws;
    for (let i = 0; i < n; i++) {
      const w = ws[i];
      if (w === Ws.Indent) this.indent++;
      else if (w === Ws.Unindent) this.indent = Math.max(0, this.indent - 1);
      else if (w !== Ws.Ignore) this.writeChar(WS_TEXT[w], 1);
    }
    // What is left moves to the front.
    for (let i = n; i < this.wsCount; i++) ws[i - n] = ws[i];
    this.wsCount -= n;
  }
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Walks the tree and tells the layout what to write. */
class Walker {
  constructor(
    private readonly p: Layout,
    private readonly source: SourceFile,
  ) {}

  private line(offset: number): number {
    return this.source.line(offset);
  }

  /** Lines a node spans in the source. */
  private nodeLines(n: Span): number {
    return this.line(n.end - 1) - this.line(n.start) + 1;
  }

  private differentLines(a: number, b: number): boolean {
    return this.line(a) !== this.line(b);
  }

  stmts(stmts: readonly Stmt[]): void {
    const p = this.p;
    stmts.forEach((s, i) => {
      let addedSpacing = false;
      // Blocks after the first statement always get a blank line before them.
      if (i > 0 && s.kind === "block") {
        p.space(Ws.Formfeed);
        addedSpacing = true;
      }
      // A blank line in the source between two statements is kept.
      if (i > 0 && !addedSpacing && this.line(s.start) - this.line(stmts[i - 1].end - 1) > 1) p.space(Ws.Formfeed);
      if (s.kind === "attribute") {
        p.word(s.name.name, Tok.IDENT, s.name.start);
        p.space(Ws.VTab);
        p.token(Tok.ASSIGN);
        p.space(Ws.Blank);
        this.expr(s.value);
      } else {
        this.block(s);
      }
      // A statement over several lines ends the run of aligned lines.
      p.space(this.nodeLines(s) > 1 ? Ws.Formfeed : Ws.Newline);
    });
  }

  private block(b: BlockStmt): void {
    const p = this.p;
    // Placed at its last part: a comment inside a dotted name (`a.// c`, newline, `b`) then comes out on
    // its own line before the name, not between the name and its label (found by the fuzzer).
    p.word(b.name.join("."), Tok.IDENT, b.nameSpan.end - utf8Length(b.name[b.name.length - 1]));
    if (b.labelSpan !== undefined && b.label !== "") {
      p.space(Ws.Blank);
      p.word(goQuote(b.label), Tok.STRING, b.labelSpan.start);
    }
    p.space(Ws.Blank);
    p.token(Tok.LCURLY, b.lcurly);
    p.space(Ws.Indent);
    if (b.body.length > 0) {
      p.space(Ws.Formfeed);
      this.stmts(b.body);
    } else {
      p.space(Ws.Blank);
    }
    p.space(Ws.Unindent);
    p.token(Tok.RCURLY, b.rcurly);
  }

  private expr(e: Expr): void {
    const p = this.p;
    switch (e.kind) {
      case "literal":
        p.word(e.value, e.tok, e.start);
        break;
      case "identifier":
        p.word(e.name, Tok.IDENT, e.start);
        break;
      case "array":
        this.array(e);
        break;
      case "call":
        this.call(e);
        break;
      case "object":
        this.object(e);
        break;
      case "access":
        this.expr(e.value);
        p.token(Tok.DOT);
        p.word(e.name.name, Tok.IDENT, e.name.start);
        break;
      case "index":
        this.expr(e.value);
        p.token(Tok.LBRACK, e.lbrack);
        this.expr(e.index);
        p.token(Tok.RBRACK, e.rbrack);
        break;
      case "unary":
        p.token(e.op, e.opPos);
        this.expr(e.value);
        break;
      case "binary":
        this.expr(e.left);
        p.space(Ws.Blank);
        p.token(e.op, e.opPos);
        p.space(Ws.Blank);
        this.expr(e.right);
        break;
      case "paren":
        p.token(Tok.LPAREN);
        this.expr(e.inner);
        p.token(Tok.RPAREN);
        break;
      case "bad":
        p.word("null", Tok.NULL, e.start);
        break;
    }
  }

  /** Array elements: each element that starts on a new line is indented; a trailing comma when `]` is on its own line. */
  private array(e: ArrayExpr): void {
    const p = this.p;
    p.token(Tok.LBRACK, e.lbrack);
    let prevEnd = e.lbrack;
    e.elements.forEach((el, i) => {
      const newLine = this.differentLines(prevEnd, el.start);
      // Indent before the line break, so that comments written before the element are indented too.
      if (newLine) p.space(Ws.Indent, Ws.Formfeed);
      else if (i > 0) p.space(Ws.Blank);
      prevEnd = el.end - 1;
      this.expr(el);
      if (i + 1 < e.elements.length) p.token(Tok.COMMA);
      if (newLine) p.space(Ws.Unindent);
    });
    if (e.elements.length > 0 && this.differentLines(prevEnd, e.rbrack)) {
      p.token(Tok.COMMA);
      p.space(Ws.Indent, Ws.Formfeed, Ws.Unindent); // comments after the last element stay indented
    }
    p.token(Tok.RBRACK, e.rbrack);
  }

  /** Call arguments: like array elements, but `, ` between arguments. */
  private call(e: CallExpr): void {
    const p = this.p;
    this.expr(e.value);
    p.token(Tok.LPAREN);
    let prevEnd = e.lparen;
    e.args.forEach((arg, i) => {
      const newLine = this.differentLines(prevEnd, arg.start);
      if (newLine) p.space(Ws.Formfeed, Ws.Indent);
      this.expr(arg);
      prevEnd = arg.end - 1;
      if (i + 1 < e.args.length) {
        p.token(Tok.COMMA);
        p.space(Ws.Blank);
      }
      if (newLine) p.space(Ws.Unindent);
    });
    // Alloy also writes this comma when there are no arguments at all (`f(` … `)` over two lines), which
    // does not parse again; we leave it out there.
    if (e.args.length > 0 && this.differentLines(prevEnd, e.rparen)) {
      p.token(Tok.COMMA);
      p.space(Ws.Formfeed);
    }
    p.token(Tok.RPAREN);
  }

  private object(e: ObjectExpr): void {
    const p = this.p;
    p.token(Tok.LCURLY, e.lcurly);
    p.space(Ws.Indent);
    let prevEnd = e.lcurly;
    e.fields.forEach((f, i) => {
      if (this.differentLines(prevEnd, f.name.start)) {
        // A field after a one-line field stays in its run, so that their `=` align.
        p.space(i > 0 && this.nodeLines(e.fields[i - 1].value) === 1 ? Ws.Newline : Ws.Formfeed);
      } else if (i > 0) {
        p.space(Ws.Blank);
      }
      // Alloy measures from the end of the field's name, not of its value.
      prevEnd = f.name.end - 1;
      p.word(this.fieldKey(f.name.name, f.quoted, f.name), f.quoted ? Tok.STRING : Tok.IDENT, f.name.start);
      p.space(Ws.VTab);
      p.token(Tok.ASSIGN);
      p.space(Ws.Blank);
      this.expr(f.value);
      if (i + 1 < e.fields.length) p.token(Tok.COMMA);
    });
    if (e.fields.length > 0 && this.differentLines(prevEnd, e.rcurly)) {
      p.token(Tok.COMMA);
      p.space(Ws.Formfeed);
    }
    p.space(Ws.Unindent);
    p.token(Tok.RCURLY, e.rcurly);
  }

  /**
   * A quoted key is re-quoted Go-style. Alloy does that to the raw text between the quotes, so a key with
   * an escape gains a backslash on every run (`"a\"b"` → `"a\\\"b"`); we keep such keys as written.
   */
  private fieldKey(name: string, quoted: boolean, span: Span): string {
    if (!quoted) return name;
    return name.includes("\\") ? this.source.text(span.start, span.end) : goQuote(name);
  }
}

/**
 * Formats a parsed file exactly as `alloy fmt` does (its printer's output plus a final newline). The tree
 * must come from a parse without errors.
 */
export function formatFile(file: File, source: SourceFile): string {
  const layout = new Layout(source, file.comments);
  new Walker(layout, source).stmts(file.body);
  return layout.finish() + "\n";
}
