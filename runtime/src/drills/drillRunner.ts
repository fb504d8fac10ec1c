/**
 * Runs a drill on a lab — real processes (the supervisor) or simulated ones in virtual time — the way
 * Kubernetes' controllers would act on the pods, and reports what every hand-off cost. The lab is reached
 * through `DrillLab` only, so the same controller logic drives both.
 */
import type { LabEvent } from "../protocol/labEvents";
import type { LabComponentState, LabNodeState, LabState } from "../protocol/labState";
import { buildDrillReport, median, type DrillReport, type DrillStep, type DrillTimeline, type TimelineMarker } from "./drillReport";
import { byOrdinalDescending, resolveCountOrPercent, type DrillOptions } from "./drillSpec";
import type { TargetHistory } from "./handoffTimeline";

/** What a drill records while it runs. */
export interface DrillRecording {
  /** The scrape histories of the clustered targets, and the membership markers, since the recording began. */
  finish(): { histories: TargetHistory[]; markers: TimelineMarker[] };
}

export interface DrillLab {
  now(): number;
  sleep(ms: number): Promise<void>;
  state(): LabState;
  waitFor(predicate: (s: LabState) => boolean, timeoutMs: number): Promise<LabState>;
  /** Starts a process under `name` with `flags`; resolves once it listens. */
  addNode(name: string, flags: string[]): Promise<LabNodeState>;
  /** Graceful stop (SIGTERM: Alloy announces it is terminating, then leaves), SIGKILL after `graceMs`; resolves on exit. */
  terminateNode(id: string, graceMs: number): Promise<void>;
  killNode(id: string): void;
  partition(groups: string[][]): void;
  heal(): void;
  /** The flags a node was started with beyond the lab's own (a pod template's args). */
  nodeFlags(id: string): string[];
  startRecording(): DrillRecording;
  /** Targets per running node by the ring (clustered targets of the recorded components). */
  targetCounts(): Map<string, number>;
  /** Clustered targets of the recorded components that no running node owns now. */
  unownedTargets(): number;
  labelsOf(component: string, key: string): Record<string, string> | undefined;
  /** How long the cluster took to converge after each membership change, where the lab measures it. */
  convergenceMs?: readonly number[];
  /** Resolves once every clustered target has been scraped by its owner at or after `at`. */
  waitForOwnersToScrape(at: number, timeoutMs: number): Promise<void>;
  /** How long a settle may take (a cluster with Alloy's timings needs longer). */
  readonly settleTimeoutMs: number;
}

export class DrillError extends Error {}
/**
 * The cluster did not get where the drill waits for it (a pod never ready, no single view, targets nobody
 * scrapes): the drill stops waiting and reports what happened up to then — a finding, not a failure to run.
 */
export class DrillStalled extends DrillError {}

/** The markers a lab event makes on the timeline, if any. */
export function markerOf(e: LabEvent): TimelineMarker | undefined {
  switch (e.kind) {
    case "node-started":
      return { at: e.at, node: e.name, kind: "started", text: `${e.name} started` };
    case "node-exited":
      return { at: e.at, node: e.name, kind: "exited", text: `${e.name} ${e.expected ? "exited" : "died"}${e.signal ? ` (${e.signal})` : ""}` };
    case "dead":
    case "left":
    case "suspect":
      return { at: e.at, node: e.name, kind: e.kind, text: `${e.name} ${e.kind === "dead" ? "declared dead" : e.kind} (seen by ${e.observer})` };
    case "state-changed":
      return { at: e.at, node: e.name, kind: "state", text: `${e.name}: ${e.previous} → ${e.state}` };
    default:
      return undefined;
  }
}

const running = (s: LabState): LabNodeState[] => s.nodes.filter((n) => n.running);

/** The components a drill follows: clustered, one list for all (a per-node list has a version per node). */
export const followedByDrills = (c: LabComponentState): boolean => c.clustered && !c.perNodeTargets;
const seconds = (ms: number): number => Math.round(ms / 1000);

class DrillController {
  readonly steps: DrillStep[] = [];
  private readonly start: number;
  private readonly template: string[];

  constructor(
    private readonly lab: DrillLab,
    private readonly o: DrillOptions,
    /** Clustered targets the drill follows. */
    private readonly targets: number,
  ) {
    this.start = lab.now();
    const first = running(lab.state())[0];
    this.template = first ? lab.nodeFlags(first.id) : [];
  }

  private step(action: DrillStep["action"], node?: string, detail?: string): void {
    this.steps.push({ at: Math.round(this.lab.now() - this.start), action, ...(node ? { node } : {}), ...(detail ? { detail } : {}) });
  }

  private async stop(n: LabNodeState): Promise<void> {
    this.step("stop", n.name);
    await this.lab.terminateNode(n.id, this.o.terminationGracePeriodSeconds * 1000);
  }

  /** Starts a pod and waits until it is ready, then minReadySeconds. */
  private async startReady(name: string, flags = this.template): Promise<void> {
    this.step("start", name);
    const started = await this.lab.addNode(name, flags);
    // Ready as Kubernetes sees it (Alloy's /-/ready: the config is loaded, so the node is a participant).
    try {
      await this.lab.waitFor(
        (s) => s.nodes.some((n) => n.pid === started.pid && n.name === name && n.running && n.ready && n.state === "participant"),
        this.lab.settleTimeoutMs,
      );
    } catch {
      throw new DrillStalled(`${name} was not ready within ${seconds(this.lab.settleTimeoutMs)} s (Kubernetes' rollout would stall here too)`);
    }
    this.step("ready", name);
    if (this.o.minReadySeconds > 0) await this.lab.sleep(this.o.minReadySeconds * 1000);
  }

  /** Waits until the running nodes agree on membership and ownership, `expected` of them. */
  async settle(expected: number): Promise<void> {
    try {
      await this.lab.waitFor((s) => s.converged && running(s).length === expected && running(s).every((n) => n.ready), this.lab.settleTimeoutMs);
    } catch {
      const within = `${seconds(this.lab.settleTimeoutMs)} s after the drill's last step`;
      // A lab calls itself converged only when every target has one owner: say so when that is what is missing.
      throw new DrillStalled(
        unownedReason(this.lab, this.targets, within) ?? `the cluster did not settle on ${expected} nodes within ${seconds(this.lab.settleTimeoutMs)} s`,
      );
    }
    this.step("settled", undefined, `${expected} nodes`);
  }

  stalled(reason: string): void {
    this.step("stalled", undefined, reason);
  }

  async rolloutStatefulSet(): Promise<number> {
    const pods = byOrdinalDescending(running(this.lab.state()).map((n) => n.name));
    for (const name of pods) {
      const old = running(this.lab.state()).find((n) => n.name === name)!;
      const flags = this.lab.nodeFlags(old.id);
      await this.stop(old);
      // The StatefulSet controller recreates the pod once the old one is gone.
      await this.startReady(name, flags);
    }
    return pods.length;
  }

  async rolloutDeployment(): Promise<number> {
    const old = running(this.lab.state()).map((n) => n.name);
    const replicas = old.length;
    const surge = resolveCountOrPercent(this.o.maxSurge, replicas, true);
    // Kubernetes: when both round to 0, maxUnavailable becomes 1.
    const unavailable = Math.max(surge === 0 ? 1 : 0, resolveCountOrPercent(this.o.maxUnavailable, replicas, false));
    const prefix = /^(.*?)(?:-\d+)?$/.exec(old[0] ?? "alloy")![1];
    const hash = Math.random().toString(36).slice(2, 7).padEnd(5, "x");
    const oldLeft = byOrdinalDescending(old);
    let created = 0;
    const ready = new Set<string>();
    const inFlight = new Set<Promise<void>>();
    const track = (p: Promise<void>): void => {
      const q = p.finally(() => inFlight.delete(q));
      inFlight.add(q);
    };
    for (;;) {
      // Scale up the new ReplicaSet as far as maxSurge allows (terminating pods do not count).
      while (created < replicas && oldLeft.length + created < replicas + surge) {
        const name = `${prefix}-${hash}-${(created++).toString(36).padStart(5, "0")}`;
        track(this.startReady(name).then(() => void ready.add(name)));
      }
      // Scale down the old one as far as maxUnavailable allows: available = old pods + new ready pods.
      while (oldLeft.length > 0 && oldLeft.length + ready.size > replicas - unavailable) {
        const n = running(this.lab.state()).find((x) => x.name === oldLeft[0]);
        oldLeft.shift();
        if (n !== undefined) track(this.stop(n));
      }
      if (oldLeft.length === 0 && created === replicas) break;
      // Wait for the next pod to become ready, or an old one to be gone.
      await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    return replicas;
  }

  async scale(): Promise<number> {
    const to = this.o.to!;
    for (;;) {
      const names = running(this.lab.state()).map((n) => n.name);
      if (names.length === to) return to;
      const k = Math.min(this.o.step, Math.abs(to - names.length));
      if (names.length < to) {
        // A StatefulSet fills the lowest free ordinals.
        const prefix = /^(.*?)(?:-\d+)?$/.exec(names[0] ?? "alloy")![1];
        const fresh: string[] = [];
        for (let i = 0; fresh.length < k; i++) if (!names.includes(`${prefix}-${i}`)) fresh.push(`${prefix}-${i}`);
        await Promise.all(fresh.map((name) => this.startReady(name)));
      } else {
        const victims = byOrdinalDescending(names).slice(0, k);
        await Promise.all(victims.map((name) => this.stop(running(this.lab.state()).find((n) => n.name === name)!)));
      }
    }
  }

  async kill(): Promise<number> {
    const now = running(this.lab.state());
    const names = this.o.nodes ?? byOrdinalDescending(now.map((n) => n.name)).slice(0, this.o.count);
    const victims = names.map((name) => {
      const n = now.find((x) => x.name === name);
      if (n === undefined) throw new DrillError(`no running node named ${name}`);
      return n;
    });
    if (victims.length >= now.length) throw new DrillError("kill would leave no node running");
    const flags = new Map(victims.map((n) => [n.name, this.lab.nodeFlags(n.id)]));
    for (const n of victims) {
      this.step("kill", n.name);
      this.lab.killNode(n.id);
    }
    if (!this.o.replace) return now.length - victims.length;
    // The StatefulSet controller recreates a pod once it is gone; the others see it dead first.
    await this.settle(now.length - victims.length);
    await Promise.all(victims.map((n) => this.startReady(n.name, flags.get(n.name))));
    return now.length;
  }

  async partition(): Promise<number> {
    const names = running(this.lab.state())
      .map((n) => n.name)
      .sort();
    const groups = this.o.groups ?? [names.slice(0, Math.ceil(names.length / 2)), names.slice(Math.ceil(names.length / 2))];
    for (const name of groups.flat()) if (!names.includes(name)) throw new DrillError(`no running node named ${name}`);
    this.step("partition", undefined, groups.map((g) => g.join(",")).join(" | "));
    this.lab.partition(groups);
    await this.lab.sleep(this.o.durationSeconds * 1000);
    this.step("heal");
    this.lab.heal();
    return names.length;
  }
}

function convergenceFigures(ms: readonly number[] | undefined): DrillReport["convergence"] {
  if (ms === undefined || ms.length === 0) return undefined;
  return { medianMs: Math.round(median(ms)), maxMs: Math.round(Math.max(...ms)), changes: ms.length };
}

/** Runs the drill; resolves with its report and timeline once the cluster settled and new owners scraped. */
export async function runDrill(lab: DrillLab, o: DrillOptions): Promise<{ report: DrillReport; timeline: DrillTimeline }> {
  const initial = lab.state();
  if (running(initial).length === 0) throw new DrillError("the lab has no running node");
  const followed = initial.components.filter(followedByDrills);
  const intervalMs = Math.max(0, ...followed.map((c) => c.scrapeIntervalMs));
  if (intervalMs === 0) throw new DrillError("the lab has no clustered component to watch");
  const recording = lab.startRecording();
  // Every target scraped by its owner, and the scrape reported, before the first action, so its old owner is on
  // record (a SIGKILLed node's last batch of results never arrives: a fixed wait could leave a target with none).
  try {
    await lab.waitForOwnersToScrape(lab.now(), lab.settleTimeoutMs);
  } catch {
    recording.finish(); // stops listening to the lab
    throw new DrillError("not every target was scraped by its owner before the drill");
  }
  const before = lab.targetCounts();
  const targets = followed.reduce((n, c) => n + c.targets, 0);
  const controller = new DrillController(lab, o, targets);
  const start = lab.now();
  let settledAt: number;
  let stalled: string | undefined;
  try {
    const expected = await {
      "rollout-statefulset": () => controller.rolloutStatefulSet(),
      "rollout-deployment": () => controller.rolloutDeployment(),
      scale: () => controller.scale(),
      kill: () => controller.kill(),
      partition: () => controller.partition(),
    }[o.kind]();
    await controller.settle(expected);
    settledAt = lab.now();
    // New owners scrape within about an interval of taking a target over: the report waits for every one.
    try {
      await lab.waitForOwnersToScrape(settledAt, lab.settleTimeoutMs);
    } catch {
      const within = `${seconds(lab.settleTimeoutMs)} s after the cluster settled`;
      throw new DrillStalled(unownedReason(lab, targets, within) ?? `not every target was scraped by its owner within ${within}`);
    }
  } catch (err) {
    if (!(err instanceof DrillStalled)) {
      recording.finish(); // stops listening to the lab, which may run on (the control API's)
      throw err;
    }
    stalled = err.message;
    controller.stalled(stalled);
    settledAt = lab.now();
  }
  const after = lab.targetCounts();
  const { histories, markers } = recording.finish();
  return buildDrillReport({
    drill: o.kind,
    start,
    settledAt,
    end: lab.now(),
    scrapeIntervalMs: intervalMs,
    steps: controller.steps,
    histories,
    before,
    after,
    labelsOf: (component, key) => lab.labelsOf(component, key),
    markers,
    convergence: convergenceFigures(lab.convergenceMs),
    ...(stalled !== undefined ? { stalled } : {}),
  });
}

/** When targets have no owner (the usual cause of a drill that never ends): how many, and why that happens. */
function unownedReason(lab: DrillLab, total: number, within: string): string | undefined {
  const unowned = lab.unownedTargets();
  if (unowned === 0) return undefined;
  // Among running nodes that agree, the one way to own nothing: they paused their clustered components.
  return `${unowned} of ${total} targets had no owner ${within} (nodes pause their clustered components while the cluster is smaller than --cluster.wait-for-size)`;
}
