/**
 * The scrape components the lab runs, read from an Alloy config (a file, or every .alloy file of a folder):
 * each `prometheus.scrape` block with its targets, scrape interval and whether `clustering { enabled = true }`
 * shards it. Static target lists are used as written; targets that come from discovery the lab cannot run
 * are simulated.
 */
import fs from "node:fs";
import path from "node:path";
import {
  goUnquote as unquote,
  parse,
  Tok,
  type AttributeStmt,
  type Expr,
  type Stmt,
  parseGoDuration,
  enabledClustering,
} from "../../../language-server/src/alloy";
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
}

/** The lab's scrape interval when the config sets none (Alloy's default is 60 s; a lab wants to see work). */
export const LAB_DEFAULT_SCRAPE_INTERVAL_MS = 5000;

export class LabConfigError extends Error {}

function attribute(body: readonly Stmt[], name: string): AttributeStmt | undefined {
  return body.find((s): s is AttributeStmt => s.kind === "attribute" && s.name.name === name);
}

/** A literal list of objects with string values, or undefined when the expression is anything else. */
function staticTargets(e: Expr): TargetLabels[] | undefined {
  if (e.kind !== "array") return undefined;
  const out: TargetLabels[] = [];
  for (const el of e.elements) {
    if (el.kind !== "object") return undefined;
    const labels: Record<string, string> = {};
    for (const f of el.fields) {
      if (f.value.kind !== "literal" || f.value.tok !== Tok.STRING) return undefined;
      const v = unquote(f.value.value);
      if (v === undefined) return undefined;
      labels[f.quoted ? (unquote(`"${f.name.name}"`) ?? f.name.name) : f.name.name] = v;
    }
    out.push(labels);
  }
  return out;
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
    if (s.kind !== "block" || s.name.join(".") !== "prometheus.scrape" || s.label === "") continue;
    const id = `prometheus.scrape.${s.label}`;
    const interval = attribute(s.body, "scrape_interval");
    let scrapeIntervalMs = defaultIntervalMs;
    if (interval?.value.kind === "literal") {
      const ms = parseGoDuration(unquote(interval.value.value) ?? "");
      if (ms === undefined || ms <= 0) throw new LabConfigError(`${file}: ${id}: scrape_interval must be a positive duration`);
      scrapeIntervalMs = ms;
    }
    const targetsAttr = attribute(s.body, "targets");
    const listed = targetsAttr && staticTargets(targetsAttr.value);
    components.push({
      id,
      clustered: enabledClustering(s) !== undefined,
      scrapeIntervalMs,
      targets: listed ?? syntheticLabTargets(counts.byLabel?.[s.label] ?? counts.default).map((t) => ({ ...t, job: `${s.label}/${t.container}` })),
      targetSource: listed ? "static" : "simulated",
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
  return [{ id: "prometheus.scrape.lab", clustered: true, scrapeIntervalMs, targets: syntheticLabTargets(simulatedTargets), targetSource: "simulated" }];
}
