import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MAX_NESTING, parse, parseExpression, type AttributeStmt, type BlockStmt } from "../../../language-server/src/alloy/syntax";
import { diagnosticsOf } from "./helpers";

describe("parser messages, at Alloy's positions", () => {
  const cases: [string, string, string[]][] = [
    ["expected X, got Y", "a = (1\n", ["1:7: expected ), got TERMINATOR"]],
    ["expected TERMINATOR", "a = 1 b = 2\n", ["1:7: expected TERMINATOR, got IDENT"]],
    ["dotted attribute name", "a.b = 1\n", ['1:1: attribute names may only consist of a single identifier with no "."']],
    ["labelled attribute", 'a "l" = 1\n', ["1:3: attribute names may not have labels"]],
    ["neither attribute nor block", 'a "" + 1\n', ["1:6: expected attribute assignment or block body, got +"]],
    ["a lone name wants a label first", "a\n", ["1:2: expected block label, got TERMINATOR", "2:1: expected attribute assignment or block body, got EOF"]],
    ["labelled name without body", 'a "l"\n', ["1:6: expected block body, got TERMINATOR"]],
    ["statement not an identifier", "1 = 2\n", ["1:1: expected identifier, got NUMBER"]],
    ["dotted name missing a part", "a. = 1\n", ["1:4: expected identifier, got ="]],
    ["raw string label", "a `l` {}\n", ['1:3: expected block label to be a double quoted string, but got "`l`"']],
    ["label not an identifier", 'a "x y" {}\n', ['1:3: expected block label to be a valid identifier, but got "x y"']],
    ["label of another kind", "a b {}\n", ["1:3: expected block label, got IDENT"]],
    ["block as an expression", 'a = b.c "l" {\n}\n', ["1:5: cannot use a block as an expression"]],
    ["missing expression", "a = )\n", ["1:5: expected expression, got )"]],
    ["missing comma in a list", "a = [1\n2]\n", ["1:7: missing ',' in expression list"]],
    ["missing comma in an object", "a = {b = 1\nc = 2}\n", ["1:11: missing ',' in field list"]],
    ["bad field name", "a = {1 = 2}\n", ["1:6: expected field name (string or identifier), got NUMBER"]],
    ["access needs an identifier", "a = b.true\n", ["1:7: expected IDENT, got BOOL"]],
    ["unclosed block", "a {\n", ["2:1: expected }, got EOF"]],
    ["`{]` reports the missing `}` (as Alloy does)", "a = {]\n", ["1:6: expected }, got ]"]],
  ];
  for (const [name, src, expected] of cases) it(name, () => assert.deepEqual(diagnosticsOf(src), expected));

  it("reports at most one parser error per line, but every scanner error", () => {
    assert.deepEqual(diagnosticsOf("a = ) ) )\n"), ["1:5: expected expression, got )"]);
    assert.deepEqual(diagnosticsOf("# x # y\n"), [
      "1:1: illegal character U+0023 '#'",
      "1:1: expected identifier, got ILLEGAL",
      "1:5: illegal character U+0023 '#'",
    ]);
  });
});

describe("parser tree", () => {
  it("parses blocks, labels, attributes and every expression form with byte offsets", () => {
    const src = 'prometheus.scrape "x" {\n\ttargets = [{"__address__" = "a:1"}]\n\tv = -a.b[0](1, 2) ^ 2 ^ 3 * (4 + 5) || !c && d >= 1.5\n}\n';
    const r = parse(src);
    assert.deepEqual(r.diagnostics, []);
    const block = r.file.body[0] as BlockStmt;
    assert.deepEqual([block.kind, block.name, block.label], ["block", ["prometheus", "scrape"], "x"]);
    assert.equal(src.slice(block.labelSpan!.start, block.labelSpan!.end), '"x"');
    assert.equal(block.end, src.indexOf("}\n", src.lastIndexOf("\n", src.length - 3)) + 1);
    const targets = block.body[0] as AttributeStmt;
    assert.equal(targets.value.kind, "array");
    const v = block.body[1] as AttributeStmt;
    // || is the loosest operator; ^ is right-associative and binds tighter than *.
    assert.equal(v.value.kind, "binary");
    if (v.value.kind !== "binary") return;
    assert.equal(src.slice(v.value.start, v.value.end), "-a.b[0](1, 2) ^ 2 ^ 3 * (4 + 5) || !c && d >= 1.5");
    const mul = v.value.left;
    assert.equal(mul.kind === "binary" && src.slice(mul.opPos, mul.opPos + 1), "*");
    if (mul.kind !== "binary" || mul.left.kind !== "binary") return assert.fail("expected ^ under *");
    const pow = mul.left;
    assert.equal(pow.right.kind, "binary"); // 2 ^ 3 grouped on the right
    assert.equal(pow.left.kind, "unary");
  });

  it("keeps quoted object keys as written between the quotes", () => {
    const r = parseExpression('{"a\\"b" = 1, c = 2, "" = 3}');
    assert.equal(r.expr.kind, "object");
    if (r.expr.kind !== "object") return;
    assert.deepEqual(
      r.expr.fields.map((f) => [f.name.name, f.quoted]),
      [
        ['a\\"b', true],
        ["c", false],
        ['""', false],
      ],
    );
  });

  it("returns a tree for broken input and marks the broken statements", () => {
    const r = parse("a = 1\nb = )\nc {\n\td = [1 2]\n}\ne = 3\n");
    assert.ok(r.diagnostics.length >= 2);
    const names = r.file.body.map((s) => (s.kind === "attribute" ? s.name.name : s.name.join(".")));
    assert.deepEqual(names, ["a", "b", "c", "e"]);
    assert.deepEqual(
      r.file.body.map((s) => s.broken === true),
      [false, true, true, false],
    );
  });

  it("stands in a bad node where an expression is missing, and keeps going", () => {
    const r = parse("a = )\nb = 2\n");
    const a = r.file.body[0] as AttributeStmt;
    assert.equal(a.value.kind, "bad");
    assert.equal(r.file.body.length, 2);
  });

  it("collects comments in groups as Alloy does", () => {
    const r = parse("// a\n// b\n\n// c\nx = 1 // d\n/* e */ y = 2\n");
    assert.deepEqual(
      r.file.comments.map((g) => g.map((c) => c.text)),
      [["// a", "// b"], ["// c"], ["// d", "/* e */"]],
    );
  });

  it(`stops at ${MAX_NESTING} levels of nesting with a diagnostic, then goes on`, () => {
    const deep = "[".repeat(10_000) + "]".repeat(10_000);
    const r = parse(`a = ${deep}\nb = 1\n`);
    assert.deepEqual(
      r.diagnostics.map((d) => d.message),
      [`nested more than ${MAX_NESTING} levels deep`],
    );
    assert.deepEqual(
      r.file.body.map((s) => s.kind === "attribute" && s.name.name),
      ["b"],
    );
    const ok = "[".repeat(MAX_NESTING - 1) + "]".repeat(MAX_NESTING - 1);
    assert.deepEqual(parse(`a = ${ok}\n`).diagnostics, []);
    for (const src of ["a {\n".repeat(5000), `a = ${"-".repeat(5000)}1\n`, `a = ${"1^".repeat(5000)}1\n`, `a = ${"(".repeat(5000)}`]) {
      assert.equal(parse(src).diagnostics[0].message, `nested more than ${MAX_NESTING} levels deep`);
    }
  });
});
