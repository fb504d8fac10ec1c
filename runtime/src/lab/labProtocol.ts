/**
 * Messages between the lab supervisor and its node processes (over the Node IPC channel the supervisor
 * opens when it forks a node). One module for both directions, so neither side builds them by hand.
 */
import type { MemberRecord } from "../membership/gossipFrames";
import type { MembershipEvent } from "../membership/swimMembership";
import type { TargetLabels } from "../ring/keys";

export type NodeToSupervisor =
  | { kind: "listening"; name: string; addr: string; pid: number }
  | {
      kind: "report";
      name: string;
      /** Everyone this node knows of, with status as it sees them. */
      members: MemberRecord[];
      ready: boolean;
      /** Keys (u64 decimal) of the targets this node owns. */
      owned: string[];
      lamport: number;
      invalidFrames: number;
    }
  | { kind: "membership"; name: string; event: MembershipEvent }
  | { kind: "fatal"; name: string; message: string };

export type SupervisorToNode =
  | { kind: "targets"; targets: TargetLabels[] }
  /** Drop all gossip to and from these addresses (a simulated network partition); empty heals. */
  | { kind: "partition"; blocked: string[] }
  | { kind: "stop" };

export function isNodeMessage(m: unknown): m is NodeToSupervisor {
  return typeof m === "object" && m !== null && typeof (m as { kind?: unknown }).kind === "string";
}

export function isSupervisorMessage(m: unknown): m is SupervisorToNode {
  if (typeof m !== "object" || m === null) return false;
  const k = (m as { kind?: unknown }).kind;
  return k === "targets" || k === "partition" || k === "stop";
}
