import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { convergedWith, newLab, shutDownAfterSuite } from "../support/lab";
import { hasOpenssl, makeTestCa } from "../support/testCa";

describe("cluster TLS (--cluster.enable-tls, a CA made at test time)", { timeout: 60_000, skip: hasOpenssl() ? false : "openssl is not installed" }, () => {
  const track = shutDownAfterSuite();

  it("gossips over wss and converges; a node without TLS cannot join", async () => {
    const ca = makeTestCa();
    const lab = track(newLab({
      nodeFlags: ["--cluster.enable-tls", `--cluster.tls-ca-path=${ca.caPath}`, `--cluster.tls-cert-path=${ca.certPath}`, `--cluster.tls-key-path=${ca.keyPath}`],
    }));
    await lab.start(3);
    const s = await lab.waitFor(convergedWith(["alloy-0", "alloy-1", "alloy-2"]));
    const peers = await fetch(`https://${s.nodes[0].addr}/api/v0/web/peers`).catch((err: Error) => err);
    assert.ok(peers instanceof Error, "the node API is served over TLS (an untrusted client fails)");

    const plain = track(newLab({}));
    await plain.start(0);
    const intruder = await plain.addNode("plain", [`--cluster.join-addresses=${s.nodes[0].addr}`]);
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(lab.state().nodes.find((n) => n.name === "alloy-0")!.peers, ["alloy-0", "alloy-1", "alloy-2"]);
    assert.ok(intruder.addr !== "");
  });
});
