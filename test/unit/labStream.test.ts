import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { LabState } from "../../runtime/src/protocol/labState";
import { applyLabStateUpdate, diffLabState } from "../../runtime/src/protocol/labStream";

function state(owners: string[][], scrapedAt: number[] = []): LabState {
  return {
    source: { kind: "lab", profile: "fast" },
    converged: owners.every((o) => o.length === 1),
    components: [{ id: "c", clustered: true, scrapeIntervalMs: 1000, targetSource: "simulated", targets: owners.length }],
    nodes: [{ id: "a", name: "a", pid: 1, addr: "127.0.0.1:1", state: "participant", running: true, ready: true, peers: ["a", "b"], samplesPerSecond: 5 }],
    targets: owners.map((o, i) => ({
      component: "c",
      clustered: true,
      key: String(i),
      labels: { i: String(i) },
      owner: o.length === 1 ? o[0] : null,
      owners: o,
      lastScrape: scrapedAt[i] === undefined ? undefined : { node: o[0], at: scrapedAt[i] },
    })),
  };
}

describe("the pushed state stream", () => {
  it("sends nothing when nothing changed", () => {
    assert.equal(diffLabState(state([["a"], ["b"]]), state([["a"], ["b"]])), undefined);
  });

  it("sends only the targets whose owners or last scrape changed, and applying it gives the new state", () => {
    const before = state([["a"], ["b"], ["a"]], [1, 1, 1]);
    const after = state([["a"], ["a", "b"], ["a"]], [1, 1, 2]);
    const update = diffLabState(before, after)!;
    assert.equal(update.targets, undefined);
    assert.deepEqual(
      update.changed?.map((c) => c.index),
      [1, 2],
    );
    assert.deepEqual(applyLabStateUpdate(before, update), after);
  });

  it("sends the whole target list when the targets themselves changed", () => {
    const before = state([["a"]]);
    const after = state([["a"], ["b"]]);
    const update = diffLabState(before, after)!;
    assert.equal(update.targets?.length, 2);
    assert.deepEqual(applyLabStateUpdate(before, update), after);
  });

  it("sends the nodes when only a node changed", () => {
    const before = state([["a"]]);
    const after = state([["a"]]);
    after.nodes[0].samplesPerSecond = 9;
    const update = diffLabState(before, after)!;
    assert.equal(update.changed, undefined);
    assert.deepEqual(applyLabStateUpdate(before, update), after);
  });
});
