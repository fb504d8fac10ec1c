/** Alloy's tokens, their printed names (as Alloy's messages spell them) and operator precedence. */

export const enum Tok {
  ILLEGAL,
  EOF,
  COMMENT,
  TERMINATOR,
  IDENT,
  NUMBER,
  FLOAT,
  STRING,
  BOOL,
  NULL,
  OR, // ||
  AND, // &&
  NOT, // !
  ASSIGN, // =
  EQ, // ==
  NEQ, // !=
  LT, // <
  LTE, // <=
  GT, // >
  GTE, // >=
  ADD, // +
  SUB, // -
  MUL, // *
  DIV, // /
  MOD, // %
  POW, // ^
  LCURLY, // {
  RCURLY, // }
  LPAREN, // (
  RPAREN, // )
  LBRACK, // [
  RBRACK, // ]
  COMMA, // ,
  DOT, // .
}

const NAMES: readonly string[] = [
  "ILLEGAL",
  "EOF",
  "COMMENT",
  "TERMINATOR",
  "IDENT",
  "NUMBER",
  "FLOAT",
  "STRING",
  "BOOL",
  "NULL",
  "||",
  "&&",
  "!",
  "=",
  "==",
  "!=",
  "<",
  "<=",
  ">",
  ">=",
  "+",
  "-",
  "*",
  "/",
  "%",
  "^",
  "{",
  "}",
  "(",
  ")",
  "[",
  "]",
  ",",
  ".",
];

/** The token as Alloy names it in messages: a kind name, or the operator's text. */
export function tokenName(t: Tok): string {
  return NAMES[t];
}

/** Binary operator precedence, 0 for tokens that are not binary operators. `^` is handled apart (right-assoc). */
export function binaryPrecedence(t: Tok): number {
  switch (t) {
    case Tok.OR:
      return 1;
    case Tok.AND:
      return 2;
    case Tok.EQ:
    case Tok.NEQ:
    case Tok.LT:
    case Tok.LTE:
    case Tok.GT:
    case Tok.GTE:
      return 3;
    case Tok.ADD:
    case Tok.SUB:
      return 4;
    case Tok.MUL:
    case Tok.DIV:
    case Tok.MOD:
      return 5;
    case Tok.POW:
      return 6;
    default:
      return 0;
  }
}
