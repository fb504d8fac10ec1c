/** What happens in a lab as it runs: the events the control API streams (also the CLI's `--json` event log). */
import type { ReadinessState } from "../membership/clusterReadiness";
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
  /** memberlist's "Conflicting address": `observer` knows `name` at `addr` and ignored it announced from `otherAddr`. */
  | { kind: "conflict"; at: number; name: string; addr: string; otherAddr: string; observer: string }
  | { kind: "partition"; at: number; groups: string[][] }
  /** A target scraped by more than one node within one interval. */
  /**
   * `versions`: for a list with per-node values, the keys of the nodes' versions of the item (each node scrapes
   * its own); `key` is the first of them.
   */
  | { kind: "duplicate"; at: number; component: string; key: string; nodes: string[]; versions?: string[] }
  /** A target scraped by nobody for more than two intervals. */
  | { kind: "gap"; at: number; component: string; key: string; sinceMs: number; versions?: string[] }
  /** Scrape throughput, every few seconds. */
  | { kind: "scrape-stats"; at: number; samplesPerSecond: Record<string, number>; scrapesFailed: number }
  | { kind: "healed"; at: number }
  /**
   * A node's wait-for-size verdict changed: "not-ready" pauses its clustered components (they own nothing),
   * "ready" (the size is reached) and "deadline-passed" (--cluster.wait-timeout ran out) let them work.
   */
  | { kind: "readiness"; at: number; name: string; state: ReadinessState; peers: number; minimumSize: number }
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
