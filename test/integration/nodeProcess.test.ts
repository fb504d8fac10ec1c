import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { describe, it } from "node:test";
import WebSocket from "ws";
import { GOSSIP_PATH } from "../../runtime/src/node/gossipTransport";
import { DIST } from "../support/lab";

const NODE = path.join(DIST, "node.js");

describe("a lab node process on bad input", { timeout: 60_000 }, () => {
  it("refuses invalid cluster flags with the language server's diagnostics, and a port in use clearly", async () => {
    const bad = spawnSync(
      process.execPath,
      [NODE, "--cluster.enabled", "--cluster.rejoin-interval=soon", "--cluster.max-join-peers=-1", "--cluster.wait-timout=5s"],
      { encoding: "utf8" },
    );
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /invalid value for --cluster.rejoin-interval: invalid duration "soon" .* \[cluster-flag\/invalid-value\]/);
    assert.match(bad.stderr, /--cluster.max-join-peers=-1 crashes Alloy/);
    assert.match(bad.stderr, /unknown flag --cluster.wait-timout; did you mean --cluster.wait-timeout\?/);

    const busy = http.createServer();
    await new Promise<void>((r) => busy.listen(0, "127.0.0.1", r));
    const { port } = busy.address() as AddressInfo;
    const taken = spawnSync(process.execPath, [NODE, `--server.http.listen-addr=127.0.0.1:${port}`], { encoding: "utf8", timeout: 10_000 });
    busy.close();
    assert.equal(taken.status, 1);
    assert.match(taken.stderr, new RegExp(`port ${port} on 127.0.0.1 is already in use`));
    const open = spawnSync(process.execPath, [NODE, "--server.http.listen-addr=0.0.0.0:0"], { encoding: "utf8" });
    assert.match(open.stderr, /lab nodes listen on 127.0.0.1 only/);
  });

  it("drops garbage gossip frames, counts them, and keeps serving", async () => {
    const child = spawn(process.execPath, [NODE, "--cluster.enabled", "--cluster.node-name=target", "--server.http.listen-addr=127.0.0.1:0"], {
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    try {
      const addr = await new Promise<string>((resolve) =>
        child.on("message", (m: { kind: string; addr: string }) => m.kind === "listening" && resolve(m.addr)),
      );
      const ws = new WebSocket(`ws://${addr}${GOSSIP_PATH}`);
      await new Promise((r) => ws.once("open", r));
      ws.send(JSON.stringify({ kind: "hello", cluster: "", from: "fuzzer", addr: "127.0.0.1:1" }));
      const garbage = [
        "",
        "{",
        "[]",
        '{"kind":"ping"}',
        '{"kind":"nope"}',
        Buffer.from([0xff, 0xfe, 0x00]),
        JSON.stringify({ kind: "gossip", from: "x", updates: [{ name: 1 }] }),
      ];
      for (const g of garbage) ws.send(g);
      ws.send("x".repeat(2 << 20)); // over the size limit: the connection is closed
      await new Promise((r) => ws.once("close", r));
      const metrics = await (await fetch(`http://${addr}/metrics`)).text();
      const invalid = Number(/lab_gossip_frames_invalid_total (\d+)/.exec(metrics)![1]);
      assert.ok(invalid >= garbage.length, metrics);
      assert.equal((await fetch(`http://${addr}/api/v0/web/peers`)).status, 200);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
