/**
 * The supervisor's control API: its paths and request bodies, shared by the server and the typed client so
 * neither side writes a path or a body by hand.
 */
import type { DrillReport, DrillTimeline } from "../drills/drillReport";
import type { TargetLabels } from "../ring/keys";

export type NodeAction = "stop" | "kill" | "restart";
export const NODE_ACTIONS: readonly NodeAction[] = ["stop", "kill", "restart"];

export const CONTROL_PATHS = {
  state: "/api/lab/state",
  /** GET: the event log. A WebSocket upgrade: the state and event stream (labStream). */
  events: "/api/lab/events",
  nodes: "/api/lab/nodes",
  node: (name: string, action: NodeAction): string => `/api/lab/nodes/${encodeURIComponent(name)}/${action}`,
  partition: "/api/lab/partition",
  targets: "/api/lab/targets",
  metrics: "/api/lab/metrics",
  /** POST: run a drill on this lab (one at a time); answers when it is over. */
  drills: "/api/lab/drills",
} as const;

export interface AddNodeRequest {
  /** 1–64 letters, digits, '.', '_' or '-'; the lab picks `alloy-N` when absent. */
  name?: string;
  /** Extra node flags, e.g. `--cluster.wait-for-size=3`. */
  flags?: string[];
}

export interface PartitionRequest {
  groups: string[][];
}

/** Replace the simulated targets with `count` new ones, or with these label sets. */
export type SetTargetsRequest = { count: number } | { targets: TargetLabels[] };

/** A drill and its options, named as the CLI's flags without the dashes (`{"max-surge": "1"}`). */
export interface RunDrillRequest {
  kind: string;
  options?: Record<string, string | boolean>;
}

export interface RunDrillResponse {
  report: DrillReport;
  timeline: DrillTimeline;
}

export const MAX_LAB_TARGETS = 100_000;
export const NODE_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/** The body of every error answer. */
export interface ControlErrorBody {
  error: string;
}

/** The first line `alloy-lab up --json` prints once the lab converged: where to reach it. */
export interface LabHandle {
  control: string;
  token: string;
}
