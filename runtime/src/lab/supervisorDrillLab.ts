/**
 * The lab supervisor as a drill's lab: real processes, real time. Scrapes come from the nodes' own reports,
 * markers from the lab's event log.
 */
import { ScrapeRunRecorder } from "../drills/handoffTimeline";
import { followedByDrills, markerOf, type DrillLab, type DrillRecording } from "../drills/drillRunner";
import type { TimelineMarker } from "../drills/drillReport";
import type { LabEvent } from "../protocol/labEvents";
import type { LabNodeState, LabState } from "../protocol/labState";
import type { ScrapeResult } from "../protocol/nodeMessages";
import type { LabSupervisor } from "./labSupervisor";

export class SupervisorDrillLab implements DrillLab {
  readonly settleTimeoutMs: number;
  readonly convergenceMs: number[] = [];
  /**
   * Membership changes the drill made that the lab has not converged after yet, and whether the lab was seen
   * not converged since (its state follows the nodes' reports, so right after a change it still looks settled).
   */
  private pendingChanges: { at: number; diverged: boolean }[] = [];

  constructor(
    private readonly lab: LabSupervisor,
    profile: "alloy" | "fast",
  ) {
    this.settleTimeoutMs = profile === "alloy" ? 300_000 : 30_000;
  }

  /** A drill changed the membership: how long until the lab converges again is measured from now. */
  private changing(): void {
    if (this.pendingChanges.length === 0) this.lab.on("state", this.onState);
    this.pendingChanges.push({ at: Date.now(), diverged: false });
  }

  private readonly onState = (s: LabState): void => {
    if (!s.converged) {
      for (const c of this.pendingChanges) c.diverged = true;
      return;
    }
    const now = Date.now();
    for (const c of this.pendingChanges) if (c.diverged) this.convergenceMs.push(now - c.at);
    this.pendingChanges = this.pendingChanges.filter((c) => !c.diverged);
    if (this.pendingChanges.length === 0) this.lab.off("state", this.onState);
  };

  now(): number {
    return Date.now();
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  state(): LabState {
    return this.lab.state();
  }

  waitFor(predicate: (s: LabState) => boolean, timeoutMs: number): Promise<LabState> {
    return this.lab.waitFor(predicate, timeoutMs);
  }

  addNode(name: string, flags: string[]): Promise<LabNodeState> {
    // A replaced pod gets a new address, as a new pod gets a new IP.
    this.changing();
    return this.lab.addNode(name, flags);
  }

  terminateNode(id: string, graceMs: number): Promise<void> {
    this.changing();
    return this.lab.terminateNode(id, graceMs);
  }

  killNode(id: string): void {
    this.changing();
    this.lab.killNode(id);
  }

  partition(groups: string[][]): void {
    this.changing();
    this.lab.partition(groups);
  }

  heal(): void {
    this.changing();
    this.lab.heal();
  }

  async waitForOwnersToScrape(at: number, timeoutMs: number): Promise<void> {
    await this.lab.waitFor((s) => {
      // A per-node list has a version per node (not one owner per item): the recording leaves it out too.
      const perNode = new Set(s.components.filter((c) => c.perNodeTargets).map((c) => c.id));
      return s.targets.every((t) => !t.clustered || perNode.has(t.component) || (t.lastScrape?.node === t.owner && t.lastScrape.at >= at));
    }, timeoutMs);
  }

  targetCounts(): Map<string, number> {
    const s = this.lab.state();
    const counts = new Map(s.nodes.filter((n) => n.running).map((n) => [n.name, 0]));
    for (const t of s.targets) if (t.clustered && t.owner !== null) counts.set(t.owner, (counts.get(t.owner) ?? 0) + 1);
    return counts;
  }

  unownedTargets(): number {
    const s = this.lab.state();
    const followed = new Set(s.components.filter(followedByDrills).map((c) => c.id));
    return s.targets.filter((t) => followed.has(t.component) && t.owners.length === 0).length;
  }

  labelsOf(component: string, key: string): Record<string, string> | undefined {
    return this.lab.state().targets.find((t) => t.component === component && t.key === key)?.labels;
  }

  nodeFlags(id: string): string[] {
    return this.lab.nodeFlags(id);
  }

  startRecording(): DrillRecording {
    const intervals = new Map(
      this.lab
        .state()
        .components.filter(followedByDrills)
        .map((c) => [c.id, c.scrapeIntervalMs]),
    );
    const recorder = new ScrapeRunRecorder(intervals);
    const markers: TimelineMarker[] = [];
    const onScrapes = (node: string, process: string, scrapes: ScrapeResult[]): void => {
      for (const r of scrapes) recorder.record(node, process, r);
    };
    const onEvent = (e: LabEvent): void => {
      const m = markerOf(e);
      if (m) markers.push(m);
    };
    this.lab.on("scrapes", onScrapes);
    this.lab.on("event", onEvent);
    return {
      finish: () => {
        this.lab.off("scrapes", onScrapes);
        this.lab.off("event", onEvent);
        return { histories: recorder.result(), markers };
      },
    };
  }
}
