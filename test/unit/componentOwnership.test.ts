import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ComponentOwnership, UpdatePacer, type OwnershipView } from "../../runtime/src/node/componentOwnership";
import { HashRing } from "../../runtime/src/ring/hashRing";
import { stringKey } from "../../runtime/src/ring/keys";
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

  it("elects one leader for mimir.rules.kubernetes by its ID, ready or not, and keeps the leadership on a failed lookup", () => {
    const rules = { id: "mimir.rules.kubernetes.default", clustered: true, scrapeIntervalMs: 1000, targets: [{ id: "mimir.rules.kubernetes.default" }] };
    const leader = HashRing.build(["a", "b", "c"]).lookupKey(stringKey("mimir.rules.kubernetes.default"), 1)[0];
    const on = (self: string, over: Partial<OwnershipView> = {}): number =>
      new ComponentOwnership({ ...rules, keyStrategy: "leader" }).update(view({ self, ...over })).size;
    assert.deepEqual(
      ["a", "b", "c"].map((n) => on(n)),
      ["a", "b", "c"].map((n) => (n === leader ? 1 : 0)),
    );
    assert.equal(on(leader, { ready: false }), 1, "wait-for-size does not hold the election");
    const c = new ComponentOwnership({ ...rules, keyStrategy: "leader" });
    c.update(view({ self: leader }));
    assert.equal(c.update(view({ self: leader, participants: [] })).size, 1, "an empty ring: still the leader it was");
    assert.equal(new ComponentOwnership({ ...rules, keyStrategy: "leader" }).update(view({ participants: [] })).size, 0, "and not one it was not");
  });

  it("watches a namespace only where the ring puts it, and nothing while wait-for-size holds (kubernetes_events)", () => {
    const events = { id: "loki.source.kubernetes_events.e", clustered: true, scrapeIntervalMs: 1000, keyStrategy: "namespace" as const };
    const namespaces = ["", "default", "kube-system", "monitoring"].map((namespace) => ({ namespace }));
    const ring = HashRing.build(["a", "b", "c"]);
    const owned = ["a", "b", "c"].map((self) => new ComponentOwnership({ ...events, targets: namespaces }).update(view({ self })));
    assert.deepEqual(
      owned.map((o) => o.size),
      ["a", "b", "c"].map((n) => namespaces.filter((x) => ring.lookupKey(stringKey(x.namespace), 1)[0] === n).length),
    );
    assert.equal(new ComponentOwnership({ ...events, targets: namespaces }).update(view({ ready: false })).size, 0);
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
