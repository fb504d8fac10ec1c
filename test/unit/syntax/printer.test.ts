import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { format } from "../../../language-server/src/alloy/syntax";

function fmt(src: string): string {
  const r = format(src);
  if (!r.ok) assert.fail(`syntax errors: ${r.diagnostics.map((d) => d.message).join("; ")}`);
  return r.text;
}

describe("formatting rules (alloy fmt)", () => {
  const rules: [string, string, string][] = [
    ["aligns `=` of consecutive one-line attributes; a blank line ends the run", "a=1\nlong_name=2\n\nc=3\n", "a         = 1\nlong_name = 2\n\nc = 3\n"],
    ["aligns trailing comments", "a = 1 // one\nlonger = 22 // two\n", "a      = 1  // one\nlonger = 22 // two\n"],
    ["keeps at most one blank line, none at the start or end", "\n\n\na = 1\n\n\n\nb = 2\n\n\n", "a = 1\n\nb = 2\n"],
    [
      "puts a blank line before a block that is not first, and writes empty blocks as `{ }`",
      'a = 1\nb {\nc = 1\n}\nd {}\ne "x" {\n\n}\n',
      'a = 1\n\nb {\n\tc = 1\n}\n\nd { }\n\ne "x" { }\n',
    ],
    ["no blank line before a block after a trailing comment", "a = 1 // trailing\nb {\n}\n", "a = 1 // trailing\nb { }\n"],
    ["one space around binary operators; multi-line expressions joined", "x = 1+2*3 -\n  4\n", "x = 1 + 2 * 3 - 4\n"],
    [
      "no space inside brackets; trailing comma only when the closer is on its own line",
      "x = [ 1 , 2 ]\ny = [\n1,\n2,\n]\nz = f( 1 )\n",
      "x = [1, 2]\ny = [\n\t1,\n\t2,\n]\nz = f(1)\n",
    ],
    ["indents with one tab per level", "b {\n    c {\n        d = 1\n    }\n}\n", "b {\n\tc {\n\t\td = 1\n\t}\n}\n"],
    ["aligns object fields and re-quotes quoted keys", 'o = {\n"a b" = 1,\nc = 2,\n"k" = 3,\n}\n', 'o = {\n\t"a b" = 1,\n\tc     = 2,\n\t"k"   = 3,\n}\n'],
    ["ends a run of aligned lines at a multi-line value", "a = 1\nbb = [\n1,\n]\nccc = 3\n", "a  = 1\nbb = [\n\t1,\n]\nccc = 3\n"],
    ["trims trailing white space and turns CRLF into LF", "a = 1   \r\nb = 2\t\r\n", "a = 1\nb = 2\n"],
    ["drops a byte order mark", "\ufeffa = 1\n", "a = 1\n"],
    ["keeps comments and re-indents them", "b {\n  // lead\n  x = 1\n      // after\n}\n", "b {\n\t// lead\n\tx = 1\n\t// after\n}\n"],
    ["keeps comments inside lists at the element's indentation", "a = [\n1, // c\n// own line\n2,\n]\n", "a = [\n\t1, // c\n\t// own line\n\t2,\n]\n"],
    ["keeps a block comment inline", 'a "b" { /* none */ }\n', 'a "b" { /* none */ }\n'],
    ["ends with exactly one newline", "a = 1", "a = 1\n"],
    ["writes an empty file as one newline", "", "\n"],
  ];
  for (const [rule, input, expected] of rules) it(rule, () => assert.equal(fmt(input), expected));

  it("differs from Alloy on purpose: keys with escapes stay as written (Alloy adds a backslash each run)", () => {
    assert.equal(fmt('a = {"a\\"b" = 1}\n'), 'a = {"a\\"b" = 1}\n');
  });

  it("differs from Alloy on purpose: a call with no arguments over two lines stays valid (Alloy writes `f(,`)", () => {
    assert.equal(fmt("f = g(\n)\n"), "f = g()\n");
  });

  it("differs from Alloy on purpose: tabs and formfeeds inside strings stay as written (found by the fuzzer)", () => {
    // Alloy's tabwriter pads the tab into spaces and breaks the line at the formfeed, which no longer parses.
    assert.equal(fmt('a = "x\ty"\nbb = "r\fs"\n'), 'a  = "x\ty"\nbb = "r\fs"\n');
    assert.equal(fmt("a = `raw\twith\ttabs`\n"), "a = `raw\twith\ttabs`\n");
  });

  it("keeps a formfeed inside a comment from joining the next line to it (found by the fuzzer)", () => {
    assert.equal(fmt("// a\fb.\nx = 1\n"), "// a\fb.\nx = 1\n");
  });

  it("moves a comment inside a dotted block name before the name, where it can't swallow the label (found by the fuzzer)", () => {
    const out = fmt('prometheus.// c\nscrape "x" {\n}\n');
    assert.equal(out, '// c\nprometheus.scrape "x" { }\n');
    assert.equal(fmt(out), out);
  });

  it("is idempotent", () => {
    const src =
      'logging {\n level = "info" // why\n}\n\nprometheus.scrape "x" {\n targets = [{"__address__" = "a:1", job = "j"}]\n forward_to = [\n  prometheus.remote_write.x.receiver,\n ]\n}\n';
    const once = fmt(src);
    assert.equal(fmt(once), once);
  });

  it("refuses to format a file with syntax errors and says why", () => {
    const r = format("a = [1\n");
    assert.equal(r.ok, false);
    if (!r.ok)
      assert.deepEqual(
        r.diagnostics.map((d) => [r.source.position(d.start).line, r.source.position(d.start).column, d.message]),
        [
          [1, 7, "missing ',' in expression list"],
          [2, 1, "expected ], got EOF"],
        ],
      );
  });
});
