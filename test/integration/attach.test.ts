import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { after, describe, it } from "node:test";
import { AlloyApiError } from "../../runtime/src/alloyApi/alloyWebApi";
import { fetchClusterSnapshot } from "../../runtime/src/alloyApi/alloyApiClient";
import { AttachedCluster } from "../../runtime/src/alloyApi/attachedCluster";
import { scrapeFindings } from "../../runtime/src/alloyApi/scrapeTruth";
import { componentsFromConfig } from "../../runtime/src/lab/labComponents";
import { ownedKeysByNode, type LabState } from "../../runtime/src/protocol/labState";
import { runCliAsync } from "../support/cli";
import { until } from "../support/until";
import { convergedWith, newLab, shutDownAfterSuite } from "../support/lab";

/** Per node of the lab, the keys it owns, sorted: what an attach must work out from the API alone. */
const ownedByNode = (s: LabState): Record<string, string[]> => {
  const owned = ownedKeysByNode(s);
  return Object.fromEntries(s.nodes.filter((n) => n.running).map((n) => [n.name, [...owned.get(n.name)!].sort()]));
};

describe("attach to a running cluster through Alloy's HTTP API (lab nodes serve it)", { timeout: 120_000 }, () => {
  const track = shutDownAfterSuite();
  const servers: http.Server[] = [];
  after(() => {
    for (const s of servers) s.close();
  });

  it("works out the same ownership as the lab, follows a kill with a rebalance, and shows a split brain", async () => {
    const lab = track(newLab());
    await lab.start(3);
    let s = await lab.waitFor(convergedWith(["alloy-0", "alloy-1", "alloy-2"]));
    const entry = s.nodes[0].addr;

    const cluster = new AttachedCluster();
    let seen = cluster.update(await fetchClusterSnapshot(`http://${entry}/clustering`), 1);
    assert.deepEqual(seen.state.source, { kind: "attached", url: `http://${entry}` });
    assert.equal(seen.state.converged, true);
    assert.deepEqual(
      seen.state.nodes.map((n) => [n.name, n.state, n.reachable]),
      [
        ["alloy-0", "participant", true],
        ["alloy-1", "participant", true],
        ["alloy-2", "participant", true],
      ],
    );
    assert.deepEqual(ownedByNode(seen.state), ownedByNode(s));
    // Each node's debug info lists exactly what the ring gives it.
    assert.ok(seen.state.targets.every((t) => t.scrapedBy?.length === 1 && t.scrapedBy[0] === t.owner));
    assert.deepEqual(scrapeFindings(seen.state), []);
    assert.deepEqual(
      seen.state.components.map((c) => [c.id, c.clustered, c.targets, c.scrapeIntervalMs]),
      [["prometheus.scrape.test", true, 100, 5000]],
    );
    assert.ok(seen.state.targets.every((t) => t.owners.length === 1));

    const deadOwned = ownedKeysByNode(s).get("alloy-2")!.length;
    lab.killNode("alloy-2");
    s = await lab.waitFor(convergedWith(["alloy-0", "alloy-1"]));
    seen = cluster.update(await fetchClusterSnapshot(entry, { known: cluster.knownPeers() }), 2);
    assert.deepEqual(ownedByNode(seen.state), ownedByNode(s));
    assert.ok(
      seen.events.some((e) => e.kind === "left" && e.name === "alloy-2"),
      JSON.stringify(seen.events),
    );
    const rebalance = seen.events.find((e) => e.kind === "rebalance");
    assert.ok(rebalance?.kind === "rebalance");
    assert.equal(rebalance.cause, "alloy-2 left");
    assert.deepEqual(rebalance.participants, ["alloy-0", "alloy-1"]);
    assert.ok(
      rebalance.moved.every((m) => m.from === "alloy-2"),
      "only the dead node's targets move",
    );
    assert.equal(rebalance.movedCount, deadOwned);

    await lab.addNode("alloy-3");
    await lab.waitFor(convergedWith(["alloy-0", "alloy-1", "alloy-3"]));
    seen = cluster.update(await fetchClusterSnapshot(entry, { known: cluster.knownPeers() }), 3);
    assert.ok(seen.events.some((e) => e.kind === "joined" && e.name === "alloy-3"));
    lab.partition([["alloy-0", "alloy-1"], ["alloy-3"]]);
    s = await lab.waitFor((st) => st.nodes.filter((n) => n.running).every((n) => n.peers.length === (n.name === "alloy-3" ? 1 : 2)));
    // alloy-0 no longer lists alloy-3, but alloy-3 was seen before and still answers: the split shows.
    seen = cluster.update(await fetchClusterSnapshot(entry, { known: cluster.knownPeers() }), 3);
    assert.equal(seen.state.converged, false);
    assert.deepEqual(ownedByNode(seen.state), ownedByNode(s));
    // Both sides of the split own every target: each one is scraped twice.
    assert.ok(
      seen.state.targets.every((t) => t.owners.length === 2),
      "a split brain shows as duplicates",
    );
    assert.deepEqual(seen.state.nodes.find((n) => n.name === "alloy-3")!.peers, ["alloy-3"]);
    // What the nodes say they scrape (their debug info) agrees: every target is scraped on both sides.
    assert.ok(seen.state.targets.every((t) => t.scrapedBy?.length === 2));
    assert.ok(scrapeFindings(seen.state).every((f) => f.kind === "scraped-by-several" && f.differingLabels.length === 0));
  });

  it("shows targets whose labels hold the node's host name as scraped by several nodes or none, naming the label — as check does", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-hostname-"));
    const file = path.join(dir, "config.alloy");
    const targets = Array.from({ length: 12 }, (_, i) => `    {"__address__" = "10.0.0.${i}:9100", "collector" = sys.env("HOSTNAME")},`).join("\n");
    fs.writeFileSync(file, `prometheus.scrape "hosts" {\n  targets = [\n${targets}\n  ]\n  forward_to = []\n  clustering {\n    enabled = true\n  }\n}\n`);
    try {
      const lab = track(newLab({ components: componentsFromConfig(file, { default: 0 }, 1000) }));
      await lab.start(3);
      const s = await lab.waitFor(convergedWith(["alloy-0", "alloy-1", "alloy-2"]));
      assert.equal(s.components[0].perNodeTargets, true);
      assert.equal(s.targets.length, 36, "each node has its own version of each of the 12 targets");
      const { state } = new AttachedCluster().update(await fetchClusterSnapshot(s.nodes[0].addr), 1);
      const findings = scrapeFindings(state);
      assert.ok(findings.length > 0, "with three versions of each target, some address is scraped twice or not at all");
      assert.ok(findings.every((f) => f.differingLabels.join() === "collector" && (f.kind === "scraped-by-several" || f.kind === "scraped-by-none")));
      // What each node scrapes is its own version, the one the ring gives it.
      for (const t of state.targets) assert.deepEqual(t.scrapedBy, t.owners);
      // The lab's own scrape watch says the same: an item scraped by several nodes (each its own version) is a
      // duplicate, one scraped by none a gap, each naming the versions' keys.
      const keysOf = (address: string): Set<string> => new Set(s.targets.filter((t) => t.labels.__address__ === address).map((t) => t.key));
      for (const f of findings) {
        const kind = f.kind === "scraped-by-several" ? "duplicate" : "gap";
        const seen = (): boolean =>
          lab.events.some(
            (e) =>
              e.kind === kind &&
              e.versions !== undefined &&
              e.versions.every((k) => keysOf(f.target).has(k)) &&
              (e.kind === "gap" || e.nodes.join() === [...f.scrapedBy].sort().join()),
          );
        await until(() => seen() || undefined, `a ${kind} event for ${f.target}`);
      }
      // The same trap, found without running anything.
      const check = await runCliAsync(["check", file]);
      assert.match(check.stdout, /clustering\/hostname-label/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the CLI prints the cluster and its ownership, or one clear line when the address is not Alloy", async () => {
    const lab = track(newLab());
    await lab.start(2);
    const s = await lab.waitFor(convergedWith(["alloy-0", "alloy-1"]));
    const text = await runCliAsync(["attach", s.nodes[1].addr]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /2 nodes — converged/);
    assert.match(text.stdout, /prometheus\.scrape\.test: 100 targets, clustered/);
    assert.match(text.stdout, /scraped twice or more: 0, scraped by nobody: 0/);
    assert.match(text.stdout, /every clustered target is scraped by the node the ring chooses/);
    const json = await runCliAsync(["attach", "--json", s.nodes[1].addr]);
    assert.equal(json.status, 0, json.stderr);
    const state = JSON.parse(json.stdout) as LabState;
    assert.deepEqual(ownedByNode(state), ownedByNode(s));

    const notAlloy = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<html>hello</html>"));
    servers.push(notAlloy);
    await new Promise<void>((r) => notAlloy.listen(0, "127.0.0.1", r));
    const port = (notAlloy.address() as AddressInfo).port;
    const wrong = await runCliAsync(["attach", `127.0.0.1:${port}`]);
    assert.equal(wrong.status, 1);
    assert.match(wrong.stderr, /did not answer JSON — is this an Alloy HTTP address\?/);
    assert.equal(wrong.stderr.trim().split("\n").length, 1);

    assert.equal((await runCliAsync(["attach"])).status, 2);
    assert.equal((await runCliAsync(["attach", "a", "b"])).status, 2);
    const badScheme = await runCliAsync(["attach", "ftp://127.0.0.1:1"]);
    assert.equal(badScheme.status, 1);
    assert.match(badScheme.stderr, /only http and https/);
  });

  it("a closed port is a clear error, not a hang", async () => {
    const server = http.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    await assert.rejects(
      fetchClusterSnapshot(`127.0.0.1:${port}`, { timeoutMs: 2000 }),
      (e: unknown) => e instanceof AlloyApiError && /cannot reach .*ECONNREFUSED/.test(e.message),
    );
  });
});
