import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { soakLab, soakLanguageServer } from "../soak/soak";

// The short forms of `npm run soak` (a 32-node lab for 10 minutes; the server under edits for 2 minutes).
describe("resource limits over time", { timeout: 300_000 }, () => {
  it("a 6-node lab scraping 300 targets every second does not grow after warm-up (< 10 % per node)", async (t) => {
    const r = await soakLab({ nodes: 6, targets: 300, warmUpMs: 10_000, durationMs: 30_000, sampleMs: 1_000 });
    t.diagnostic(JSON.stringify(r));
    assert.ok(r.maxGrowth < r.maxGrowthTarget, JSON.stringify(r));
  });

  it("the language server with 200 open files under continuous edits stays under 150 MB", async (t) => {
    const r = await soakLanguageServer({ files: 200, durationMs: 15_000 });
    t.diagnostic(JSON.stringify(r));
    assert.ok(r.edits > 50, JSON.stringify(r));
    assert.ok(r.rssMbMax <= r.rssMbTarget, JSON.stringify(r));
  });
});
