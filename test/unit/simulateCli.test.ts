import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { DrillReport } from "../../runtime/src/drills/drillReport";
import { syntheticLabTargets } from "../../runtime/src/lab/syntheticLabTargets";
import { planScale } from "../../runtime/src/planning/scalePlan";
import { runCli } from "../support/cli";

function simulate(args: string[]): DrillReport {
  const r = runCli(["simulate", ...args, "--json"]);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as DrillReport;
}

describe("alloy-lab simulate", () => {
  it("runs a statefulset rollout as the lab does: each name once, highest ordinal first, the ring's shares after", () => {
    const report = simulate(["--nodes", "6", "--targets", "300", "--drill", "rollout-statefulset", "--profile", "fast", "--lab.scrape-interval", "1s"]);
    assert.deepEqual(
      report.steps.filter((s) => s.action !== "settled").map((s) => `${s.action} ${s.node}`),
      ["alloy-5", "alloy-4", "alloy-3", "alloy-2", "alloy-1", "alloy-0"].flatMap((n) => [`stop ${n}`, `start ${n}`, `ready ${n}`]),
    );
    const [plan] = planScale([{ keyStrategy: "labels", targets: syntheticLabTargets(300) }], 6, 6).plans;
    assert.deepEqual(
      report.perNode.map((n) => [n.name, n.targetsBefore, n.targetsAfter]),
      plan.perNode.map((n) => [n.name, n.targets, n.targets]),
    );
    assert.ok(report.handoffs > 0);
    assert.ok(report.convergence !== undefined && report.convergence.changes === 12, JSON.stringify(report.convergence));
    // Each stop and each start converges before the next pod's turn, as the lab measures it (a change is not
    // counted as lasting until the whole rollout settled).
    assert.ok(report.convergence.maxMs < report.durationMs / 3, JSON.stringify({ convergence: report.convergence, durationMs: report.durationMs }));
  });

  it("gives the same report for the same seed, and can differ for another", () => {
    const args = ["--nodes", "8", "--targets", "200", "--drill", "kill", "--count", "2", "--profile", "fast"];
    const a = simulate([...args, "--seed", "7"]);
    assert.deepEqual(simulate([...args, "--seed", "7"]), a);
    assert.equal(a.nodesAfter, 6);
    assert.deepEqual(
      a.steps.filter((s) => s.action === "kill").map((s) => s.node),
      ["alloy-7", "alloy-6"],
    );
  });

  it("splits a cluster in a partition (each side takes the other's targets) and heals it", () => {
    const report = simulate([
      "--nodes",
      "6",
      "--targets",
      "300",
      "--drill",
      "partition",
      "--duration",
      "5",
      "--profile",
      "fast",
      "--lab.scrape-interval",
      "1s",
    ]);
    assert.ok(report.duplicateScrapes > 0, "a split brain scrapes targets twice");
    assert.equal(report.nodesAfter, 6);
  });

  it("reports a drill that stalls instead of failing it: scaling below --cluster.wait-for-size leaves every target unscraped", () => {
    // Scale 4 → 2 with nodes that wait for 3: below the size, every node pauses its clustered components.
    const scaleBelowSize = ["--nodes", "4", "--targets", "100", "--drill", "scale", "--to", "2", "--profile", "fast", "--cluster.wait-for-size=3"];
    const r = runCli(["simulate", ...scaleBelowSize, "--json"]);
    assert.equal(r.status, 3, r.stderr);
    // Never settled, as the lab sees it: the nodes agree, but a lab is converged only when every target has an owner.
    assert.match(r.stderr, /^alloy-lab simulate: the drill stalled: 100 of 100 targets had no owner 60 s after the drill's last step .*wait-for-size/);
    assert.equal(r.stderr.trim().split("\n").length, 1);
    const report = JSON.parse(r.stdout) as DrillReport;
    assert.match(report.stalled ?? "", /^100 of 100 targets had no owner/);
    assert.deepEqual(
      report.steps.map((s) => s.action),
      ["stop", "stop", "stalled"],
    );
    // The open gaps count up to when the drill gave up: each target unscraped for most of the minute waited.
    assert.equal(report.worstTargets.length, 10);
    for (const t of report.worstTargets) assert.ok(t.gapMs > 50_000, JSON.stringify(t));
    assert.ok(report.durationMs >= 60_000, String(report.durationMs));
    // With a timeout the nodes give up waiting for the size and own the targets again: not a stall.
    const timed = simulate([...scaleBelowSize, "--cluster.wait-timeout=5s"]);
    assert.equal(timed.stalled, undefined);
    assert.equal(
      timed.perNode.reduce((n, p) => n + p.targetsAfter, 0),
      100,
    );
  });

  it("refuses bad usage with one line and exit 2", () => {
    for (const [args, message] of [
      [["--targets", "10", "--drill", "kill"], /--nodes must be/],
      [["--nodes", "3", "--drill", "kill"], /--targets must be/],
      [["--nodes", "3", "--targets", "10"], /--drill is required/],
      [["--nodes", "3", "--targets", "10", "--drill", "kill", "--loss", "1.5"], /--loss must be/],
      [["--nodes", "3", "--targets", "10", "--drill", "scale", "--to", "3"], /--to 3 is the size/],
      [["--nodes", "3", "--targets", "10", "--drill", "kill", "--cluster.wait-for-size"], /--cluster.NAME=VALUE/],
    ] as [string[], RegExp][]) {
      const r = runCli(["simulate", ...args]);
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
  });
});
