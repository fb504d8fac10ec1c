import assert from "node:assert/strict";
import fs from "node:fs";
import https from "node:https";
import { describe, it } from "node:test";
import { convergedWith, newLab, shutDownAfterSuite } from "../support/lab";
import { hasOpenssl, makeTestCa } from "../support/testCa";
import { until } from "../support/until";

/** A GET over TLS that trusts the test CA. */
function getTrusted(url: string, ca: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () => resolve(body));
      })
      .on("error", reject);
  });
}

describe("cluster TLS (--cluster.enable-tls, a CA made at test time)", { timeout: 60_000, skip: hasOpenssl() ? false : "openssl is not installed" }, () => {
  const track = shutDownAfterSuite();

  it("gossips over wss and converges; a client that does not trust the CA, or speaks no TLS, is refused", async () => {
    const ca = makeTestCa();
    const caCert = fs.readFileSync(ca.caPath);
    const lab = track(
      newLab({
        nodeFlags: [
          "--cluster.enable-tls",
          `--cluster.tls-ca-path=${ca.caPath}`,
          `--cluster.tls-cert-path=${ca.certPath}`,
          `--cluster.tls-key-path=${ca.keyPath}`,
        ],
      }),
    );
    await lab.start(3);
    const s = await lab.waitFor(convergedWith(["alloy-0", "alloy-1", "alloy-2"]));
    const addr = s.nodes[0].addr;
    // The node API is served over TLS with the lab's CA: a client without it fails to verify the certificate.
    const untrusted = await fetch(`https://${addr}/api/v0/web/peers`).catch((err: Error) => err);
    assert.ok(untrusted instanceof Error);
    assert.match(
      String((untrusted.cause as { code?: string } | undefined)?.code),
      /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)$/,
    );
    const refused = async () => Number(/lab_tls_handshake_errors_total (\d+)/.exec(await getTrusted(`https://${addr}/metrics`, caCert))![1]);
    const before = await refused();

    // A node without TLS tries to join: its plaintext connection is refused at the handshake.
    const plain = track(newLab({}));
    await plain.start(0);
    await plain.addNode("plain", [`--cluster.join-addresses=${addr}`]);
    await until(async () => (await refused()) > before, "the plain node's connection to be refused");
    assert.deepEqual(
      JSON.parse(await getTrusted(`https://${addr}/api/v0/web/peers`, caCert))
        .map((p: { name: string }) => p.name)
        .sort(),
      ["alloy-0", "alloy-1", "alloy-2"],
    );
  });
});
