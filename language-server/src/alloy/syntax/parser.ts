/**
 * Alloy's parser, with Alloy's grammar, messages and recovery (so diagnostics match `alloy fmt` and
 * `alloy run`), returning a tree even for broken input: statements that held an error are marked `broken`,
 * and missing expressions become `bad` nodes.
 *
 *   File       = Body
 *   Body       = [ Statement { terminator Statement } ]
 *   Statement  = identifier "=" Expression | BlockName "{" Body "}"
 *   BlockName  = identifier { "." identifier } [ string ]
 */
import type { AttributeStmt, BlockStmt, Comment, CommentGroup, Expr, File, Ident, ObjectField, Span, Stmt } from "./ast";
import type { SyntaxDiagnostic } from "./diagnostic";
import { Scanner } from "./scanner";
import { SourceFile } from "./source";
import { binaryPrecedence, Tok, tokenName } from "./token";
import { isValidIdentifier } from "./unicode";
import { goQuote } from "./goQuote";

export interface ParseResult {
  file: File;
  source: SourceFile;
  diagnostics: SyntaxDiagnostic[];
}

interface BlockName {
  fragments: string[];
  span: Span;
  label: string;
  labelSpan?: Span;
}

/**
 * Deepest nesting of blocks and expressions we parse. Alloy has none (Go stacks grow); a JavaScript stack
 * does not, and real configurations nest a dozen levels at most. Deeper input gets a diagnostic of ours.
 */
export const MAX_NESTING = 500;
export const TOO_DEEP_MESSAGE = `nested more than ${MAX_NESTING} levels deep`;

/** Unwinds the parser to the top-level statement when nesting is too deep. */
class TooDeep extends Error {}

/** Tokens that end the rest of a statement when an expression could not be parsed. */
const STATEMENT_END = new Set<Tok>([Tok.TERMINATOR, Tok.RPAREN, Tok.RCURLY, Tok.RBRACK, Tok.COMMA]);

class Parser {
  private readonly scanner: Scanner;
  readonly diagnostics: SyntaxDiagnostic[] = [];
  readonly comments: CommentGroup[] = [];
  private tok = Tok.EOF;
  private pos = 0;
  private end = 0;
  private lit = "";
  /** End of the last token consumed (not a comment). */
  private prevEnd = 0;
  /** Line of the last parser error: Alloy reports at most one per line. */
  private lastErrorLine = -1;
  /** Current nesting of blocks and expressions, against MAX_NESTING. */
  private depth = 0;
  private bodyDepth = 0;
  /** Brackets of any kind opened and not yet closed since the current top-level statement began. */
  private openBrackets = 0;

  constructor(readonly source: SourceFile) {
    this.scanner = new Scanner(source, (offset, message) =>
      this.diagnostics.push({ message, start: offset, end: offset + 1, severity: "error", source: "scanner" }),
    );
    this.next();
  }

  private next(): void {
    switch (this.tok) {
      case Tok.LCURLY:
      case Tok.LBRACK:
      case Tok.LPAREN:
        this.openBrackets++;
        break;
      case Tok.RCURLY:
      case Tok.RBRACK:
      case Tok.RPAREN:
        this.openBrackets--;
        break;
      default:
    }
    this.prevEnd = this.end;
    const s = this.scanner;
    let group: CommentGroup | undefined,
      groupEndLine = 0;
    for (;;) {
      s.scan();
      if (s.tok !== Tok.COMMENT) break;
      const comment: Comment = { start: s.pos, end: s.end, text: s.lit };
      if (group === undefined || this.source.line(comment.start) > groupEndLine + 1) {
        group = [];
        this.comments.push(group);
      }
      group.push(comment);
      groupEndLine = this.source.line(comment.end - 1);
    }
    this.tok = s.tok;
    this.pos = s.pos;
    this.end = s.end;
    this.lit = s.lit;
  }

  /** Whether the current token is t (a method, so TypeScript does not narrow `tok` across next()). */
  private at(t: Tok): boolean {
    return this.tok === t;
  }

  private error(message: string): void {
    const line = this.source.line(this.pos);
    if (line === this.lastErrorLine) return;
    this.lastErrorLine = line;
    this.diagnostics.push({ message, start: this.pos, end: Math.max(this.end, this.pos + 1), severity: "error", source: "parser" });
  }

  /** An error Alloy reports regardless of the one-per-line rule. */
  private errorAt(span: Span, message: string): void {
    this.diagnostics.push({ message, start: span.start, end: span.end, severity: "error", source: "parser" });
  }

  private expect(t: Tok): { pos: number; ok: boolean } {
    const pos = this.pos,
      ok = this.tok === t;
    if (!ok) this.error(`expected ${tokenName(t)}, got ${tokenName(this.tok)}`);
    this.next();
    return { pos, ok };
  }

  private advance(to: Tok): void {
    while (!this.at(Tok.EOF) && this.tok !== to) this.next();
  }

  private advanceAny(to: ReadonlySet<Tok>): void {
    while (!this.at(Tok.EOF) && !to.has(this.tok)) this.next();
  }

  private errorCount(): number {
    return this.diagnostics.length;
  }

  parseFile(): File {
    const body = this.parseBody(Tok.EOF);
    return { kind: "file", body, comments: this.comments, start: 0, end: this.source.bytes.length };
  }

  /** Enters one more level of nesting; past MAX_NESTING, reports it and unwinds to the top level. */
  private enter(): void {
    if (++this.depth > MAX_NESTING) {
      this.errorAt({ start: this.pos, end: Math.max(this.end, this.pos + 1) }, TOO_DEEP_MESSAGE);
      throw new TooDeep();
    }
  }

  private leave(): void {
    this.depth--;
  }

  /** A top-level statement; one nested too deeply is skipped to its end. */
  private parseTopStatement(): Stmt | undefined {
    this.openBrackets = 0;
    try {
      return this.parseStatement();
    } catch (err) {
      if (!(err instanceof TooDeep)) throw err;
      this.depth = 0;
      this.bodyDepth = 1;
      // Skip to the terminator that closes every bracket the statement opened.
      while (!this.at(Tok.EOF) && !(this.at(Tok.TERMINATOR) && this.openBrackets <= 0)) this.next();
      return undefined;
    }
  }

  private parseBody(until: Tok): Stmt[] {
    const body: Stmt[] = [];
    this.bodyDepth++;
    while (!this.at(until) && !this.at(Tok.EOF)) {
      const errorsBefore = this.errorCount();
      const stmt = this.bodyDepth === 1 ? this.parseTopStatement() : this.parseStatement();
      if (stmt !== undefined) body.push(stmt);
      if (this.at(until)) break;
      if (!this.at(Tok.TERMINATOR)) {
        this.error(`expected ${tokenName(Tok.TERMINATOR)}, got ${tokenName(this.tok)}`);
        this.consumeStatement();
      }
      if (stmt !== undefined && this.errorCount() > errorsBefore) stmt.broken = true;
      this.next();
    }
    this.bodyDepth--;
    return body;
  }

  /** Skips to the terminator that ends the current statement, across balanced (), [] and {}. */
  private consumeStatement(): void {
    let curly = 0,
      brack = 0,
      paren = 0;
    while (!this.at(Tok.EOF)) {
      switch (this.tok) {
        case Tok.LCURLY:
          curly++;
          break;
        case Tok.RCURLY:
          curly--;
          break;
        case Tok.LBRACK:
          brack++;
          break;
        case Tok.RBRACK:
          brack--;
          break;
        case Tok.LPAREN:
          paren++;
          break;
        case Tok.RPAREN:
          paren--;
          break;
        case Tok.TERMINATOR:
          if (curly <= 0 && brack <= 0 && paren <= 0) return;
          break;
        default:
      }
      this.next();
    }
  }

  private parseStatement(): Stmt | undefined {
    const errorsBefore = this.errorCount();
    const bn = this.parseBlockName();
    if (bn === undefined) {
      this.advance(Tok.IDENT); // skip to what may start the next statement
      return undefined;
    }
    switch (this.tok) {
      case Tok.ASSIGN: {
        this.next();
        if (bn.fragments.length !== 1) {
          this.errorAt(bn.span, 'attribute names may only consist of a single identifier with no "."');
        } else if (bn.labelSpan !== undefined) {
          this.errorAt(bn.labelSpan, "attribute names may not have labels");
        }
        const name: Ident = { name: bn.fragments[0], start: bn.span.start, end: bn.span.start + byteLength(bn.fragments[0]) };
        const value = this.parseExpression();
        const stmt: AttributeStmt = { kind: "attribute", name, value, start: bn.span.start, end: value.end };
        if (this.errorCount() > errorsBefore) stmt.broken = true;
        return stmt;
      }
      case Tok.LCURLY: {
        const lcurly = this.expect(Tok.LCURLY).pos;
        this.enter();
        const body = this.parseBody(Tok.RCURLY);
        this.leave();
        const rcurly = this.expect(Tok.RCURLY).pos;
        const block: BlockStmt = {
          kind: "block",
          name: bn.fragments,
          nameSpan: bn.span,
          label: bn.label,
          labelSpan: bn.labelSpan,
          lcurly,
          rcurly,
          body,
          start: bn.span.start,
          end: rcurly + 1,
        };
        if (this.errorCount() > errorsBefore) block.broken = true;
        return block;
      }
      default:
        if (bn.fragments.length === 1 && bn.label === "") {
          this.error(`expected attribute assignment or block body, got ${tokenName(this.tok)}`);
        } else {
          this.error(`expected block body, got ${tokenName(this.tok)}`);
        }
        this.advance(Tok.IDENT);
        return undefined;
    }
  }

  private parseBlockName(): BlockName | undefined {
    if (!this.at(Tok.IDENT)) {
      this.error(`expected identifier, got ${tokenName(this.tok)}`);
      return undefined;
    }
    const fragments = [this.lit];
    const start = this.pos;
    let end = this.end;
    this.next();
    while (this.at(Tok.DOT)) {
      this.next();
      // A missing identifier is reported, and the name kept as far as it goes (with whatever text the
      // token had, as Alloy keeps it).
      if (!this.at(Tok.IDENT)) this.error(`expected identifier, got ${tokenName(this.tok)}`);
      fragments.push(this.lit);
      end = this.end;
      this.next();
    }
    const bn: BlockName = { fragments, span: { start, end }, label: "" };
    if (!this.at(Tok.ASSIGN) && !this.at(Tok.LCURLY)) {
      if (this.at(Tok.STRING)) {
        const lit = this.lit;
        if (lit[0] !== '"') {
          this.error(`expected block label to be a double quoted string, but got ${goQuote(lit)}`);
        }
        if (lit.length > 2) {
          bn.label = lit.slice(1, -1);
          if (!isValidIdentifier(bn.label)) {
            this.error(`expected block label to be a valid identifier, but got ${goQuote(bn.label)}`);
          }
        }
        bn.labelSpan = { start: this.pos, end: this.end };
      } else {
        this.error(`expected block label, got ${tokenName(this.tok)}`);
      }
      this.next();
    }
    return bn;
  }

  parseExpression(): Expr {
    this.enter();
    const e = this.parseBinary(1);
    this.leave();
    return e;
  }

  /** A whole expression as the only input (see parseExpression below). */
  parseStandaloneExpression(): Expr {
    const start = this.pos;
    try {
      return this.parseExpression();
    } catch (err) {
      if (!(err instanceof TooDeep)) throw err;
      return { kind: "bad", start, end: this.source.bytes.length };
    }
  }

  /** Binary operators from precedence `minPrec` up; `^` is right-associative. */
  private parseBinary(minPrec: number): Expr {
    let left = this.parsePow();
    for (;;) {
      const op = this.tok,
        opPos = this.pos,
        prec = binaryPrecedence(op);
      if (prec < minPrec || op === Tok.POW || prec === 0) return left;
      this.next();
      const right = this.parseBinary(prec + 1);
      left = { kind: "binary", op, opPos, left, right, start: left.start, end: right.end };
    }
  }

  private parsePow(): Expr {
    const left = this.parseUnary();
    if (!this.at(Tok.POW)) return left;
    const opPos = this.pos;
    this.next();
    this.enter();
    const right = this.parsePow();
    this.leave();
    return { kind: "binary", op: Tok.POW, opPos, left, right, start: left.start, end: right.end };
  }

  private parseUnary(): Expr {
    if (this.at(Tok.NOT) || this.at(Tok.SUB)) {
      const op = this.tok as Tok.NOT | Tok.SUB,
        opPos = this.pos;
      this.next();
      this.enter();
      const value = this.parseUnary();
      this.leave();
      return { kind: "unary", op, opPos, value, start: opPos, end: value.end };
    }
    let primary = this.parsePrimary();
    for (;;) {
      switch (this.tok) {
        case Tok.DOT: {
          this.next();
          const namePos = this.pos,
            nameEnd = this.end,
            name = this.lit;
          this.expect(Tok.IDENT);
          primary = { kind: "access", value: primary, name: { name, start: namePos, end: nameEnd }, start: primary.start, end: nameEnd };
          break;
        }
        case Tok.LBRACK: {
          const lbrack = this.expect(Tok.LBRACK).pos;
          const index = this.parseExpression();
          const rbrack = this.expect(Tok.RBRACK).pos;
          primary = { kind: "index", value: primary, index, lbrack, rbrack, start: primary.start, end: rbrack + 1 };
          break;
        }
        case Tok.LPAREN: {
          const lparen = this.expect(Tok.LPAREN).pos;
          const args = !this.at(Tok.RPAREN) ? this.parseExpressionList(Tok.RPAREN) : [];
          const rparen = this.expect(Tok.RPAREN).pos;
          primary = { kind: "call", value: primary, args, lparen, rparen, start: primary.start, end: rparen + 1 };
          break;
        }
        case Tok.STRING:
        case Tok.LCURLY: {
          // Someone may be assigning a block to an attribute: parse it as a block to say so, or give up on
          // the statement if it is not one.
          if (this.at(Tok.STRING)) this.next();
          if (!this.expect(Tok.LCURLY).ok) {
            this.consumeStatement();
            return primary;
          }
          this.parseBody(Tok.RCURLY);
          const close = this.expect(Tok.RCURLY);
          if (!close.ok) {
            this.consumeStatement();
            return primary;
          }
          this.errorAt({ start: primary.start, end: close.pos + 1 }, "cannot use a block as an expression");
          break;
        }
        default:
          return primary;
      }
    }
  }

  private parsePrimary(): Expr {
    const pos = this.pos,
      end = this.end;
    switch (this.tok) {
      case Tok.IDENT: {
        const name = this.lit;
        this.next();
        return { kind: "identifier", name, start: pos, end };
      }
      case Tok.STRING:
      case Tok.NUMBER:
      case Tok.FLOAT:
      case Tok.BOOL:
      case Tok.NULL: {
        const tok = this.tok,
          value = this.lit;
        this.next();
        return { kind: "literal", tok, value, start: pos, end };
      }
      case Tok.LPAREN: {
        this.next();
        const inner = this.parseExpression();
        const rparen = this.expect(Tok.RPAREN).pos;
        return { kind: "paren", inner, lparen: pos, rparen, start: pos, end: rparen + 1 };
      }
      case Tok.LBRACK: {
        this.next();
        const elements = !this.at(Tok.RBRACK) ? this.parseExpressionList(Tok.RBRACK) : [];
        const rbrack = this.expect(Tok.RBRACK).pos;
        return { kind: "array", elements, lbrack: pos, rbrack, start: pos, end: rbrack + 1 };
      }
      case Tok.LCURLY: {
        this.next();
        // Alloy tests for `]` here (not `}`): `{]` then reports the missing `}`, not a missing field name.
        const fields = !this.at(Tok.RBRACK) ? this.parseFieldList(Tok.RCURLY) : [];
        const rcurly = this.expect(Tok.RCURLY).pos;
        return { kind: "object", fields, lcurly: pos, rcurly, start: pos, end: rcurly + 1 };
      }
      default:
        this.error(`expected expression, got ${tokenName(this.tok)}`);
        this.advanceAny(STATEMENT_END);
        return { kind: "bad", start: pos, end: Math.max(pos, this.prevEnd) };
    }
  }

  private parseExpressionList(until: Tok): Expr[] {
    const exprs: Expr[] = [];
    while (this.tok !== until && !this.at(Tok.EOF)) {
      exprs.push(this.parseExpression());
      if (this.tok === until) break;
      if (!this.at(Tok.COMMA)) this.error("missing ',' in expression list");
      this.next();
    }
    return exprs;
  }

  private parseFieldList(until: Tok): ObjectField[] {
    const fields: ObjectField[] = [];
    while (this.tok !== until && !this.at(Tok.EOF)) {
      fields.push(this.parseField());
      if (this.tok === until) break;
      if (!this.at(Tok.COMMA)) this.error("missing ',' in field list");
      this.next();
    }
    return fields;
  }

  private parseField(): ObjectField {
    const start = this.pos;
    let name: Ident = { name: "", start, end: start };
    let quoted = false;
    if (this.at(Tok.STRING) || this.at(Tok.IDENT)) {
      name = { name: this.lit, start, end: this.end };
      if (this.at(Tok.STRING) && this.lit.length > 2) {
        // Alloy keeps the key's text between the quotes as written (escapes are not processed).
        name.name = this.lit.slice(1, -1);
        quoted = true;
      }
      this.next();
    } else {
      this.error(`expected field name (string or identifier), got ${tokenName(this.tok)}`);
      this.advance(Tok.ASSIGN);
    }
    this.expect(Tok.ASSIGN);
    const value = this.parseExpression();
    return { kind: "field", name, quoted, value, start, end: value.end };
  }
}

function byteLength(s: string): number {
  return new TextEncoder().encode(s).length;
}

/** Parses Alloy source (text or UTF-8 bytes). Never throws; always returns a tree. */
export function parse(content: string | Uint8Array, name = "<input>"): ParseResult {
  const source = new SourceFile(name, content);
  const parser = new Parser(source);
  const file = parser.parseFile();
  return { file, source, diagnostics: parser.diagnostics };
}

/** Parses a single expression (as Alloy's ParseExpression does). */
export function parseExpression(content: string, name = "<expr>"): { expr: Expr; source: SourceFile; diagnostics: SyntaxDiagnostic[] } {
  const source = new SourceFile(name, content);
  const parser = new Parser(source);
  const expr = parser.parseStandaloneExpression();
  return { expr, source, diagnostics: parser.diagnostics };
}
