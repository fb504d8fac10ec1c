import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { REQUIRED_RATE, runConformance } from "../../conformance/alloyConformance";
import { CONFORMANCE_DIR, hasConformance } from "../../support/alloySamples";

describe("conformance with Alloy's own parser and printer results", { skip: hasConformance() ? false : `no ${CONFORMANCE_DIR}` }, () => {
  const results = hasConformance() ? runConformance(CONFORMANCE_DIR) : [];
  for (const r of results) {
    it(`${r.group}: at least ${REQUIRED_RATE[r.group] * 100} % (every exclusion explained)`, () => {
      assert.ok(r.total > 0);
      for (const e of r.excluded) assert.ok(e.why.length > 20, `exclusion of ${e.name} needs a reason`);
      const rate = r.passed / r.total;
      assert.ok(rate >= REQUIRED_RATE[r.group], `${r.passed}/${r.total}; first mismatch: ${JSON.stringify(r.mismatches[0] ?? null).slice(0, 2000)}`);
    });
  }
});
