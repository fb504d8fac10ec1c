/**
 * `npm run bench -- drills`: what rehearsing a change costs — a real lab's statefulset rollout, the scale
 * planner on 100,000 targets, a 300-node simulated rollout — and how the simulator compares with the real lab
 * on the same drills (5 nodes, fast profile).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { median, type DrillReport } from "../../runtime/src/drills/drillReport";
import { syntheticLabTargets } from "../../runtime/src/lab/syntheticLabTargets";
import { planScale } from "../../runtime/src/planning/scalePlan";
import { medianMs, round } from "../support/benchTiming";
import { CLI } from "../support/cli";

function cli(args: string[]): { wallMs: number; report: DrillReport } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args, "--json"], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`alloy-lab ${args.join(" ")}: ${r.stderr}`);
  return { wallMs: Math.round(performance.now() - t0), report: JSON.parse(r.stdout) as DrillReport };
}

interface SimulationRun {
  wallMs: number;
  peakRssMb: number;
  report: DrillReport;
}

/** A simulation in its own process; undefined when it did not finish within `timeoutMs` (or ran out of memory). */
function simulation(args: string[], timeoutMs = 600_000): SimulationRun | undefined {
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(__dirname, "simulateRun.ts"), ...args], {
    encoding: "utf8",
    maxBuffer: 64 << 20,
    timeout: timeoutMs,
  });
  if (r.status !== 0) return undefined;
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as SimulationRun;
}

const BIG_TIMEOUT_MS = 600_000;

function bigFigures(run: SimulationRun | undefined): Record<string, unknown> {
  if (run === undefined) return { finished: false, within: `${BIG_TIMEOUT_MS / 1000} s (or out of memory)` };
  return {
    wallMs: run.wallMs,
    peakRssMb: run.peakRssMb,
    simulatedMs: run.report.durationMs,
    handoffs: run.report.handoffs,
    duplicateScrapes: run.report.duplicateScrapes,
    convergence: run.report.convergence,
  };
}

/** The figures the lab and the simulator are compared on. */
function figures(r: DrillReport): Record<string, number> {
  return {
    durationMs: r.durationMs,
    convergenceMedianMs: r.convergence?.medianMs ?? NaN,
    handoffs: r.handoffs,
    maxGapMs: r.maxGapMs,
    gapSeconds: r.gapSeconds,
  };
}

function medians(reports: DrillReport[]): Record<string, number> {
  const all = reports.map(figures);
  return Object.fromEntries(Object.keys(all[0]).map((k) => [k, round(median(all.map((f) => f[k])), 1)]));
}

function main(): void {
  // A real lab: 5 nodes, 500 targets, the fast profile (the lab's default 5 s interval).
  const rollout = cli(["drill", "rollout-statefulset", "--nodes", "5", "--lab.targets", "500"]);

  const targets = syntheticLabTargets(100_000);
  const planMs = medianMs(3, () => planScale([{ keyStrategy: "labels", targets }], 3, 20));

  const big = simulation(["--nodes", "300", "--targets", "100000", "--drill", "rollout-statefulset", "--profile", "alloy"], BIG_TIMEOUT_MS);
  // A size that finishes, paced as a real rollout is (a pod ready 10 s before the next goes).
  const medium = simulation(["--nodes", "100", "--targets", "30000", "--drill", "rollout-statefulset", "--profile", "alloy", "--min-ready-seconds", "10"]);

  // The simulator against the real lab: the same drills, 5 nodes, fast profile, 1 s interval.
  const crossCheck: Record<string, unknown> = {};
  for (const drill of [["rollout-statefulset"], ["kill"], ["scale", "--to", "7"]]) {
    const common = [...drill, "--nodes", "5", "--lab.scrape-interval", "1s"];
    // Hand-offs fall at random points among the targets' scrape phases (a lab starts whenever it starts; a
    // simulation at its seed's point), so one run's total gap is a draw from a wide spread — a scale-up's ranged
    // 2.3–9.6 s over the same targets. Medians of 7 lab runs and of 21 seeds (a simulation costs far less).
    const lab = medians(Array.from({ length: 7 }, () => cli(["drill", ...common, "--profile", "fast"]).report));
    const sim = medians(
      Array.from({ length: 21 }, (_, seed) => simulation(["--drill", ...common, "--targets", "100", "--profile", "fast", "--seed", String(seed + 1)])!.report),
    );
    crossCheck[drill[0]] = { lab, simulated: sim, ratio: Object.fromEntries(Object.keys(lab).map((k) => [k, round(sim[k] / lab[k], 2)])) };
  }

  console.log(
    JSON.stringify({
      statefulsetRollout5Nodes500Targets: {
        wallMs: rollout.wallMs,
        drillMs: rollout.report.durationMs,
        handoffs: rollout.report.handoffs,
        maxGapMs: rollout.report.maxGapMs,
        duplicateScrapes: rollout.report.duplicateScrapes,
      },
      planMs100kTargetsSizes3to20: round(planMs),
      simulate300Nodes100kTargetsAlloyRollout: bigFigures(big),
      simulate100Nodes30kTargetsAlloyRolloutMinReady10s: bigFigures(medium),
      crossCheck,
    }),
  );
}

main();
