import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { seriesCount } from "../../runtime/src/farm/farmMetrics";
import type { ScalePlanResult } from "../../runtime/src/planning/scalePlan";
import { runCli } from "../support/cli";
import { loadRingVectors } from "../support/vectors";

const vectors = loadRingVectors();
const targets = vectors.targetKeys.map((k) => k.labels);

function plan(args: string[], input?: string): { status: number | null; result?: ScalePlanResult; stderr: string; stdout: string } {
  const r = runCli(["plan", ...args], input);
  return { ...r, result: r.status === 0 && args.includes("--json") ? (JSON.parse(r.stdout) as ScalePlanResult) : undefined };
}

function owners(nodes: string[]): string[] {
  const r = runCli(["ownership", "-"], JSON.stringify({ nodes, targets }));
  assert.equal(r.status, 0, r.stderr);
  return (JSON.parse(r.stdout) as { targets: { owners: string[] }[] }).targets.map((t) => t.owners[0]);
}

describe("alloy-lab plan", () => {
  it("gives each size the shares and moves that `ownership` computes for the same node names", () => {
    const r = plan(["--targets", "-", "--nodes", "3..6", "--json"], JSON.stringify({ targets }));
    assert.equal(r.status, 0, r.stderr);
    const result = r.result!;
    assert.equal(result.targets, targets.length);
    assert.deepEqual(
      result.plans.map((p) => p.nodes),
      [3, 4, 5, 6],
    );
    let previous: string[] | undefined;
    for (const p of result.plans) {
      assert.deepEqual(
        p.names,
        Array.from({ length: p.nodes }, (_, i) => `alloy-${i}`),
      );
      const o = owners(p.names);
      assert.deepEqual(
        p.perNode.map((n) => n.targets),
        p.names.map((name) => o.filter((x) => x === name).length),
      );
      // Without weights every target weighs 1.
      assert.deepEqual(
        p.perNode.map((n) => n.weight),
        p.perNode.map((n) => n.targets),
      );
      const max = Math.max(...p.perNode.map((n) => n.targets));
      assert.equal(p.peakToMean, Math.round((max / (targets.length / p.nodes)) * 1000) / 1000);
      assert.equal(p.perNode.find((n) => n.name === p.hottest.byTargets)!.targets, max);
      assert.equal(p.movedFromPrevious, previous === undefined ? null : o.filter((x, i) => x !== previous![i]).length);
      previous = o;
    }
  });

  it("takes a plain list of label sets and names nodes from --names", () => {
    const r = plan(["--targets", "-", "--nodes", "4", "--names", "collector-{i}.alloy", "--json"], JSON.stringify(targets));
    assert.equal(r.status, 0, r.stderr);
    const [p] = r.result!.plans;
    assert.deepEqual(p.names, ["collector-0.alloy", "collector-1.alloy", "collector-2.alloy", "collector-3.alloy"]);
    const o = owners(p.names);
    assert.deepEqual(
      p.perNode.map((n) => n.targets),
      p.names.map((name) => o.filter((x) => x === name).length),
    );
  });

  it("weighs targets from a file (by position or by shard key) or by the lab farm's samples/s", () => {
    const names = ["alloy-0", "alloy-1", "alloy-2"];
    const o = owners(names);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
    const byPosition = targets.map((_, i) => i % 7);
    fs.writeFileSync(path.join(dir, "w.json"), JSON.stringify(byPosition));
    const r = plan(["--targets", "-", "--nodes", "3", "--weights", path.join(dir, "w.json"), "--json"], JSON.stringify(targets));
    assert.equal(r.status, 0, r.stderr);
    const [p] = r.result!.plans;
    const expected = names.map((name) => byPosition.reduce((s, w, i) => s + (o[i] === name ? w : 0), 0));
    assert.deepEqual(
      p.perNode.map((n) => n.weight),
      expected,
    );
    assert.equal(p.hottest.byWeight, names[expected.indexOf(Math.max(...expected))]);

    const first = vectors.targetKeys[0];
    fs.writeFileSync(path.join(dir, "k.json"), JSON.stringify({ [first.key]: 1001 }));
    const byKey = plan(["--targets", "-", "--nodes", "3", "--weights", path.join(dir, "k.json"), "--json"], JSON.stringify(targets)).result!.plans[0];
    const ownerOfFirst = byKey.perNode.find((n) => n.name === o[0])!;
    // Every target with that key (labels that differ only in __meta_ ones share it) weighs 1001.
    const sharing = vectors.targetKeys.filter((k) => k.key === first.key).length;
    assert.equal(ownerOfFirst.weight, ownerOfFirst.targets - sharing + 1001 * sharing);

    const lab = plan(["--targets", "-", "--nodes", "3", "--weights", "lab", "--json"], JSON.stringify(targets)).result!.plans[0];
    const labExpected = names.map((name) => vectors.targetKeys.reduce((s, k, i) => s + (o[i] === name ? seriesCount(k.key) / 60 : 0), 0));
    lab.perNode.forEach((n, i) => assert.ok(Math.abs(n.weight - labExpected[i]) < 0.01, `${n.name}: ${n.weight} vs ${labExpected[i]}`));
  });

  it("plans a config's clustered components, each by its own key, and skips the unclustered", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
    const file = path.join(dir, "config.alloy");
    fs.writeFileSync(
      file,
      `prometheus.scrape "a" {
  targets = [{"__address__" = "10.0.0.1:9100"}, {"__address__" = "10.0.0.2:9100"}, {"__address__" = "10.0.0.3:9100"}]
  forward_to = []
  clustering { enabled = true }
}
prometheus.scrape "b" {
  targets = [{"__address__" = "10.0.0.4:9100"}]
  forward_to = []
}
loki.source.kubernetes_events "ev" {
  namespaces = ["a", "b"]
  forward_to = []
  clustering { enabled = true }
}
`,
    );
    const r = plan(["--config", file, "--nodes", "2..3", "--json"]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.result!.targets, 5);
    const nsOwners = runCli(
      ["ownership", "-"],
      JSON.stringify({ nodes: ["alloy-0", "alloy-1"], targets: [{ namespace: "a" }, { namespace: "b" }], keyStrategy: "namespace" }),
    );
    const labelOwners = runCli(
      ["ownership", "-"],
      JSON.stringify({ nodes: ["alloy-0", "alloy-1"], targets: [1, 2, 3].map((i) => ({ __address__: `10.0.0.${i}:9100` })) }),
    );
    const all = [...JSON.parse(labelOwners.stdout).targets, ...JSON.parse(nsOwners.stdout).targets].map((t: { owners: string[] }) => t.owners[0]);
    assert.deepEqual(
      r.result!.plans[0].perNode.map((n) => n.targets),
      ["alloy-0", "alloy-1"].map((name) => all.filter((x) => x === name).length),
    );
  });

  it("prints a table without --json", () => {
    const r = plan(["--targets", "-", "--nodes", "2..3"], JSON.stringify(targets));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^nodes\s+targets\/node \(min–max\)\s+peak\/mean/m);
    assert.match(r.stdout, /^3\s+\d+–\d+\s+\d\.\d\d\s+\d\.\d\d\s+alloy-\d\s+\d+ \(\d+\.\d%\)$/m);
  });

  it("refuses bad usage with one clear line and exit 2", () => {
    const cases: [string[], RegExp][] = [
      [["--nodes", "3"], /exactly one of --targets/],
      [["--targets", "-"], /--nodes A\.\.B is required/],
      [["--targets", "-", "--nodes", "5..3"], /--nodes must be N or A\.\.B/],
      [["--targets", "-", "--nodes", "0..3"], /--nodes must be/],
      [["--targets", "-", "--nodes", "3", "--names", "alloy"], /--names must contain \{i\}/],
      [["--targets", "-", "--nodes", "3", "--weights", "/nonexistent/w.json"], /cannot read weights file/],
    ];
    for (const [args, message] of cases) {
      const r = plan(args, JSON.stringify(targets));
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
    const bad = plan(["--targets", "-", "--nodes", "3"], JSON.stringify({ targets: [{ a: 1 }] }));
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /targets\[0\]\.a must be a string/);
  });
});
