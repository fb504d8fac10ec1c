import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SourceFile } from "../../../language-server/src/alloy/syntax";
import { Scanner } from "../../../language-server/src/alloy/syntax/scanner";
import { Tok, tokenName } from "../../../language-server/src/alloy/syntax/token";
import { diagnosticsOf } from "./helpers";

/** Tokens of `src` as NAME or NAME(text). */
function tokens(src: string): string[] {
  const s = new Scanner(new SourceFile("t", src), () => {});
  const out: string[] = [];
  for (;;) {
    s.scan();
    if (s.tok === Tok.EOF) return out;
    const withText = [Tok.IDENT, Tok.NUMBER, Tok.FLOAT, Tok.STRING, Tok.BOOL, Tok.NULL, Tok.COMMENT, Tok.ILLEGAL].includes(s.tok);
    out.push(withText ? `${tokenName(s.tok)}(${s.lit})` : tokenName(s.tok));
  }
}

describe("scanner messages, at Alloy's positions (line:byte column)", () => {
  const cases: [string, string | Uint8Array, string[]][] = [
    ["NUL", "a = 1\x00\n", ["1:6: illegal character NUL", "1:6: illegal character U+0000", "1:6: expected TERMINATOR, got ILLEGAL"]],
    ["invalid UTF-8", Uint8Array.from([0x61, 0x20, 0x3d, 0x20, 0x22, 0xff, 0x22, 0x0a]), ["1:6: illegal UTF-8 encoding"]],
    ["BOM after the start", "a = 1\n\ufeffb = 2\n", ["2:1: illegal byte order mark", "2:1: expected identifier, got ILLEGAL"]],
    ["single quotes", "a = 'x'\n", ["1:5: illegal single-quoted string; use double quotes", "1:5: expected expression, got ILLEGAL"]],
    ["lone |", "a = b | c\n", ["1:8: missing second | in ||"]],
    ["lone &", "a = b & c\n", ["1:8: missing second & in &&"]],
    ["#", "a = 1 # c\n", ["1:7: illegal character U+0023 '#'", "1:7: expected TERMINATOR, got ILLEGAL"]],
    ["non-printable", "a = \x01\n", ["1:5: illegal character U+0001", "1:5: expected expression, got ILLEGAL"]],
    ["multi-byte column", "é = ’\n", ["1:6: illegal character U+2019 '’'", "1:6: expected expression, got ILLEGAL"]],
    ["exponent", "a = 1e\n", ["1:5: exponent has no digits"]],
    ["signed exponent", "a = 1.5e+\n", ["1:5: exponent has no digits"]],
    ["unterminated string", 'a = "abc\nb = 1\n', ["1:5: string literal not terminated"]],
    ["unterminated raw string", "a = `abc\n", ["1:5: string literal not terminated"]],
    ["unknown escape", 'a = "\\q"\n', ["1:7: unknown escape sequence"]],
    ["\\' is not an escape", 'a = "\\\'"\n', ["1:7: unknown escape sequence"]],
    ["escape at EOF", 'a = "\\', ["1:7: escape sequence not terminated", "1:5: string literal not terminated"]],
    ["bad hex escape", 'a = "\\xZZ"\n', ["1:7: illegal character U+005A 'Z' in escape sequence"]],
    ["surrogate escape", 'a = "\\uD800"\n', ["1:7: escape sequence is invalid Unicode code point"]],
    ["escape past U+10FFFF", 'a = "\\U00110000"\n', ["1:7: escape sequence is invalid Unicode code point"]],
    ["octal past 255", 'a = "\\400"\n', ["1:7: escape sequence is invalid Unicode code point"]],
    ["block comment", "a = 1 /* no end\n", ["1:7: block comment not terminated"]],
  ];
  for (const [name, src, expected] of cases) it(name, () => assert.deepEqual(diagnosticsOf(src), expected));

  it("accepts every valid escape and a BOM at the start", () => {
    assert.deepEqual(diagnosticsOf('\ufeffa = "\\a\\b\\f\\n\\r\\t\\v\\\\\\"\\101\\x41\\u00e9\\U0001F600"\n'), []);
  });
});

describe("scanner tokens and automatic terminators", () => {
  it("inserts a terminator after IDENT, literals and closers at a newline and at EOF", () => {
    assert.deepEqual(tokens("a = 1\nb = x"), ["IDENT(a)", "=", "NUMBER(1)", "TERMINATOR", "IDENT(b)", "=", "IDENT(x)", "TERMINATOR"]);
    assert.deepEqual(tokens("f(\n)\n"), ["IDENT(f)", "(", ")", "TERMINATOR"]);
    assert.deepEqual(tokens("[1,\n]\n"), ["[", "NUMBER(1)", ",", "]", "TERMINATOR"]);
  });

  it("puts the terminator before a line comment, and treats a block comment with a newline as one", () => {
    assert.deepEqual(tokens("a = 1 // c\n"), ["IDENT(a)", "=", "NUMBER(1)", "TERMINATOR", "COMMENT(// c)"]);
    assert.deepEqual(tokens("a = 1 /* x\ny */ b"), ["IDENT(a)", "=", "NUMBER(1)", "TERMINATOR", "COMMENT(/* x\ny */)", "IDENT(b)", "TERMINATOR"]);
    assert.deepEqual(tokens("a = 1 /* x */ + 2\n"), ["IDENT(a)", "=", "NUMBER(1)", "COMMENT(/* x */)", "+", "NUMBER(2)", "TERMINATOR"]);
  });

  it("scans numbers, floats, keywords, operators and Unicode identifiers", () => {
    assert.deepEqual(tokens("x1 = .5 + 1. - 2e3 * 4E-2"), [
      "IDENT(x1)",
      "=",
      "FLOAT(.5)",
      "+",
      "FLOAT(1.)",
      "-",
      "FLOAT(2e3)",
      "*",
      "FLOAT(4E-2)",
      "TERMINATOR",
    ]);
    assert.deepEqual(tokens("true false null truex"), ["BOOL(true)", "BOOL(false)", "NULL(null)", "IDENT(truex)", "TERMINATOR"]);
    assert.deepEqual(tokens("|| && ! == != < <= > >= % ^ /"), ["||", "&&", "!", "==", "!=", "<", "<=", ">", ">=", "%", "^", "/"]);
    assert.deepEqual(tokens("ñandú_٣ = 1"), ["IDENT(ñandú_٣)", "=", "NUMBER(1)", "TERMINATOR"]);
  });

  it("keeps raw strings over several lines and drops carriage returns from comments", () => {
    assert.deepEqual(tokens("a = `x\ny`"), ["IDENT(a)", "=", "STRING(`x\ny`)", "TERMINATOR"]);
    assert.deepEqual(tokens("// c\r\na"), ["COMMENT(// c)", "IDENT(a)", "TERMINATOR"]);
  });
});
