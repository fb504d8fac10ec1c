/**
 * What the scale planner plans for, from each place it can come from: a targets file (the `ownership`
 * command's input, or a plain list of label sets), the clustered components of a config or of an attached
 * cluster, and each item's weight (samples/s as the lab's target farm serves it, or a file). Pure.
 */
import { seriesCount } from "../farm/farmMetrics";
import { componentsFromSource } from "../lab/labComponents";
import { OwnershipInputError, parseKeyStrategy, parseTargetList } from "../ownership/targetOwnership";
import type { KeyStrategy } from "../ownership/keyStrategy";
import { TargetAssignment } from "../ownership/targetAssignment";
import type { TargetLabels } from "../ring/keys";
import type { LabState } from "../protocol/labState";
import { groupSize, type PlanTargetGroup } from "./scalePlan";

/** A component as the planner sees it: only clustered ones are sharded. */
export interface PlannedComponent {
  clustered: boolean;
  keyStrategy: KeyStrategy;
  targets: readonly TargetLabels[];
  /** Its scrape interval, for weights in samples/s. */
  scrapeIntervalMs: number;
}

/** Alloy's default scrape_interval: the interval of targets that come without one. */
export const ALLOY_DEFAULT_SCRAPE_INTERVAL_MS = 60_000;

export interface PlanInput {
  groups: PlanTargetGroup[];
  /** Each group's scrape interval (for lab weights). */
  intervalsMs: number[];
}

/** A targets file: `{"targets": [...], "keyStrategy"?}` (other fields of an ownership request are ignored) or `[...]`. */
export function planInputFromTargetsJson(json: unknown): PlanInput {
  if (Array.isArray(json)) return { groups: [{ keyStrategy: "labels", targets: parseTargetList(json) }], intervalsMs: [ALLOY_DEFAULT_SCRAPE_INTERVAL_MS] };
  if (typeof json !== "object" || json === null) throw new OwnershipInputError('input must be a list of label sets or an object with "targets"');
  const o = json as Record<string, unknown>;
  if (o.targets === undefined) throw new OwnershipInputError('missing field "targets": a list of label objects');
  return {
    groups: [{ keyStrategy: parseKeyStrategy(o.keyStrategy), targets: parseTargetList(o.targets) }],
    intervalsMs: [ALLOY_DEFAULT_SCRAPE_INTERVAL_MS],
  };
}

/**
 * An Alloy config's clustered components (one file's text), each by its own key; targets from discovery are
 * simulated, `simulated` of each, as the lab would run them. Throws LabConfigError when the config is not valid.
 */
export function planInputFromConfigSource(text: string, file: string, simulated: number): PlanInput {
  return planInputFromComponents(componentsFromSource(text, file, { default: simulated }, ALLOY_DEFAULT_SCRAPE_INTERVAL_MS));
}

/** The clustered components' items, each component by its own key. */
export function planInputFromComponents(components: readonly PlannedComponent[]): PlanInput {
  const clustered = components.filter((c) => c.clustered);
  return {
    groups: clustered.map((c) => ({ keyStrategy: c.keyStrategy, targets: c.targets })),
    intervalsMs: clustered.map((c) => c.scrapeIntervalMs),
  };
}

/**
 * A running lab's or attached cluster's clustered components, by the ring keys its nodes really use (so a
 * plan at the cluster's own size and names splits the targets exactly as the cluster does now).
 */
export function planInputFromLabState(state: LabState): PlanInput {
  const clustered = state.components.filter((c) => c.clustered);
  const keys = new Map<string, string[]>(clustered.map((c) => [c.id, []]));
  for (const t of state.targets) keys.get(t.component)?.push(t.key);
  return { groups: clustered.map((c) => ({ keys: keys.get(c.id)! })), intervalsMs: clustered.map((c) => c.scrapeIntervalMs) };
}

/** A group's ring keys as decimals. */
const groupKeys = (g: PlanTargetGroup): readonly string[] => ("keys" in g ? g.keys : new TargetAssignment(g.targets, g.keyStrategy).keys);

/** Weights as the lab's farm serves the targets: each target's series count per second of its interval. */
export function withLabWeights(input: PlanInput): PlanInput {
  return {
    ...input,
    groups: input.groups.map((g, i) => {
      return { ...g, weights: groupKeys(g).map((k) => seriesCount(k) / (input.intervalsMs[i] / 1000)) };
    }),
  };
}

/**
 * Weights from a file: a list of numbers in target order (all groups, one after another), or an object of
 * shard keys (unsigned 64-bit decimals, as `ownership` prints them) to numbers; keys it does not name weigh 1.
 */
export function withWeightsFile(input: PlanInput, json: unknown): PlanInput {
  const total = input.groups.reduce((n, g) => n + groupSize(g), 0);
  const bad = (what: string): never => {
    throw new OwnershipInputError(`weights: ${what}`);
  };
  if (Array.isArray(json)) {
    if (json.length !== total) bad(`the list has ${json.length} numbers but there are ${total} targets`);
    json.forEach((w, i) => {
      if (typeof w !== "number" || !Number.isFinite(w) || w < 0) bad(`item ${i} must be a number ≥ 0, got ${JSON.stringify(w)}`);
    });
    let at = 0;
    return {
      ...input,
      groups: input.groups.map((g) => ({ ...g, weights: (json as number[]).slice(at, (at += groupSize(g))) })),
    };
  }
  if (typeof json !== "object" || json === null) bad("expected a list of numbers or an object of shard keys to numbers");
  const byKey = json as Record<string, unknown>;
  for (const [k, w] of Object.entries(byKey)) {
    if (!/^\d{1,20}$/.test(k)) bad(`${JSON.stringify(k)} is not a shard key (an unsigned 64-bit decimal)`);
    if (typeof w !== "number" || !Number.isFinite(w) || w < 0) bad(`the weight of ${k} must be a number ≥ 0, got ${JSON.stringify(w)}`);
  }
  return {
    ...input,
    groups: input.groups.map((g) => ({
      ...g,
      weights: groupKeys(g).map((k) => (byKey[k] as number | undefined) ?? 1),
    })),
  };
}
