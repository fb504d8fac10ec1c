/**
 * Real node processes, with the test as their supervisor over IPC: which peers Alloy's API lists, and how a
 * node finds (or fails to find) peers from its join addresses.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { after, describe, it } from "node:test";
import type { NodeToSupervisor, SupervisorToNode } from "../../runtime/src/protocol/nodeMessages";
import { DIST } from "../support/lab";
import { until } from "../support/until";

const NODE = path.join(DIST, "node.js");

interface RunningNode {
  child: ChildProcess;
  addr: string;
  stderr: () => string;
}

const started: ChildProcess[] = [];
after(() => started.forEach((c) => c.kill("SIGKILL")));

async function startNode(name: string, flags: string[] = []): Promise<RunningNode> {
  const child = spawn(process.execPath, [NODE, "--cluster.enabled", `--cluster.node-name=${name}`, "--server.http.listen-addr=127.0.0.1:0", ...flags], {
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  started.push(child);
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const addr = await new Promise<string>((resolve) => child.on("message", (m: NodeToSupervisor) => m.kind === "listening" && resolve(m.addr)));
  return { child, addr, stderr: () => stderr };
}

/** What the supervisor does once a node's config is loaded: after this the node is a participant. */
function loadConfig(node: RunningNode): void {
  const message: SupervisorToNode = { kind: "components", components: [], farm: "" };
  node.child.send(message);
}

async function metric(node: RunningNode, name: string): Promise<number> {
  const text = await (await fetch(`http://${node.addr}/metrics`)).text();
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "m").exec(text);
  assert.ok(m, `${name} in /metrics`);
  return Number(m[1]);
}

async function peerNames(node: RunningNode): Promise<string[]> {
  const peers = (await (await fetch(`http://${node.addr}/api/v0/web/peers`)).json()) as { name: string }[];
  return peers.map((p) => p.name);
}

describe("node discovery and the peers Alloy's API lists", { timeout: 60_000 }, () => {
  it("lists participants and terminating peers only, sorted: a viewer gossips but is not listed", async () => {
    const b = await startNode("b");
    const a = await startNode("a", [`--cluster.join-addresses=${b.addr}`]);
    // No config ever loads on the viewer: it stays a viewer, as an Alloy node does until its config loads.
    const viewer = await startNode("v", [`--cluster.join-addresses=${b.addr}`]);
    loadConfig(a);
    loadConfig(b);
    await until(async () => (await metric(b, "cluster_node_gossip_alive_peers")) === 3 || undefined, "b sees a, b and the viewer alive");
    await until(async () => (await metric(a, "cluster_node_gossip_alive_peers")) === 3 || undefined, "a sees all three alive");
    await until(async () => (await peerNames(a)).length === 2 || undefined, "a lists the two participants");
    assert.deepEqual(await peerNames(a), ["a", "b"]);
    assert.deepEqual(await peerNames(b), ["a", "b"]);
    assert.deepEqual(await peerNames(viewer), ["a", "b"], "the viewer itself is not listed either");
  });

  it("skips a join address that resolves to nothing and joins the rest; with none resolving, runs as a cluster of one", async () => {
    const seed = await startNode("seed");
    const joiner = await startNode("joiner", [`--cluster.join-addresses=not_a_host!,${seed.addr}`]);
    await until(async () => (await metric(seed, "cluster_node_gossip_alive_peers")) === 2 || undefined, "the seed sees the joiner");
    assert.match(joiner.stderr(), /failed to resolve provided join address not_a_host!/);

    const alone = await startNode("alone", ["--cluster.join-addresses=not_a_host!,alloy-0.alloy:12345"]);
    await until(() => /running as a cluster of one/.test(alone.stderr()) || undefined, "the warning that it runs alone");
    assert.match(alone.stderr(), /failed to resolve provided join address not_a_host!/);
    // It asked nobody: no join went out (joins are the transport's stream packets).
    assert.equal(await metric(alone, "cluster_transport_stream_tx_packets_total"), 0);
    assert.equal(await metric(alone, "cluster_node_gossip_alive_peers"), 1);
  });
});
