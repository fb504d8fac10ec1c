/**
 * The Alloy syntax tree. Every node carries byte offsets into its SourceFile: `start` (first byte) and `end`
 * (one past the last). Lines and columns are derived from the SourceFile when needed.
 */
import type { Tok } from "./token";

export interface Span {
  start: number;
  end: number;
}

export interface Ident extends Span {
  name: string;
}

export interface Comment extends Span {
  /** The comment's text, `//…` or `/*…*\/`, carriage returns removed. */
  text: string;
}

/**
 * Comments with no other token between them, each starting at most one line below the previous one's end.
 * Alloy's printer places a group as a whole.
 */
export type CommentGroup = Comment[];

export interface File extends Span {
  kind: "file";
  body: Stmt[];
  comments: CommentGroup[];
}

export type Stmt = AttributeStmt | BlockStmt;

export interface AttributeStmt extends Span {
  kind: "attribute";
  name: Ident;
  value: Expr;
  /** A syntax error was found inside this statement. */
  broken?: boolean;
}

export interface BlockStmt extends Span {
  kind: "block";
  /** The dotted name's parts: `prometheus.scrape` → ["prometheus", "scrape"]. */
  name: string[];
  nameSpan: Span;
  /** The label without quotes; "" when there is none. */
  label: string;
  /** Where the label's string literal is, when there is one. */
  labelSpan?: Span;
  lcurly: number;
  rcurly: number;
  body: Stmt[];
  broken?: boolean;
}

export type Expr = LiteralExpr | IdentifierExpr | ArrayExpr | ObjectExpr | AccessExpr | IndexExpr | CallExpr | UnaryExpr | BinaryExpr | ParenExpr | BadExpr;

export interface LiteralExpr extends Span {
  kind: "literal";
  tok: Tok.NUMBER | Tok.FLOAT | Tok.STRING | Tok.BOOL | Tok.NULL;
  /** The literal as written (strings keep their quotes and escapes). */
  value: string;
}

export interface IdentifierExpr extends Span {
  kind: "identifier";
  name: string;
}

export interface ArrayExpr extends Span {
  kind: "array";
  elements: Expr[];
  lbrack: number;
  rbrack: number;
}

export interface ObjectExpr extends Span {
  kind: "object";
  fields: ObjectField[];
  lcurly: number;
  rcurly: number;
}

export interface ObjectField extends Span {
  kind: "field";
  /** The key; for a quoted key, the text between the quotes, escapes unprocessed. */
  name: Ident;
  quoted: boolean;
  value: Expr;
}

export interface AccessExpr extends Span {
  kind: "access";
  value: Expr;
  name: Ident;
}

export interface IndexExpr extends Span {
  kind: "index";
  value: Expr;
  index: Expr;
  lbrack: number;
  rbrack: number;
}

export interface CallExpr extends Span {
  kind: "call";
  value: Expr;
  args: Expr[];
  lparen: number;
  rparen: number;
}

export interface UnaryExpr extends Span {
  kind: "unary";
  op: Tok.NOT | Tok.SUB;
  opPos: number;
  value: Expr;
}

export interface BinaryExpr extends Span {
  kind: "binary";
  op: Tok;
  opPos: number;
  left: Expr;
  right: Expr;
}

export interface ParenExpr extends Span {
  kind: "paren";
  inner: Expr;
  lparen: number;
  rparen: number;
}

/** Where an expression was expected but none could be parsed. */
export interface BadExpr extends Span {
  kind: "bad";
}
