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
  /** Keys of the targets it owns. */
  targets: string[];
}

export interface LabTargetState {
  key: string;
  labels: Record<string, string>;
  /** The single owner, or null when nobody (or more than one node) owns it. */
  owner: string | null;
  owners: string[];
}

export interface LabState {
  profile: string;
  converged: boolean;
  nodes: LabNodeState[];
  targets: LabTargetState[];
}
