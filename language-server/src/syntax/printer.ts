/**
 * `alloy fmt` for our syntax tree. The walker below decides what goes where (tokens, blanks, line breaks,
 * indentation); the Layout engine merges in the comments by source position and hands the text to the
 * column aligner, which lines up `=` signs and trailing comments. Byte-identical output to `alloy fmt` is
 * the contract, checked against Alloy's own formatter results (npm run conformance).
 */
import type { ArrayExpr, BlockStmt, CallExpr, Comment, Expr, File, ObjectExpr, Span, Stmt } from "./ast";
import { alignColumns, ESCAPE, trimTrailingSpace } from "./columnAligner";
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

/** How a run of comments ended: whether a line break was written, and whether a formfeed was dropped. */
interface CommentEnd {
  wroteNewline: boolean;
  droppedFormfeed: boolean;
}

interface SourcePos {
  offset: number;
  line: number;
  column: number;
}

class Layout {
  private readonly out: string[] = [];
  private wroteAny = false;
  private indent = 0;
  /** The last token written, or undefined after whitespace (decides when a blank must separate tokens). */
  private lastTok: Tok | undefined;
  /** `(` or `[` when the last token written was one (whitespace aside): an empty pair is being closed. */
  private prevOpen: Tok | undefined;
  private ws: Ws[] = [];
  private commentIndex = 0;
  /** Where we are, approximately, in the source: set from each token's position, advanced as text is written. */
  private pos: SourcePos = { offset: 0, line: 1, column: 1 };
  /** The source position just after the last text written. */
  private last: SourcePos = { offset: 0, line: 1, column: 1 };
  /** Column in the output (1 at the start of a line). */
  private outColumn = 1;

  constructor(
    private readonly source: SourceFile,
    private readonly comments: readonly Comment[],
  ) {}

  sourcePos(offset: number): SourcePos {
    const { line, column } = this.source.position(offset);
    return { offset, line, column };
  }

  space(...ws: Ws[]): void {
    for (const w of ws) {
      if (w === Ws.Ignore) continue;
      this.ws.push(w);
      this.lastTok = undefined;
    }
  }

  /** Writes a token; `at` is its source offset when known. */
  token(tok: Tok, at?: number): void {
    const text = tokenName(tok);
    // Keep tokens apart that would otherwise scan as one: `1` `.` or `/` `*`.
    if ((this.lastTok === Tok.NUMBER && text[0] === ".") || (this.lastTok === Tok.DIV && text[0] === "*")) {
      this.ws = [Ws.Blank];
    }
    this.emit(text, tok, at, false);
  }

  /** Writes an identifier or literal as given. */
  word(text: string, tok: Tok, at: number): void {
    this.emit(text, tok, at, tok !== Tok.IDENT);
  }

  private emit(text: string, tok: Tok, at: number | undefined, literal: boolean): void {
    if (this.lastTok !== undefined) this.prevOpen = this.lastTok === Tok.LPAREN || this.lastTok === Tok.LBRACK ? this.lastTok : undefined;
    if (at !== undefined) this.pos = this.sourcePos(at);
    this.lastTok = tok;
    const next = { ...this.pos }; // a copy: writing whitespace moves this.pos
    const after = this.flush(next, tok);
    if (after !== undefined) {
      // Comments took the place of the walker's line breaks: keep a blank line the source has between
      // the last comment and this token.
      let n = Math.min(next.line - this.pos.line, MAX_NEWLINES);
      if (after.wroteNewline && n === MAX_NEWLINES) n = MAX_NEWLINES - 1;
      if (n > 0) this.writeChar(after.droppedFormfeed ? "\f" : "\n", n);
    }
    this.writeString(next, text, literal);
  }

  /**
   * Writes the comments that come before `next` in the source, then the pending whitespace. Returns how the
   * comments ended, when there were any.
   */
  private flush(next: SourcePos, tok: Tok): CommentEnd | undefined {
    if (this.commentBefore(next)) return this.intersperseComments(next, tok);
    if (tok !== Tok.EOF) this.writeWhitespace(this.ws.length);
    return undefined;
  }

  finish(): string {
    this.flush({ offset: Infinity, line: Infinity, column: Infinity }, Tok.EOF);
    return this.out.join("");
  }

  private commentBefore(next: SourcePos): boolean {
    return this.commentIndex < this.comments.length && this.comments[this.commentIndex].start < next.offset;
  }

  private writeIndent(): void {
    for (let i = 0; i < this.indent; i++) this.out.push("\t");
    this.pos.offset += this.indent;
    this.pos.column += this.indent;
    this.outColumn += this.indent;
  }

  private writeChar(ch: string, n: number): void {
    if (this.outColumn === 1) this.writeIndent();
    this.out.push(ch.repeat(n));
    this.wroteAny = true;
    this.pos.offset += n;
    if (ch === "\n" || ch === "\f") {
      this.pos.line += n;
      this.pos.column = 1;
      this.outColumn = 1;
    } else {
      this.pos.column += n;
      this.outColumn += n;
    }
  }

  private writeString(at: SourcePos, s: string, literal: boolean): void {
    if (this.outColumn === 1) this.writeIndent();
    this.pos = { ...at };
    this.out.push(literal ? ESCAPE + s + ESCAPE : s);
    this.wroteAny = true;
    const bytes = utf8Length(s);
    this.pos.offset += bytes;
    const lastNewline = s.lastIndexOf("\n");
    if (lastNewline >= 0) {
      let lines = 0;
      for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 0x0a) lines++;
      this.pos.line += lines;
      const tail = utf8Length(s.slice(lastNewline));
      this.pos.column = tail;
      this.outColumn = tail;
    } else {
      this.pos.column += bytes;
      this.outColumn += bytes;
    }
    this.last = { ...this.pos };
  }

  private writeWhitespace(n: number): void {
    const ws = this.ws;
    for (let i = 0; i < n; i++) {
      const w = ws[i];
      switch (w) {
        case Ws.Ignore:
          break;
        case Ws.Indent:
          this.indent++;
          break;
        case Ws.Unindent:
          this.indent = Math.max(0, this.indent - 1);
          break;
        case Ws.Newline:
        case Ws.Formfeed:
          // A line break followed by an unindent: unindent first, and end the column block, so that a
          // closing line cannot widen the columns of the lines before it.
          if (i + 1 < n && ws[i + 1] === Ws.Unindent) {
            ws[i] = Ws.Unindent;
            ws[i + 1] = Ws.Formfeed;
            i--;
            break;
          }
          this.writeChar(WS_TEXT[w], 1);
          break;
        default:
          this.writeChar(WS_TEXT[w], 1);
      }
    }
    this.ws = ws.slice(n);
  }

  private intersperseComments(next: SourcePos, tok: Tok): CommentEnd {
    let last: Comment | undefined;
    while (this.commentBefore(next)) {
      const c = this.comments[this.commentIndex++];
      this.writeCommentPrefix(c, next, last, tok);
      this.writeComment(c);
      last = c;
    }
    const lastComment = last!;
    // A /* */ comment followed on its line by more code gets a blank after it, except before a comma or
    // a closing bracket that closes something non-empty.
    if (
      lastComment.text[1] === "*" &&
      this.source.line(lastComment.start) === next.line &&
      tok !== Tok.COMMA &&
      (tok !== Tok.RPAREN || this.prevOpen === Tok.LPAREN) &&
      (tok !== Tok.RBRACK || this.prevOpen === Tok.LBRACK)
    ) {
      this.writeChar(" ", 1);
    }
    return this.writeCommentSuffix(lastComment.text[1] === "/" || tok === Tok.EOF);
  }

  private writeCommentPrefix(c: Comment, next: SourcePos, prev: Comment | undefined, tok: Tok): void {
    if (!this.wroteAny) return; // nothing before the comment: no whitespace
    const pos = this.sourcePos(c.start);
    const ws = this.ws;
    if (pos.line === this.last.line && (prev === undefined || prev.text[1] !== "/")) {
      // On the line of the last item: at least one separator.
      let hasSep = false;
      if (prev === undefined) {
        let j = 0;
        let i = 0;
        for (; i < ws.length; i++) {
          const w = ws[i];
          if (w === Ws.Blank) {
            ws[i] = Ws.Ignore; // no blanks before a comment
            continue;
          }
          if (w === Ws.VTab) {
            hasSep = true; // keep alignment
            continue;
          }
          if (w === Ws.Indent) continue;
          j = i;
          break;
        }
        this.writeWhitespace(j);
      }
      if (!hasSep) this.writeChar(pos.line === next.line ? " " : "\t", 1);
    } else {
      // On a line of its own: at least one line break before it.
      let droppedLinebreak = false;
      let j = 0;
      for (let i = 0; i < ws.length; i++) {
        const w = ws[i];
        if (w === Ws.Blank || w === Ws.VTab) {
          ws[i] = Ws.Ignore;
          continue;
        }
        if (w === Ws.Indent) continue;
        if (w === Ws.Unindent) {
          // Not the last unindent: it closes some construct before the comment.
          if (i + 1 < ws.length && ws[i + 1] === Ws.Unindent) continue;
          // Aligned with the next token that is not a closing brace: the comment belongs after the unindent.
          if (tok !== Tok.RCURLY && pos.column === next.column) continue;
        }
        if (w === Ws.Newline || w === Ws.Formfeed) {
          ws[i] = Ws.Ignore;
          droppedLinebreak = prev === undefined;
        }
        j = i;
        break;
      }
      this.writeWhitespace(j);
      let n = Math.max(0, pos.line - this.last.line);
      if (this.indent === 0 && droppedLinebreak) n++;
      if (n === 0 && prev !== undefined && prev.text[1] === "/") n = 1;
      if (n > 0) this.writeChar("\f", Math.min(n, MAX_NEWLINES));
    }
  }

  private writeComment(c: Comment): void {
    const pos = this.sourcePos(c.start);
    if (c.text[1] === "/") {
      this.writeString(pos, c.text.replace(/[ \t\r]+$/, ""), true);
      return;
    }
    // A /* */ comment: line by line, so that its lines are indented with the code.
    const lines = c.text.split("\n");
    lines.forEach((line, i) => {
      if (i > 0) this.writeChar("\f", 1);
      const at = i === 0 ? pos : this.pos;
      if (line.length > 0) this.writeString(at, line.replace(/[ \t\r]+$/, ""), true);
    });
  }

  /** After comments: pending blanks are dropped and at most one line break is kept (or added, if needed). */
  private writeCommentSuffix(needsLinebreak: boolean): CommentEnd {
    const ws = this.ws;
    const end: CommentEnd = { wroteNewline: false, droppedFormfeed: false };
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i];
      if (w === Ws.Blank || w === Ws.VTab) ws[i] = Ws.Ignore;
      else if (w === Ws.Newline || w === Ws.Formfeed) {
        if (needsLinebreak) {
          needsLinebreak = false;
          end.wroteNewline = true;
        } else {
          if (w === Ws.Formfeed) end.droppedFormfeed = true;
          ws[i] = Ws.Ignore;
        }
      }
    }
    this.writeWhitespace(ws.length);
    if (needsLinebreak) {
      this.writeChar("\n", 1);
      end.wroteNewline = true;
    }
    return end;
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
    p.word(b.name.join("."), Tok.IDENT, b.nameSpan.start);
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
        this.list(e, e.elements, Tok.LBRACK, Tok.RBRACK, e.lbrack, e.rbrack);
        break;
      case "call":
        this.expr(e.value);
        this.list(e, e.args, Tok.LPAREN, Tok.RPAREN, e.lparen, e.rparen);
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
        p.token(Tok.LPAREN, e.lparen);
        this.expr(e.inner);
        p.token(Tok.RPAREN, e.rparen);
        break;
      case "bad":
        p.word("null", Tok.NULL, e.start);
        break;
    }
  }

  /** Array elements and call arguments: one line, or one element per line with a trailing comma. */
  private list(_e: ArrayExpr | CallExpr, items: readonly Expr[], open: Tok, close: Tok, openPos: number, closePos: number): void {
    const p = this.p;
    p.token(open, openPos);
    let prevEnd = openPos;
    let indented = false;
    items.forEach((item, i) => {
      if (this.differentLines(prevEnd, item.start)) {
        if (!indented) {
          p.space(Ws.Indent);
          indented = true;
        }
        p.space(Ws.Formfeed);
      } else if (i > 0) {
        p.space(Ws.Blank);
      }
      this.expr(item);
      if (i + 1 < items.length) p.token(Tok.COMMA);
      prevEnd = item.end - 1;
    });
    if (items.length > 0 && this.differentLines(prevEnd, closePos)) {
      p.token(Tok.COMMA);
      p.space(Ws.Formfeed);
    }
    if (indented) p.space(Ws.Unindent);
    p.token(close, closePos);
  }

  private object(e: ObjectExpr): void {
    const p = this.p;
    p.token(Tok.LCURLY, e.lcurly);
    p.space(Ws.Indent);
    let prevEnd = e.lcurly;
    e.fields.forEach((f, i) => {
      if (this.differentLines(prevEnd, f.name.start)) {
        // Fields after a one-line field stay in its run, so their `=` align.
        p.space(i > 0 && this.nodeLines(e.fields[i - 1].value) === 1 ? Ws.Newline : Ws.Formfeed);
      } else if (i > 0) {
        p.space(Ws.Blank);
      }
      p.word(this.fieldKey(f.name.name, f.quoted, f.name), f.quoted ? Tok.STRING : Tok.IDENT, f.name.start);
      p.space(Ws.VTab);
      p.token(Tok.ASSIGN);
      p.space(Ws.Blank);
      this.expr(f.value);
      if (i + 1 < e.fields.length) p.token(Tok.COMMA);
      prevEnd = f.value.end - 1;
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

/** Formats a parsed file as `alloy fmt` does. The tree must come from a parse without errors. */
export function formatFile(file: File, source: SourceFile): string {
  const layout = new Layout(source, file.comments);
  new Walker(layout, source).stmts(file.body);
  const text = trimTrailingSpace(alignColumns(layout.finish()));
  const trimmed = text.replace(/\n+$/, "");
  return trimmed === "" ? "" : trimmed + "\n";
}
