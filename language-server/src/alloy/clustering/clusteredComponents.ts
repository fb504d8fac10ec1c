/**
 * The components that share work over Alloy's cluster, and how each decides what is its own (Alloy 66ebea856d):
 * every one but `mimir.rules.kubernetes` takes a `clustering { enabled = … }` block; that one elects a leader
 * whenever the cluster is on. One table for the checks, the lab and attach.
 */
import { evaluate } from "../values/staticValue";
import type { AttributeStmt, BlockStmt } from "../syntax";

/** What a component hashes onto the ring to find a work item's owner. */
export type ShardKey =
  /** The target's labels without `__meta_*` (prometheus.scrape, pyroscope.scrape: NonMetaLabelsHash). */
  | "non-meta-labels"
  /** The operator's string key of the target's labels (prometheus.operator.*). */
  | "operator-labels"
  /** A fixed list of pod labels (loki.source.kubernetes: kubetail.ClusteringLabels). */
  | "kubetail-labels"
  /** The string form of those labels (loki.source.podlogs). */
  | "podlogs-labels"
  /** The namespace watched ("" = one node watches all; loki.source.kubernetes_events). */
  | "namespace"
  /** `tcp(host:port)/db` of the data source (database_observability.mysql). */
  | "mysql-dsn"
  /** One leader by component ID (mimir.rules.kubernetes). */
  | "leader";

export interface ClusteredComponent {
  name: string;
  /** Whether the component has a `clustering` block (otherwise it uses the cluster whenever it is on). */
  clusteringBlock: boolean;
  key: ShardKey;
}

export const CLUSTERED_COMPONENTS: readonly ClusteredComponent[] = [
  { name: "database_observability.mysql", clusteringBlock: true, key: "mysql-dsn" },
  { name: "loki.source.kubernetes", clusteringBlock: true, key: "kubetail-labels" },
  { name: "loki.source.kubernetes_events", clusteringBlock: true, key: "namespace" },
  { name: "loki.source.podlogs", clusteringBlock: true, key: "podlogs-labels" },
  { name: "mimir.rules.kubernetes", clusteringBlock: false, key: "leader" },
  { name: "prometheus.operator.podmonitors", clusteringBlock: true, key: "operator-labels" },
  { name: "prometheus.operator.probes", clusteringBlock: true, key: "operator-labels" },
  { name: "prometheus.operator.scrapeconfigs", clusteringBlock: true, key: "operator-labels" },
  { name: "prometheus.operator.servicemonitors", clusteringBlock: true, key: "operator-labels" },
  { name: "prometheus.scrape", clusteringBlock: true, key: "non-meta-labels" },
  { name: "pyroscope.scrape", clusteringBlock: true, key: "non-meta-labels" },
];

const BY_NAME = new Map(CLUSTERED_COMPONENTS.map((c) => [c.name, c]));

/** The labels loki.source.kubernetes and loki.source.podlogs shard on (kubetail.ClusteringLabels). */
export const KUBETAIL_CLUSTERING_LABELS: ReadonlySet<string> = new Set([
  "__pod_namespace__",
  "__pod_name__",
  "__pod_container_name__",
  "__pod_uid__",
  "__meta_kubernetes_namespace",
  "__meta_kubernetes_pod_name",
  "__meta_kubernetes_pod_container_name",
  "__meta_kubernetes_pod_uid",
  "container",
  "pod",
  "job",
  "namespace",
]);

export function clusteredComponent(name: string): ClusteredComponent | undefined {
  return BY_NAME.get(name);
}

/**
 * Whether a component finds its targets in Kubernetes custom resources (PodMonitors, ServiceMonitors, Probes,
 * ScrapeConfigs, PodLogs) rather than in its arguments: the prometheus.operator.* components and
 * loki.source.podlogs.
 */
export function targetsFromCustomResources(name: string): boolean {
  const key = clusteredComponent(name)?.key;
  return key === "operator-labels" || key === "podlogs-labels";
}

/** Names of the components that take a `clustering` block. */
export const CLUSTERING_BLOCK_COMPONENTS: readonly string[] = CLUSTERED_COMPONENTS.filter((c) => c.clusteringBlock).map((c) => c.name);

/**
 * A component's `clustering` block and its `enabled` attribute when that is statically true (`true`, or an
 * expression that evaluates to it). An expression known only at run time is not counted as on.
 */
export function enabledClustering(b: BlockStmt): { block: BlockStmt; enabled: AttributeStmt } | undefined {
  const block = b.body.find((s): s is BlockStmt => s.kind === "block" && !s.broken && s.name.join(".") === "clustering");
  const enabled = block?.body.find((s): s is AttributeStmt => s.kind === "attribute" && s.name.name === "enabled");
  if (block === undefined || enabled === undefined) return undefined;
  const v = evaluate(enabled.value);
  return v.kind === "bool" && v.value === true ? { block, enabled } : undefined;
}
