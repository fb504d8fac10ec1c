import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ComponentOwnership, UpdatePacer, type OwnershipView } from "../../runtime/src/node/componentOwnership";
import { HashRing } from "../../runtime/src/ring/hashRing";
import { syntheticTargets } from "../support/syntheticTargets";

const TARGETS = syntheticTargets(60, 11);
const spec = { id: "prometheus.scrape.c", clustered: true, scrapeIntervalMs: 1000, targets: TARGETS, keyStrategy: "labels" as const };
const view = (over: Partial<OwnershipView> = {}): OwnershipView => ({
  self: "a",
  participants: ["a", "b", "c"],
  ready: true,
  clusterEnabled: true,
  stopping: false,
  ...over,
});

describe("what a node's component owns (pure)", () => {
  it("owns the ring's share among the participants it sees", () => {
    const c = new ComponentOwnership(spec);
    const ring = HashRing.build(["a", "b", "c"]);
    const expected = c.assignment.keys.filter((k) => ring.lookupKey(k, 1)[0] === "a");
    assert.deepEqual([...c.update(view())], expected);
    assert.equal(c.movedAway, 0);
  });

  it("keeps every target on an empty ring or alone, as Alloy's failed lookup does", () => {
    assert.equal(new ComponentOwnership(spec).update(view({ participants: [] })).size, TARGETS.length);
    assert.equal(new ComponentOwnership(spec).update(view({ participants: ["a"] })).size, TARGETS.length);
  });

  it("owns nothing while wait-for-size holds, and counts that as moved away (every target is remote then)", () => {
    const c = new ComponentOwnership(spec);
    const share = c.update(view()).size;
    assert.equal(c.update(view({ ready: false })).size, 0);
    assert.equal(c.movedAway, share);
  });

  it("owns nothing once stopping, without counting anything as moved", () => {
    const c = new ComponentOwnership(spec);
    c.update(view());
    assert.equal(c.update(view({ stopping: true })).size, 0);
    assert.equal(c.movedAway, 0);
  });

  it("owns everything when not clustered, or with clustering off", () => {
    assert.equal(new ComponentOwnership({ ...spec, clustered: false }).update(view()).size, TARGETS.length);
    assert.equal(new ComponentOwnership(spec).update(view({ clusterEnabled: false })).size, TARGETS.length);
  });
});

describe("the pace of ownership updates (simulated time)", () => {
  it("runs at once, or when the minimum interval since the last one is over", () => {
    const p = new UpdatePacer(1000);
    assert.equal(p.dueAt(5000), 5000);
    p.ran(5000);
    assert.equal(p.dueAt(5200), 6000);
    assert.equal(p.dueAt(7000), 7000);
    assert.equal(new UpdatePacer(0).dueAt(1), 1, "the fast profile: at once");
  });
});
