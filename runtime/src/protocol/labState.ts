/**
 * The state of a lab (or of a real cluster the lab's tools attached to), as the supervisor publishes it to
 * the extension, the CLI and tests. Plain data: it crosses the control API as JSON.
 */
import type { MemberRecord } from "../membership/gossipFrames";
import type { TimingProfile } from "../membership/swimTiming";

export interface LabNodeState {
  /**
   * The lab's handle for the node (control API, views): its name, or `name#2`… for another process started
   * under a name that runs already (Alloy lets that happen: both take that name's share).
   */
  id: string;
  /** Its --cluster.node-name. */
  name: string;
  addr: string;
  /** The node's own ckit state, as it last reported; "starting" before its first report. */
  state: MemberRecord["state"] | "starting";
  /**
   * Lab: its process runs (`pid` is set). Attached: the cluster lists it — its process can't be seen from
   * here (`pid` is null; `reachable` says whether its own API answered).
   */
  running: boolean;
  pid: number | null;
  ready: boolean;
  /** Names this node currently sees as live members. */
  peers: string[];
  samplesPerSecond: number;
  /** The node's Lamport clock (ckit orders state changes by it); absent where it isn't known. */
  lamport?: number;
  /** Live nodes that currently suspect this one (SWIM: missed probes, not yet dead). */
  suspectedBy?: string[];
  /** Attached clusters only: false when this node's own API could not be reached, so its view is assumed. */
  reachable?: boolean;
}

export interface LabTargetState {
  /** The component that scrapes it: `prometheus.scrape.pods`. */
  component: string;
  clustered: boolean;
  /** The target's ring key (u64, decimal). */
  key: string;
  labels: Record<string, string>;
  /** The single owner, or null when nobody (or more than one node) owns it. */
  owner: string | null;
  owners: string[];
  lastScrape?: { node: string; at: number };
  /**
   * Attached clusters whose nodes send debug info (prometheus.scrape): the nodes that say they scrape it —
   * the truth, where `owners` is the ring's prediction from each node's view.
   */
  scrapedBy?: string[];
}

/**
 * Where a component's work items come from: the config's own list, simulated discovery (a list the lab cannot
 * know), or a stand-in item for a string-key component whose value is not known statically (a secret's DSN).
 */
export type TargetSource = "static" | "simulated" | "stand-in";

export interface LabComponentState {
  id: string;
  clustered: boolean;
  scrapeIntervalMs: number;
  targetSource: TargetSource;
  targets: number;
  /**
   * Its list uses per-node values (the host name…): every node has its own version of each target, and shards
   * that. Each version is a target here, so one address can be scraped by several nodes or by none.
   */
  perNodeTargets?: boolean;
}

/** Where a state comes from: a lab the supervisor runs, or a real cluster read through its HTTP API. */
export type LabSource = { kind: "lab"; profile: TimingProfile } | { kind: "attached"; url: string };

export interface LabState {
  source: LabSource;
  components: LabComponentState[];
  converged: boolean;
  nodes: LabNodeState[];
  targets: LabTargetState[];
}

/**
 * By node name, the keys of the targets it owns (of every component), in target order. Processes that share
 * a name own the same share, so it is listed once.
 */
export function ownedKeysByNode(state: LabState): Map<string, string[]> {
  const owned = new Map<string, string[]>(state.nodes.map((n) => [n.name, []]));
  for (const t of state.targets) for (const o of new Set(t.owners)) owned.get(o)?.push(t.key);
  return owned;
}

/** The running nodes that are ckit participants: the ones the ring is built from. */
export function participantNames(state: LabState): string[] {
  return state.nodes.filter((n) => n.running && n.state === "participant").map((n) => n.name);
}
