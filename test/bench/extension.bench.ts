/**
 * `npm run bench -- extension`: the VS Code side. Prints one JSON object.
 * - treeRefreshMs: rebuilding the Cluster, Targets (both groupings) and Events trees for a 10,000-target lab —
 *   the work a refresh does in our code (VS Code then renders only the visible rows).
 * - activationMs: VS Code's own activation time for the extension, as "Developer: Show Running Extensions"
 *   reports it, in code-server (median of fresh windows); null when the e2e tools are not installed.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { clusterTree, eventsTree, targetsTree } from "../../extension/src/views/labTreeModel";
import type { LabEvent } from "../../runtime/src/protocol/labEvents";
import type { LabState } from "../../runtime/src/protocol/labState";
import { medianMs, round } from "../support/benchTiming";
import { openFile, openVsCode, runCommand } from "../e2e/support/codeServer";
import { missingPrerequisite } from "../e2e/support/e2eTools";

const REPO = path.join(__dirname, "..", "..");
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A lab state with `targets` targets over `nodes` nodes, and a history with rebalances that moved many. */
function bigLab(targets: number, nodes: number): { state: LabState; events: LabEvent[] } {
  const names = Array.from({ length: nodes }, (_, i) => `alloy-${i}`);
  const all = Array.from({ length: targets }, (_, i) => {
    const owner = names[i % nodes];
    const component = `prometheus.scrape.job_${i % 4}`;
    return {
      component,
      clustered: true,
      key: String(1e15 + i * 7919),
      labels: { __address__: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:9100`, job: `job_${i % 4}` },
      owner,
      owners: [owner],
    };
  });
  const state: LabState = {
    source: { kind: "lab", profile: "fast" },
    converged: true,
    components: [0, 1, 2, 3].map((j) => ({
      id: `prometheus.scrape.job_${j}`,
      clustered: true,
      scrapeIntervalMs: 5000,
      targetSource: "simulated" as const,
      targets: targets / 4,
    })),
    nodes: names.map((name, i) => ({
      id: name,
      name,
      pid: 1000 + i,
      addr: `127.0.0.1:${20000 + i}`,
      state: "participant",
      running: true,
      ready: true,
      peers: names,
      samplesPerSecond: 1234,
    })),
    targets: all,
  };
  const events: LabEvent[] = Array.from({ length: 200 }, (_, i) =>
    i % 10 === 0
      ? {
          kind: "rebalance",
          at: i,
          cause: `alloy-${i % nodes} joined`,
          participants: names,
          moved: all.slice(0, targets / nodes).map((t) => ({ key: t.key, from: "alloy-0", to: t.owner })),
          movedCount: targets / nodes,
          totalTargets: targets,
          movedFraction: 1 / nodes,
          idealFraction: 1 / nodes,
        }
      : { kind: "node-started", at: i, name: `alloy-${i % nodes}`, pid: i, addr: "127.0.0.1:1" },
  );
  return { state, events };
}

function treeRefreshMs(): number {
  const { state, events } = bigLab(10_000, 5);
  return medianMs(
    21,
    () => {
      clusterTree(state);
      targetsTree(state, "owner", events);
      targetsTree(state, "component", events);
      eventsTree(events);
    },
    5,
  );
}

async function activationMs(runs: number): Promise<number | null> {
  if (missingPrerequisite() !== undefined) return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "alloy-lab-bench-"));
  const vsix = path.join(dir, "alloy-cluster-lab.vsix");
  const pack = spawnSync(process.execPath, [path.join(REPO, "scripts", "package-vsix.mjs"), vsix], {
    cwd: REPO,
    encoding: "utf8",
  });
  if (pack.status !== 0) throw new Error(pack.stderr);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const vscode = await openVsCode(
      vsix,
      { "cluster.alloy": fs.readFileSync(path.join(REPO, "examples", "cluster.alloy"), "utf8") },
      path.join(dir, "screenshots"),
    );
    try {
      await openFile(vscode.page, "cluster.alloy");
      await runCommand(vscode.page, "Developer: Show Running Extensions");
      const row = vscode.page.locator(".runtime-extensions-editor .monaco-list-row", { hasText: "Alloy Cluster Lab" });
      await row.waitFor({ timeout: 30_000 });
      const match = /Activation: (\d+)ms/.exec((await row.textContent()) ?? "");
      if (match === null) throw new Error(`no activation time in ${await row.textContent()}`);
      times.push(Number(match[1]));
    } finally {
      await vscode.close();
      fs.rmSync(vscode.root, { recursive: true, force: true });
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return median(times);
}

async function main(): Promise<void> {
  const tree = treeRefreshMs();
  const activation = await activationMs(3);
  console.log(
    JSON.stringify({
      suite: "extension",
      treeRefreshMs: round(tree, 2),
      treeTargets: 10_000,
      activationMs: activation,
      targets: { treeRefreshMs: 100, activationMs: 150 },
    }),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
