import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseExpression } from "../../../language-server/src/alloy/syntax";
import { evaluate } from "../../../language-server/src/alloy/values/staticValue";
import { argumentKind, conversionProblem, stringReadsAsNumber } from "../../../language-server/src/alloy/values/valueConversion";

const value = (text: string) => evaluate(parseExpression(text).expr);

describe("values as Alloy decodes them", () => {
  it("reads strings into numbers exactly as convertValue does", () => {
    // Unsigned without sign, signed with a leading '-', float64 when it has '.', 'e' or 'E'.
    for (const ok of ["10", "0", "18446744073709551615", "-1", "-9223372036854775808", "1.5", ".5", "5.", "1e3", "1E-3", "+1.5", "0x1.8p1"]) {
      assert.equal(stringReadsAsNumber(ok), true, ok);
    }
    // Empty; '+' without a float character; out of range; not a number; underscores (base 10).
    for (const bad of ["", "+10", "18446744073709551616", "-9223372036854775809", "ten", "1_000", "1e400", "Inf", "-inf", "1.5.2", " 10", "e5", "."]) {
      assert.equal(stringReadsAsNumber(bad), false, bad);
    }
  });

  it("converts numbers to strings, numeric strings to numbers, and nothing else", () => {
    assert.equal(conversionProblem(value('"10"'), "number"), undefined);
    assert.equal(conversionProblem(value('"-2"'), "number"), undefined);
    assert.equal(conversionProblem(value("10"), "string"), undefined);
    assert.equal(conversionProblem(value('"ten"'), "number"), 'got string "ten", which does not read as a number');
    assert.equal(conversionProblem(value("true"), "string"), "got bool");
    assert.equal(conversionProblem(value('"true"'), "bool"), 'got string "true"');
    assert.equal(conversionProblem(value("[1]"), "object"), "got array");
    assert.equal(conversionProblem(value("null"), "bool"), undefined);
  });

  it("decodes a duration from a string, so only the number 0 works", () => {
    assert.equal(conversionProblem(value("0"), "duration"), undefined);
    assert.match(conversionProblem(value("10"), "duration") ?? "", /^got number 10; a duration is a string with a unit, like "10s"$/);
    assert.equal(conversionProblem(value('"1m"'), "duration"), undefined);
  });

  it("evaluates constant expressions, and knows nothing of what only runs know", () => {
    assert.deepEqual(value('"a" + "b"'), { kind: "string", text: "ab" });
    assert.deepEqual(value('string.join(["a", "b"], "-")'), { kind: "string", text: "a-b" });
    assert.deepEqual(value('string.to_upper("x\\ty")'), { kind: "string", text: "X\tY" });
    assert.equal(conversionProblem(value('"1" + "0"'), "number"), undefined);
    assert.equal(conversionProblem(value('"a" + "b"'), "number"), 'got string "ab", which does not read as a number');
    assert.equal(value("1 + 2").kind, "number");
    assert.equal(value("1 < 2").kind, "bool");
    // A reference, sys.env, an unknown function: never an error.
    for (const e of ["prometheus.exporter.unix.h.targets", 'sys.env("X")', "coalesce(1, 2)", 'encoding.from_json("{}")', "argument.x.value"]) {
      assert.equal(conversionProblem(value(e), "number"), undefined, e);
    }
  });

  it("on a given host, knows its name and environment (as the lab evaluates a config for each node)", () => {
    const host = { hostname: "alloy-2", env: { HOSTNAME: "alloy-2", REGION: "eu" } };
    const on = (text: string) => evaluate(parseExpression(text).expr, host);
    assert.deepEqual(on("constants.hostname"), { kind: "string", text: "alloy-2" });
    assert.deepEqual(on('sys.env("HOSTNAME") + "/" + env("REGION")'), { kind: "string", text: "alloy-2/eu" });
    assert.deepEqual(on('sys.env("UNSET")'), { kind: "string", text: "" }, "Go's os.Getenv: an unset variable is empty");
    assert.deepEqual(value("constants.hostname"), { kind: "string" }, "without a host: some string");
  });

  it("maps the catalog's types to what they take", () => {
    assert.deepEqual(
      ["string", "secret", "duration", "int", "float64", "bool", "boolean", "list(string)", "map(string)", "capsule(otelcol.Handler)"].map(argumentKind),
      ["string", "string", "duration", "number", "number", "bool", "bool", "array", "object", undefined],
    );
  });
});
