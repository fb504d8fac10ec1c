/**
 * The chaos suite: a real lab (fast profile) put through a seeded random schedule of SIGKILLs, graceful
 * stops, restarts, adds and partitions (healed within the round). After each round's quiet period it checks
 * what must hold whatever happened: the live nodes agree on membership, every clustered target has exactly
 * one live owner and it is the pure ring's answer, no node process is lost or duplicated, the event log
 * accounts for the change, duplicates and gaps occur only while the cluster converges, and a graceful stop
 * hands off with a gap, never an overlap (the stopped node never scrapes beside its successor).
 */
import { spawnSync } from "node:child_process";
import type { LabEvent } from "../../runtime/src/protocol/labEvents";
import type { LabState } from "../../runtime/src/protocol/labState";
import type { LabSupervisor } from "../../runtime/src/lab/labSupervisor";
import { TIMING_PROFILES } from "../../runtime/src/membership/swimTiming";
import { clusteredComponent, expectedOwners, newLab } from "../support/lab";
import { seededRandom, syntheticTargets } from "../support/syntheticTargets";

export interface ChaosOptions {
  rounds: number;
  seed: number;
  nodes: number;
  targets: number;
  scrapeIntervalMs: number;
  /** One line per round. */
  log?: (line: string) => void;
}

type Action = "kill" | "stop" | "restart" | "add" | "partition";

export interface ChaosRound {
  round: number;
  action: Action;
  nodes: string[];
  convergeMs: number;
  /** Partition rounds: until each side agreed on its own view, and from heal to one view again. */
  splitMs?: number;
  healMs?: number;
  duplicates: number;
  gaps: number;
  violations: string[];
}

export interface ChaosSummary {
  rounds: number;
  seed: number;
  nodes: number;
  targets: number;
  /** How many rounds did each action. */
  actions: Partial<Record<Action, number>>;
  convergeMs: { median: number; max: number };
  healMs: { median: number; max: number; pushPullIntervalMs: number } | null;
  duplicateSeconds: number;
  gapSeconds: number;
  anomaliesOutsideConvergence: number;
  violations: number;
  firstViolations: string[];
}

/** The longest a round may take to converge before it is a violation (liveness, not a speed target). */
const CONVERGE_TIMEOUT_MS = 20_000;

const median = (xs: number[]): number => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const sameSet = (a: readonly string[], b: readonly string[]): boolean => [...a].sort().join(",") === [...b].sort().join(",");

/** Node processes this process has forked, by the name on their command line. */
function nodeProcessesOfThisProcess(): string[] {
  const ps = spawnSync("ps", ["-eo", "ppid=,args="], { encoding: "utf8" });
  return ps.stdout
    .split("\n")
    .filter((l) => l.trim().startsWith(`${process.pid} `) && l.includes("node.js"))
    .map((l) => /--cluster\.node-name=(\S+)/.exec(l)?.[1] ?? "?");
}

export async function runChaos(o: ChaosOptions): Promise<ChaosSummary> {
  const rand = seededRandom(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const lab = newLab({ components: [clusteredComponent(syntheticTargets(o.targets, o.seed), o.scrapeIntervalMs)] });
  const rounds: ChaosRound[] = [];
  /** Periods in which duplicates and gaps are expected: from a change until convergence plus detection lag. */
  const windows: [number, number][] = [];
  const anomalies: Extract<LabEvent, { kind: "duplicate" | "gap" }>[] = [];
  // Every event, kept here: the supervisor's own log keeps only the latest 10,000.
  const log: LabEvent[] = [];
  lab.on("event", (e: LabEvent) => {
    if (e.kind === "duplicate" || e.kind === "gap") anomalies.push(e);
    else if (e.kind !== "scrape-stats") log.push(e);
  });
  // A duplicate is seen when the second scrape lands (≤ 1 interval late), a gap after 2 intervals; the
  // supervisor checks gaps every second.
  const detectionLagMs = 2 * o.scrapeIntervalMs + 1500;
  const live = new Set<string>();
  let chaosFrom = Infinity;
  try {
    const t0 = Date.now();
    await lab.start(o.nodes);
    for (let i = 0; i < o.nodes; i++) live.add(`alloy-${i}`);
    await lab.waitFor((s) => s.converged && sameSet(aliveNames(s), [...live]), CONVERGE_TIMEOUT_MS);
    windows.push([t0, Date.now() + detectionLagMs]);
    chaosFrom = Date.now();
    for (let round = 1; round <= o.rounds; round++) {
      const r = await chaosRound(lab, log, round, live, pick, rand);
      windows.push([r.startedAt, r.endedAt + detectionLagMs]);
      const inRound = anomalies.filter((a) => a.at >= r.startedAt);
      r.result.duplicates = inRound.filter((a) => a.kind === "duplicate").length;
      r.result.gaps = inRound.filter((a) => a.kind === "gap").length;
      rounds.push(r.result);
      o.log?.(
        `round ${round}: ${r.result.action} ${r.result.nodes.join(",")} → converged in ${r.result.convergeMs} ms` +
          (r.result.healMs !== undefined ? ` (split ${r.result.splitMs} ms, healed ${r.result.healMs} ms)` : "") +
          `, ${r.result.duplicates} duplicates, ${r.result.gaps} gaps` +
          (r.result.violations.length ? ` — VIOLATIONS: ${r.result.violations.join("; ")}` : ""),
      );
      // A quiet period of 0.2–1 s before the next change.
      await new Promise((res) => setTimeout(res, 200 + Math.floor(rand() * 800)));
    }
    // Let late detections of the last round arrive.
    await new Promise((res) => setTimeout(res, detectionLagMs));
  } finally {
    await lab.shutdown();
  }
  // What the rounds caused (start-up, when every node owns everything until it sees the others, aside).
  const caused = anomalies.filter((a) => a.at >= chaosFrom);
  const outside = anomalies.filter((a) => !windows.some(([from, to]) => a.at >= from && a.at <= to));
  const violations = rounds.flatMap((r) => r.violations.map((v) => `round ${r.round}: ${v}`));
  for (const a of outside) violations.push(`${a.kind} of ${a.key} at ${a.at} outside any convergence window`);
  const heals = rounds.flatMap((r) => (r.healMs === undefined ? [] : [r.healMs]));
  const converge = rounds.map((r) => r.convergeMs);
  return {
    rounds: rounds.length,
    seed: o.seed,
    nodes: o.nodes,
    targets: o.targets,
    actions: rounds.reduce<Partial<Record<Action, number>>>((n, r) => ({ ...n, [r.action]: (n[r.action] ?? 0) + 1 }), {}),
    convergeMs: { median: median(converge), max: Math.max(0, ...converge) },
    healMs: heals.length ? { median: median(heals), max: Math.max(...heals), pushPullIntervalMs: TIMING_PROFILES.fast.pushPullIntervalMs } : null,
    // A duplicate event stands for one interval in which two nodes scraped the target; a gap event for the
    // two intervals nobody did before it was noticed (a lower bound).
    duplicateSeconds: (caused.filter((a) => a.kind === "duplicate").length * o.scrapeIntervalMs) / 1000,
    gapSeconds: caused.reduce((s, a) => s + (a.kind === "gap" ? a.sinceMs : 0), 0) / 1000,
    anomaliesOutsideConvergence: outside.length,
    violations: violations.length,
    firstViolations: violations.slice(0, 10),
  };
}

const aliveNames = (s: LabState): string[] => s.nodes.filter((n) => n.running).map((n) => n.name);

function chooseAction(live: ReadonlySet<string>, rand: () => number): Action {
  // Keep between 3 and 9 nodes, so there is always a cluster to break and a machine to run it on.
  const options: Action[] =
    live.size <= 3
      ? ["add", "restart", "partition"]
      : live.size >= 9
        ? ["kill", "stop", "restart", "partition"]
        : ["kill", "stop", "restart", "add", "partition"];
  return options[Math.floor(rand() * options.length)];
}

async function chaosRound(
  lab: LabSupervisor,
  log: readonly LabEvent[],
  round: number,
  live: Set<string>,
  pick: <T>(xs: readonly T[]) => T,
  rand: () => number,
): Promise<{ result: ChaosRound; startedAt: number; endedAt: number }> {
  const action = chooseAction(live, rand);
  const violations: string[] = [];
  const startedAt = Date.now();
  const logFrom = log.length;
  const before = lab.state();
  const result: ChaosRound = { round, action, nodes: [], convergeMs: 0, duplicates: 0, gaps: 0, violations };
  const members = [...live].sort();
  switch (action) {
    case "kill":
    case "stop": {
      const name = pick(members);
      result.nodes = [name];
      if (action === "kill") lab.killNode(name);
      else lab.stopNode(name);
      live.delete(name);
      break;
    }
    case "restart": {
      const name = pick(members);
      result.nodes = [name];
      await lab.restartNode(name);
      break;
    }
    case "add": {
      const node = await lab.addNode();
      result.nodes = [node.name];
      live.add(node.name);
      break;
    }
    case "partition": {
      const shuffled = [...members].sort(() => rand() - 0.5);
      const cut = 1 + Math.floor(rand() * (shuffled.length - 1));
      const groups = [shuffled.slice(0, cut).sort(), shuffled.slice(cut).sort()];
      result.nodes = groups.map((g) => `[${g.join(" ")}]`);
      lab.partition(groups);
      try {
        // Each side converges on its own view: a split brain, where both sides own every target.
        const split = await lab.waitFor(
          (s) =>
            s.nodes
              .filter((n) => n.running)
              .every((n) =>
                sameSet(
                  n.peers,
                  groups.find((g) => g.includes(n.name))!,
                ),
              ) && s.targets.every((t) => t.owners.length === 2),
          CONVERGE_TIMEOUT_MS,
        );
        result.splitMs = Date.now() - startedAt;
        for (const t of split.targets)
          if (groups.some((g) => t.owners.filter((o) => g.includes(o)).length !== 1))
            violations.push(`split brain: target ${t.key} is not owned once on each side`);
      } catch {
        violations.push("the sides of the partition did not each converge on their own view");
      }
      const healedAt = Date.now();
      lab.heal();
      try {
        await lab.waitFor((s) => s.converged && sameSet(aliveNames(s), members), CONVERGE_TIMEOUT_MS);
        result.healMs = Date.now() - healedAt;
      } catch {
        violations.push("no single view after healing");
      }
      break;
    }
  }
  let state: LabState;
  try {
    state = await lab.waitFor(
      (s) => s.converged && sameSet(aliveNames(s), [...live]) && s.nodes.every((n) => !n.running || n.state === "participant"),
      CONVERGE_TIMEOUT_MS,
    );
  } catch {
    state = lab.state();
    violations.push(
      `did not converge on [${[...live].sort().join(",")}] within ${CONVERGE_TIMEOUT_MS} ms (sees ${state.nodes
        .filter((n) => n.running)
        .map((n) => `${n.name}:${n.peers.join("+")}`)
        .join(" ")})`,
    );
  }
  const endedAt = Date.now();
  result.convergeMs = endedAt - startedAt;
  checkState(state, live, violations);
  checkEvents(log.slice(logFrom), action, result.nodes, before, state, violations);
  return { result, startedAt, endedAt };
}

function checkState(state: LabState, live: ReadonlySet<string>, violations: string[]): void {
  const participants = new Set(state.nodes.filter((n) => n.running && n.state === "participant").map((n) => n.name));
  const expected = expectedOwners(state);
  state.targets.forEach((t, i) => {
    if (t.owners.length !== 1) violations.push(`target ${t.key} has ${t.owners.length} owners`);
    else if (!participants.has(t.owners[0])) violations.push(`target ${t.key} is owned by ${t.owners[0]}, not a live participant`);
    else if (t.owners[0] !== expected[i]) violations.push(`target ${t.key} is owned by ${t.owners[0]}, the ring says ${expected[i]}`);
  });
  const processes = nodeProcessesOfThisProcess().sort();
  if (processes.join(",") !== [...live].sort().join(","))
    violations.push(`node processes [${processes.join(",")}] are not the live nodes [${[...live].sort().join(",")}]`);
  const pids = state.nodes.filter((n) => n.running).map((n) => n.pid);
  if (new Set(pids).size !== pids.length || pids.some((p) => p === null)) violations.push("live nodes without a distinct process id");
}

/** The supervisor's log must say what happened: the process events, what the peers saw, and the rebalance. */
function checkEvents(events: readonly LabEvent[], action: Action, nodes: string[], before: LabState, after: LabState, violations: string[]): void {
  const has = (p: (e: LabEvent) => boolean, what: string): void => {
    if (!events.some(p)) violations.push(`the event log has no ${what}`);
  };
  const name = nodes[0];
  switch (action) {
    case "kill":
      has((e) => e.kind === "node-exited" && e.name === name && e.signal === "SIGKILL", `exit of ${name} by SIGKILL`);
      has((e) => (e.kind === "dead" || e.kind === "left") && e.name === name, `peer seeing ${name} dead`);
      break;
    case "stop": {
      has((e) => e.kind === "node-exited" && e.name === name && e.expected && e.signal === null, `clean exit of ${name}`);
      has((e) => (e.kind === "left" || (e.kind === "state-changed" && e.state === "terminating")) && e.name === name, `peer seeing ${name} leave`);
      // A graceful hand-off is a gap, never an overlap: the stopped node never scrapes beside its successor.
      const overlap = events.find((e) => e.kind === "duplicate" && e.nodes.includes(name));
      if (overlap?.kind === "duplicate")
        violations.push(`${name} scraped ${overlap.key} beside ${overlap.nodes.filter((n) => n !== name).join(", ")} while stopping`);
      break;
    }
    case "restart":
      has((e) => e.kind === "node-exited" && e.name === name, `exit of ${name}`);
      has((e) => e.kind === "node-started" && e.name === name, `start of ${name}`);
      break;
    case "add":
      has((e) => e.kind === "node-started" && e.name === name, `start of ${name}`);
      has((e) => e.kind === "joined" && e.name === name, `peer seeing ${name} join`);
      break;
    case "partition":
      has((e) => e.kind === "partition", "partition");
      has((e) => e.kind === "healed", "heal");
      break;
  }
  const participants = (s: LabState): string[] =>
    s.nodes
      .filter((n) => n.running && n.state === "participant")
      .map((n) => n.name)
      .sort();
  if ((action === "kill" || action === "stop" || action === "add") && !sameSet(participants(before), participants(after))) {
    has((e) => e.kind === "rebalance" && sameSet(e.participants, participants(after)), `rebalance onto [${participants(after).join(",")}]`);
  }
}
