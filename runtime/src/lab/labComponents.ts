/**
 * The components the lab runs, read from an Alloy config (a file, or every .alloy file of a folder): every
 * clustered component — those that take a `targets` list, those that find targets in Kubernetes custom
 * resources, and those whose work items are strings (namespaces, data sources, a leader ID) — each with its
 * items, interval, the key it shards by and whether it shards. Static lists are used as written; targets that
 * come from discovery the lab cannot run are simulated.
 */
import fs from "node:fs";
import path from "node:path";
import {
  goUnquote as unquote,
  parse,
  type AttributeStmt,
  type BlockStmt,
  clusteredComponent,
  targetsFromCustomResources,
  type Expr,
  type Stmt,
  parseGoDuration,
  enabledClustering,
  evaluate,
  perNodeSource,
  type EvaluationHost,
} from "../../../language-server/src/alloy";
import { keyStrategyOf, type KeyStrategy } from "../ownership/keyStrategy";
import { mysqlInstanceKeyString, type TargetLabels } from "../ring/keys";
import type { TargetSource } from "../protocol/labState";
import { syntheticLabTargets } from "./syntheticLabTargets";

export interface LabComponent {
  /** Alloy's component id: `prometheus.scrape.pods`. */
  id: string;
  clustered: boolean;
  scrapeIntervalMs: number;
  targets: TargetLabels[];
  targetSource: TargetSource;
  /** The key the component hashes (loki.source.kubernetes: its pod labels only; the namespace, DSN or ID for string keys). */
  keyStrategy: KeyStrategy;
  /**
   * For a list that uses per-node values (`constants.hostname`, `sys.env("HOSTNAME")`): the list as the node
   * of that name evaluates it. Each node then shards its own version of every target, as in Alloy.
   */
  targetsOnNode?: (nodeName: string) => TargetLabels[];
}

/** The lab's scrape interval when the config sets none (Alloy's default is 60 s; a lab wants to see work). */
export const LAB_DEFAULT_SCRAPE_INTERVAL_MS = 5000;

export class LabConfigError extends Error {}

/** The components the lab runs that take a `targets` list and shard it by a key of the targets' labels. */
const TARGET_LIST_COMPONENTS: readonly string[] = ["prometheus.scrape", "pyroscope.scrape", "loki.source.kubernetes"];

/**
 * The components whose work items are single strings: loki.source.kubernetes_events watches namespaces,
 * database_observability.mysql collects from data sources, mimir.rules.kubernetes elects a leader. Each item
 * is read from the farm once an interval, the stand-in for the watch, the collection or the rule sync.
 */
const STRING_KEY_COMPONENTS: readonly string[] = ["loki.source.kubernetes_events", "database_observability.mysql", "mimir.rules.kubernetes"];

function attribute(body: readonly Stmt[], name: string): AttributeStmt | undefined {
  return body.find((s): s is AttributeStmt => s.kind === "attribute" && s.name.name === name);
}

/**
 * A list of objects whose values are all known strings on `host` (literals, concatenations, the host's name and
 * environment…), or undefined when the expression is anything else.
 */
function staticTargets(e: Expr, host: EvaluationHost): TargetLabels[] | undefined {
  const v = evaluate(e, host);
  if (v.kind !== "array" || v.elements === undefined) return undefined;
  const out: TargetLabels[] = [];
  for (const el of v.elements) {
    if (el.kind !== "object" || el.fields === undefined) return undefined;
    const labels: Record<string, string> = {};
    for (const [k, f] of el.fields) {
      if (f.kind !== "string" || f.text === undefined) return undefined;
      labels[k] = f.text;
    }
    out.push(labels);
  }
  return out;
}

/** A string known on `host`, or undefined. */
function staticString(e: Expr, host: EvaluationHost): string | undefined {
  const v = evaluate(e, host);
  return v.kind === "string" ? v.text : undefined;
}

/** The work items of a string-key component, as `host` evaluates its arguments; undefined when they are not known. */
type StringItemsReader = (block: BlockStmt, id: string, host: EvaluationHost, where: string) => TargetLabels[] | undefined;

const STRING_ITEMS: Readonly<Record<string, StringItemsReader>> = {
  // Its `namespaces`, each a key; none listed = all namespaces, the one key "".
  "loki.source.kubernetes_events": (b, _id, host) => {
    const listed = attribute(b.body, "namespaces");
    if (listed === undefined) return [{ namespace: "" }];
    const v = evaluate(listed.value, host);
    if (v.kind !== "array" || v.elements === undefined) return undefined;
    const names = v.elements.map((el) => (el.kind === "string" ? el.text : undefined));
    return names.every((n) => n !== undefined) ? (names as string[]).map((namespace) => ({ namespace })) : undefined;
  },
  // Each `database_instance` block's data source, or the top-level one; the item keeps only the instance
  // (`tcp(host:port)/db`), the part the key is made of, so no password reaches the lab's views.
  "database_observability.mysql": (b, _id, host, where) => {
    const instances = b.body.filter((s): s is BlockStmt => s.kind === "block" && s.name.join(".") === "database_instance");
    const sources = (instances.length > 0 ? instances : [b]).map((x) => attribute(x.body, "data_source_name"));
    const items: TargetLabels[] = [];
    for (const source of sources) {
      const dsn = source && staticString(source.value, host);
      if (dsn === undefined) return undefined;
      const instance = mysqlInstanceKeyString(dsn);
      // Alloy's Validate refuses a data source go-sql-driver cannot parse.
      if (instance === undefined) throw new LabConfigError(`${where}: data_source_name is not a DSN go-sql-driver accepts`);
      items.push({ dsn: instance });
    }
    return items;
  },
  // One item: the component's ID, whose owner is the leader.
  "mimir.rules.kubernetes": (_b, id) => [{ id }],
};

/** A stand-in when a string-key component's items are not known statically (from a secret, say): one item named after it. */
function standInItems(name: string, label: string): TargetLabels[] {
  if (name === "database_observability.mysql") return [{ dsn: `tcp(${label}:3306)/` }];
  return [{ namespace: label }];
}

/** The host a lab node runs as: its name is the node's name (as a pod's host name is its pod's), in the lab's environment. */
export function labNodeHost(nodeName: string): EvaluationHost {
  return { hostname: nodeName, env: { ...(process.env as Record<string, string>), HOSTNAME: nodeName } };
}

/** How many targets to simulate: a default, and overrides by component label (`pods` → 500). */
export interface SimulatedTargetCounts {
  default: number;
  byLabel?: Readonly<Record<string, number>>;
}

/** A component's `scrape_interval`, or the lab's default when it sets none (or has none). */
function scrapeInterval(b: BlockStmt, where: string, defaultIntervalMs: number): number {
  const interval = attribute(b.body, "scrape_interval");
  if (interval?.value.kind !== "literal") return defaultIntervalMs;
  const ms = parseGoDuration(unquote(interval.value.value) ?? "");
  if (ms === undefined || ms <= 0) throw new LabConfigError(`${where}: scrape_interval must be a positive duration`);
  return ms;
}

/** `defaultIntervalMs`: for components whose config sets no scrape_interval. */
export function componentsFromSource(
  text: string | Uint8Array,
  file: string,
  counts: SimulatedTargetCounts,
  defaultIntervalMs = LAB_DEFAULT_SCRAPE_INTERVAL_MS,
): LabComponent[] {
  const r = parse(text, file);
  if (r.diagnostics.length > 0) {
    const d = r.diagnostics[0];
    const p = r.source.position(d.start);
    throw new LabConfigError(`${file}:${p.line}:${p.column}: ${d.message}`);
  }
  const components: LabComponent[] = [];
  for (const s of r.file.body) {
    if (s.kind !== "block" || s.label === "") continue;
    const name = s.name.join(".");
    const id = `${name}.${s.label}`;
    const scrapeIntervalMs = scrapeInterval(s, `${file}: ${id}`, defaultIntervalMs);
    // mimir.rules.kubernetes has no clustering block: it elects its leader whenever the cluster is on.
    const clustered = clusteredComponent(name)?.clusteringBlock === false || enabledClustering(s) !== undefined;
    const common = { id, clustered, scrapeIntervalMs, keyStrategy: keyStrategyOf(name) };
    const simulated = (): TargetLabels[] =>
      syntheticLabTargets(counts.byLabel?.[s.label] ?? counts.default).map((t) => ({ ...t, job: `${s.label}/${t.container}` }));
    if (targetsFromCustomResources(name)) {
      // Their targets come from custom resources the lab cannot read.
      components.push({ ...common, targets: simulated(), targetSource: "simulated" });
    } else if (TARGET_LIST_COMPONENTS.includes(name)) {
      const targetsAttr = attribute(s.body, "targets");
      const listed = targetsAttr && staticTargets(targetsAttr.value, labNodeHost(""));
      // A list with the node's host name or a per-node variable in it is a different list on every node.
      const perNode = targetsAttr !== undefined && listed !== undefined && perNodeSource(targetsAttr.value) !== undefined;
      components.push({
        ...common,
        targets: listed ?? simulated(),
        targetSource: listed ? "static" : "simulated",
        targetsOnNode: perNode ? (node) => staticTargets(targetsAttr.value, labNodeHost(node)) ?? [] : undefined,
      });
    } else if (STRING_KEY_COMPONENTS.includes(name)) {
      const items = STRING_ITEMS[name](s, id, labNodeHost(""), `${file}: ${id}`);
      components.push({ ...common, targets: items ?? standInItems(name, s.label), targetSource: items ? "static" : "stand-in" });
    }
  }
  return components;
}

/** Components of a config file or folder (all its .alloy files, as Alloy loads a folder). */
export function componentsFromConfig(target: string, counts: SimulatedTargetCounts, defaultIntervalMs = LAB_DEFAULT_SCRAPE_INTERVAL_MS): LabComponent[] {
  const files = fs.statSync(target).isDirectory()
    ? fs
        .readdirSync(target)
        .filter((f) => f.endsWith(".alloy"))
        .sort()
        .map((f) => path.join(target, f))
    : [target];
  return files.flatMap((f) => componentsFromSource(fs.readFileSync(f), f, counts, defaultIntervalMs));
}

/** Without a config: one clustered component over simulated targets. */
export function defaultComponents(simulatedTargets: number, scrapeIntervalMs = LAB_DEFAULT_SCRAPE_INTERVAL_MS): LabComponent[] {
  return [
    {
      id: "prometheus.scrape.lab",
      clustered: true,
      scrapeIntervalMs,
      targets: syntheticLabTargets(simulatedTargets),
      targetSource: "simulated",
      keyStrategy: "labels",
    },
  ];
}
