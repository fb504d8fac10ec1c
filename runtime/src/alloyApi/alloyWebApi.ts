/**
 * The parts of Alloy's HTTP API (`/api/v0/web/…`, the API Alloy's own UI reads) that clustering needs: the
 * peers list, the component list and a component's evaluated arguments. Lab nodes serve these shapes and
 * "Attach to Alloy Cluster…" reads them, from a lab node or a real Alloy, through this one module.
 *
 * Shapes, from Alloy's `internal/web/api` and its UI's types: a peer is `{name, addr, isSelf, state}`; a
 * component is `{moduleID, localID, name, label?, health, referencedBy, referencesTo, dataFlowEdgesTo,
 * liveDebuggingEnabled}`, and its detail adds `arguments`, a body in Alloy's JSON encoding (alloyjson):
 * statements `{type: "attr", name, value}` or `{type: "block", name, label?, body}`, values `{type, value}`
 * with objects as `[{key, value}]`.
 */
import { targetsFromCustomResources } from "../../../language-server/src/alloy";
import type { TargetLabels } from "../ring/keys";

export const PEERS_PATH = "/api/v0/web/peers";
export const COMPONENTS_PATH = "/api/v0/web/components";

/** Components that take `targets` and shard them by a key of the targets' labels when `clustering` is enabled. */
const TARGET_LIST_COMPONENTS: readonly string[] = ["loki.source.kubernetes", "prometheus.scrape", "pyroscope.scrape"];

/**
 * The components whose arguments an attach reads: those that shard targets, loki.source.kubernetes_events
 * (its namespaces) and mimir.rules.kubernetes (its leader). database_observability.mysql is left out: Alloy's
 * API shows its data sources as "(secret)", and its key is made of them.
 */
export const ATTACHED_COMPONENTS: readonly string[] = [...TARGET_LIST_COMPONENTS, "loki.source.kubernetes_events", "mimir.rules.kubernetes"];

/** The component name of an ID: `prometheus.scrape` of `prometheus.scrape.pods`. */
export const componentNameOf = (id: string): string => id.slice(0, id.lastIndexOf("."));

export type PeerState = "viewer" | "participant" | "terminating";

export interface AlloyPeer {
  name: string;
  /** The advertised address, which is also the node's HTTP address (Alloy gossips over its HTTP server). */
  addr: string;
  isSelf: boolean;
  state: PeerState;
}

export interface AlloyComponentInfo {
  moduleID: string;
  localID: string;
  name: string;
  label?: string;
  health: { state: "healthy" | "unhealthy" | "unknown" | "exited"; message?: string; updatedTime?: string };
  referencedBy: string[];
  referencesTo: string[];
  dataFlowEdgesTo: string[];
  liveDebuggingEnabled: boolean;
}

export type AlloyJsonValue =
  | { type: "null"; value?: null }
  | { type: "number"; value: number }
  | { type: "string"; value: string }
  | { type: "bool"; value: boolean }
  | { type: "array"; value: AlloyJsonValue[] }
  | { type: "object"; value: { key: string; value: AlloyJsonValue }[] }
  | { type: "function" | "capsule"; value: string };

export type AlloyJsonStatement =
  { type: "attr"; name: string; value: AlloyJsonValue } | { type: "block"; name: string; label?: string; body: AlloyJsonStatement[] };

export interface AlloyComponentDetail extends AlloyComponentInfo {
  type: "block";
  /** Alloy leaves it empty in this answer. */
  original: string;
  arguments: AlloyJsonStatement[];
  exports: AlloyJsonStatement[];
  debugInfo: AlloyJsonStatement[];
}

/**
 * One target a `prometheus.scrape` actually scrapes on this node (its debug info's `target` blocks, as
 * Alloy's TargetStatus): after sharding, so the truth about who scrapes what.
 */
export interface ScrapeTargetStatus {
  job: string;
  url: string;
  health: "up" | "down" | "unknown";
  /** The target's labels as Prometheus has them: the discovered ones without `__` names, plus job and instance. */
  labels: Record<string, string>;
  lastError?: string;
  /** RFC 3339 with fractions, as Go prints a time. */
  lastScrape: string;
  /** Go's duration text. */
  lastScrapeDuration?: string;
}

/** A clustered component as the cluster runs it: what it is given, and whether it shards by the ring. */
export interface ClusteredComponentArguments {
  id: string;
  clustered: boolean;
  /**
   * Its work items: targets, or for a string-key component one item per string (`{namespace}` of
   * loki.source.kubernetes_events, `{dsn}` of database_observability.mysql, `{id}` of mimir.rules.kubernetes).
   */
  targets: TargetLabels[];
  /** Alloy's Go duration text, e.g. `1m0s`, when the arguments carry one. */
  scrapeInterval?: string;
}

export class AlloyApiError extends Error {}

// ---- encoding (what a lab node serves) ----

const str = (value: string): AlloyJsonValue => ({ type: "string", value });

export function encodePeers(peers: readonly AlloyPeer[]): string {
  return JSON.stringify(peers);
}

function componentInfo(id: string, updatedTime: string): AlloyComponentInfo {
  const dot = id.lastIndexOf(".");
  return {
    moduleID: "",
    localID: id,
    name: id.slice(0, dot),
    label: id.slice(dot + 1),
    health: { state: "healthy", message: "started component", updatedTime },
    referencedBy: [],
    referencesTo: [],
    dataFlowEdgesTo: [],
    liveDebuggingEnabled: false,
  };
}

export function encodeComponentList(components: readonly ClusteredComponentArguments[], updatedTime: string): string {
  return JSON.stringify(components.map((c) => componentInfo(c.id, updatedTime)));
}

function targetStatusBlock(t: ScrapeTargetStatus): AlloyJsonStatement {
  const body: AlloyJsonStatement[] = [
    { type: "attr", name: "job", value: str(t.job) },
    { type: "attr", name: "url", value: str(t.url) },
    { type: "attr", name: "health", value: str(t.health) },
    { type: "attr", name: "labels", value: { type: "object", value: Object.entries(t.labels).map(([key, v]) => ({ key, value: str(v) })) } },
  ];
  // Optional attributes at their zero value are left out, as Alloy's encoder does.
  if (t.lastError) body.push({ type: "attr", name: "last_error", value: str(t.lastError) });
  body.push({ type: "attr", name: "last_scrape", value: str(t.lastScrape) });
  if (t.lastScrapeDuration !== undefined) body.push({ type: "attr", name: "last_scrape_duration", value: str(t.lastScrapeDuration) });
  return { type: "block", name: "target", body };
}

const clusteringBlock = (enabled: boolean): AlloyJsonStatement => ({
  type: "block",
  name: "clustering",
  body: [{ type: "attr", name: "enabled", value: { type: "bool", value: enabled } }],
});

/** A component's arguments as Alloy encodes them (zero-valued optional attributes left out, as its encoder does). */
function encodeArguments(c: ClusteredComponentArguments): AlloyJsonStatement[] {
  const name = componentNameOf(c.id);
  if (name === "mimir.rules.kubernetes") return []; // no clustering block: it elects a leader whenever the cluster is on
  // Their targets come from custom resources, not from their arguments.
  if (targetsFromCustomResources(name)) return [clusteringBlock(c.clustered)];
  if (name === "loki.source.kubernetes_events") {
    const namespaces = c.targets.map((t) => t.namespace ?? "");
    // No namespaces listed (the one key "") is the zero value.
    const all = namespaces.length === 1 && namespaces[0] === "";
    return [
      ...(all ? [] : [{ type: "attr" as const, name: "namespaces", value: { type: "array" as const, value: namespaces.map(str) } }]),
      clusteringBlock(c.clustered),
    ];
  }
  if (name === "database_observability.mysql") {
    const secret: AlloyJsonValue = { type: "capsule", value: "(secret)" };
    const sources: AlloyJsonStatement[] =
      c.targets.length === 1
        ? [{ type: "attr", name: "data_source_name", value: secret }]
        : c.targets.map((_, i) => ({
            type: "block",
            name: "database_instance",
            label: `db${i}`,
            body: [{ type: "attr", name: "data_source_name", value: secret }],
          }));
    return [...sources, clusteringBlock(c.clustered)];
  }
  const args: AlloyJsonStatement[] = [
    {
      type: "attr",
      name: "targets",
      value: { type: "array", value: c.targets.map((t) => ({ type: "object", value: Object.entries(t).map(([key, v]) => ({ key, value: str(v) })) })) },
    },
  ];
  if (c.scrapeInterval !== undefined) args.push({ type: "attr", name: "scrape_interval", value: str(c.scrapeInterval) });
  args.push(clusteringBlock(c.clustered));
  return args;
}

/** `scraping`: the targets this node scrapes (prometheus.scrape's debug info); these components have no exports. */
export function encodeComponentDetail(c: ClusteredComponentArguments, updatedTime: string, scraping: readonly ScrapeTargetStatus[] = []): string {
  const detail: AlloyComponentDetail = {
    ...componentInfo(c.id, updatedTime),
    type: "block",
    original: "",
    arguments: encodeArguments(c),
    exports: [],
    debugInfo: scraping.map(targetStatusBlock),
  };
  return JSON.stringify(detail);
}

// ---- decoding (what an attach reads; anything off-shape is an AlloyApiError, never a crash) ----

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function decodePeers(json: unknown): AlloyPeer[] {
  if (!Array.isArray(json)) throw new AlloyApiError("the peers answer is not a list (is clustering enabled on that Alloy?)");
  return json.map((p, i) => {
    if (!isObject(p) || typeof p.name !== "string" || typeof p.addr !== "string") throw new AlloyApiError(`peer ${i} has no name or address`);
    const state = p.state === "participant" || p.state === "viewer" || p.state === "terminating" ? p.state : "viewer";
    return { name: p.name, addr: p.addr, isSelf: p.isSelf === true, state };
  });
}

export function decodeComponentList(json: unknown): AlloyComponentInfo[] {
  if (!Array.isArray(json)) throw new AlloyApiError("the components answer is not a list");
  return json.filter((c): c is AlloyComponentInfo => isObject(c) && typeof c.localID === "string" && typeof c.name === "string");
}

function attr(body: readonly AlloyJsonStatement[], name: string): AlloyJsonValue | undefined {
  const s = body.find((x) => isObject(x) && x.type === "attr" && x.name === name);
  return s?.type === "attr" ? s.value : undefined;
}

function block(body: readonly AlloyJsonStatement[], name: string): AlloyJsonStatement[] | undefined {
  const s = body.find((x) => isObject(x) && x.type === "block" && x.name === name);
  return s?.type === "block" && Array.isArray(s.body) ? s.body : undefined;
}

function targetList(v: AlloyJsonValue | undefined): TargetLabels[] {
  if (!isObject(v) || v.type !== "array" || !Array.isArray(v.value)) return [];
  const out: TargetLabels[] = [];
  for (const el of v.value) {
    if (!isObject(el) || el.type !== "object" || !Array.isArray(el.value)) continue;
    const labels: Record<string, string> = {};
    for (const f of el.value)
      if (isObject(f) && typeof f.key === "string" && isObject(f.value) && typeof f.value.value === "string") labels[f.key] = f.value.value;
    out.push(labels);
  }
  return out;
}

/**
 * The arguments of a clustered component's detail, or undefined for a component an attach does not read:
 * target lists and `clustering` blocks (Alloy encodes the whole block, `enabled = false` included, for
 * components that have it), loki.source.kubernetes_events' namespaces, mimir.rules.kubernetes' ID.
 */
export function decodeClusteredComponent(json: unknown): ClusteredComponentArguments | undefined {
  if (!isObject(json) || typeof json.localID !== "string" || !Array.isArray(json.arguments)) return undefined;
  const id = json.localID;
  const name = typeof json.name === "string" ? json.name : componentNameOf(id);
  if (name === "mimir.rules.kubernetes") return { id, clustered: true, targets: [{ id }] };
  const args = json.arguments as AlloyJsonStatement[];
  const clustering = block(args, "clustering");
  if (clustering === undefined) return undefined;
  const enabled = attr(clustering, "enabled");
  const clustered = enabled?.type === "bool" && enabled.value === true;
  if (name === "loki.source.kubernetes_events") {
    const listed = attr(args, "namespaces");
    const namespaces = listed?.type === "array" && Array.isArray(listed.value) ? listed.value.map(stringValue).filter((n) => n !== undefined) : [];
    return { id, clustered, targets: (namespaces.length === 0 ? [""] : namespaces).map((namespace) => ({ namespace })) };
  }
  const targets = attr(args, "targets");
  if (targets === undefined) return undefined;
  const interval = attr(args, "scrape_interval");
  return { id, clustered, targets: targetList(targets), scrapeInterval: interval?.type === "string" ? interval.value : undefined };
}

function stringValue(v: AlloyJsonValue | undefined): string | undefined {
  return isObject(v) && v.type === "string" && typeof v.value === "string" ? v.value : undefined;
}

/**
 * The targets a `prometheus.scrape` detail says it scrapes (its debug info), or undefined when the answer
 * carries none (an Alloy that does not send debug info, or another component).
 */
export function decodeScrapeDebugInfo(json: unknown): ScrapeTargetStatus[] | undefined {
  if (!isObject(json) || !Array.isArray(json.debugInfo)) return undefined;
  const out: ScrapeTargetStatus[] = [];
  for (const b of json.debugInfo as AlloyJsonStatement[]) {
    if (!isObject(b) || b.type !== "block" || b.name !== "target" || !Array.isArray(b.body)) continue;
    const labelsValue = attr(b.body, "labels");
    const labels: Record<string, string> = {};
    if (labelsValue?.type === "object" && Array.isArray(labelsValue.value))
      for (const f of labelsValue.value)
        if (isObject(f) && typeof f.key === "string" && isObject(f.value) && typeof f.value.value === "string") labels[f.key] = f.value.value;
    const health = stringValue(attr(b.body, "health"));
    out.push({
      job: stringValue(attr(b.body, "job")) ?? "",
      url: stringValue(attr(b.body, "url")) ?? "",
      health: health === "up" || health === "down" ? health : "unknown",
      labels,
      lastError: stringValue(attr(b.body, "last_error")),
      lastScrape: stringValue(attr(b.body, "last_scrape")) ?? "",
      lastScrapeDuration: stringValue(attr(b.body, "last_scrape_duration")),
    });
  }
  return out;
}
