/**
 * Which key each component hashes onto the ring for a target, and computing those keys for a list. Pure.
 */
import { clusteredComponent, type ShardKey } from "../../../language-server/src/alloy";
import { kubetailKeyInto, mysqlInstanceKeyString, operatorKeyInto, podlogsKeyInto, stringKeyInto, targetKeysInto, type TargetLabels } from "../ring/keys";
import type { U64Halves } from "../ring/xxhash64";

/**
 * Which key a component shards on: "labels" (prometheus.scrape, pyroscope.scrape, discovery), "operator"
 * (prometheus.operator.*), "kubetail" (loki.source.kubernetes), "podlogs" (loki.source.podlogs), and the
 * string keys of one value each: "namespace" (loki.source.kubernetes_events: the item's `namespace`, "" =
 * all), "mysql" (database_observability.mysql: its `dsn`), "leader" (mimir.rules.kubernetes: the
 * component's `id`; one node leads).
 */
export type KeyStrategy = "labels" | "operator" | "kubetail" | "podlogs" | "namespace" | "mysql" | "leader";

export const KEY_STRATEGIES: readonly KeyStrategy[] = ["labels", "operator", "kubetail", "podlogs", "namespace", "mysql", "leader"];

export class KeyError extends Error {}

/** A string key of one field of the item. */
const stringField =
  (field: string, toKey: (value: string) => string | undefined = (v) => v) =>
  (labels: TargetLabels, out: U64Halves): void => {
    const value = labels[field];
    if (value === undefined) throw new KeyError(`each item needs "${field}"`);
    const key = toKey(value);
    if (key === undefined) throw new KeyError(`${JSON.stringify(value)} is not a ${field} Alloy accepts`);
    stringKeyInto(key, out);
  };

/** The one-target key functions (labels keys are computed in bulk). */
const KEY_OF: Readonly<Record<Exclude<KeyStrategy, "labels">, (labels: TargetLabels, out: U64Halves) => void>> = {
  operator: operatorKeyInto,
  kubetail: kubetailKeyInto,
  podlogs: podlogsKeyInto,
  namespace: stringField("namespace"),
  mysql: stringField("dsn", mysqlInstanceKeyString),
  leader: stringField("id"),
};

const BY_SHARD_KEY: Partial<Record<ShardKey, KeyStrategy>> = {
  "non-meta-labels": "labels",
  "operator-labels": "operator",
  "kubetail-labels": "kubetail",
  "podlogs-labels": "podlogs",
  namespace: "namespace",
  "mysql-dsn": "mysql",
  leader: "leader",
};

/** The key strategy of a component (`prometheus.scrape` → "labels"; "labels" for one that is not clustered). */
export function keyStrategyOf(componentName: string): KeyStrategy {
  const c = clusteredComponent(componentName);
  return (c && BY_SHARD_KEY[c.key]) ?? "labels";
}

/** The keys of `targets` into `out` (two 32-bit halves each). */
export function keysInto(targets: readonly TargetLabels[], strategy: KeyStrategy, out: U64Halves): void {
  if (strategy === "labels") targetKeysInto(targets, out);
  else targets.forEach((labels, i) => KEY_OF[strategy](labels, out.subarray(2 * i, 2 * i + 2)));
}
