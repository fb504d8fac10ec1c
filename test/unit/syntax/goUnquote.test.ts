import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { goQuote, goUnquote } from "../../../language-server/src/alloy/syntax";

describe("goUnquote", () => {
  it("reads Go's escapes, with \\x and octal escapes as UTF-8 bytes", () => {
    assert.equal(goUnquote('"plain é"'), "plain é");
    assert.equal(goUnquote('"a\\tb\\n\\"c\\"\\\\"'), 'a\tb\n"c"\\');
    assert.equal(goUnquote('"\\u00e9\\U0001F600"'), "é😀");
    assert.equal(goUnquote('"\\xc3\\xa9 \\303\\251"'), "é é");
    assert.equal(goUnquote("`raw \\n\r\nline`"), "raw \\n\nline");
    for (const bad of ['"\\q"', '"\\x4"', '"\\ud800"', '"open', "x"]) assert.equal(goUnquote(bad), undefined, bad);
  });

  it("undoes goQuote", () => {
    for (const s of ["", 'a"b\\c', "tab\tnew\nline", "\x01\x7f", "é😀"]) assert.equal(goUnquote(goQuote(s)), s);
  });
});
