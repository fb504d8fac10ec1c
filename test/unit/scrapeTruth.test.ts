import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AlloyPeer, ClusteredComponentArguments } from "../../runtime/src/alloyApi/alloyWebApi";
import { AttachedCluster, type ClusterSnapshot, type NodeComponents } from "../../runtime/src/alloyApi/attachedCluster";
import { describeFinding, scrapeFindings } from "../../runtime/src/alloyApi/scrapeTruth";
import { scrapeTargetStatus } from "../../runtime/src/node/scrapeStatus";
import { computeOwnership } from "../../runtime/src/ownership/targetOwnership";
import { HashRing } from "../../runtime/src/ring/hashRing";
import { targetKey, type TargetLabels } from "../../runtime/src/ring/keys";

const NAMES = ["alloy-0", "alloy-1", "alloy-2"];
const peers = (self: string): AlloyPeer[] => NAMES.map((name, i) => ({ name, addr: `10.1.0.${i}:12345`, isSelf: name === self, state: "participant" }));
const ADDRESSES = Array.from({ length: 12 }, (_, i) => `10.0.0.${i}:9100`);
const component = (targets: TargetLabels[]): ClusteredComponentArguments => ({ id: "prometheus.scrape.pods", clustered: true, targets });
const ring = HashRing.build(NAMES);
const ownerOf = (t: TargetLabels): string => ring.lookupKey(targetKey(t).toString(), 1)[0];

/** Each node's arguments and what it scrapes: the targets of its own list that the ring gives it (as Alloy). */
function snapshot(listOf: (node: string) => TargetLabels[], scrapes: (node: string, own: TargetLabels[]) => TargetLabels[]): ClusterSnapshot {
  const perNode = new Map<string, NodeComponents>();
  for (const n of NAMES) {
    const own = listOf(n);
    const c = component(own);
    perNode.set(n, {
      components: [c],
      scraping: new Map([[c.id, scrapes(n, own).map((t) => scrapeTargetStatus(c.id, t, { at: 0, ok: true, durationMs: 1 }))]]),
    });
  }
  return {
    url: "http://10.1.0.0:12345",
    peers: peers("alloy-0"),
    views: new Map(NAMES.map((n) => [n, peers(n)])),
    components: [component(listOf("alloy-0"))],
    perNode,
  };
}

describe("what an attached cluster really scrapes, against the ring", () => {
  it("finds nothing when every node scrapes what the ring gives it", () => {
    const list = ADDRESSES.map((a) => ({ __address__: a }));
    const { state } = new AttachedCluster().update(
      snapshot(
        () => list,
        (n, own) => own.filter((t) => ownerOf(t) === n),
      ),
      1,
    );
    assert.ok(state.targets.every((t) => t.scrapedBy?.length === 1 && t.scrapedBy[0] === t.owner));
    assert.deepEqual(scrapeFindings(state), []);
  });

  it("names the label that differs between nodes when each has its own version of the targets (the host name)", () => {
    // As `constants.hostname` in a target's labels does: each node shards keys no other node has.
    const listOf = (node: string): TargetLabels[] => ADDRESSES.map((a) => ({ __address__: a, collector: node }));
    const { state } = new AttachedCluster().update(
      snapshot(listOf, (n, own) => own.filter((t) => ownerOf(t) === n)),
      1,
    );
    assert.equal(state.targets.length, ADDRESSES.length * NAMES.length, "three versions of each target");
    const findings = scrapeFindings(state);
    assert.ok(findings.length > 0);
    for (const f of findings) {
      assert.deepEqual(f.differingLabels, ["collector"]);
      assert.ok(f.kind === "scraped-by-none" || f.kind === "scraped-by-several", f.kind);
    }
    // Every address is accounted for: scraped once, as the ring would have it, only by chance.
    const byAddress = new Map(findings.map((f) => [f.target, f]));
    for (const a of ADDRESSES) {
      const scrapers = NAMES.filter((n) => ownerOf({ __address__: a, collector: n }) === n);
      if (scrapers.length !== 1) assert.deepEqual(byAddress.get(a)?.scrapedBy, scrapers);
    }
    assert.match(describeFinding(findings[0]), /labels differ between nodes: collector$/);
  });

  it("flags a target scraped by a node the ring did not choose", () => {
    const list = ADDRESSES.map((a) => ({ __address__: a }));
    const moved = list[0];
    const wrong = NAMES.find((n) => n !== ownerOf(moved))!;
    const { state } = new AttachedCluster().update(
      snapshot(
        () => list,
        (n, own) => own.filter((t) => (t === moved ? n === wrong : ownerOf(t) === n)),
      ),
      1,
    );
    assert.deepEqual(
      scrapeFindings(state).map((f) => [f.target, f.kind, f.scrapedBy, f.ringOwners, f.differingLabels]),
      [[moved.__address__, "scraped-by-unchosen", [wrong], [ownerOf(moved)], []]],
    );
  });

  it("hashes each component's own key: loki.source.kubernetes its pod labels, prometheus.scrape all non-meta labels", () => {
    const target = { __meta_kubernetes_namespace: "ns", __meta_kubernetes_pod_name: "p", __meta_kubernetes_pod_container_name: "c", team: "x" };
    const snap: ClusterSnapshot = {
      url: "http://10.1.0.0:12345",
      peers: peers("alloy-0"),
      views: new Map(NAMES.map((n) => [n, peers(n)])),
      components: [
        { id: "loki.source.kubernetes.pods", clustered: true, targets: [target] },
        { id: "prometheus.scrape.pods", clustered: true, targets: [target] },
      ],
    };
    const { state } = new AttachedCluster().update(snap, 1);
    const keyOf = (keyStrategy: "kubetail" | "labels") => computeOwnership({ nodes: NAMES, targets: [target], keyStrategy, numOwners: 1 }).targets[0].key;
    assert.deepEqual(
      state.targets.map((t) => [t.component, t.key]),
      [
        ["loki.source.kubernetes.pods", keyOf("kubetail")],
        ["prometheus.scrape.pods", keyOf("labels")],
      ],
    );
    assert.notEqual(keyOf("kubetail"), keyOf("labels"));
  });
});
