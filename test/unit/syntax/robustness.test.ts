import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { format, parse } from "../../../language-server/src/syntax";
import { sampleConfigs } from "../../support/alloySamples";
import { seededRandom } from "../../support/syntheticTargets";

/**
 * Parses (and, when it parses, formats and re-parses) without throwing. Formatting settles after two passes:
 * like `alloy fmt`, a statement written over several lines but printed on one (`a =\n 1`) ends its run of
 * aligned lines on the first pass, and is aligned on the second.
 */
function exercise(bytes: Uint8Array): void {
  const r = parse(bytes);
  assert.ok(r.file.kind === "file");
  if (r.diagnostics.length > 0) return;
  const once = format(bytes);
  assert.ok(once.ok);
  if (!once.ok) return;
  const twice = format(once.text);
  assert.ok(twice.ok, "formatted output must parse");
  if (!twice.ok) return;
  const thrice = format(twice.text);
  assert.ok(thrice.ok && thrice.text === twice.text, "formatting must settle after two passes");
}

describe("the syntax library never throws and always terminates", { timeout: 120_000 }, () => {
  const rand = seededRandom(20261125);
  const samples = sampleConfigs();

  it("on random bytes", () => {
    for (let i = 0; i < 2000; i++) {
      const bytes = new Uint8Array(Math.floor(rand() * 200)).map(() => Math.floor(rand() * 256));
      exercise(bytes);
    }
  });

  it("on random text made of Alloy's own characters", () => {
    const alphabet = ' \t\n\r{}[]()=.,"`/*+-!<>|&^%#\'\\ab_1e9\u00e9\ufeff';
    for (let i = 0; i < 3000; i++) {
      const text = Array.from({ length: Math.floor(rand() * 120) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join("");
      exercise(new TextEncoder().encode(text));
    }
  });

  it("on configurations with characters deleted, inserted and swapped", () => {
    const noise = new TextEncoder().encode('{}[]()=,."`/*\n\\#');
    for (let i = 0; i < 3000; i++) {
      const { bytes } = samples[i % samples.length];
      const m = Array.from(bytes);
      for (let k = 1 + Math.floor(rand() * 4); k > 0; k--) {
        const at = Math.floor(rand() * (m.length + 1));
        const op = rand();
        if (op < 0.4) m.splice(at, 1);
        else if (op < 0.8) m.splice(at, 0, noise[Math.floor(rand() * noise.length)]);
        else m.splice(at, 2, ...m.slice(at, at + 2).reverse());
      }
      exercise(Uint8Array.from(m));
    }
  });

  it("on every sample as it is: it formats and stays a fixed point", () => {
    for (const { bytes } of samples) exercise(bytes);
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
