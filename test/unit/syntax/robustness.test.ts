import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "../../../language-server/src/alloy/syntax";
import { sampleConfigs } from "../../support/alloySamples";
import { checkRoundTrip, fuzzSyntax } from "../../fuzz/syntaxFuzz";

describe("the syntax library never throws and always terminates", { timeout: 120_000 }, () => {
  it("on 20,000 generated and mutated inputs: no throw, no hang, formatted output re-parses and is a fixed point (npm run fuzz runs 1,000,000)", () => {
    const r = fuzzSyntax(20_000, 20261201);
    assert.deepEqual(r.failures, []);
    assert.equal(r.inputs, 20_000);
    assert.ok(r.parsed > 1000, `the printer saw ${r.parsed} inputs that parse`);
  });

  const samples = sampleConfigs();

  it("on every sample as it is: it formats and stays a fixed point", () => {
    for (const { name, bytes } of samples) {
      const r = checkRoundTrip(bytes);
      assert.equal(r.failure, undefined, name);
    }
  });

  it("on a 10 MB configuration", () => {
    const unit = new TextDecoder().decode(samples[0].bytes);
    const big = unit.repeat(Math.ceil((10 * 1024 * 1024) / unit.length));
    const r = parse(big);
    assert.ok(r.file.body.length > 1000);
    const unterminated = parse(`a = "${"x".repeat(10 * 1024 * 1024)}`);
    assert.equal(unterminated.diagnostics[0].message, "string literal not terminated");
  });
});
