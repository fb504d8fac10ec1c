/**
 * SWIM membership as a pure state machine (no sockets, no timers of its own): the transport feeds it
 * received frames and the clock, and sends what it queues. Facts it follows: probes with indirect probes
 * before suspicion; suspicion with incarnation numbers and refutation; dead after the suspicion timeout;
 * piggybacked dissemination plus periodic push-pull; graceful leave; ckit's node states ordered by
 * Lamport time.
 */
import type { NodeState } from "../ring/membership";
import { isLive, type GossipFrame, type MemberRecord, type PeerStatus } from "./gossipFrames";
import { PeerIndex } from "./peerIndex";
import { pushPullIntervalMs, retransmitLimit, suspicionTimeoutMs, type SwimTiming } from "./swimTiming";

export interface Outgoing {
  /** Address (host:port) of the receiver. */
  to: string;
  frame: GossipFrame;
}

export type MembershipEvent =
  | { kind: "joined"; member: MemberRecord }
  | { kind: "suspect"; member: MemberRecord }
  | { kind: "alive"; member: MemberRecord }
  | { kind: "dead"; member: MemberRecord }
  | { kind: "left"; member: MemberRecord }
  | { kind: "state"; member: MemberRecord; previous: NodeState }
  | { kind: "refuted"; incarnation: number }
  /** A peer let us in: we are part of the cluster now. */
  | { kind: "join-ok"; via: string }
  /**
   * memberlist's "Conflicting address": someone announced a member we know under another address. The
   * announcement is ignored (ckit counts node_conflict); both processes go on under that name.
   */
  | { kind: "conflict"; member: MemberRecord; otherAddr: string }
  | { kind: "join-refused"; addr: string; reason: string };

/**
 * Whether an event changes the peers a node shards among (what ckit tells Alloy through OnPeersChanged):
 * a member came or went, or changed its ckit state. Suspicion, refutation, conflicts and (re)joins that
 * change nothing do not — memberlist notifies no join, leave or update for them.
 */
export function changesPeers(e: MembershipEvent): boolean {
  return e.kind === "joined" || e.kind === "dead" || e.kind === "left" || e.kind === "state";
}

interface Member extends MemberRecord {
  /** When we last learnt it became suspect or dead (for timers and for gossiping to the recently dead). */
  since: number;
}

interface Probe {
  target: string;
  seq: number;
  sentAt: number;
  indirectSent: boolean;
  acked: boolean;
  /** Helpers asked to probe for us, and how many said the target did not answer them (nacks). */
  expectedNacks: number;
  nacks: number;
}

/** Which of two records about the same member wins (SWIM): higher incarnation, then dead > suspect > alive. */
const STATUS_RANK: Readonly<Record<PeerStatus, number>> = { alive: 0, suspect: 1, dead: 2, left: 2 };

/** ckit's node states, in the only order a node moves through them. */
const STATE_ORDER: Readonly<Record<NodeState, number>> = { viewer: 0, participant: 1, terminating: 2 };

const MAX_PIGGYBACK = 16;
/**
 * Lifeguard's local health: each probe we could not complete (and each time we had to refute our own death)
 * raises it, each completed probe lowers it; probe timeouts and intervals stretch by (score + 1), so a node
 * starved of CPU stops blaming its peers for its own slowness. Alloy exports it as
 * cluster_node_gossip_health_score.
 */
const MAX_AWARENESS = 8;
/** How long dead members still receive gossip, so that one wrongly declared dead learns it and refutes. */
const GOSSIP_TO_THE_DEAD_MS = 30_000;

export class SwimMembership {
  private readonly members = new Map<string, Member>();
  private readonly outgoing: Outgoing[] = [];
  private readonly events: MembershipEvent[] = [];
  /** Updates waiting to be piggybacked, with how often each was sent. */
  private readonly broadcasts = new Map<string, { record: MemberRecord; sent: number }>();
  private lamport = 0;
  /** The other members by status. */
  private readonly peers = new PeerIndex<Member>();
  private seq = 0;
  private awareness = 0;
  private probe: Probe | undefined;
  private probeOrder: string[] = [];
  /** Indirect probes we run for others: our ping seq → who asked, and their seq. */
  /** Probes we make for others (ping-req), by our seq: whom to answer, and when to say "no answer" (a nack). */
  private readonly relays = new Map<number, { to: string; seq: number; nackAt: number }>();
  private nextProbeAt: number;
  private nextGossipAt: number;
  private nextPushPullAt: number;

  constructor(
    private readonly self: Member,
    private readonly timing: SwimTiming,
    private readonly rand: () => number,
    now: number,
  ) {
    this.members.set(self.name, self);
    this.nextProbeAt = now + timing.probeIntervalMs * rand();
    this.nextGossipAt = now;
    this.nextPushPullAt = now + timing.pushPullIntervalMs * (0.5 + rand());
  }

  static create(name: string, addr: string, timing: SwimTiming, rand: () => number, now: number): SwimMembership {
    const self: Member = { name, addr, incarnation: 0, status: "alive", state: "viewer", stateLamport: 0, since: now };
    return new SwimMembership(self, timing, rand, now);
  }

  get name(): string {
    return this.self.name;
  }

  /** 0 is healthy; up to 8 when this node keeps failing to complete probes. */
  get healthScore(): number {
    return this.awareness;
  }

  private scaled(ms: number): number {
    return ms * (this.awareness + 1);
  }

  /**
   * What ckit counts of the gossip it handles (cluster_node_gossip_received_events_total by event). Here every
   * state change received is news and is passed on, so its count is also cluster_node_gossip_broadcasts_total.
   */
  readonly gossipEvents = {
    state_change_message: 0,
    unknown_message: 0,
    get_local_state: 0,
    merge_remote_state: 0,
    node_join: 0,
    node_leave: 0,
    node_update: 0,
    node_conflict: 0,
  };

  private emit(e: MembershipEvent): void {
    if (e.kind === "joined") this.gossipEvents.node_join++;
    else if (e.kind === "dead" || e.kind === "left") this.gossipEvents.node_leave++;
    else if (e.kind === "conflict") this.gossipEvents.node_conflict++;
    this.events.push(e);
  }

  /** Our whole view for a push-pull or a join (memberlist asks ckit for its local state each time). */
  private localState(): MemberRecord[] {
    this.gossipEvents.get_local_state++;
    return this.snapshot();
  }

  /** Everyone we know of, ourselves included, as plain records. */
  snapshot(): MemberRecord[] {
    return [...this.members.values()].map(record);
  }

  /** Visits every member we know of, ourselves included, without copying (for drivers that read many views often). */
  forEachMember(visit: (m: Readonly<MemberRecord>) => void): void {
    for (const m of this.members.values()) visit(m);
  }

  member(name: string): MemberRecord | undefined {
    const m = this.members.get(name);
    return m && record(m);
  }

  takeOutgoing(): Outgoing[] {
    return this.outgoing.splice(0);
  }

  takeEvents(): MembershipEvent[] {
    return this.events.splice(0);
  }

  /**
   * Asks each address to let us in (at start, and again every rejoin interval). As memberlist's join is a
   * push-pull, the frame carries our whole view: a peer that has us wrong (dead, say) hears it and says so.
   */
  join(addrs: readonly string[]): void {
    for (const to of addrs) if (to !== this.self.addr) this.send(to, { kind: "join", from: record(this.self), members: this.localState() });
  }

  /** Moves this node's state on: viewer → participant → terminating, never back (as ckit allows). */
  setState(state: NodeState): void {
    if (STATE_ORDER[state] <= STATE_ORDER[this.self.state]) return;
    this.self.state = state;
    this.self.stateLamport = ++this.lamport;
    this.enqueue(this.self);
  }

  /** This node's Lamport clock (ckit's): past every time it observed, and one more on each state change. */
  get lamportTime(): number {
    return this.lamport;
  }

  /** ckit's Observe: a time at or past ours moves the clock to one after it. */
  private observe(t: number): void {
    if (t >= this.lamport) this.lamport = t + 1;
  }

  /** Announces a graceful leave; the transport should give it a moment to spread before closing. */
  leave(now: number): void {
    this.self.status = "left";
    this.self.since = now;
    this.enqueue(this.self);
    for (const m of this.livePeers()) this.send(m.addr, { kind: "gossip", from: this.self.name, updates: [record(this.self)] });
  }

  /** A frame from `fromAddr` (the sender's own listening address, from its hello). */
  receive(frame: GossipFrame, fromAddr: string, now: number): void {
    switch (frame.kind) {
      case "join": {
        // As memberlist: a join is a push-pull and is never refused for its name; a name we know under
        // another address is a conflict, and the joiner's own record is ignored (see merge). Our view goes
        // back as it was before the join, as memberlist sends its state before merging the joiner's: a pod
        // that replaces one under the same name hears that its predecessor left, and refutes it at once.
        const before = this.localState();
        this.merge({ ...frame.from, status: "alive" }, now);
        this.mergeState(frame.members, now);
        this.send(fromAddr, { kind: "join-ok", members: before });
        return;
      }
      case "join-ok":
        this.mergeState(frame.members, now);
        this.emit({ kind: "join-ok", via: fromAddr });
        return;
      case "refused":
        this.emit({ kind: "join-refused", addr: fromAddr, reason: frame.reason });
        return;
      case "ping":
        this.mergeAll(frame.updates, now);
        this.send(fromAddr, { kind: "ack", seq: frame.seq, from: this.self.name, updates: this.piggyback() });
        return;
      case "ack": {
        this.mergeAll(frame.updates, now);
        const relay = this.relays.get(frame.seq);
        if (relay !== undefined) {
          this.relays.delete(frame.seq);
          this.send(relay.to, { kind: "ack", seq: relay.seq, from: frame.from, updates: this.piggyback() });
        } else if (this.probe !== undefined && this.probe.seq === frame.seq) {
          this.probe.acked = true;
        }
        return;
      }
      case "ping-req": {
        const seq = ++this.seq;
        this.relays.set(seq, { to: fromAddr, seq: frame.seq, nackAt: now + this.timing.probeTimeoutMs });
        this.send(frame.targetAddr, { kind: "ping", seq, from: this.self.name, updates: this.piggyback() });
        return;
      }
      case "nack":
        if (this.probe !== undefined && this.probe.seq === frame.seq) this.probe.nacks++;
        return;
      case "push-pull": {
        // Our state as it was before theirs is merged, as memberlist replies.
        const reply = frame.reply ? this.localState() : undefined;
        this.mergeState(frame.members, now);
        this.observe(frame.lamport);
        if (reply !== undefined) this.send(fromAddr, { kind: "push-pull", from: this.self.name, members: reply, reply: false, lamport: this.lamport });
        return;
      }
      case "gossip":
        this.mergeAll(frame.updates, now);
        return;
      case "hello":
        return; // handled by the transport
    }
  }

  /** Advances timers: probing, suspicion, gossip and push-pull. */
  tick(now: number): void {
    if (this.self.status === "left") return;
    this.tickProbe(now);
    this.tickSuspicion(now);
    // A target that did not answer a probe made for another in time: tell that one (memberlist's nack), so it
    // knows its own messages get through and does not count the failure against its own health.
    for (const [seq, relay] of this.relays) {
      if (relay.nackAt > now) continue;
      this.relays.delete(seq);
      this.send(relay.to, { kind: "nack", seq: relay.seq, from: this.self.name });
    }
    if (now >= this.nextGossipAt) {
      this.nextGossipAt = now + this.timing.gossipIntervalMs;
      if (this.broadcasts.size > 0) {
        const targets = this.pick(this.gossipTargets(now), this.timing.gossipNodes);
        const updates = this.piggyback();
        if (updates.length > 0) for (const m of targets) this.send(m.addr, { kind: "gossip", from: this.self.name, updates });
      }
    }
    if (now >= this.nextPushPullAt) {
      this.nextPushPullAt = now + pushPullIntervalMs(this.timing, this.members.size);
      const [peer] = this.pick(this.livePeers(), 1);
      if (peer !== undefined) this.send(peer.addr, { kind: "push-pull", from: this.self.name, members: this.localState(), reply: true, lamport: this.lamport });
    }
  }

  /**
   * When tick() next has work: a probe to send or time out, a suspicion to expire, updates to gossip, a
   * push-pull. The driver may sleep until then; a receive() can bring it forward, so ask again after one.
   */
  nextTickAt(): number {
    if (this.self.status === "left") return Infinity;
    const p = this.probe;
    let at = this.nextPushPullAt;
    if (p === undefined || p.acked) at = Math.min(at, this.nextProbeAt);
    else at = Math.min(at, p.sentAt + this.scaled(p.indirectSent ? this.timing.probeIntervalMs : this.timing.probeTimeoutMs));
    if (this.broadcasts.size > 0) at = Math.min(at, this.nextGossipAt);
    at = Math.min(at, this.peers.oldestSuspicion() + suspicionTimeoutMs(this.timing, this.liveCount()));
    for (const r of this.relays.values()) at = Math.min(at, r.nackAt);
    return at;
  }

  private tickProbe(now: number): void {
    const p = this.probe;
    if (p !== undefined && p.acked) {
      this.probe = undefined;
      this.awareness = Math.max(0, this.awareness - 1);
    } else if (p !== undefined) {
      const target = this.members.get(p.target);
      if (!p.indirectSent && now >= p.sentAt + this.scaled(this.timing.probeTimeoutMs) && target !== undefined) {
        p.indirectSent = true;
        const helpers = this.pick(
          this.livePeers().filter((m) => m.status === "alive" && m.name !== p.target),
          this.timing.indirectChecks,
        );
        p.expectedNacks = helpers.length;
        for (const h of helpers) this.send(h.addr, { kind: "ping-req", seq: p.seq, from: this.self.name, target: target.name, targetAddr: target.addr });
      }
      if (now >= p.sentAt + this.scaled(this.timing.probeIntervalMs)) {
        this.probe = undefined;
        // memberlist blames itself for each nack it missed (its messages may not get out), or for the failed
        // probe when no helper could nack: a dead target with healthy helpers costs our health nothing.
        const penalty = p.expectedNacks > 0 ? p.expectedNacks - Math.min(p.nacks, p.expectedNacks) : 1;
        this.awareness = Math.min(MAX_AWARENESS, this.awareness + penalty);
        if (target !== undefined && target.status === "alive") this.setStatus(target, "suspect", now);
      }
    }
    if (now < this.nextProbeAt || this.probe !== undefined) return;
    this.nextProbeAt = now + this.scaled(this.timing.probeIntervalMs);
    const target = this.nextProbeTarget();
    if (target === undefined) return;
    const seq = ++this.seq;
    this.probe = { target: target.name, seq, sentAt: now, indirectSent: false, acked: false, expectedNacks: 0, nacks: 0 };
    this.send(target.addr, { kind: "ping", seq, from: this.self.name, updates: this.piggyback() });
  }

  private nextProbeTarget(): Member | undefined {
    for (let tries = 0; tries < 2; tries++) {
      while (this.probeOrder.length > 0) {
        const m = this.members.get(this.probeOrder.pop()!);
        if (m !== undefined && m.name !== this.self.name && isLive(m.status)) return m;
      }
      this.probeOrder = shuffle(
        this.livePeers().map((m) => m.name),
        this.rand,
      );
    }
    return undefined;
  }

  private tickSuspicion(now: number): void {
    const timeout = suspicionTimeoutMs(this.timing, this.liveCount());
    // Deadlines as nextTickAt() computes them (since + timeout): with fractional times, `now - since` can
    // fall a rounding short of `timeout` at the very moment the driver wakes for it, and it would never pass.
    if (now < this.peers.oldestSuspicion() + timeout) return;
    for (const m of [...this.peers.suspects]) {
      if (now >= m.since + timeout) this.setStatus(m, "dead", now);
    }
  }

  /** Live members, ourselves included. */
  private liveCount(): number {
    return this.peers.live.length + (isLive(this.self.status) ? 1 : 0);
  }

  private setStatus(m: Member, status: PeerStatus, now: number): void {
    this.peers.update(m, () => {
      m.status = status;
      m.since = now;
    });
    this.enqueue(m);
    this.emitStatus(m);
  }

  private emitStatus(m: Member): void {
    const r = record(m);
    if (m.status === "alive") this.emit({ kind: "alive", member: r });
    else if (m.status === "suspect") this.emit({ kind: "suspect", member: r });
    else if (m.status === "dead") this.emit({ kind: "dead", member: r });
    else this.emit({ kind: "left", member: r });
  }

  private mergeAll(updates: readonly MemberRecord[], now: number): void {
    for (const u of updates) this.merge(u, now);
  }

  /**
   * A peer's whole view (push-pull, and joins, which are push-pulls), as memberlist's mergeState takes it: a
   * member the peer has as dead is only suspected here (then refuted if it lives, as after a partition heals),
   * and not at all when we have it as dead already or do not know it.
   */
  private mergeState(members: readonly MemberRecord[], now: number): void {
    this.gossipEvents.merge_remote_state++;
    for (const u of members) {
      if (u.status !== "dead" || u.name === this.self.name) {
        this.merge(u, now);
        continue;
      }
      const local = this.members.get(u.name);
      if (local !== undefined && isLive(local.status)) this.merge({ ...u, status: "suspect" }, now);
      else this.observe(u.stateLamport);
    }
  }

  /** Applies what a peer says about a member; spreads it further when it changed our view. */
  private merge(u: MemberRecord, now: number): void {
    this.observe(u.stateLamport);
    if (u.name === this.self.name) {
      if (u.status === "alive" && u.addr !== this.self.addr) this.emit({ kind: "conflict", member: record(this.self), otherAddr: u.addr });
      else this.mergeAboutSelf(u);
      return;
    }
    const m = this.members.get(u.name);
    if (m !== undefined && u.status === "alive" && u.addr !== m.addr) {
      // memberlist lets a new address take a name only from a member that left (ckit sets no dead-node
      // reclaim time), or once a dead one is forgotten (after GossipToTheDeadTime); otherwise it conflicts.
      const free = m.status === "left" || (m.status === "dead" && now - m.since >= GOSSIP_TO_THE_DEAD_MS);
      if (!free) {
        this.emit({ kind: "conflict", member: record(m), otherAddr: u.addr });
        return;
      }
      this.peers.remove(m);
      this.members.delete(u.name);
      this.merge(u, now);
      return;
    }
    if (m === undefined) {
      const fresh: Member = { ...u, since: now };
      this.members.set(u.name, fresh);
      this.peers.add(fresh);
      this.enqueue(fresh);
      if (isLive(u.status)) this.emit({ kind: "joined", member: record(fresh) });
      return;
    }
    let changed = false;
    const newer = u.incarnation > m.incarnation || (u.incarnation === m.incarnation && STATUS_RANK[u.status] > STATUS_RANK[m.status]);
    if (newer) {
      const wasLive = isLive(m.status);
      m.incarnation = u.incarnation;
      // Only memberlist's alive messages carry an address; suspect, dead and leave messages name the member
      // alone. A stale "left" about a name's old process must not bring its old address back: the new
      // process's alive (same incarnation, new address) would then count as a new address for a member that
      // left and be taken again, and the two would flip on every gossip.
      if (u.status === "alive") m.addr = u.addr;
      if (m.status !== u.status) {
        this.peers.update(m, () => {
          m.status = u.status;
          m.since = now;
        });
        if (!wasLive && isLive(u.status)) this.emit({ kind: "joined", member: record(m) });
        else this.emitStatus(m);
      }
      changed = true;
    }
    if (u.stateLamport > m.stateLamport) {
      // News of a state change: ckit handles it, and passes it on (the enqueue below).
      this.gossipEvents.state_change_message++;
      const previous = m.state;
      this.peers.update(m, () => (m.state = u.state));
      m.stateLamport = u.stateLamport;
      if (previous !== u.state) this.emit({ kind: "state", member: record(m), previous });
      changed = true;
    }
    if (changed) this.enqueue(m);
  }

  /** Someone thinks we are suspect, dead or in an old state: say otherwise, with a higher number. */
  private mergeAboutSelf(u: MemberRecord): void {
    if (this.self.status === "left") return;
    if (u.status !== "alive" && u.incarnation >= this.self.incarnation) {
      this.self.incarnation = u.incarnation + 1;
      this.awareness = Math.min(MAX_AWARENESS, this.awareness + 1);
      this.emit({ kind: "refuted", incarnation: this.self.incarnation });
      this.enqueue(this.self);
    }
    if (u.stateLamport >= this.self.stateLamport && u.state !== this.self.state) {
      this.self.stateLamport = ++this.lamport;
      this.enqueue(this.self);
    }
  }

  private enqueue(m: MemberRecord): void {
    this.broadcasts.set(m.name, { record: record(m), sent: 0 });
  }

  /** Updates to carry on the next frame, least-sent first. */
  private piggyback(): MemberRecord[] {
    if (this.broadcasts.size === 0) return [];
    const limit = retransmitLimit(this.timing, this.members.size);
    const entries = [...this.broadcasts.values()].sort((a, b) => a.sent - b.sent).slice(0, MAX_PIGGYBACK);
    for (const e of entries) {
      if (++e.sent >= limit) this.broadcasts.delete(e.record.name);
    }
    return entries.map((e) => e.record);
  }

  /** The other members still in the cluster (alive or suspect). */
  private livePeers(): readonly Member[] {
    return this.peers.live;
  }

  /** Live members and the recently dead (memberlist gossips to the dead for a while, so they may refute). */
  private gossipTargets(now: number): readonly Member[] {
    const dead = this.peers.recentlyDead(now, GOSSIP_TO_THE_DEAD_MS);
    return dead.length === 0 ? this.peers.live : [...this.peers.live, ...dead];
  }

  /** The live members in the participant state, ourselves included (the peers Alloy shards among). */
  participantNames(): readonly string[] {
    const names = [...this.peers.participants];
    if (isLive(this.self.status) && this.self.state === "participant") names.push(this.self.name);
    return names;
  }

  /**
   * `n` of `xs` at random: the first n steps of a Fisher–Yates shuffle, on a copy kept as the few swaps made
   * (the lists are the peer index's own and long, the picks short).
   */
  private pick<T>(xs: readonly T[], n: number): T[] {
    const k = Math.min(n, xs.length);
    const swapped = new Map<number, number>();
    const out: T[] = [];
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(this.rand() * (xs.length - i));
      out.push(xs[swapped.get(j) ?? j]);
      swapped.set(j, swapped.get(i) ?? i);
    }
    return out;
  }

  private send(to: string, frame: GossipFrame): void {
    this.outgoing.push({ to, frame });
  }
}

function record(m: MemberRecord): MemberRecord {
  return { name: m.name, addr: m.addr, incarnation: m.incarnation, status: m.status, state: m.state, stateLamport: m.stateLamport };
}

function shuffle<T>(xs: T[], rand: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}
