/**
 * One simulated Alloy node: the lab node's life (nodeMain) on virtual time — the same SwimMembership,
 * wait-for-size readiness, joiner and ownership pacing, with frames handed to a simulated network instead of
 * sockets and ownership handed to the analytic scrape model instead of a scraper.
 */
import { isLive, type GossipFrame } from "../membership/gossipFrames";
import { ClusterJoiner } from "../membership/clusterJoiner";
import { ClusterReadiness } from "../membership/clusterReadiness";
import { changesPeers, SwimMembership } from "../membership/swimMembership";
import type { SwimTiming } from "../membership/swimTiming";
import { UpdatePacer } from "../node/componentOwnership";
import type { NodeConfig } from "../node/nodeConfig";
import { ringMemberNames } from "../ring/membership";
import type { EventQueue } from "./eventQueue";

/** What a node needs from the simulated world around it. */
export interface SimulatedWorld {
  readonly queue: EventQueue;
  readonly random: () => number;
  send(from: SimulatedNode, to: string, frame: GossipFrame): void;
  /** Live nodes' addresses (the join address resolves to them, as a headless service's name to the ready pods). */
  joinAddresses(): string[];
  /** The node owns targets among these participants from now on (null: nothing). */
  ownershipChanged(node: SimulatedNode, participants: readonly string[] | null): void;
  /** Something about the node changed that a waiter may be looking for. */
  nodeChanged(node: SimulatedNode): void;
}

export type SimulatedPhase = "starting" | "running" | "exited";

export class SimulatedNode {
  phase: SimulatedPhase = "starting";
  membership: SwimMembership | undefined;
  configLoaded = false;
  stopping = false;
  private readonly readiness: ClusterReadiness;
  private readonly joiner: ClusterJoiner;
  private readonly pacer: UpdatePacer;
  /** When an ownership update waits for the pacer (Infinity: none waits). */
  ownershipDueAt = Infinity;
  private wakeAt = Infinity;
  private wakeGeneration = 0;

  constructor(
    private readonly world: SimulatedWorld,
    readonly pid: number,
    readonly name: string,
    readonly addr: string,
    readonly flags: string[],
    config: NodeConfig,
    private readonly timing: SwimTiming,
  ) {
    const now = world.queue.now;
    this.readiness = new ClusterReadiness(config.waitForSize, config.waitTimeoutMs, now);
    this.joiner = new ClusterJoiner(config, world.random, now);
    this.pacer = new UpdatePacer(timing.ownershipMinIntervalMs);
  }

  get running(): boolean {
    return this.phase !== "exited";
  }

  /** /-/ready: the config is loaded (the node is a participant) and it is not stopping. */
  get ready(): boolean {
    return this.phase === "running" && this.configLoaded && !this.stopping;
  }

  /** The process listens: it joins the peers discovery finds. */
  listen(): void {
    const now = this.world.queue.now;
    this.membership = SwimMembership.create(this.name, this.addr, this.timing, this.world.random, now);
    this.phase = "running";
    this.world.nodeChanged(this);
    this.membership.join(this.joiner.pick(this.world.joinAddresses().filter((a) => a !== this.addr)));
    this.flush();
  }

  /** The first config load: Alloy moves to participant right after it, joined or not. */
  loadConfig(): void {
    if (this.phase !== "running" || this.membership === undefined) return;
    this.configLoaded = true;
    this.membership.setState("participant");
    this.world.nodeChanged(this);
    this.flush();
    this.updateOwnership();
  }

  receive(frame: GossipFrame, fromAddr: string): void {
    if (this.phase !== "running" || this.membership === undefined) return;
    this.membership.receive(frame, fromAddr, this.world.queue.now);
    this.flush();
  }

  /** SIGTERM, as the lab node handles it: components stop (no more scraping), terminating, leave, exit. */
  stop(exited: () => void): void {
    if (this.membership === undefined || this.stopping) {
      this.exit();
      exited();
      return;
    }
    this.stopping = true;
    this.world.ownershipChanged(this, null);
    this.membership.setState("terminating");
    this.world.nodeChanged(this);
    this.flush();
    this.membership.leave(this.world.queue.now);
    this.flush();
    this.world.queue.schedule(this.world.queue.now + 50, () => {
      this.exit();
      exited();
    });
  }

  /** SIGKILL: gone at once, without a word. */
  exit(): void {
    if (this.phase === "exited") return;
    this.phase = "exited";
    this.world.ownershipChanged(this, null);
    this.world.nodeChanged(this);
  }

  /** Live members as this node sees them. */
  view(): { name: string; state: string }[] {
    const out: { name: string; state: string }[] = [];
    this.membership?.forEachMember((m) => {
      if (isLive(m.status)) out.push({ name: m.name, state: m.state });
    });
    return out;
  }

  private flush(): void {
    const m = this.membership!;
    const now = this.world.queue.now;
    for (const out of m.takeOutgoing()) this.world.send(this, out.to, out.frame);
    const events = m.takeEvents();
    const peersChanged = events.some(changesPeers);
    // The peer count only matters with a minimum size, and only changes with the peers.
    const readinessChanged = this.readiness.tick(now) || (this.readiness.minimumSize > 0 && peersChanged && this.readiness.update(this.sharderPeers(), now));
    if (events.length > 0) this.world.nodeChanged(this);
    if (peersChanged || readinessChanged) this.scheduleOwnership();
    this.scheduleWake();
  }

  private sharderPeers(): number {
    const live: { name: string; state: "viewer" | "participant" | "terminating" }[] = [];
    this.membership!.forEachMember((m) => {
      if (isLive(m.status)) live.push(m);
    });
    return ringMemberNames(live, "read").length;
  }

  private scheduleOwnership(): void {
    if (!this.configLoaded || this.stopping) return;
    const now = this.world.queue.now;
    const due = this.pacer.dueAt(now);
    if (due <= now) return this.updateOwnership();
    if (this.ownershipDueAt !== Infinity) return;
    this.ownershipDueAt = due;
    this.world.queue.schedule(due, () => {
      this.ownershipDueAt = Infinity;
      this.updateOwnership();
    });
  }

  private updateOwnership(): void {
    if (this.phase !== "running" || !this.configLoaded || this.stopping) return;
    this.pacer.ran(this.world.queue.now);
    this.world.ownershipChanged(this, this.readiness.ready ? this.membership!.participantNames() : null);
    this.world.nodeChanged(this);
  }

  /**
   * A wake-up for membership timers, the wait-for-size timeout and the rejoin ticker. Only an earlier one is
   * scheduled: a pending wake-up that comes too soon finds nothing to do and schedules the next (a later one
   * for every frame would pile up in the queue — millions at 300 nodes).
   */
  private scheduleWake(): void {
    if (this.phase !== "running") return;
    const at = Math.min(this.membership!.nextTickAt(), this.readiness.nextDeadline(), this.joiner.nextDeadline());
    if (at >= this.wakeAt) return;
    this.wakeAt = at;
    const generation = ++this.wakeGeneration;
    this.world.queue.schedule(at, () => {
      if (generation !== this.wakeGeneration || this.phase !== "running") return;
      this.wakeAt = Infinity;
      const now = this.world.queue.now;
      this.membership!.tick(now);
      if (this.joiner.rejoinDue(now) && !this.stopping) this.membership!.join(this.joiner.pick(this.world.joinAddresses().filter((a) => a !== this.addr)));
      this.flush();
    });
  }
}
