/** What the lab reports as it runs: the lab ↔ extension event protocol (also the CLI's event log). */
import type { MemberRecord } from "../membership/gossipFrames";

export interface MovedTarget {
  key: string;
  from: string | null;
  to: string | null;
}

export type LabEvent =
  | { kind: "node-started"; at: number; name: string; pid: number; addr: string }
  | { kind: "node-exited"; at: number; name: string; code: number | null; signal: string | null; expected: boolean }
  | { kind: "joined" | "suspect" | "dead" | "left" | "alive"; at: number; name: string; observer: string }
  | { kind: "state-changed"; at: number; name: string; state: MemberRecord["state"]; previous: MemberRecord["state"]; observer: string }
  | { kind: "join-refused"; at: number; name: string; reason: string }
  | { kind: "partition"; at: number; groups: string[][] }
  /** A target scraped by more than one node within one interval. */
  | { kind: "duplicate"; at: number; component: string; key: string; nodes: string[] }
  /** A target scraped by nobody for more than two intervals. */
  | { kind: "gap"; at: number; component: string; key: string; sinceMs: number }
  /** Scrape throughput, every few seconds. */
  | { kind: "scrape-stats"; at: number; samplesPerSecond: Record<string, number>; scrapesFailed: number }
  | { kind: "healed"; at: number }
  | {
      kind: "rebalance";
      at: number;
      /** What changed the participants, e.g. "alloy-3 joined". */
      cause: string;
      participants: string[];
      moved: MovedTarget[];
      movedCount: number;
      totalTargets: number;
      movedFraction: number;
      /** What consistent hashing promises: 1/N of the targets move when one of N nodes comes or goes. */
      idealFraction: number;
    };

export interface LabNodeState {
  name: string;
  pid: number | null;
  addr: string;
  /** The node's own ckit state, as it last reported. */
  state: MemberRecord["state"] | "starting";
  /** The process is running. */
  alive: boolean;
  ready: boolean;
  /** Names this node currently sees as alive. */
  peers: string[];
  /** Keys of the targets it owns (of every component). */
  targets: string[];
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
  key: string;
  labels: Record<string, string>;
  /** The single owner, or null when nobody (or more than one node) owns it. */
  owner: string | null;
  owners: string[];
  lastScrape?: { node: string; at: number };
}

export interface LabComponentState {
  id: string;
  clustered: boolean;
  scrapeIntervalMs: number;
  targetSource: "static" | "simulated";
  targets: number;
}

export interface LabState {
  profile: string;
  /** Set when this is a real cluster the extension attached to (its URL), not a lab. */
  attachedTo?: string;
  components: LabComponentState[];
  converged: boolean;
  nodes: LabNodeState[];
  targets: LabTargetState[];
}
