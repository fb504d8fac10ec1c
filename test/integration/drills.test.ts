/**
 * Each drill on a real lab (forked node processes, real scrapes), its report checked against what happened:
 * the steps the controller took, the nodes before and after, and the hand-offs' costs.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import type { DrillReport, DrillTimeline } from "../../runtime/src/drills/drillReport";
import { runDrill } from "../../runtime/src/drills/drillRunner";
import { parseDrillOptions, type DrillOptions } from "../../runtime/src/drills/drillSpec";
import { startControlApi } from "../../runtime/src/lab/controlApi";
import { SupervisorDrillLab } from "../../runtime/src/lab/supervisorDrillLab";
import { LabControlClient, LabControlError } from "../../runtime/src/protocol/labControlClient";
import { TIMING_PROFILES } from "../../runtime/src/membership/swimTiming";
import { planScale } from "../../runtime/src/planning/scalePlan";
import { runCliAsync } from "../support/cli";
import { clusteredComponent, convergedWith, newLab, shutDownAfterSuite } from "../support/lab";
import { syntheticTargets } from "../support/syntheticTargets";

const INTERVAL_MS = 1000;
/** How long an ownership change takes to reach every node at most in the fast profile: one push-pull. */
const UPDATE_MS = TIMING_PROFILES.fast.pushPullIntervalMs;
const names = (n: number): string[] => Array.from({ length: n }, (_, i) => `alloy-${i}`);

function options(kind: string, flags: Record<string, string | boolean> = {}): DrillOptions {
  const o = parseDrillOptions(kind, flags);
  assert.ok(typeof o !== "string", String(o));
  return o;
}

describe("drills on a real lab", { timeout: 180_000 }, () => {
  const track = shutDownAfterSuite();
  const targets = syntheticTargets(100, 21);

  async function drill(nodes: number, o: DrillOptions): Promise<{ report: DrillReport; timeline: DrillTimeline }> {
    const lab = track(newLab({ components: [clusteredComponent(targets, INTERVAL_MS)] }));
    await lab.start(nodes);
    await lab.waitFor(convergedWith(names(nodes)), 20_000);
    return runDrill(new SupervisorDrillLab(lab, "fast"), o);
  }

  it("rollout-statefulset (CLI): each name restarted exactly once, highest ordinal first, each after the previous is ready", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drill-"));
    const r = await runCliAsync([
      "drill",
      "rollout-statefulset",
      "--nodes",
      "5",
      "--lab.scrape-interval",
      "1s",
      "--json",
      "--save-timeline",
      path.join(dir, "t.json"),
      "--save-markdown",
      path.join(dir, "r.md"),
    ]);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as DrillReport;
    assert.equal(report.drill, "rollout-statefulset");
    assert.equal(report.nodes, 5);
    assert.equal(report.nodesAfter, 5);
    assert.equal(report.targets, 100);
    const order = report.steps.filter((s) => s.action !== "settled").map((s) => `${s.action} ${s.node}`);
    assert.deepEqual(
      order,
      ["alloy-4", "alloy-3", "alloy-2", "alloy-1", "alloy-0"].flatMap((n) => [`stop ${n}`, `start ${n}`, `ready ${n}`]),
    );
    for (const n of report.perNode) {
      assert.equal(n.starts, 1, n.name);
      assert.equal(n.stops, 1, n.name);
      // The same names make the same ring.
      assert.equal(n.targetsAfter, n.targetsBefore, n.name);
    }
    assert.ok(report.handoffs > 0);
    assert.ok(report.maxGapMs < INTERVAL_MS + UPDATE_MS, `largest gap ${report.maxGapMs} ms`);
    const timeline = JSON.parse(fs.readFileSync(path.join(dir, "t.json"), "utf8")) as DrillTimeline;
    // A stopping node announces it is terminating and stops scraping before anyone takes its targets: no
    // duplicate comes from a stop. (A returning pod owns its targets in its own view as soon as it is a
    // participant, while the others drop them when gossip reaches them, as in Alloy: a duplicate there can
    // only start right after that pod's start.)
    const starts = report.steps.filter((s) => s.action === "start").map((s) => s.at);
    for (const w of timeline.windows.filter((x) => x.kind === "duplicate")) {
      assert.ok(
        starts.some((at) => w.from >= at && w.from <= at + UPDATE_MS + INTERVAL_MS),
        `duplicate window at ${w.from} ms is not right after a pod started (${starts.join(", ")})`,
      );
    }
    assert.deepEqual(
      timeline.nodes.map((n) => n.name),
      names(5),
    );
    assert.ok(timeline.markers.some((m) => m.kind === "exited" && m.node === "alloy-4"));
    assert.match(fs.readFileSync(path.join(dir, "r.md"), "utf8"), /^# Drill: rollout-statefulset$/m);
  });

  it("rollout-deployment: new names, never more than replicas + maxSurge pods, nor fewer ready than replicas − maxUnavailable", async () => {
    const { report } = await drill(4, options("rollout-deployment", { "max-surge": "1", "max-unavailable": "0" }));
    const old = names(4);
    const fresh = report.perNode.filter((n) => !old.includes(n.name));
    assert.equal(fresh.length, 4);
    for (const n of fresh) {
      assert.match(n.name, /^alloy-[a-z0-9]{5}-[a-z0-9]{5}$/);
      assert.equal(n.starts, 1);
    }
    for (const n of report.perNode.filter((x) => old.includes(x.name))) {
      assert.equal(n.stops, 1, n.name);
      assert.equal(n.targetsAfter, 0, n.name);
    }
    assert.equal(report.nodesAfter, 4);
    // Replay the steps: pods that exist (started, not yet stopped) and pods ready.
    let pods = 4;
    let ready = 4;
    for (const s of report.steps) {
      if (s.action === "start") pods++;
      if (s.action === "ready") ready++;
      if (s.action === "stop") {
        pods--;
        ready--;
      }
      assert.ok(pods <= 5, `${pods} pods at ${s.at} ms`);
      assert.ok(ready >= 4, `${ready} ready at ${s.at} ms`);
    }
    assert.equal(
      report.perNode.reduce((n, x) => n + x.targetsAfter, 0),
      100,
    );
  });

  it("scale 3 → 5 one pod at a time: the new ordinals in order, ending with the planner's shares", async () => {
    const { report } = await drill(3, options("scale", { to: "5", step: "1" }));
    assert.deepEqual(
      report.steps.filter((s) => s.action === "start" || s.action === "ready").map((s) => `${s.action} ${s.node}`),
      ["start alloy-3", "ready alloy-3", "start alloy-4", "ready alloy-4"],
    );
    const [plan] = planScale([{ keyStrategy: "labels", targets }], 5, 5).plans;
    assert.deepEqual(
      report.perNode.map((n) => [n.name, n.targetsAfter]),
      plan.perNode.map((n) => [n.name, n.targets]),
    );
    // A node that joins takes its targets from others: every target that moved was handed off at least once.
    const [three] = planScale([{ keyStrategy: "labels", targets }], 3, 3).plans;
    const movedAway = three.perNode.reduce((n, x) => n + Math.max(0, x.targets - plan.perNode.find((p) => p.name === x.name)!.targets), 0);
    assert.ok(report.handoffs >= movedAway, `${report.handoffs} hand-offs, ${movedAway} targets moved`);
  });

  it("kill 2 of 4 at once: the dead nodes' targets go to the survivors, after a gap", async () => {
    const { report } = await drill(4, options("kill", { count: "2" }));
    assert.deepEqual(
      report.steps.filter((s) => s.action === "kill").map((s) => s.node),
      ["alloy-3", "alloy-2"],
    );
    assert.equal(report.nodesAfter, 2);
    const survivors = report.perNode.filter((n) => n.name === "alloy-0" || n.name === "alloy-1");
    assert.equal(
      survivors.reduce((n, x) => n + x.targetsAfter, 0),
      100,
    );
    const killed = report.perNode.filter((n) => n.name === "alloy-2" || n.name === "alloy-3");
    const orphaned = killed.reduce((n, x) => n + x.targetsBefore, 0);
    assert.ok(orphaned > 0);
    // Each orphaned target was handed to a survivor; a killed node says nothing, so the others notice late.
    assert.ok(report.handoffs >= orphaned, `${report.handoffs} hand-offs for ${orphaned} orphaned targets`);
    assert.ok(report.maxGapMs > 0);
  });

  it("partition: each side takes the other side's targets (duplicates), and the heal ends it", async () => {
    const { report, timeline } = await drill(4, options("partition", { duration: "3" }));
    assert.deepEqual(
      report.steps.filter((s) => s.action === "partition" || s.action === "heal").map((s) => s.action),
      ["partition", "heal"],
    );
    assert.match(report.steps[0].detail ?? "", /^alloy-0,alloy-1 \| alloy-2,alloy-3$/);
    assert.ok(report.duplicateScrapes > 0, "a split brain scrapes targets twice");
    assert.ok(timeline.windows.some((w) => w.kind === "duplicate"));
    assert.equal(report.nodesAfter, 4);
  });

  it("runs through the control API: one drill at a time, bad options refused with the reason", async () => {
    const lab = track(newLab({ components: [clusteredComponent(targets, INTERVAL_MS)] }));
    const api = await startControlApi(lab);
    try {
      await lab.start(3);
      await lab.waitFor(convergedWith(names(3)), 20_000);
      const client = new LabControlClient(api.url, api.token);
      await assert.rejects(
        client.runDrill({ kind: "rollout-sideways" }),
        (e: unknown) => e instanceof LabControlError && e.status === 400 && /unknown drill/.test(e.message),
      );
      await assert.rejects(
        client.runDrill({ kind: "kill", options: { count: "lots" } }),
        (e: unknown) => e instanceof LabControlError && e.status === 400 && /--count must be a whole number/.test(e.message),
      );
      const first = client.runDrill({ kind: "kill", options: { "kill-nodes": "alloy-1" } });
      await assert.rejects(client.runDrill({ kind: "kill" }), (e: unknown) => e instanceof LabControlError && e.status === 409);
      const { report, timeline } = await first;
      assert.equal(report.drill, "kill");
      assert.deepEqual(
        report.steps.filter((s) => s.action === "kill").map((s) => s.node),
        ["alloy-1"],
      );
      assert.equal(report.nodesAfter, 2);
      assert.ok(timeline.markers.some((m) => m.node === "alloy-1" && m.kind === "exited"));
      // A drill that fails (no such pod) says why, and leaves the lab as it found it: nothing listening for it.
      const listening = lab.listenerCount("scrapes");
      await assert.rejects(
        client.runDrill({ kind: "kill", options: { "kill-nodes": "alloy-9" } }),
        (e: unknown) => e instanceof LabControlError && e.status === 409 && /no running node named alloy-9/.test(e.message),
      );
      assert.equal(lab.listenerCount("scrapes"), listening);
    } finally {
      await api.close();
    }
  });
});
