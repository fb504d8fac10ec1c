/**
 * The drills — the operations Kubernetes performs on an Alloy cluster — and their options, with the same
 * defaults as Kubernetes. One parser for the CLI, the control API and the extension. Pure.
 */

export type DrillKind = "rollout-statefulset" | "rollout-deployment" | "scale" | "kill" | "partition";
export const DRILL_KINDS: readonly DrillKind[] = ["rollout-statefulset", "rollout-deployment", "scale", "kill", "partition"];

export const DRILL_SUMMARIES: Readonly<Record<DrillKind, string>> = {
  "rollout-statefulset": "replace pods one at a time from the highest ordinal down, same names, each after the previous is ready",
  "rollout-deployment": "replace pods with new names, maxSurge / maxUnavailable at a time",
  scale: "scale from the current size to --to M, --step pods at a time",
  kill: "SIGKILL --count pods (or --nodes) at once, as a lost machine does",
  partition: "split the cluster into --groups for --duration seconds, then heal",
};

export interface DrillOptions {
  kind: DrillKind;
  /** Kubernetes' minReadySeconds: how long a new pod must be ready before the rollout goes on. */
  minReadySeconds: number;
  /** Kubernetes' terminationGracePeriodSeconds: SIGKILL after this long if the pod has not exited. */
  terminationGracePeriodSeconds: number;
  /** rollout-deployment: a count or a percentage of the replicas ("25%", Kubernetes' default). */
  maxSurge: string;
  maxUnavailable: string;
  /** scale: the size to reach, and pods per step (each step waits for its pods to be ready, or gone). */
  to?: number;
  step: number;
  /** kill: how many pods (the highest ordinals), or which. */
  count: number;
  nodes?: string[];
  /** kill: start a pod under each killed name again once the others saw it dead (a StatefulSet recreates it). */
  replace: boolean;
  /** partition: node names per side (default: two halves), and how long before healing. */
  groups?: string[][];
  durationSeconds: number;
}

export const DEFAULT_DRILL_OPTIONS: Omit<DrillOptions, "kind"> = {
  minReadySeconds: 0,
  terminationGracePeriodSeconds: 30,
  maxSurge: "25%",
  maxUnavailable: "25%",
  step: 1,
  count: 1,
  replace: false,
  durationSeconds: 10,
};

/** The drill options as flags (`--min-ready-seconds 5`), for the CLI's parseArgs. */
export const DRILL_FLAGS = {
  "min-ready-seconds": { type: "string" },
  "termination-grace-period-seconds": { type: "string" },
  "max-surge": { type: "string" },
  "max-unavailable": { type: "string" },
  to: { type: "string" },
  step: { type: "string" },
  count: { type: "string" },
  "kill-nodes": { type: "string" },
  replace: { type: "boolean" },
  groups: { type: "string" },
  duration: { type: "string" },
} as const;

export const DRILL_FLAGS_HELP = `  --min-ready-seconds S        a new pod must be ready this long before the next step (default 0)
  --termination-grace-period-seconds S
                               SIGKILL a stopping pod after S seconds (default 30)
  --max-surge N|P%             rollout-deployment: extra pods during the rollout (default 25%)
  --max-unavailable N|P%       rollout-deployment: pods that may be unavailable (default 25%)
  --to M                       scale: the size to reach
  --step K                     scale: pods per step (default 1; each step waits for its pods)
  --count K                    kill: how many pods, the highest ordinals (default 1)
  --kill-nodes A,B             kill: these pods instead
  --replace                    kill: start each killed name again once the others saw it dead
  --groups A,B/C,D             partition: the sides (default: two halves by name)
  --duration S                 partition: seconds before healing (default 10)`;

const COUNT_OR_PERCENT = /^(\d+)(%?)$/;

/** Kubernetes' rounding of maxSurge (up) and maxUnavailable (down) of `replicas`. */
export function resolveCountOrPercent(value: string, replicas: number, roundUp: boolean): number {
  const m = COUNT_OR_PERCENT.exec(value)!;
  if (m[2] === "") return Number(m[1]);
  const exact = (Number(m[1]) * replicas) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** Names with a trailing ordinal (`alloy-3`) from the highest ordinal down; others after, by name. */
export function byOrdinalDescending(names: readonly string[]): string[] {
  const ordinal = (n: string): number => Number(/-(\d+)$/.exec(n)?.[1] ?? -1);
  return [...names].sort((a, b) => ordinal(b) - ordinal(a) || (a < b ? 1 : a > b ? -1 : 0));
}

const seconds = (text: string | undefined, what: string, fallback: number): number | string => {
  if (text === undefined) return fallback;
  const v = Number(text);
  return text.trim() !== "" && Number.isFinite(v) && v >= 0 && v <= 3600 ? v : `${what} must be a number of seconds from 0 to 3600`;
};

const whole = (text: string | undefined, what: string, min: number, max: number): number | undefined | string => {
  if (text === undefined) return undefined;
  const v = Number(text);
  return text.trim() !== "" && Number.isInteger(v) && v >= min && v <= max ? v : `${what} must be a whole number from ${min} to ${max}`;
};

/** The flags' values (strings, as parseArgs gives them) as options, or the first problem with them. */
export function parseDrillOptions(kind: string, values: Partial<Record<keyof typeof DRILL_FLAGS, string | boolean>>): DrillOptions | string {
  if (!(DRILL_KINDS as readonly string[]).includes(kind)) return `unknown drill "${kind}" (expected ${DRILL_KINDS.join(", ")})`;
  const str = (k: keyof typeof DRILL_FLAGS): string | undefined => (typeof values[k] === "string" ? values[k] : undefined);
  const o: DrillOptions = { kind: kind as DrillKind, ...DEFAULT_DRILL_OPTIONS };
  const minReady = seconds(str("min-ready-seconds"), "--min-ready-seconds", o.minReadySeconds);
  const grace = seconds(str("termination-grace-period-seconds"), "--termination-grace-period-seconds", o.terminationGracePeriodSeconds);
  const duration = seconds(str("duration"), "--duration", o.durationSeconds);
  for (const v of [minReady, grace, duration]) if (typeof v === "string") return v;
  o.minReadySeconds = minReady as number;
  o.terminationGracePeriodSeconds = grace as number;
  o.durationSeconds = duration as number;
  for (const k of ["max-surge", "max-unavailable"] as const) {
    const v = str(k);
    if (v !== undefined && !COUNT_OR_PERCENT.test(v)) return `--${k} must be a count or a percentage (e.g. 1 or 25%)`;
  }
  o.maxSurge = str("max-surge") ?? o.maxSurge;
  o.maxUnavailable = str("max-unavailable") ?? o.maxUnavailable;
  if (/^0%?$/.test(o.maxSurge) && /^0%?$/.test(o.maxUnavailable))
    return "--max-surge and --max-unavailable cannot both be 0 (Kubernetes refuses it: the rollout could never progress)";
  const to = whole(str("to"), "--to", 1, 64);
  const step = whole(str("step"), "--step", 1, 64);
  const count = whole(str("count"), "--count", 1, 64);
  for (const v of [to, step, count]) if (typeof v === "string") return v;
  if (kind === "scale" && to === undefined) return "scale needs --to M (the size to reach)";
  o.to = to as number | undefined;
  o.step = (step as number | undefined) ?? o.step;
  o.count = (count as number | undefined) ?? o.count;
  const killNodes = str("kill-nodes");
  if (killNodes !== undefined) o.nodes = killNodes.split(",").filter((n) => n !== "");
  o.replace = values.replace === true;
  const groups = str("groups");
  if (groups !== undefined) {
    o.groups = groups.split("/").map((g) => g.split(",").filter((n) => n !== ""));
    if (o.groups.length < 2 || o.groups.some((g) => g.length === 0)) return "--groups needs two or more non-empty sides, e.g. alloy-0,alloy-1/alloy-2";
  }
  return o;
}
