import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ringPicture } from "../../../extension/src/ring/ringPicture";
import type { LabState } from "../../../runtime/src/protocol/labState";
import { HashRing } from "../../../runtime/src/ring/hashRing";

const NAMES = ["alloy-0", "alloy-1", "alloy-2"];

/** Keys spread over the whole 64-bit range, as decimal strings (the lab's key format). */
function keys(n: number): bigint[] {
  let x = 0x9e3779b97f4a7c15n;
  return Array.from({ length: n }, () => (x = (x * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn));
}

function state(): LabState {
  const ring = HashRing.build(NAMES);
  return {
    source: { kind: "lab", profile: "fast" },
    converged: true,
    components: [],
    nodes: [...NAMES, "alloy-9"].map((name, i) => ({
      id: name,
      name,
      pid: i,
      addr: "",
      state: "participant",
      running: name !== "alloy-9",
      ready: true,
      peers: NAMES,
      samplesPerSecond: 0,
    })),
    targets: keys(500).map((k) => {
      const owner = ring.ownerOf(Number(k >> 32n), Number(k & 0xffffffffn)) ?? null;
      return { component: "c", clustered: true, key: k.toString(), labels: {}, owner, owners: owner ? [owner] : [] };
    }),
  };
}

describe("ring picture", () => {
  it("covers the circle once with the live participants' arcs, shares summing to 1", () => {
    const p = ringPicture(state());
    assert.deepEqual(
      p.nodes.map((n) => n.name),
      NAMES,
    );
    assert.ok(Math.abs(p.nodes.reduce((a, n) => a + n.ringShare, 0) - 1) < 1e-9);
    assert.equal(p.arcs[0].from, 0);
    assert.equal(p.arcs[p.arcs.length - 1].to, 1);
    for (let i = 1; i < p.arcs.length; i++) assert.equal(p.arcs[i].from, p.arcs[i - 1].to);
    assert.equal(
      p.nodes.reduce((a, n) => a + n.targets, 0),
      500,
    );
  });

  it("puts each target on the arc of the node Alloy's ring gives it", () => {
    const s = state();
    const p = ringPicture(s);
    for (const [i, dot] of p.dots.entries()) {
      const arc = p.arcs.find((a) => a.from <= dot.at && dot.at < a.to)!;
      assert.equal(p.nodes[arc.node].name, s.targets[i].owner, `target ${i}`);
    }
  });

  it("is empty without participants", () => {
    const s = state();
    for (const n of s.nodes) n.running = false;
    assert.deepEqual(ringPicture(s).arcs, []);
  });
});
