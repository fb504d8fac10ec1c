/**
 * The lab supervisor: forks and owns the target farm and the node processes, hands the nodes their scrape
 * components, keeps the lab's state and event log, and drives adds, stops, kills, restarts and partitions.
 * Every child is stopped when the supervisor stops; a child also exits by itself when the supervisor's IPC
 * channel closes (even if the supervisor is SIGKILLed).
 */
import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import path from "node:path";
import { isLive } from "../membership/gossipFrames";
import { TIMING_PROFILES, type TimingProfile } from "../membership/swimTiming";
import { TargetAssignment } from "../ownership/targetAssignment";
import type { TargetLabels } from "../ring/keys";
import type { LabEvent } from "../protocol/labEvents";
import type { LabNodeState, LabState } from "../protocol/labState";
import { buildLabState, nodeState, type NodeObservation } from "../protocol/labStateBuilder";
import { GOSSIP_SECRET_ENV, isFarmMessage, isNodeMessage, type NodeToSupervisor, type SupervisorToNode } from "../protocol/nodeMessages";
import type { LabComponent } from "./labComponents";
import { RebalanceTracker } from "./rebalanceTracker";
import { ScrapeMonitor } from "./scrapeMonitor";
import { syntheticLabTargets } from "./syntheticLabTargets";

export interface LabOptions {
  profile: TimingProfile;
  components: readonly LabComponent[];
  clusterName?: string;
  /** Flags every node gets (after the lab's own), e.g. --cluster.enable-tls and its paths. */
  nodeFlags?: string[];
  /** Folder of the built programs (node.js, farm.js); defaults to this bundle's own folder. */
  distDir?: string;
  /** The Node.js binary for children (desktop VS Code's own execPath is Electron). */
  execPath?: string;
}

interface NodeProcess {
  /** The lab's handle: the node name, or `name#2`… for another process under a name that runs already. */
  id: string;
  /** Its --cluster.node-name. */
  name: string;
  child: ChildProcess;
  addr: string;
  extraFlags: string[];
  expectedExit: boolean;
  exited: boolean;
  report: Extract<NodeToSupervisor, { kind: "report" }> | undefined;
  /** The last report's owned keys, by component, as sets. */
  owned: Map<string, Set<string>>;
  stderr: string;
  /** A SIGKILL waiting for the node to send the scrape results it holds. */
  killWhenScrapesSent?: () => void;
}

/** How long a SIGKILL waits for the node to send the scrape results it holds (a hung node is killed anyway). */
const KILL_SEND_SCRAPES_MS = 200;

/** The scrape monitor's name for item `index` of a per-node list (not a ring key: those are decimal). */
const itemId = (index: number): string => `item/${index}`;
const itemIndex = (id: string): number | undefined => (id.startsWith("item/") ? Number(id.slice(5)) : undefined);

interface Component {
  spec: LabComponent;
  assignment: TargetAssignment;
  /** A list with per-node values: each node's version, by node name. */
  onNode: Map<string, TargetAssignment>;
}

/**
 * Node options by program. A node keeps little, and 32 may share a 2-core machine: a small young generation;
 * no V8 helper threads (their wake-ups cost more than the little collecting they do for a heap this size);
 * no Sparkplug baseline code (memory for code that is rarely hot). Measured with `npm run bench -- lab`:
 * about 4 MB less RSS per node and less CPU, not more. The farm builds and serves every target's body, where
 * a small young generation makes it collect garbage most of the time it is busy (a CPU profile: half of it).
 */
export const EXEC_ARGV: Record<"node.js" | "farm.js", string[]> = {
  "node.js": ["--max-semi-space-size=1", "--single-threaded", "--no-sparkplug"],
  "farm.js": [],
};
/** One malloc arena per node instead of one per thread: the threads a node has allocate little. */
const NODE_ENV = { MALLOC_ARENA_MAX: "1" };
const START_CONCURRENCY = 8;
const WAIT_POLL_MS = 250;

export class LabSupervisor extends EventEmitter {
  private readonly nodes = new Map<string, NodeProcess>();
  private readonly log: LabEvent[] = [];
  private components: Component[] = [];
  private farm: ChildProcess | undefined;
  private farmUrl = "";
  private readonly monitor = new ScrapeMonitor();
  /** Per-node lists: the last scrape of each node's version of an item, by component and key (the monitor watches items). */
  private readonly versionScrapes = new Map<string, { node: string; at: number }>();
  private monitorTimer: NodeJS.Timeout | undefined;
  private scrapesFailed = 0;
  private nextIndex = 0;
  private groups: string[][] | undefined;
  private readonly rebalances = new RebalanceTracker();
  private pendingCause = "lab started";
  private readonly seenMembership = new Set<string>();
  private shuttingDown = false;
  /** Seals every gossip frame of this lab's nodes, so no other local process can join or inject state. */
  private readonly gossipSecret = randomBytes(32);

  constructor(private readonly options: LabOptions) {
    super();
    this.setComponents(options.components);
  }

  get events(): readonly LabEvent[] {
    return this.log;
  }

  /** Process id of the target farm, while it runs. */
  get farmPid(): number | undefined {
    return this.farm?.exitCode === null ? this.farm.pid : undefined;
  }

  private get distDir(): string {
    return this.options.distDir ?? __dirname;
  }

  private record(event: LabEvent): void {
    this.log.push(event);
    if (this.log.length > 10_000) this.log.splice(0, this.log.length - 10_000);
    this.emit("event", event);
  }

  private spawn(program: "node.js" | "farm.js", args: string[], env?: NodeJS.ProcessEnv): ChildProcess {
    return fork(path.join(this.distDir, program), args, {
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      execPath: this.options.execPath,
      execArgv: EXEC_ARGV[program],
      serialization: "json",
      env,
    });
  }

  /**
   * Starts the target farm, then `count` nodes: the first on its own, the rest joining it, a few at a time
   * (32 Node.js processes starting at once would starve each other of CPU on a small machine).
   */
  async start(count: number): Promise<void> {
    await this.startFarm();
    this.monitorTimer = setInterval(() => this.checkScrapes(), 1000);
    this.monitorTimer.unref();
    if (count < 1) return;
    await this.addNode();
    for (let started = 1; started < count; started += START_CONCURRENCY) {
      await Promise.all(Array.from({ length: Math.min(START_CONCURRENCY, count - started) }, () => this.addNode()));
    }
  }

  private startFarm(): Promise<void> {
    const farm = this.spawn("farm.js", []);
    this.farm = farm;
    let stderr = "";
    farm.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    return new Promise((resolve, reject) => {
      farm.on("message", (m: unknown) => {
        if (!isFarmMessage(m)) return;
        this.farmUrl = m.url;
        resolve();
      });
      farm.on("exit", (code) => {
        if (this.farmUrl === "") reject(new Error(`the target farm did not start: ${stderr.trim() || `exit ${code}`}`));
      });
    });
  }

  /** Forks one more node that joins the live ones; resolves once it listens. */
  /**
   * Forks one more node that joins the live ones; resolves once it listens. A name that runs already is
   * allowed, as Alloy allows it: memberlist keeps the first address for the name ("Conflicting address")
   * and both processes take that name's share of the targets. `listenAddr` pins its address (a restart).
   */
  addNode(name?: string, extraFlags: string[] = [], listenAddr = "127.0.0.1:0"): Promise<LabNodeState> {
    const nodeName = name ?? this.freshName();
    const id = this.freeId(nodeName);
    const joins = this.liveNodes()
      .map((n) => n.addr)
      .filter((a) => a !== "");
    const profile = TIMING_PROFILES[this.options.profile];
    const child = this.spawn(
      "node.js",
      [
        "--cluster.enabled=true",
        `--cluster.node-name=${nodeName}`,
        `--server.http.listen-addr=${listenAddr}`,
        `--cluster.join-addresses=${joins.join(",")}`,
        // Alloy's default rejoin (60 s) is twice its push-pull interval; the fast profile keeps that ratio.
        `--cluster.rejoin-interval=${this.options.profile === "fast" ? `${2 * profile.pushPullIntervalMs}ms` : "60s"}`,
        `--cluster.name=${this.options.clusterName ?? ""}`,
        `--lab.profile=${this.options.profile}`,
        ...(this.options.nodeFlags ?? []),
        ...extraFlags,
      ],
      // Its host name is its node name, as a pod's is its pod's (the config sees it in constants.hostname).
      { ...process.env, ...NODE_ENV, HOSTNAME: nodeName, [GOSSIP_SECRET_ENV]: this.gossipSecret.toString("hex") },
    );
    const node: NodeProcess = {
      id,
      name: nodeName,
      child,
      addr: "",
      extraFlags,
      expectedExit: false,
      exited: false,
      report: undefined,
      owned: new Map(),
      stderr: "",
    };
    this.nodes.set(id, node);
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (d: string) => {
      node.stderr = (node.stderr + d).slice(-4096);
    });
    return new Promise((resolve, reject) => {
      child.on("message", (m: unknown) => {
        if (!isNodeMessage(m)) return;
        this.onNodeMessage(node, m);
        if (m.kind === "listening") resolve(nodeState(this.observe(node, Date.now(), new Map())));
      });
      child.on("exit", (code, signal) => {
        node.exited = true;
        this.record({ kind: "node-exited", at: Date.now(), name: nodeName, code, signal, expected: node.expectedExit });
        if (node.addr === "") reject(new Error(`node ${nodeName} exited before listening: ${node.stderr.trim() || `code ${code}`}`));
        this.pendingCause = `${nodeName} ${node.expectedExit ? "stopped" : "died"}`;
        this.announceJoinAddresses();
        this.changed();
      });
      child.on("error", (err) => reject(err));
    });
  }

  /** The node's own name as its handle, unless a running process has it: then `name#2`, `name#3`… */
  private freeId(name: string): string {
    const taken = (id: string): boolean => this.nodes.get(id)?.exited === false;
    if (!taken(name)) return name;
    let k = 2;
    while (taken(`${name}#${k}`)) k++;
    return `${name}#${k}`;
  }

  private freshName(): string {
    while (this.nodes.has(`alloy-${this.nextIndex}`)) this.nextIndex++;
    return `alloy-${this.nextIndex++}`;
  }

  /** The keys of the versions of item `index` of a per-node list that the nodes `ids` have, without repeats. */
  private versionsOf(c: Component, index: number, ids: readonly string[]): string[] {
    const keys = ids.map((id) => this.nodes.get(id)).flatMap((n) => (n === undefined ? [] : [this.targetsOn(c, n.name).keys[index]]));
    return [...new Set(keys.filter((k) => k !== undefined))];
  }

  /** The targets of `c` as node `name` has them: its own version of a list with per-node values. */
  private targetsOn(c: Component, name: string): TargetAssignment {
    if (c.spec.targetsOnNode === undefined) return c.assignment;
    let a = c.onNode.get(name);
    if (a === undefined) c.onNode.set(name, (a = new TargetAssignment(c.spec.targetsOnNode(name), c.spec.keyStrategy)));
    return a;
  }

  private componentsMessage(node: NodeProcess): SupervisorToNode {
    return {
      kind: "components",
      farm: this.farmUrl,
      components: this.components.map((c) => ({
        id: c.spec.id,
        clustered: c.spec.clustered,
        scrapeIntervalMs: c.spec.scrapeIntervalMs,
        targets: [...this.targetsOn(c, node.name).targets],
        keyStrategy: c.spec.keyStrategy,
      })),
    };
  }

  private onNodeMessage(node: NodeProcess, m: NodeToSupervisor): void {
    switch (m.kind) {
      case "listening":
        node.addr = m.addr;
        this.record({ kind: "node-started", at: Date.now(), name: node.name, pid: m.pid, addr: m.addr });
        this.pendingCause = `${node.name} joined`;
        this.sendTo(node, this.componentsMessage(node));
        if (this.groups !== undefined) this.sendTo(node, { kind: "partition", blocked: this.blockedFor(node.name) });
        this.announceJoinAddresses();
        break;
      case "report":
        if (m.readiness.state !== (node.report?.readiness.state ?? "ready"))
          this.record({ kind: "readiness", at: Date.now(), name: node.name, ...m.readiness });
        node.report = m;
        node.owned = new Map(m.owned.map((o) => [o.component, new Set(o.keys)]));
        this.changed();
        break;
      case "scrapes":
        this.emit("scrapes", node.name, String(node.child.pid), m.scrapes);
        for (const r of m.scrapes) {
          if (!r.ok) this.scrapesFailed++;
          const c = this.components.find((x) => x.spec.id === r.component);
          if (c?.spec.targetsOnNode === undefined) {
            for (const a of this.monitor.record(node.id, r)) this.record({ kind: "duplicate", at: r.at, component: a.component, key: a.key, nodes: a.nodes });
            continue;
          }
          // A per-node list: each node scrapes its own version of an item; the monitor watches the item.
          this.versionScrapes.set(`${r.component}\n${r.key}`, { node: node.id, at: r.at });
          const index = this.targetsOn(c, node.name).indexOf(r.key);
          if (index < 0) continue;
          for (const a of this.monitor.record(node.id, { ...r, key: itemId(index) })) {
            const versions = this.versionsOf(c, index, a.nodes);
            this.record({ kind: "duplicate", at: r.at, component: a.component, key: versions[0], versions, nodes: a.nodes });
          }
        }
        break;
      case "membership": {
        const e = m.event;
        if (e.kind === "join-refused") {
          this.record({ kind: "join-refused", at: Date.now(), name: node.name, reason: e.reason });
          break;
        }
        if (e.kind === "refuted" || e.kind === "join-ok") break;
        if (e.kind === "conflict") {
          const key = `conflict/${e.member.name}/${e.member.addr}/${e.otherAddr}`;
          if (!this.seenMembership.has(key)) {
            this.seenMembership.add(key);
            this.record({ kind: "conflict", at: Date.now(), name: e.member.name, addr: e.member.addr, otherAddr: e.otherAddr, observer: m.name });
          }
          break;
        }
        // One entry per change of a member, whoever saw it first.
        const key = e.kind === "state" ? `${e.kind}/${e.member.name}/${e.member.stateLamport}` : `${e.kind}/${e.member.name}/${e.member.incarnation}`;
        if (this.seenMembership.has(key)) break;
        this.seenMembership.add(key);
        if (e.kind === "state") {
          this.record({ kind: "state-changed", at: Date.now(), name: e.member.name, state: e.member.state, previous: e.previous, observer: m.name });
        } else {
          this.record({ kind: e.kind, at: Date.now(), name: e.member.name, observer: m.name });
          if (e.kind !== "alive")
            this.pendingCause = `${e.member.name} ${e.kind === "joined" ? "joined" : e.kind === "left" ? "left" : e.kind === "dead" ? "died" : "is suspect"}`;
        }
        break;
      }
      case "scrapes-sent":
        node.killWhenScrapesSent?.();
        break;
      case "fatal":
        node.stderr += m.message;
        break;
    }
  }

  private checkScrapes(): void {
    const now = Date.now();
    for (const a of this.monitor.checkGaps(now)) {
      const c = this.components.find((x) => x.spec.id === a.component);
      const index = itemIndex(a.key);
      if (c?.spec.targetsOnNode === undefined || index === undefined) {
        this.record({ kind: "gap", at: now, component: a.component, key: a.key, sinceMs: a.sinceMs });
        continue;
      }
      // Nobody scrapes any node's version of the item.
      const versions = this.versionsOf(
        c,
        index,
        this.liveNodes().map((n) => n.id),
      );
      this.record({ kind: "gap", at: now, component: a.component, key: versions[0], versions, sinceMs: a.sinceMs });
    }
    if (Math.floor(now / 1000) % 5 === 0) {
      const samplesPerSecond: Record<string, number> = {};
      for (const n of this.liveNodes()) samplesPerSecond[n.id] = Math.round(this.monitor.samplesPerSecond(n.id, now));
      this.record({ kind: "scrape-stats", at: now, samplesPerSecond, scrapesFailed: this.scrapesFailed });
    }
  }

  private sendTo(node: NodeProcess, m: SupervisorToNode): void {
    if (!node.exited && node.child.connected) node.child.send(m);
  }

  /** Tells every node what the lab's join address resolves to now: the live nodes that listen. */
  private announceJoinAddresses(): void {
    const addrs = this.liveNodes()
      .map((n) => n.addr)
      .filter((a) => a !== "");
    for (const n of this.liveNodes()) this.sendTo(n, { kind: "join-addresses", addrs });
  }

  private liveNodes(): NodeProcess[] {
    return [...this.nodes.values()].filter((n) => !n.exited);
  }

  /** By node name, the live nodes that currently suspect it: one pass over the reports, not one per node. */
  private suspicions(): Map<string, string[]> {
    const by = new Map<string, string[]>();
    for (const o of this.liveNodes()) {
      for (const m of o.report?.members ?? []) if (m.status === "suspect" && m.name !== o.name) by.set(m.name, [...(by.get(m.name) ?? []), o.name]);
    }
    for (const list of by.values()) list.sort();
    return by;
  }

  private observe(n: NodeProcess, now: number, suspicions: Map<string, string[]>): NodeObservation {
    const self = n.report?.members.find((m) => m.name === n.name);
    const running = !n.exited;
    return {
      id: n.id,
      name: n.name,
      pid: running ? (n.child.pid ?? null) : null,
      addr: n.addr,
      state: self?.state ?? "starting",
      running,
      ready: running && (n.report?.ready ?? false),
      view: running ? (n.report?.members.filter((m) => isLive(m.status)) ?? []) : [],
      owned: running ? n.owned : new Map(),
      samplesPerSecond: running ? Math.round(this.monitor.samplesPerSecond(n.id, now)) : 0,
      lamport: n.report?.lamport,
      suspectedBy: running ? (suspicions.get(n.name) ?? []) : [],
    };
  }

  state(): LabState {
    const now = Date.now();
    const suspicions = this.suspicions();
    return buildLabState(
      { kind: "lab", profile: this.options.profile },
      this.components.map((c) => ({
        id: c.spec.id,
        clustered: c.spec.clustered,
        scrapeIntervalMs: c.spec.scrapeIntervalMs,
        targetSource: c.spec.targetSource,
        ...(c.spec.targetsOnNode ? { perNodeTargets: true } : {}),
        ...this.allVersions(c),
      })),
      [...this.nodes.values()].map((n) => this.observe(n, now, suspicions)),
      (component, key) => this.versionScrapes.get(`${component}\n${key}`) ?? this.monitor.lastScrape(component, key),
    );
  }

  /** A component's targets for the state: its list, or every running node's version of a per-node list. */
  private allVersions(c: Component): { keys: readonly string[]; labels: readonly TargetLabels[] } {
    if (c.spec.targetsOnNode === undefined) return { keys: c.assignment.keys, labels: c.assignment.targets };
    const keys: string[] = [];
    const labels: TargetLabels[] = [];
    const seen = new Set<string>();
    for (const n of this.liveNodes()) {
      const a = this.targetsOn(c, n.name);
      a.keys.forEach((k, i) => {
        if (seen.has(k)) return;
        seen.add(k);
        keys.push(k);
        labels.push(a.targets[i]);
      });
    }
    return { keys, labels };
  }

  /** Recomputes derived state after a report or an exit; records a rebalance when ownership settled anew. */
  private changed(): void {
    const s = this.state();
    this.emit("state", s);
    const rebalance = this.rebalances.observe(s, Date.now(), () => this.pendingCause);
    if (rebalance) this.record(rebalance);
  }

  /**
   * Resolves with the state once `predicate` holds; rejects after `timeoutMs`. Checked on every change, and
   * every WAIT_POLL_MS for what moves without one (scrape times, samples/s).
   */
  waitFor(predicate: (s: LabState) => boolean, timeoutMs = 10_000): Promise<LabState> {
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        clearInterval(poll);
        this.off("state", check);
      };
      const check = (s: LabState): void => {
        if (!predicate(s)) return;
        done();
        resolve(s);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`lab did not reach the expected state within ${timeoutMs} ms`));
      }, timeoutMs);
      const poll = setInterval(() => check(this.state()), WAIT_POLL_MS);
      this.on("state", check);
      check(this.state());
    });
  }

  /** A running node by its handle (`LabNodeState.id`: its name, unless another process has that name too). */
  private get(id: string): NodeProcess {
    const n = this.nodes.get(id);
    if (n === undefined || n.exited) throw new Error(`no running node named ${id}`);
    return n;
  }

  /** Graceful stop: the node announces it is terminating, then leaves. */
  stopNode(id: string): void {
    const n = this.get(id);
    n.expectedExit = true;
    this.sendTo(n, { kind: "stop" });
  }

  /** Graceful stop with a deadline, as Kubernetes' terminationGracePeriodSeconds: SIGKILL after `graceMs`. Resolves on exit. */
  terminateNode(id: string, graceMs: number): Promise<void> {
    const n = this.get(id);
    n.expectedExit = true;
    return this.terminate(n.child, graceMs, true);
  }

  /** The flags node `id` was started with beyond the lab's own. */
  nodeFlags(id: string): string[] {
    return [...(this.nodes.get(id)?.extraFlags ?? [])];
  }

  /**
   * SIGKILL, as a lost machine. Just before, the node sends the scrape results it holds for its next batch:
   * they are scrapes that happened (Alloy would have written their samples), and lost with the process they
   * would make the hand-off look up to a batch longer than it was. Membership learns nothing from this.
   */
  killNode(id: string): void {
    const n = this.get(id);
    n.expectedExit = true;
    const kill = (): void => {
      clearTimeout(timer);
      n.killWhenScrapesSent = undefined;
      n.child.kill("SIGKILL");
    };
    const timer = setTimeout(kill, KILL_SEND_SCRAPES_MS);
    n.killWhenScrapesSent = kill;
    this.sendTo(n, { kind: "send-scrapes" });
  }

  /**
   * Stops (kills, if it will not stop) and starts again under the same name and address, as a container
   * restarts in its pod. (A new address would conflict with the old one in memberlist until it is forgotten.)
   */
  async restartNode(id: string): Promise<LabNodeState> {
    const n = this.get(id);
    n.expectedExit = true;
    await this.terminate(n.child, 3000, true);
    return this.addNode(n.name, n.extraFlags, n.addr || undefined);
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
    return this.liveNodes()
      .filter((n) => !mine.includes(n.name))
      .map((n) => n.addr);
  }

  private setComponents(components: readonly LabComponent[]): void {
    this.components = components.map((spec) => {
      // Alloy keeps the first of targets with equal keys before sharding.
      const assignment = new TargetAssignment(spec.targets, spec.keyStrategy);
      const seen = new Set<string>();
      const targets = spec.targets.filter((_, i) => !seen.has(assignment.keys[i]) && seen.add(assignment.keys[i]));
      const deduped = targets.length === spec.targets.length ? spec : { ...spec, targets };
      return { spec: deduped, assignment: deduped === spec ? assignment : new TargetAssignment(targets, spec.keyStrategy), onNode: new Map() };
    });
    const now = Date.now();
    // A per-node list is watched by item: each node's version of an item has its own key, and one item
    // scraped by two nodes (each its own version) is still scraped twice.
    for (const c of this.components)
      this.monitor.watch(c.spec.id, c.spec.targetsOnNode ? c.spec.targets.map((_, i) => itemId(i)) : c.assignment.keys, c.spec.scrapeIntervalMs, now);
    this.versionScrapes.clear();
    this.rebalances.reset();
  }

  /** Replaces the simulated targets (of components whose targets are simulated) with `count` new ones, or `targets`. */
  setTargets(targets: number | readonly TargetLabels[]): void {
    this.setComponents(
      this.components.map((c) =>
        c.spec.targetSource === "simulated" ? { ...c.spec, targets: typeof targets === "number" ? syntheticLabTargets(targets) : [...targets] } : c.spec,
      ),
    );
    for (const n of this.liveNodes()) this.sendTo(n, this.componentsMessage(n));
  }

  private terminate(child: ChildProcess, graceMs: number, isNode: boolean): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      if (isNode && child.connected) child.send({ kind: "stop" } satisfies SupervisorToNode);
      else child.kill("SIGTERM");
    });
  }

  /** Stops every node (gracefully, then by force) and the farm. */
  async shutdown(): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    if (this.monitorTimer !== undefined) clearInterval(this.monitorTimer);
    for (const n of this.nodes.values()) n.expectedExit = true;
    await Promise.all([...this.nodes.values()].map((n) => this.terminate(n.child, 2000, true)));
    if (this.farm !== undefined) await this.terminate(this.farm, 1000, false);
  }
}
