/**
 * The scale planner: for each cluster size in a range, the exact share of the targets each node gets from
 * Alloy's ring, the hottest node by target count and by weight, and how many targets change owner from the
 * size before. Keys are computed once; a ring is built once per size. Pure.
 */
import { HashRing } from "../ring/hashRing";
import type { TargetLabels } from "../ring/keys";
import { decimalToHalves } from "../ring/u64";
import { keysInto, type KeyStrategy } from "../ownership/keyStrategy";

/**
 * One component's work items, with the key it shards them by, or their ring keys already computed (a running
 * cluster's targets, keyed as its nodes key them); optionally each item's weight.
 */
export type PlanTargetGroup = ({ keyStrategy: KeyStrategy; targets: readonly TargetLabels[] } | { keys: readonly string[] }) & {
  /** Load per item (samples/s), in item order; every item weighs 1 when absent. */
  weights?: readonly number[];
};

/** How many work items a group has. */
export const groupSize = (g: PlanTargetGroup): number => ("keys" in g ? g.keys.length : g.targets.length);

/** A group's ring keys into `out` (two 32-bit halves each, high first). */
function groupKeysInto(g: PlanTargetGroup, out: Uint32Array): void {
  if (!("keys" in g)) return keysInto(g.targets, g.keyStrategy, out);
  g.keys.forEach((decimal, i) => out.set(decimalToHalves(decimal), 2 * i));
}

export interface PlanNodeShare {
  name: string;
  targets: number;
  weight: number;
}

export interface ScalePlan {
  nodes: number;
  names: string[];
  perNode: PlanNodeShare[];
  /** The most targets on one node over the mean (1 = perfectly even). */
  peakToMean: number;
  /** The same by weight. */
  peakToMeanWeight: number;
  hottest: { byTargets: string; byWeight: string };
  /** Targets whose owner differs from the size before (null for the first size). */
  movedFromPrevious: number | null;
}

export interface ScalePlanResult {
  targets: number;
  plans: ScalePlan[];
}

/** `alloy-{i}` → alloy-0 … alloy-{n-1}, as a StatefulSet names its pods. */
export function nodeNames(pattern: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => pattern.replaceAll("{i}", String(i)));
}

/** `A..B` or `N` (spaces allowed), within 1..`max`; undefined when it is neither. */
export function parsePlanSizes(text: string, max: number): [number, number] | undefined {
  const m = /^\s*(\d+)(?:\s*\.\.\s*(\d+))?\s*$/.exec(text);
  if (m === null) return undefined;
  const from = Number(m[1]);
  const to = Number(m[2] ?? m[1]);
  return from >= 1 && to >= from && to <= max ? [from, to] : undefined;
}

/** Whether a names pattern makes distinct names (it must contain `{i}`). */
export function validNamesPattern(pattern: string): boolean {
  return pattern.includes("{i}");
}

/**
 * The pattern a cluster's names follow when they are one prefix and suffix around the ordinals 0..n-1 (a
 * StatefulSet's pods): `alloy-{i}` for alloy-0, alloy-1, alloy-2; undefined when they do not.
 */
export function namesPatternOf(names: readonly string[]): string | undefined {
  const m = names.length === 0 ? null : /^(.*?)(\d+)(\D*)$/.exec(names[0]);
  if (m === null) return undefined;
  const pattern = `${m[1]}{i}${m[3]}`;
  const expected = new Set(nodeNames(pattern, names.length));
  return names.every((n) => expected.delete(n)) && expected.size === 0 ? pattern : undefined;
}

/** One size's figures as a table row shows them (the CLI's table and the editor's page). */
export interface PlanRow {
  nodes: number;
  minTargets: number;
  maxTargets: number;
  meanTargets: number;
  peakToMean: number;
  peakToMeanWeight: number;
  hottestByWeight: string;
  moved: number | null;
  /** Moved as a percentage of all targets. */
  movedPercent: number | null;
}

export function planRow(plan: ScalePlan, totalTargets: number): PlanRow {
  const counts = plan.perNode.map((n) => n.targets);
  return {
    nodes: plan.nodes,
    minTargets: Math.min(...counts),
    maxTargets: Math.max(...counts),
    meanTargets: totalTargets / plan.nodes,
    peakToMean: plan.peakToMean,
    peakToMeanWeight: plan.peakToMeanWeight,
    hottestByWeight: plan.hottest.byWeight,
    moved: plan.movedFromPrevious,
    movedPercent: plan.movedFromPrevious === null ? null : (100 * plan.movedFromPrevious) / Math.max(1, totalTargets),
  };
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** The index of the largest value (the first of equals). */
function argMax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** Plans sizes `from`..`to` (inclusive) for the given work items; node names come from `pattern`. */
export function planScale(groups: readonly PlanTargetGroup[], from: number, to: number, pattern = "alloy-{i}"): ScalePlanResult {
  const total = groups.reduce((n, g) => n + groupSize(g), 0);
  const halves = new Uint32Array(2 * total);
  const weights = new Float64Array(total);
  let at = 0;
  for (const g of groups) {
    const size = groupSize(g);
    groupKeysInto(g, halves.subarray(2 * at, 2 * (at + size)));
    for (let i = 0; i < size; i++) weights[at + i] = g.weights?.[i] ?? 1;
    at += size;
  }
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const plans: ScalePlan[] = [];
  let previous: Uint16Array | undefined;
  let previousNames: readonly string[] = [];
  for (let n = from; n <= to; n++) {
    const names = nodeNames(pattern, n);
    const ring = HashRing.build(names);
    const position = new Map(names.map((name, i) => [name, i]));
    // Owners as positions in `names`; sizes are compared by name.
    const owner = new Uint16Array(total);
    const counts = new Float64Array(n);
    const load = new Float64Array(n);
    let moved = 0;
    for (let i = 0; i < total; i++) {
      const o = position.get(ring.ownerOf(halves[2 * i], halves[2 * i + 1])!)!;
      owner[i] = o;
      counts[o]++;
      load[o] += weights[i];
      if (previous !== undefined && previousNames[previous[i]] !== names[o]) moved++;
    }
    const hotByTargets = argMax(counts);
    const hotByWeight = argMax(load);
    plans.push({
      nodes: n,
      names,
      perNode: names.map((name, i) => ({ name, targets: counts[i], weight: round3(load[i]) })),
      peakToMean: total === 0 ? 1 : round3(counts[hotByTargets] / (total / n)),
      peakToMeanWeight: totalWeight === 0 ? 1 : round3(load[hotByWeight] / (totalWeight / n)),
      hottest: { byTargets: names[hotByTargets], byWeight: names[hotByWeight] },
      movedFromPrevious: previous === undefined ? null : moved,
    });
    previous = owner;
    previousNames = names;
  }
  return { targets: total, plans };
}
