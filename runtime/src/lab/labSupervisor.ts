/**
 * The lab supervisor: forks and owns the node processes, hands them the simulated targets, keeps the lab's
 * state and event log, and drives adds, stops, kills, restarts and partitions. Every child is stopped when the
 * supervisor stops; a child also exits by itself when the supervisor's IPC channel closes.
 */
import { fork, type ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";
import path from "node:path";
import type { MemberRecord } from "../membership/gossipFrames";
import type { TimingProfile } from "../membership/swimTiming";
import { TIMING_PROFILES } from "../membership/swimTiming";
import { TargetAssignment } from "../ownership/targetAssignment";
import type { TargetLabels } from "../ring/keys";
import type { LabEvent, LabNodeState, LabState, MovedTarget } from "./labEvents";
import { isNodeMessage, type NodeToSupervisor, type SupervisorToNode } from "./labProtocol";

export interface LabOptions {
  profile: TimingProfile;
  targets: readonly TargetLabels[];
  clusterName?: string;
  /** The built node program (dist/node.js). */
  nodeScript?: string;
  /** The Node.js binary for children (desktop VS Code's own execPath is Electron). */
  execPath?: string;
}

interface NodeProcess {
  name: string;
  child: ChildProcess;
  addr: string;
  extraFlags: string[];
  expectedExit: boolean;
  exited: boolean;
  report: Extract<NodeToSupervisor, { kind: "report" }> | undefined;
  stderr: string;
}

const DEFAULT_NODE_SCRIPT = path.join(__dirname, "node.js");

export class LabSupervisor extends EventEmitter {
  private readonly nodes = new Map<string, NodeProcess>();
  private readonly log: LabEvent[] = [];
  private assignment: TargetAssignment;
  private nextIndex = 0;
  private groups: string[][] | undefined;
  private lastConvergedOwners: (string | null)[] | undefined;
  private lastParticipants: string[] = [];
  private pendingCause = "lab started";
  private seenMembership = new Set<string>();
  private shuttingDown = false;

  constructor(private readonly options: LabOptions) {
    super();
    this.assignment = new TargetAssignment(options.targets);
  }

  get events(): readonly LabEvent[] {
    return this.log;
  }

  private record(event: LabEvent): void {
    this.log.push(event);
    if (this.log.length > 10_000) this.log.splice(0, this.log.length - 10_000);
    this.emit("event", event);
  }

  /** Starts `count` nodes: the first on its own, the rest joining it. */
  async start(count: number): Promise<void> {
    if (count < 1) return;
    await this.addNode();
    await Promise.all(Array.from({ length: count - 1 }, () => this.addNode()));
  }

  /** Forks one more node that joins the live ones; resolves once it listens. */
  addNode(name?: string, extraFlags: string[] = []): Promise<LabNodeState> {
    const nodeName = name ?? this.freshName();
    if (this.nodes.get(nodeName)?.exited === false) return Promise.reject(new Error(`node ${nodeName} is already running`));
    const joins = this.liveNodes().map((n) => n.addr).filter((a) => a !== "");
    const profile = TIMING_PROFILES[this.options.profile];
    const args = [
      "--cluster.enabled=true",
      `--cluster.node-name=${nodeName}`,
      "--server.http.listen-addr=127.0.0.1:0",
      `--cluster.join-addresses=${joins.join(",")}`,
      `--cluster.rejoin-interval=${this.options.profile === "fast" ? `${profile.pushPullIntervalMs}ms` : "60s"}`,
      `--cluster.name=${this.options.clusterName ?? ""}`,
      `--lab.profile=${this.options.profile}`,
      ...extraFlags,
    ];
    const child = fork(this.options.nodeScript ?? DEFAULT_NODE_SCRIPT, args, {
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      execPath: this.options.execPath,
      serialization: "json",
      // A small young generation: a node allocates little that lives, and 32 of them share this machine.
      execArgv: ["--max-semi-space-size=1"],
    });
    const node: NodeProcess = { name: nodeName, child, addr: "", extraFlags, expectedExit: false, exited: false, report: undefined, stderr: "" };
    this.nodes.set(nodeName, node);
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (d: string) => {
      node.stderr = (node.stderr + d).slice(-4096);
    });
    return new Promise((resolve, reject) => {
      child.on("message", (m: unknown) => {
        if (!isNodeMessage(m)) return;
        this.onNodeMessage(node, m);
        if (m.kind === "listening") resolve(this.nodeState(node));
      });
      child.on("exit", (code, signal) => {
        node.exited = true;
        this.record({ kind: "node-exited", at: Date.now(), name: nodeName, code, signal, expected: node.expectedExit });
        if (node.addr === "") reject(new Error(`node ${nodeName} exited before listening: ${node.stderr.trim() || `code ${code}`}`));
        this.pendingCause = `${nodeName} ${node.expectedExit ? "stopped" : "died"}`;
        this.changed();
      });
      child.on("error", (err) => reject(err));
    });
  }

  private freshName(): string {
    while (this.nodes.has(`alloy-${this.nextIndex}`)) this.nextIndex++;
    return `alloy-${this.nextIndex++}`;
  }

  private onNodeMessage(node: NodeProcess, m: NodeToSupervisor): void {
    switch (m.kind) {
      case "listening":
        node.addr = m.addr;
        this.record({ kind: "node-started", at: Date.now(), name: node.name, pid: m.pid, addr: m.addr });
        this.pendingCause = `${node.name} joined`;
        if (this.assignment.targets.length > 0) this.sendTo(node, { kind: "targets", targets: [...this.assignment.targets] });
        if (this.groups !== undefined) this.sendTo(node, { kind: "partition", blocked: this.blockedFor(node.name) });
        break;
      case "report":
        node.report = m;
        this.changed();
        break;
      case "membership": {
        const e = m.event;
        if (e.kind === "join-refused") {
          this.record({ kind: "join-refused", at: Date.now(), name: node.name, reason: e.reason });
          break;
        }
        if (e.kind === "refuted") break;
        // One entry per change of a member, whoever saw it first.
        const key = e.kind === "state" ? `${e.kind}/${e.member.name}/${e.member.stateLamport}` : `${e.kind}/${e.member.name}/${e.member.incarnation}`;
        if (this.seenMembership.has(key)) break;
        this.seenMembership.add(key);
        if (e.kind === "state") {
          this.record({ kind: "state-changed", at: Date.now(), name: e.member.name, state: e.member.state, previous: e.previous, observer: m.name });
        } else {
          this.record({ kind: e.kind, at: Date.now(), name: e.member.name, observer: m.name });
          if (e.kind !== "alive") this.pendingCause = `${e.member.name} ${e.kind === "joined" ? "joined" : e.kind === "left" ? "left" : e.kind === "dead" ? "died" : "is suspect"}`;
        }
        break;
      }
      case "fatal":
        node.stderr += m.message;
        break;
    }
  }

  private sendTo(node: NodeProcess, m: SupervisorToNode): void {
    if (!node.exited && node.child.connected) node.child.send(m);
  }

  private liveNodes(): NodeProcess[] {
    return [...this.nodes.values()].filter((n) => !n.exited);
  }

  private nodeState(n: NodeProcess): LabNodeState {
    const self = n.report?.members.find((m) => m.name === n.name);
    const live = (m: MemberRecord): boolean => m.status === "alive" || m.status === "suspect";
    return {
      name: n.name,
      pid: n.exited ? null : (n.child.pid ?? null),
      addr: n.addr,
      state: self?.state ?? "starting",
      alive: !n.exited,
      ready: !n.exited && (n.report?.ready ?? false),
      peers: n.exited ? [] : (n.report?.members.filter(live).map((m) => m.name).sort() ?? []),
      targets: n.exited ? [] : (n.report?.owned ?? []),
    };
  }

  state(): LabState {
    const nodes = [...this.nodes.values()].map((n) => this.nodeState(n));
    const ownersByKey = new Map<string, string[]>();
    for (const n of nodes) for (const k of n.targets) ownersByKey.set(k, [...(ownersByKey.get(k) ?? []), n.name]);
    const targets = this.assignment.keys.map((key, i) => {
      const owners = ownersByKey.get(key) ?? [];
      return { key, labels: { ...this.assignment.targets[i] }, owner: owners.length === 1 ? owners[0] : null, owners };
    });
    return { profile: this.options.profile, converged: this.isConverged(nodes, targets), nodes, targets };
  }

  /** Every live node sees exactly the live nodes, and each target has exactly one owner. */
  private isConverged(nodes: LabNodeState[], targets: { owners: string[] }[]): boolean {
    const live = nodes.filter((n) => n.alive);
    if (live.length === 0) return false;
    const expected = live.map((n) => n.name).sort().join(",");
    if (!live.every((n) => n.state !== "starting" && n.peers.join(",") === expected)) return false;
    return targets.every((t) => t.owners.length === 1);
  }

  /** Recomputes derived state after a report or an exit; records a rebalance when ownership settled anew. */
  private changed(): void {
    const s = this.state();
    this.emit("state", s);
    if (!s.converged) return;
    const owners = s.targets.map((t) => t.owner);
    const participants = s.nodes.filter((n) => n.alive && n.state === "participant").map((n) => n.name).sort();
    if (this.lastConvergedOwners !== undefined && participants.join(",") !== this.lastParticipants.join(",")) {
      const moved: MovedTarget[] = [];
      owners.forEach((o, i) => {
        const before = this.lastConvergedOwners![i] ?? null;
        if (o !== before) moved.push({ key: s.targets[i].key, from: before, to: o });
      });
      const n = Math.max(participants.length, this.lastParticipants.length);
      this.record({
        kind: "rebalance",
        at: Date.now(),
        cause: this.pendingCause,
        participants,
        moved,
        movedCount: moved.length,
        totalTargets: owners.length,
        movedFraction: owners.length === 0 ? 0 : moved.length / owners.length,
        idealFraction: n === 0 ? 0 : 1 / n,
      });
    }
    if (this.lastConvergedOwners === undefined || participants.join(",") !== this.lastParticipants.join(",")) {
      this.lastConvergedOwners = owners;
      this.lastParticipants = participants;
    }
  }

  /** Resolves with the state once `predicate` holds; rejects after `timeoutMs`. */
  waitFor(predicate: (s: LabState) => boolean, timeoutMs = 10_000): Promise<LabState> {
    return new Promise((resolve, reject) => {
      const check = (s: LabState): boolean => {
        if (!predicate(s)) return false;
        clearTimeout(timer);
        this.off("state", check);
        resolve(s);
        return true;
      };
      const timer = setTimeout(() => {
        this.off("state", check);
        reject(new Error(`lab did not reach the expected state within ${timeoutMs} ms`));
      }, timeoutMs);
      this.on("state", check);
      check(this.state());
    });
  }

  private get(name: string): NodeProcess {
    const n = this.nodes.get(name);
    if (n === undefined || n.exited) throw new Error(`no running node named ${name}`);
    return n;
  }

  /** Graceful stop: the node announces it is terminating, then leaves. */
  stopNode(name: string): void {
    const n = this.get(name);
    n.expectedExit = true;
    this.sendTo(n, { kind: "stop" });
  }

  killNode(name: string): void {
    const n = this.get(name);
    n.expectedExit = true;
    n.child.kill("SIGKILL");
  }

  /** Stops (kills, if it will not stop) and starts again under the same name. */
  async restartNode(name: string): Promise<LabNodeState> {
    const n = this.get(name);
    n.expectedExit = true;
    await this.terminate(n, 3000);
    return this.addNode(name, n.extraFlags);
  }

  partition(groups: string[][]): void {
    this.groups = groups;
    for (const n of this.liveNodes()) this.sendTo(n, { kind: "partition", blocked: this.blockedFor(n.name) });
    this.record({ kind: "partition", at: Date.now(), groups });
  }

  heal(): void {
    this.groups = undefined;
    for (const n of this.liveNodes()) this.sendTo(n, { kind: "partition", blocked: [] });
    this.record({ kind: "healed", at: Date.now() });
  }

  private blockedFor(name: string): string[] {
    if (this.groups === undefined) return [];
    const mine = this.groups.find((g) => g.includes(name)) ?? [name];
    return this.liveNodes().filter((n) => !mine.includes(n.name)).map((n) => n.addr);
  }

  setTargets(targets: readonly TargetLabels[]): void {
    this.assignment = new TargetAssignment(targets);
    this.lastConvergedOwners = undefined;
    for (const n of this.liveNodes()) this.sendTo(n, { kind: "targets", targets: [...targets] });
  }

  private terminate(n: NodeProcess, graceMs: number): Promise<void> {
    if (n.exited) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => n.child.kill("SIGKILL"), graceMs);
      n.child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      if (n.child.connected) this.sendTo(n, { kind: "stop" });
      else n.child.kill("SIGTERM");
    });
  }

  /** Stops every node (gracefully, then by force). */
  async shutdown(): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    for (const n of this.nodes.values()) n.expectedExit = true;
    await Promise.all([...this.nodes.values()].map((n) => this.terminate(n, 2000)));
  }
}
