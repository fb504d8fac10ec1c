/**
 * The components the lab runs, read from an Alloy config (a file, or every .alloy file of a folder): each
 * `prometheus.scrape`, `pyroscope.scrape` and `loki.source.kubernetes` block with its targets, scrape interval,
 * the key it shards by and whether `clustering { enabled = true }` shards it. Static target lists are used as written; targets that come from discovery the lab cannot run
 * are simulated.
 */
import fs from "node:fs";
import path from "node:path";
import {
  goUnquote as unquote,
  parse,
  type AttributeStmt,
  type Expr,
  type Stmt,
  parseGoDuration,
  enabledClustering,
  evaluate,
  perNodeSource,
  type EvaluationHost,
} from "../../../language-server/src/alloy";
import { keyStrategyOf, type KeyStrategy } from "../ownership/keyStrategy";
import type { TargetLabels } from "../ring/keys";
import { syntheticLabTargets } from "./syntheticLabTargets";

export interface LabComponent {
  /** Alloy's component id: `prometheus.scrape.pods`. */
  id: string;
  clustered: boolean;
  scrapeIntervalMs: number;
  targets: TargetLabels[];
  /** Where the targets came from: the config's own list, or simulated discovery. */
  targetSource: "static" | "simulated";
  /** The key the component hashes (loki.source.kubernetes: its pod labels only). */
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

/**
 * The components the lab runs: those that take a `targets` list and shard it by a key of its labels. A
 * loki.source.kubernetes target is read from the farm once an interval, as the stand-in for tailing it.
 */
const LAB_RUNS: readonly string[] = ["prometheus.scrape", "pyroscope.scrape", "loki.source.kubernetes"];

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

/** The host a lab node runs as: its name is the node's name (as a pod's host name is its pod's), in the lab's environment. */
export function labNodeHost(nodeName: string): EvaluationHost {
  return { hostname: nodeName, env: { ...(process.env as Record<string, string>), HOSTNAME: nodeName } };
}

/** How many targets to simulate: a default, and overrides by component label (`pods` → 500). */
export interface SimulatedTargetCounts {
  default: number;
  byLabel?: Readonly<Record<string, number>>;
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
    const name = s.kind === "block" ? s.name.join(".") : "";
    if (s.kind !== "block" || !LAB_RUNS.includes(name) || s.label === "") continue;
    const id = `${name}.${s.label}`;
    const interval = attribute(s.body, "scrape_interval");
    let scrapeIntervalMs = defaultIntervalMs;
    if (interval?.value.kind === "literal") {
      const ms = parseGoDuration(unquote(interval.value.value) ?? "");
      if (ms === undefined || ms <= 0) throw new LabConfigError(`${file}: ${id}: scrape_interval must be a positive duration`);
      scrapeIntervalMs = ms;
    }
    const targetsAttr = attribute(s.body, "targets");
    const listed = targetsAttr && staticTargets(targetsAttr.value, labNodeHost(""));
    // A list with the node's host name or a per-node variable in it is a different list on every node.
    const perNode = targetsAttr !== undefined && listed !== undefined && perNodeSource(targetsAttr.value) !== undefined;
    components.push({
      id,
      clustered: enabledClustering(s) !== undefined,
      scrapeIntervalMs,
      targets: listed ?? syntheticLabTargets(counts.byLabel?.[s.label] ?? counts.default).map((t) => ({ ...t, job: `${s.label}/${t.container}` })),
      targetSource: listed ? "static" : "simulated",
      keyStrategy: keyStrategyOf(name),
      targetsOnNode: perNode ? (node) => staticTargets(targetsAttr.value, labNodeHost(node)) ?? [] : undefined,
    });
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
