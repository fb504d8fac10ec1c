import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { clusteringLenses } from "../../../extension/src/views/clusteringLens";
import { clusterTree, eventsTree, statusText, targetsTree } from "../../../extension/src/views/labTreeModel";
import type { LabEvent } from "../../../runtime/src/protocol/labEvents";
import type { LabState } from "../../../runtime/src/protocol/labState";

function state(): LabState {
  const t = (key: string, owners: string[]) => ({
    component: "prometheus.scrape.pods",
    clustered: true,
    key,
    labels: { __address__: `10.0.0.${key}:80`, job: "pods" },
    owner: owners.length === 1 ? owners[0] : null,
    owners,
  });
  return {
    source: { kind: "lab", profile: "fast" },
    converged: false,
    components: [{ id: "prometheus.scrape.pods", clustered: true, scrapeIntervalMs: 5000, targetSource: "simulated", targets: 4 }],
    nodes: [
      {
        id: "alloy-0",
        name: "alloy-0",
        pid: 1,
        addr: "127.0.0.1:1",
        state: "participant",
        running: true,
        ready: true,
        peers: ["alloy-0", "alloy-1"],
        samplesPerSecond: 1234,
        lamport: 7,
      },
      {
        id: "alloy-1",
        name: "alloy-1",
        pid: 2,
        addr: "127.0.0.1:2",
        state: "participant",
        running: true,
        ready: true,
        peers: ["alloy-0", "alloy-1"],
        samplesPerSecond: 10,
      },
      {
        id: "alloy-2",
        name: "alloy-2",
        pid: 3,
        addr: "127.0.0.1:3",
        state: "participant",
        running: true,
        ready: true,
        peers: ["alloy-2"],
        samplesPerSecond: 0,
      },
      { id: "alloy-3", name: "alloy-3", pid: null, addr: "127.0.0.1:4", state: "participant", running: false, ready: false, peers: [], samplesPerSecond: 0 },
    ],
    targets: [t("1", ["alloy-0"]), t("2", ["alloy-0"]), t("3", ["alloy-1", "alloy-2"]), t("4", ["alloy-2"])],
  };
}

describe("lab views as trees", () => {
  it("shows each node with its share, and marks a split brain and the dead", () => {
    const nodes = clusterTree(state());
    assert.deepEqual(
      nodes.map((n) => [n.label, n.description, n.icon, n.contextValue]),
      [
        ["alloy-0", "2 targets · 50.0 % · 1.2k samples/s", "pass-filled", "labNode.running"],
        ["alloy-1", "1 target · 25.0 % · 10 samples/s", "pass-filled", "labNode.running"],
        ["alloy-2", "2 targets · 50.0 % · 0 samples/s · split view", "warning", "labNode.running"],
        ["alloy-3", "dead", "error", "labNode.dead"],
      ],
    );
    assert.deepEqual(nodes[0].children!.map((c) => [c.label, c.description]).slice(0, 3), [
      ["address", "127.0.0.1:1"],
      ["state", "participant"],
      ["Lamport time", "7"],
    ]);
    const owns = nodes[0].children!.find((c) => c.label === "owns")!;
    assert.deepEqual(
      owns.children!.map((c) => c.label),
      ["10.0.0.1:80", "10.0.0.2:80"],
    );
  });

  it("groups targets by owner (several nodes, nobody) or by component, with moved and duplicate badges", () => {
    const events: LabEvent[] = [
      {
        kind: "rebalance",
        at: 1,
        cause: "alloy-2 joined",
        participants: [],
        moved: [{ key: "4", from: "alloy-0", to: "alloy-2" }],
        movedCount: 1,
        totalTargets: 4,
        movedFraction: 0.25,
        idealFraction: 0.33,
      },
      { kind: "duplicate", at: Date.now(), component: "prometheus.scrape.pods", key: "3", nodes: ["alloy-1", "alloy-2"] },
    ];
    const byOwner = targetsTree(state(), "owner", events);
    assert.deepEqual(
      byOwner.map((g) => [g.label, g.description]),
      [
        ["(several nodes)", "1 target"],
        ["alloy-0", "2 targets"],
        ["alloy-2", "1 target"],
      ],
    );
    assert.equal(byOwner[0].children![0].description, "pods · duplicate");
    assert.equal(byOwner[2].children![0].description, "pods · moved");
    assert.deepEqual(
      targetsTree(state(), "component", events).map((g) => g.label),
      ["prometheus.scrape.pods"],
    );
  });

  it("lists events newest first, a rebalance with what moved from whom to whom", () => {
    const events: LabEvent[] = [
      { kind: "node-started", at: 1, name: "alloy-3", pid: 9, addr: "x" },
      {
        kind: "rebalance",
        at: 2,
        cause: "alloy-3 joined",
        participants: ["a", "b", "c", "alloy-3"],
        moved: [{ key: "7", from: "a", to: "alloy-3" }],
        movedCount: 24,
        totalTargets: 100,
        movedFraction: 0.24,
        idealFraction: 0.25,
      },
    ];
    const tree = eventsTree(events);
    assert.equal(tree[0].label, "alloy-3 joined — 24 of 100 targets moved (ideal 1/4 = 25)");
    assert.deepEqual(
      tree[0].children!.map((c) => [c.label, c.description]),
      [["7", "a → alloy-3"]],
    );
    assert.equal(tree[1].label, "alloy-3 started (pid 9, x)");
  });

  it("marks two processes running under one name (each takes that name's whole share)", () => {
    const s = state();
    s.nodes.push({ ...s.nodes[0], id: "alloy-0#2", pid: 9 });
    const rows = clusterTree(s).filter((n) => n.label.startsWith("alloy-0"));
    assert.deepEqual(
      rows.map((r) => [r.label, r.icon, r.description?.endsWith("name alloy-0 used twice")]),
      [
        ["alloy-0", "warning", true],
        ["alloy-0#2", "warning", true],
      ],
    );
  });

  it("marks a node its peers suspect", () => {
    const s = state();
    s.nodes[1] = { ...s.nodes[1], suspectedBy: ["alloy-0"] };
    const node = clusterTree(s)[1];
    assert.deepEqual([node.description, node.icon], ["1 target · 25.0 % · 10 samples/s · suspect", "question"]);
    assert.equal(node.children!.find((c) => c.label === "state")!.description, "suspect (by alloy-0)");
  });

  it("shows an attached cluster read-only: no lab actions, no scrape rates, nodes it could not reach", () => {
    const attached: LabState = { ...state(), source: { kind: "attached", url: "http://127.0.0.1:1" } };
    attached.nodes = attached.nodes.slice(0, 3).map((n, i) => ({ ...n, pid: null, samplesPerSecond: 0, reachable: i !== 1 }));
    assert.deepEqual(
      clusterTree(attached).map((n) => [n.label, n.description, n.contextValue]),
      [
        ["alloy-0", "2 targets · 50.0 %", "attachedNode"],
        ["alloy-1", "1 target · 25.0 % · view assumed (not reachable)", "attachedNode"],
        ["alloy-2", "2 targets · 50.0 % · split view", "attachedNode"],
      ],
    );
    assert.equal(statusText(attached), "Attached: 3/3 · not converged");
    // What the nodes say they scrape, where it is not the ring's answer.
    attached.targets = attached.targets.map((t, i) => ({ ...t, scrapedBy: i === 0 ? ["alloy-1"] : [...t.owners].sort() }));
    const rows = targetsTree(attached, "component", []).flatMap((g) => g.children ?? []);
    assert.deepEqual(
      rows.map((r) => [r.description, r.icon]),
      [
        ["alloy-0 · scraped by alloy-1", "warning"],
        ["alloy-0", "circle-small-filled"],
        ["alloy-1 + alloy-2", "circle-small-filled"],
        ["alloy-2", "circle-small-filled"],
      ],
    );
  });

  it("says in the status bar how the lab is doing", () => {
    assert.equal(statusText(undefined), "Lab: off");
    assert.equal(statusText(state()), "Lab: 3/4 · not converged");
    const waiting = state();
    waiting.nodes[0].ready = false;
    waiting.nodes[0].state = "viewer";
    assert.equal(statusText(waiting), "Lab: 3/4 · waiting for size 2/3");
  });
});

describe("clustering CodeLens", () => {
  it("says how the live nodes split each clustered component the lab runs, at its clustering block", () => {
    const text = `prometheus.scrape "pods" {\n  targets    = []\n  forward_to = []\n\n  clustering {\n    enabled = true\n  }\n}\n\nprometheus.scrape "other" {\n  clustering {\n    enabled = true\n  }\n}\n\nprometheus.scrape "off" {\n  clustering {\n    enabled = false\n  }\n}\n`;
    const s = state();
    s.components.push({ id: "prometheus.scrape.off", clustered: false, scrapeIntervalMs: 5000, targetSource: "simulated", targets: 0 });
    assert.deepEqual(clusteringLenses(text, s), [{ line: 4, character: 2, component: "prometheus.scrape.pods", title: "3 nodes · owns 2 / 1 / 2 targets" }]);
  });

  it("counts targets nobody owns, and still works on a file with a syntax error", () => {
    const s = state();
    s.targets.push({ ...s.targets[0], key: "5", owner: null, owners: [] });
    const lenses = clusteringLenses(`prometheus.scrape "pods" {\n\tclustering { enabled = true }\n}\n\nbroken = (`, s);
    assert.equal(lenses[0].title, "3 nodes · owns 2 / 1 / 2 targets · 1 unowned");
  });
});
