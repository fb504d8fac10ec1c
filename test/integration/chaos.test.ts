import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runChaos } from "../chaos/chaosRun";

// The short form of `npm run chaos`: 5 seeded rounds on a 7-node lab with 500 targets. This seed's first five
// rounds do every action once — add, kill, restart, stop, partition — (the long form runs as many as asked).
describe("chaos: kills, stops, restarts, adds and partitions on a real lab", { timeout: 600_000 }, () => {
  it("keeps membership, single ownership by the ring, processes and the event log right after every round", async (t) => {
    const summary = await runChaos({ rounds: 5, seed: 20261221, nodes: 7, targets: 500, scrapeIntervalMs: 1000, log: (line) => t.diagnostic(line) });
    t.diagnostic(JSON.stringify(summary));
    assert.equal(summary.rounds, 5);
    assert.deepEqual(Object.keys(summary.actions).sort(), ["add", "kill", "partition", "restart", "stop"]);
    assert.deepEqual(summary.firstViolations, []);
    assert.equal(summary.violations, 0);
  });
});
