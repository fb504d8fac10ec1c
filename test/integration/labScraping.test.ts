import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { syntheticTargets } from "../support/syntheticTargets";
import { clusteredComponent, convergedWith, newLab, shutDownAfterSuite } from "../support/lab";

describe("lab scraping and wait-for-size (real processes)", { timeout: 120_000 }, () => {
  const track = shutDownAfterSuite();

  it("scrapes each target from the farm by its owner only, and reports samples/s", async () => {
    const lab = track(newLab({ components: [clusteredComponent(syntheticTargets(30, 9), 400)] }));
    await lab.start(3);
    await lab.waitFor(convergedWith(["alloy-0", "alloy-1", "alloy-2"]));
    const s = await lab.waitFor((st) => st.targets.every((t) => t.lastScrape !== undefined && t.lastScrape.node === t.owner), 10_000);
    assert.ok(
      s.nodes.every((n) => n.samplesPerSecond > 0),
      JSON.stringify(s.nodes.map((n) => n.samplesPerSecond)),
    );
    // While the cluster formed, ownership moved and some targets were scraped twice; once settled, none: every
    // target is scraped three more times (by its owner) without a duplicate.
    const mark = Date.now();
    const before = lab.events.filter((e) => e.kind === "duplicate").length;
    await lab.waitFor((st) => st.targets.every((t) => t.lastScrape !== undefined && t.lastScrape.node === t.owner && t.lastScrape.at > mark + 3 * 400), 10_000);
    assert.equal(lab.events.filter((e) => e.kind === "duplicate").length, before, "no duplicates once converged");
  });

  it("hands a gracefully stopped node's targets over without a moment of double scraping, as Alloy does", async () => {
    const lab = track(newLab({ components: [clusteredComponent(syntheticTargets(100, 5), 1000)] }));
    await lab.start(5);
    const names = ["alloy-0", "alloy-1", "alloy-2", "alloy-3", "alloy-4"];
    await lab.waitFor(convergedWith(names), 20_000);
    // Settled: every target scraped by its owner two intervals after convergence (late batches from the start are in).
    const convergedAt = Date.now();
    const before = await lab.waitFor((st) => st.targets.every((t) => t.lastScrape?.node === t.owner && t.lastScrape.at > convergedAt + 2000), 20_000);
    const moved = before.targets.filter((t) => t.owner === "alloy-2").map((t) => t.key);
    assert.ok(moved.length > 0);
    const stoppedAt = Date.now();
    const duplicatesBefore = lab.events.filter((e) => e.kind === "duplicate").length;
    lab.stopNode("alloy-2");
    // Every moved target is scraped by its new owner, twice over, after the stop.
    await lab.waitFor(
      (st) =>
        st.targets
          .filter((t) => moved.includes(t.key))
          .every((t) => t.owner !== null && t.owner !== "alloy-2" && t.lastScrape?.node === t.owner && t.lastScrape.at > stoppedAt + 2000),
      20_000,
    );
    assert.deepEqual(lab.events.filter((e) => e.kind === "duplicate").slice(duplicatesBefore), [], "no target was scraped by two nodes at once");
  });

  it("waits for size: nobody takes targets until enough peers; /-/ready only says the config is loaded", async () => {
    const lab = track(newLab());
    await lab.start(0);
    const a = await lab.addNode(undefined, ["--cluster.wait-for-size=3"]);
    await lab.addNode(undefined, ["--cluster.wait-for-size=3"]);
    const waiting = await lab.waitFor((s) => s.nodes.length === 2 && s.nodes.every((n) => n.peers.length === 2 && n.state === "participant"));
    assert.ok(waiting.nodes.every((n) => !n.ready) && waiting.targets.every((t) => t.owners.length === 0));
    // Alloy's /-/ready is about the config, not the cluster: a rollout is not held by wait-for-size.
    assert.equal((await fetch(`http://${a.addr}/-/ready`)).status, 200);
    assert.match(await (await fetch(`http://${a.addr}/metrics`)).text(), /^cluster_ready_for_traffic\{cluster_name=""\} 0$/m);
    assert.ok(lab.events.some((e) => e.kind === "readiness" && e.name === a.name && e.state === "not-ready"));
    await lab.addNode(undefined, ["--cluster.wait-for-size=3"]);
    const s = await lab.waitFor(convergedWith(["alloy-0", "alloy-1", "alloy-2"]));
    assert.ok(s.nodes.every((n) => n.ready));
    assert.match(await (await fetch(`http://${a.addr}/metrics`)).text(), /^cluster_ready_for_traffic\{cluster_name=""\} 1$/m);
  });

  it("pauses every clustered component when a node is lost below the size, until the wait times out again", async () => {
    const lab = track(newLab());
    await lab.start(0);
    const flags = ["--cluster.wait-for-size=3", "--cluster.wait-timeout=2s"];
    for (let i = 0; i < 3; i++) await lab.addNode(undefined, flags);
    await lab.waitFor(convergedWith(["alloy-0", "alloy-1", "alloy-2"]), 15_000);
    const mark = lab.events.length;
    lab.killNode("alloy-2");
    // Below the size: the survivors own nothing (every node scrapes nothing meanwhile)...
    const paused = await lab.waitFor(
      (s) => s.nodes.filter((n) => n.running).every((n) => !n.ready && n.peers.length === 2) && s.targets.every((t) => t.owners.length === 0),
      15_000,
    );
    const survivor = paused.nodes.find((n) => n.name === "alloy-0")!;
    assert.match(await (await fetch(`http://${survivor.addr}/metrics`)).text(), /^cluster_ready_for_traffic\{cluster_name=""\} 0$/m);
    // ...until the wait times out again, counted from the drop (not from the start, long past).
    const resumed = await lab.waitFor(convergedWith(["alloy-0", "alloy-1"]), 15_000);
    assert.ok(resumed.nodes.filter((n) => n.running).every((n) => n.ready));
    const readiness = lab.events.slice(mark).filter((e) => e.kind === "readiness" && e.name === "alloy-0");
    assert.deepEqual(
      readiness.map((e) => e.kind === "readiness" && [e.state, e.peers]),
      [
        ["not-ready", 2],
        ["deadline-passed", 2],
      ],
    );
    const [pausedAt, resumedAt] = readiness.map((e) => e.at);
    assert.ok(resumedAt - pausedAt >= 1500, `paused for ${resumedAt - pausedAt} ms of a 2 s wait`);
  });

  it("stops waiting after --cluster.wait-timeout", async () => {
    const lab = track(newLab());
    await lab.start(0);
    const flags = ["--cluster.wait-for-size=5", "--cluster.wait-timeout=1s"];
    await lab.addNode(undefined, flags);
    await lab.addNode(undefined, flags);
    const t0 = Date.now();
    await lab.waitFor(convergedWith(["alloy-0", "alloy-1"]), 10_000);
    assert.ok(Date.now() - t0 >= 500, "ready only after the timeout");
  });
});
