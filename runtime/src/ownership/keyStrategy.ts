/**
 * Which key each component hashes onto the ring for a target, and computing those keys for a list. Pure.
 */
import { clusteredComponent, type ShardKey } from "../../../language-server/src/alloy";
import { kubetailKeyInto, operatorKeyInto, podlogsKeyInto, targetKeysInto, type TargetLabels } from "../ring/keys";
import type { U64Halves } from "../ring/xxhash64";

/**
 * Which key a component shards on: "labels" (prometheus.scrape, pyroscope.scrape, discovery), "operator"
 * (prometheus.operator.*), "kubetail" (loki.source.kubernetes), "podlogs" (loki.source.podlogs).
 */
export type KeyStrategy = "labels" | "operator" | "kubetail" | "podlogs";

export const KEY_STRATEGIES: readonly KeyStrategy[] = ["labels", "operator", "kubetail", "podlogs"];

/** The one-target key functions (labels keys are computed in bulk). */
const KEY_OF: Readonly<Record<Exclude<KeyStrategy, "labels">, (labels: TargetLabels, out: U64Halves) => void>> = {
  operator: operatorKeyInto,
  kubetail: kubetailKeyInto,
  podlogs: podlogsKeyInto,
};

const BY_SHARD_KEY: Partial<Record<ShardKey, KeyStrategy>> = {
  "non-meta-labels": "labels",
  "operator-labels": "operator",
  "kubetail-labels": "kubetail",
  "podlogs-labels": "podlogs",
};

/** The key strategy of a component that shards targets by their labels (`prometheus.scrape` → "labels"). */
export function keyStrategyOf(componentName: string): KeyStrategy {
  const c = clusteredComponent(componentName);
  return (c && BY_SHARD_KEY[c.key]) ?? "labels";
}

/** The keys of `targets` into `out` (two 32-bit halves each). */
export function keysInto(targets: readonly TargetLabels[], strategy: KeyStrategy, out: U64Halves): void {
  if (strategy === "labels") targetKeysInto(targets, out);
  else targets.forEach((labels, i) => KEY_OF[strategy](labels, out.subarray(2 * i, 2 * i + 2)));
}
