/**
 * A cluster too big for one machine, simulated in one process on virtual time: every node runs the lab's
 * own membership, readiness and ownership code (SimulatedNode), frames cross a simulated network with
 * latency and loss, and scrapes follow ownership analytically (SimulatedOwnership). It is a DrillLab, so the
 * drills run on it exactly as on a real lab; time only moves while the drill waits.
 */
import type { DrillLab, DrillRecording } from "../drills/drillRunner";
import type { TimelineMarker } from "../drills/drillReport";
import type { GossipFrame } from "../membership/gossipFrames";
import { TIMING_PROFILES, type TimingProfile } from "../membership/swimTiming";
import { parseNodeConfig } from "../node/nodeConfig";
import type { LabNodeState, LabState } from "../protocol/labState";
import type { TargetLabels } from "../ring/keys";
import { EventQueue } from "./eventQueue";
import { seededRandom } from "./seededRandom";
import { SimulatedNode, type SimulatedWorld } from "./simulatedNode";
import { SimulatedOwnership } from "./simulatedOwnership";

export interface SimulationOptions {
  profile: TimingProfile;
  targets: readonly TargetLabels[];
  scrapeIntervalMs: number;
  /** Probability that a frame is lost. */
  lossRate: number;
  /** Mean one-way latency of a frame (each is 0.5–1.5 × this). */
  latencyMs: number;
  seed: number;
  /** Flags every node gets (`--cluster.wait-for-size=3`…). */
  nodeFlags: string[];
  /** From a pod's start to its listening (the lab's node processes take about this long here). */
  processStartMs: number;
  /** From listening to the first config load (participant). */
  configLoadMs: number;
}

export const DEFAULT_SIMULATION: Omit<SimulationOptions, "profile" | "targets" | "scrapeIntervalMs" | "processStartMs"> = {
  lossRate: 0,
  latencyMs: 0.5,
  seed: 1,
  nodeFlags: [],
  configLoadMs: 20,
};

/**
 * From a pod's start to its listening, by profile: the lab's node processes take about 150 ms here (the fast
 * profile is checked against the lab); a Kubernetes pod that replaces another takes a second or more (the
 * kubelet starts a container of an image it has). A start quicker than the old pod's leave spreads would
 * race it: the stale "left" can land on the new process's record, as it would in memberlist.
 */
export const DEFAULT_POD_START_MS: Readonly<Record<TimingProfile, number>> = { fast: 150, alloy: 1000 };

export const SIMULATED_COMPONENT = "prometheus.scrape.simulated";

interface Waiter {
  predicate: (s: LabState) => boolean;
  resolve: (s: LabState) => void;
  reject: (e: Error) => void;
  deadline: number;
}

export class SimulationError extends Error {}

export class SimulatedLab implements DrillLab, SimulatedWorld {
  readonly queue = new EventQueue();
  readonly random: () => number;
  readonly settleTimeoutMs: number;
  private readonly nodes: SimulatedNode[] = [];
  private readonly byAddr = new Map<string, SimulatedNode>();
  private readonly ownership: SimulatedOwnership;
  private readonly waiters = new Set<Waiter>();
  private pollScheduled = false;
  private readonly pollMs: number;
  private groups: string[][] | undefined;
  private nextPid = 1;
  /** Set when a promise the drill awaits was settled: the pump lets the drill go on before time moves. */
  private woke = false;
  private markers: TimelineMarker[] | undefined;
  /** Membership changes not yet followed by convergence, and how long each took to converge. */
  private pendingChanges: number[] = [];
  convergenceMs: number[] = [];
  /** Node signatures: a number per "name:state", summed over a view (equal sets, equal sums). */
  private readonly signatureParts = new Map<string, number>();
  private readonly viewSignature = new Map<SimulatedNode, number>();
  /** Each node's state as the lab shows it, until the node changes (polled far more often than it changes). */
  private readonly nodeStates = new Map<SimulatedNode, LabNodeState>();

  constructor(private readonly o: SimulationOptions) {
    this.random = seededRandom(o.seed);
    // Scrapes keep a fixed phase of the interval in absolute time (as Prometheus, and the lab's scraper): a lab
    // starts at whatever moment the clock shows, so its hand-offs fall anywhere among those phases. Started at
    // 0, every seed would begin at the same point of them and sample one case of a scale-up's gaps.
    this.queue.now = Math.floor(this.random() * o.scrapeIntervalMs);
    this.ownership = new SimulatedOwnership(SIMULATED_COMPONENT, o.targets, "labels", o.scrapeIntervalMs);
    this.settleTimeoutMs = o.profile === "alloy" ? 600_000 : 60_000;
    this.pollMs = o.profile === "alloy" ? 50 : 10;
  }

  // ---- the world the nodes live in

  send(from: SimulatedNode, to: string, frame: GossipFrame): void {
    if (this.o.lossRate > 0 && this.random() < this.o.lossRate) return;
    const target = this.byAddr.get(to);
    if (target === undefined || this.blocked(from.name, target.name)) return;
    const at = this.queue.now + this.o.latencyMs * (0.5 + this.random());
    this.queue.schedule(at, () => {
      // A partition that began while the frame was on its way drops it too.
      if (!this.blocked(from.name, target.name)) target.receive(frame, from.addr);
    });
  }

  private blocked(a: string, b: string): boolean {
    if (this.groups === undefined) return false;
    const side = (n: string): string[] | undefined => this.groups!.find((g) => g.includes(n));
    const sa = side(a);
    return sa === undefined ? a !== b : !sa.includes(b);
  }

  joinAddresses(): string[] {
    return this.nodes.filter((n) => n.phase === "running").map((n) => n.addr);
  }

  ownershipChanged(node: SimulatedNode, participants: readonly string[] | null): void {
    this.ownership.update(node, participants, this.queue.now);
  }

  nodeChanged(node: SimulatedNode): void {
    this.viewSignature.delete(node);
    this.nodeStates.delete(node);
  }

  /**
   * A drill changed the membership: the next convergence is measured from now. A cluster that converged on the
   * changes before counts as converged now, even between polls: the lab sees every state as it comes, and a
   * rollout starts the next pod the moment the old one exits (the poll would only ever see the last change).
   */
  private membershipChanging(): void {
    this.recordConvergence();
    this.pendingChanges.push(this.queue.now);
    this.schedulePoll();
  }

  /** The changes pending are converged after, now, if the cluster is (`converged`: when the caller knows). */
  private recordConvergence(converged?: boolean): void {
    if (this.pendingChanges.length === 0 || !(converged ?? this.converged(this.nodes.filter((n) => n.running)))) return;
    for (const at of this.pendingChanges) this.convergenceMs.push(this.queue.now - at);
    this.pendingChanges = [];
  }

  private marker(node: string, kind: string, text: string): void {
    this.markers?.push({ at: this.queue.now, node, kind, text });
  }

  // ---- running the drill on virtual time

  /** Runs the event queue for as long as `work` is pending; each settled promise lets the drill go on first. */
  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    void work.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (;;) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (settled) return work;
      this.woke = false;
      while (!this.woke && this.queue.step()) {
        // events run until one settles something the drill awaits
      }
      if (!this.woke && this.queue.size === 0) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (!settled) throw new SimulationError("the simulation ran out of events while the drill still waits");
      }
    }
  }

  /** Starts `count` nodes as the lab does: the first on its own, then the rest joining the live ones. */
  async start(count: number): Promise<void> {
    await this.addNode("alloy-0", []);
    await Promise.all(Array.from({ length: count - 1 }, (_, i) => this.addNode(`alloy-${i + 1}`, [])));
  }

  now(): number {
    return this.queue.now;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) =>
      this.queue.schedule(this.queue.now + ms, () => {
        this.woke = true;
        resolve();
      }),
    );
  }

  addNode(name: string, flags: string[]): Promise<LabNodeState> {
    const pid = this.nextPid++;
    const addr = `sim:${pid}`;
    const parsed = parseNodeConfig([
      "--cluster.enabled=true",
      `--cluster.node-name=${name}`,
      `--lab.profile=${this.o.profile}`,
      `--cluster.rejoin-interval=${this.o.profile === "fast" ? `${2 * TIMING_PROFILES.fast.pushPullIntervalMs}ms` : "60s"}`,
      ...this.o.nodeFlags,
      ...flags,
    ]);
    if (!parsed.ok) return Promise.reject(new SimulationError(`node ${name}: ${parsed.errors.join("; ")}`));
    this.membershipChanging();
    const node = new SimulatedNode(this, pid, name, addr, flags, parsed.config, TIMING_PROFILES[this.o.profile]);
    this.nodes.push(node);
    this.byAddr.set(addr, node);
    return new Promise((resolve) =>
      this.queue.schedule(this.queue.now + this.o.processStartMs, () => {
        node.listen();
        this.marker(name, "started", `${name} started`);
        this.queue.schedule(this.queue.now + this.o.configLoadMs, () => node.loadConfig());
        this.woke = true;
        resolve(this.nodeState(node));
      }),
    );
  }

  private find(id: string): SimulatedNode {
    const n = this.nodes.find((x) => x.running && x.name === id);
    if (n === undefined) throw new SimulationError(`no running node named ${id}`);
    return n;
  }

  terminateNode(id: string): Promise<void> {
    const n = this.find(id);
    this.membershipChanging();
    return new Promise((resolve) =>
      n.stop(() => {
        this.marker(n.name, "exited", `${n.name} exited`);
        this.woke = true;
        resolve();
      }),
    );
  }

  killNode(id: string): void {
    const n = this.find(id);
    this.membershipChanging();
    n.exit();
    this.marker(n.name, "exited", `${n.name} died (SIGKILL)`);
  }

  partition(groups: string[][]): void {
    this.groups = groups;
    this.membershipChanging();
  }

  heal(): void {
    this.groups = undefined;
    this.membershipChanging();
  }

  nodeFlags(id: string): string[] {
    return [...this.find(id).flags];
  }

  targetCounts(): Map<string, number> {
    return this.ownership.ownedCounts(this.nodes.filter((n) => n.running && n.ready));
  }

  /** Targets no ready node owns: as the ring shares them out the counts add up to all unless some are paused. */
  unownedTargets(): number {
    const owned = [...this.targetCounts().values()].reduce((a, b) => a + b, 0);
    return Math.max(0, this.o.targets.length - owned);
  }

  labelsOf(_component: string, key: string): Record<string, string> | undefined {
    const i = this.ownership.keys.indexOf(key);
    return i < 0 ? undefined : { ...this.o.targets[i] };
  }

  startRecording(): DrillRecording {
    this.ownership.startRecording(this.queue.now);
    const markers: TimelineMarker[] = [];
    this.markers = markers;
    return {
      finish: () => {
        this.markers = undefined;
        return { histories: this.ownership.histories(this.queue.now), markers };
      },
    };
  }

  /**
   * Every owner scrapes within an interval of taking a target (the model knows it), so once every target has an
   * owner, an interval is enough. A target nobody owns (components paused below --cluster.wait-for-size) is waited
   * for, as the lab waits for its scrape.
   */
  async waitForOwnersToScrape(_at: number, timeoutMs: number): Promise<void> {
    await this.waitFor(() => this.unownedTargets() === 0, timeoutMs);
    await this.sleep(this.o.scrapeIntervalMs + 1);
  }

  waitFor(predicate: (s: LabState) => boolean, timeoutMs: number): Promise<LabState> {
    return new Promise((resolve, reject) => {
      const w: Waiter = { predicate, resolve, reject, deadline: this.queue.now + timeoutMs };
      this.waiters.add(w);
      const s = this.state();
      if (predicate(s)) {
        this.waiters.delete(w);
        this.woke = true;
        resolve(s);
      } else this.schedulePoll();
    });
  }

  private schedulePoll(): void {
    if (this.pollScheduled) return;
    this.pollScheduled = true;
    this.queue.schedule(this.queue.now + this.pollMs, () => {
      this.pollScheduled = false;
      this.poll();
    });
  }

  /** Checks the waiters and the convergence of pending changes, every poll interval while anything waits. */
  private poll(): void {
    const s = this.state();
    this.recordConvergence(s.converged);
    for (const w of this.waiters) {
      if (w.predicate(s)) {
        this.waiters.delete(w);
        this.woke = true;
        w.resolve(s);
      } else if (this.queue.now >= w.deadline) {
        this.waiters.delete(w);
        this.woke = true;
        w.reject(
          new SimulationError(
            `the simulated cluster did not reach the expected state within ${Math.round((w.deadline - this.queue.now + this.pollMs) / 1000)} s`,
          ),
        );
      }
    }
    if (this.waiters.size > 0 || this.pendingChanges.length > 0) this.schedulePoll();
  }

  // ---- state

  private nodeState(n: SimulatedNode): LabNodeState {
    let state = this.nodeStates.get(n);
    if (state === undefined) {
      const running = n.running;
      state = {
        id: n.name,
        name: n.name,
        addr: n.addr,
        state: n.membership?.member(n.name)?.state ?? "starting",
        running,
        pid: running ? n.pid : null,
        ready: n.ready,
        peers: [],
        samplesPerSecond: 0,
      };
      this.nodeStates.set(n, state);
    }
    return state;
  }

  private signature(n: SimulatedNode): number {
    let sig = this.viewSignature.get(n);
    if (sig === undefined) {
      sig = 0;
      for (const m of n.view()) sig += this.part(`${m.name}:${m.state}`);
      this.viewSignature.set(n, sig);
    }
    return sig;
  }

  private part(text: string): number {
    let p = this.signatureParts.get(text);
    if (p === undefined) this.signatureParts.set(text, (p = Math.floor(this.random() * 2 ** 32)));
    return p;
  }

  /**
   * Converged, by the lab's rule: every running node sees exactly the running nodes in the states they have,
   * has loaded its config, and has no ownership update waiting; and every target has an owner (nodes that
   * agree own each target once, unless they paused below --cluster.wait-for-size). Nodes are compared one at
   * a time and the first that disagrees ends the check (most of them do while a change spreads).
   */
  private converged(running: readonly SimulatedNode[]): boolean {
    if (running.length === 0 || running.some((n) => n.phase !== "running" || !n.configLoaded || n.stopping)) return false;
    let truth = 0;
    for (const n of running) truth += this.part(`${n.name}:${this.nodeState(n).state}`);
    return running.every((n) => n.ownershipDueAt === Infinity && this.signature(n) === truth) && this.unownedTargets() === 0;
  }

  /**
   * The lab's state shape. Its targets are left out (100,000 of them would be rebuilt on every poll); the
   * drill reads targets per node from `targetCounts` and labels from `labelsOf`. Peers are left empty too, and
   * Lamport clocks out.
   */
  state(): LabState {
    const running = this.nodes.filter((n) => n.running);
    return {
      source: { kind: "lab", profile: this.o.profile },
      components: [
        { id: SIMULATED_COMPONENT, clustered: true, scrapeIntervalMs: this.o.scrapeIntervalMs, targetSource: "simulated", targets: this.o.targets.length },
      ],
      converged: this.converged(running),
      nodes: this.nodes.map((n) => this.nodeState(n)),
      targets: [],
    };
  }
}
