/**
 * Messages between the lab supervisor and its node and farm processes (over the Node IPC channel the
 * supervisor opens when it forks them). One module for every direction, so no side builds them by hand.
 */
import type { ReadinessState } from "../membership/clusterReadiness";
import type { MemberRecord } from "../membership/gossipFrames";
import type { MembershipEvent } from "../membership/swimMembership";
import type { KeyStrategy } from "../ownership/keyStrategy";
import type { TargetLabels } from "../ring/keys";

/** A scrape component as a node runs it. */
export interface NodeComponent {
  id: string;
  clustered: boolean;
  scrapeIntervalMs: number;
  targets: TargetLabels[];
  /** The key it hashes onto the ring. */
  keyStrategy: KeyStrategy;
}

export interface ScrapeResult {
  component: string;
  key: string;
  at: number;
  samples: number;
  ok: boolean;
  durationMs: number;
  /** Why it failed, when it did. */
  error?: string;
}

/**
 * The environment variable that hands a node its lab's gossip secret (64 hex digits). The environment, not
 * a flag: a command line is readable by every process on the machine.
 */
export const GOSSIP_SECRET_ENV = "ALLOY_LAB_GOSSIP_SECRET";

export type NodeToSupervisor =
  | { kind: "listening"; name: string; addr: string; pid: number }
  | {
      kind: "report";
      name: string;
      /** Everyone this node knows of, with status as it sees them. */
      members: MemberRecord[];
      /** Clustered components may take work (wait-for-size). */
      ready: boolean;
      /** wait-for-size as the node decides it: the state, the peers it counts (participants and terminating), the minimum. */
      readiness: { state: ReadinessState; peers: number; minimumSize: number };
      /** Per component, the keys (u64 decimal) of the targets this node owns. */
      owned: { component: string; keys: string[] }[];
      lamport: number;
    }
  | { kind: "membership"; name: string; event: MembershipEvent }
  /** Scrapes done since the last batch. */
  | { kind: "scrapes"; name: string; scrapes: ScrapeResult[] }
  /** Every result held for the next batch has been sent (the answer to "send-scrapes"). */
  | { kind: "scrapes-sent"; name: string }
  | { kind: "fatal"; name: string; message: string };

export type SupervisorToNode =
  | { kind: "components"; components: NodeComponent[]; farm: string }
  /** Drop all gossip to and from these addresses (a simulated network partition); empty heals. */
  | { kind: "partition"; blocked: string[] }
  /**
   * What the lab's join address resolves to now — the live nodes — as a Kubernetes headless service's name
   * resolves to the ready pods each time Alloy rejoins. A node's rejoin tries these.
   */
  | { kind: "join-addresses"; addrs: string[] }
  /**
   * Send the scrape results held for the next batch now: the lab is about to SIGKILL this node, and a batch
   * that dies with the process would hide scrapes that happened (the hand-off would look a batch longer).
   */
  | { kind: "send-scrapes" }
  | { kind: "stop" };

export type FarmToSupervisor = { kind: "farm-listening"; url: string };

function hasKind(m: unknown): m is { kind: string } {
  return typeof m === "object" && m !== null && typeof (m as { kind?: unknown }).kind === "string";
}

export function isNodeMessage(m: unknown): m is NodeToSupervisor {
  return hasKind(m) && ["listening", "report", "membership", "scrapes", "scrapes-sent", "fatal"].includes(m.kind);
}

export function isSupervisorMessage(m: unknown): m is SupervisorToNode {
  return hasKind(m) && ["components", "partition", "join-addresses", "send-scrapes", "stop"].includes(m.kind);
}

export function isFarmMessage(m: unknown): m is FarmToSupervisor {
  return hasKind(m) && m.kind === "farm-listening";
}
