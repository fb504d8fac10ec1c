import assert from "node:assert/strict";
import net from "node:net";
import { describe, it } from "node:test";
import { clusteredComponent, convergedWith, expectedOwners, newLab, shutDownAfterSuite } from "../support/lab";
import { syntheticTargets } from "../support/syntheticTargets";
import { until } from "../support/until";
import { ownedKeysByNode } from "../../runtime/src/protocol/labState";

describe("a real lab of node processes (fast profile)", { timeout: 120_000 }, () => {
  const track = shutDownAfterSuite();

  it("counts prometheus_scrape_targets_moved_total as Alloy does: targets moved away from a node, by component", async () => {
    const lab = track(newLab());
    await lab.start(2);
    const before = await lab.waitFor(convergedWith(["alloy-0", "alloy-1"]));
    const moved = async (addr: string): Promise<number> => {
      const text = await (await fetch(`http://${addr}/metrics`)).text();
      return Number(/^prometheus_scrape_targets_moved_total\{component_id="prometheus\.scrape\.test",component_path="\/"\} (\d+)$/m.exec(text)![1]);
    };
    const movedBefore = (await moved(before.nodes[0].addr)) + (await moved(before.nodes[1].addr));
    const joined = await lab.addNode();
    const s = await lab.waitFor(convergedWith(["alloy-0", "alloy-1", joined.name]));
    const newcomer = s.nodes.find((n) => n.name === joined.name)!;
    const newcomerOwns = ownedKeysByNode(s).get(joined.name)!.length;
    assert.ok(newcomerOwns > 0);
    // What the newcomer owns moved away from the other two.
    const old = s.nodes.filter((n) => n.name !== joined.name);
    assert.equal((await moved(old[0].addr)) + (await moved(old[1].addr)) - movedBefore, newcomerOwns);
    // ckit's gossip and transport metrics, with the cluster name where ckit puts it (not on the transport's).
    const metrics = await (await fetch(`http://${newcomer.addr}/metrics`)).text();
    const value = (series: string): number => Number(new RegExp(`^${series.replace(/[{}"]/g, (c) => `\\${c}`)} (\\S+)$`, "m").exec(metrics)?.[1] ?? NaN);
    for (const event of ["get_local_state", "merge_remote_state", "node_join"])
      assert.ok(value(`cluster_node_gossip_received_events_total{cluster_name="",event="${event}"}`) > 0, event);
    assert.equal(value(`cluster_node_gossip_received_events_total{cluster_name="",event="node_conflict"}`), 0);
    assert.ok(value(`cluster_node_update_duration_seconds_count{cluster_name=""}`) > 0);
    assert.equal(value(`cluster_node_update_observers{cluster_name=""}`), 1);
    for (const series of ["cluster_transport_rx_packets_total", "cluster_transport_tx_bytes_total", "cluster_transport_stream_tx_packets_total"])
      assert.ok(value(series) > 0, series);
    // ckit's Lamport clock climbs with every push-pull, not only on state changes.
    const lamport = async (): Promise<number> =>
      Number(/^cluster_node_lamport_time (\d+)$/m.exec(await (await fetch(`http://${newcomer.addr}/metrics`)).text())![1]);
    const first = await lamport();
    await until(async () => (await lamport()) > first, "the Lamport clock to move on without a state change");
    // The newcomer may have started alone on its ring with every target (as Alloy does before it hears of
    // its peers); what it gave up since then moved away from it, each target once at most.
    assert.ok((await moved(newcomer.addr)) <= s.targets.length - newcomerOwns);
  });

  it("converges, owns every target exactly once as the pure ring says, and rebalances on join, stop and kill", async () => {
    const lab = track(newLab());
    await lab.start(3);
    let s = await lab.waitFor(convergedWith(["alloy-0", "alloy-1", "alloy-2"]));
    assert.deepEqual(
      s.targets.map((t) => t.owner),
      expectedOwners(s),
    );

    for (const name of ["alloy-3", "alloy-4"]) {
      await lab.addNode();
      s = await lab.waitFor((st) => st.converged && st.nodes.some((n) => n.name === name && n.state === "participant"));
    }
    assert.deepEqual(
      s.targets.map((t) => t.owner),
      expectedOwners(s),
    );
    const joins = lab.events.filter((e) => e.kind === "rebalance");
    assert.ok(joins.length >= 2);
    const last = joins[joins.length - 1];
    assert.equal(last.kind === "rebalance" && last.participants.length, 5);
    // About 1/N of the targets move when the N-th node joins.
    assert.ok(last.kind === "rebalance" && last.movedFraction > 0.05 && last.movedFraction < 0.45, JSON.stringify(last).slice(0, 300));

    lab.stopNode("alloy-1");
    s = await lab.waitFor(convergedWith(["alloy-0", "alloy-2", "alloy-3", "alloy-4"]));
    assert.deepEqual(
      s.targets.map((t) => t.owner),
      expectedOwners(s),
    );
    assert.ok(lab.events.some((e) => e.kind === "state-changed" && e.name === "alloy-1" && e.state === "terminating"));

    lab.killNode("alloy-3");
    s = await lab.waitFor(convergedWith(["alloy-0", "alloy-2", "alloy-4"]));
    assert.deepEqual(
      s.targets.map((t) => t.owner),
      expectedOwners(s),
    );
    assert.ok(lab.events.some((e) => e.kind === "dead" && e.name === "alloy-3"));

    await lab.restartNode("alloy-2");
    s = await lab.waitFor((st) => convergedWith(["alloy-0", "alloy-2", "alloy-4"])(st) && st.nodes.every((n) => !n.running || n.state === "participant"));
    assert.deepEqual(
      s.targets.map((t) => t.owner),
      expectedOwners(s),
    );
  });

  it("splits under a partition (both sides own overlapping targets) and heals", async () => {
    const lab = track(newLab());
    await lab.start(4);
    await lab.waitFor(convergedWith(["alloy-0", "alloy-1", "alloy-2", "alloy-3"]));
    lab.partition([
      ["alloy-0", "alloy-1"],
      ["alloy-2", "alloy-3"],
    ]);
    // Before the far side is declared dead, it is suspect: the Cluster view shows who suspects whom.
    const suspicion = await lab.waitFor((s) => s.nodes.some((n) => (n.suspectedBy?.length ?? 0) > 0));
    const suspected = suspicion.nodes.find((n) => (n.suspectedBy?.length ?? 0) > 0)!;
    const sides = [
      ["alloy-0", "alloy-1"],
      ["alloy-2", "alloy-3"],
    ];
    assert.ok(
      suspected.suspectedBy!.every((by) => !sides.find((g) => g.includes(suspected.name))!.includes(by)),
      "only the far side suspects a node",
    );
    const split = await lab.waitFor((s) => s.nodes.every((n) => n.peers.length === 2) && s.targets.every((t) => t.owners.length === 2));
    assert.deepEqual(split.nodes.find((n) => n.name === "alloy-0")!.peers, ["alloy-0", "alloy-1"]);
    const healedAt = lab.events.length;
    lab.heal();
    await lab.waitFor(convergedWith(["alloy-0", "alloy-1", "alloy-2", "alloy-3"]), 15_000);
    // memberlist's merge: a peer's "dead" about a node we see alive is only a suspicion (then refuted), so
    // healing shows no death that never happened.
    assert.deepEqual(
      lab.events.slice(healedAt).filter((e) => e.kind === "dead"),
      [],
    );
  });

  it("makes a node a participant as soon as its config loads, joined or not: alone on its ring, it keeps every target", async () => {
    // A peer that accepts connections and never answers: the join hangs (memberlist's would, for its TCP timeout).
    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    try {
      const lab = track(newLab());
      await lab.start(0);
      const joining = await lab.addNode("joining", [`--cluster.join-addresses=127.0.0.1:${(silent.address() as net.AddressInfo).port}`]);
      const s = await lab.waitFor((st) => st.targets.length > 0 && st.targets.every((t) => t.owner === joining.name));
      assert.equal(s.nodes[0].state, "participant");
      assert.ok(!lab.events.some((e) => e.kind === "join-refused"), "the join is still hanging, not refused");
    } finally {
      silent.close();
    }
  });

  it("lets a second process take a name in use, as Alloy does: both scrape that name's share, and the conflict shows", async () => {
    const lab = track(newLab({ components: [clusteredComponent(syntheticTargets(40, 3), 500)] }));
    await lab.start(2);
    await lab.waitFor(convergedWith(["alloy-0", "alloy-1"]));
    const twin = await lab.addNode("alloy-1");
    assert.equal(twin.id, "alloy-1#2");
    assert.equal(twin.name, "alloy-1");
    // The others keep the first address for the name and ignore the second (memberlist's conflicting address)...
    const conflict = await until(() => lab.events.find((e) => e.kind === "conflict" && e.name === "alloy-1" && e.otherAddr === twin.addr), "a conflict event");
    assert.equal(conflict.kind === "conflict" && conflict.addr, lab.state().nodes.find((n) => n.id === "alloy-1")!.addr);
    // ...and both processes scrape alloy-1's share: each of those targets is scraped twice.
    // (An empty list would count as found: wait for a non-empty one.)
    await until(
      () => lab.state().targets.some((t) => t.owners.length === 2 && t.owners.every((o) => o === "alloy-1")) || undefined,
      "alloy-1's targets owned by both processes",
    );
    // (Alone at its start it owned everything, so it may have doubled alloy-0's targets for a moment too.)
    await until(
      () => lab.events.find((e) => e.kind === "duplicate" && [...e.nodes].sort().join() === "alloy-1,alloy-1#2"),
      "a target scraped by both processes named alloy-1",
    );
    assert.equal(lab.state().converged, false, "a cluster with two processes under one name is not converged");
    lab.stopNode("alloy-1#2");
  });

  it("refuses a node with another cluster name at the handshake", async () => {
    const lab = track(newLab({ clusterName: "blue" }));
    await lab.start(2);
    await lab.waitFor(convergedWith(["alloy-0", "alloy-1"]));
    await lab.addNode("intruder", ["--cluster.name=red"]);
    const s = await lab.waitFor(() => lab.events.some((e) => e.kind === "join-refused" && e.name === "intruder"));
    const refusal = lab.events.find((e) => e.kind === "join-refused");
    assert.match(refusal!.kind === "join-refused" ? refusal!.reason : "", /cluster name mismatch/);
    assert.deepEqual(s.nodes.find((n) => n.name === "alloy-0")!.peers, ["alloy-0", "alloy-1"]);
  });

  it("leaves no node process behind when it shuts down", async () => {
    const lab = newLab();
    await lab.start(3);
    await lab.waitFor(convergedWith(["alloy-0", "alloy-1", "alloy-2"]));
    const pids = lab.state().nodes.map((n) => n.pid!);
    await lab.shutdown();
    for (const pid of pids) assert.throws(() => process.kill(pid, 0), /ESRCH/);
  });
});
