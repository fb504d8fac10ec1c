import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, it } from "node:test";
import WebSocket from "ws";
import { encodeFrame } from "../../runtime/src/membership/gossipFrames";
import { GOSSIP_PATH } from "../../runtime/src/node/gossipTransport";
import { convergedWith, DIST, newLab, shutDownAfterSuite } from "../support/lab";
import { until } from "../support/until";

const invalidFrames = async (addr: string): Promise<number> =>
  Number(/lab_gossip_frames_invalid_total (\d+)/.exec(await (await fetch(`http://${addr}/metrics`)).text())![1]);
const peersOf = async (addr: string): Promise<string[]> =>
  ((await (await fetch(`http://${addr}/api/v0/web/peers`)).json()) as { name: string }[]).map((p) => p.name).sort();

describe("the lab's gossip secret: other local processes can neither join nor inject state", { timeout: 60_000 }, () => {
  const track = shutDownAfterSuite();

  it("drops unsealed frames (a well-formed injected member, a node without the secret) and counts them", async () => {
    const lab = track(newLab());
    await lab.start(2);
    const s = await lab.waitFor(convergedWith(["alloy-0", "alloy-1"]));
    const addr = s.nodes[0].addr;
    const before = await invalidFrames(addr);

    // A perfectly valid gossip frame, but not sealed with the lab's secret: it must not add a member.
    const ws = new WebSocket(`ws://${addr}${GOSSIP_PATH}`);
    await new Promise((r) => ws.once("open", r));
    ws.send(encodeFrame({ kind: "hello", cluster: "", from: "intruder", addr: "127.0.0.1:9" }));
    ws.send(
      encodeFrame({
        kind: "gossip",
        from: "intruder",
        updates: [{ name: "ghost", addr: "127.0.0.1:9", incarnation: 0, status: "alive", state: "participant", stateLamport: 99 }],
      }),
    );
    await until(async () => (await invalidFrames(addr)) - before >= 2, "both injected frames to be dropped and counted");
    ws.terminate();
    const afterInjection = await invalidFrames(addr);

    // A real node started outside the lab (no secret) that tries to join it.
    const outsider = spawn(
      process.execPath,
      [
        path.join(DIST, "node.js"),
        "--cluster.enabled",
        "--cluster.node-name=outsider",
        "--server.http.listen-addr=127.0.0.1:0",
        `--cluster.join-addresses=${addr}`,
      ],
      { stdio: ["ignore", "ignore", "ignore", "ipc"] },
    );
    try {
      const outsiderAddr = await new Promise<string>((resolve) =>
        outsider.on("message", (m: { kind?: string; addr?: string }) => m.kind === "listening" && resolve(m.addr!)),
      );
      // The outsider's join reaches the node and is dropped (counted) before we look at who is in the cluster.
      await until(async () => (await invalidFrames(addr)) > afterInjection, "the outsider's join to be dropped and counted");
      assert.deepEqual(await peersOf(addr), ["alloy-0", "alloy-1"], "neither the ghost nor the outsider joined");
      assert.deepEqual(
        (await peersOf(outsiderAddr)).filter((n) => n !== "outsider"),
        [],
        "the outsider learned nothing of the lab",
      );
    } finally {
      outsider.kill("SIGKILL");
    }
    assert.ok(lab.state().converged, "the lab carries on");
  });
});
