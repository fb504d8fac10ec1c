/**
 * Follows a clustered component's targets back to where they come from, to find what differs between nodes.
 * The ring only works when every node sees the same targets with the same labels; it breaks when
 * - a label of the key carries a per-node value (the host name, a pod's name from the environment, the
 *   `instance` of a host-specific exporter): each node computes a different key, so targets are scraped twice
 *   or never;
 * - the targets are discovered from the node's own identity (a field selector on the node's name, the local
 *   kubelet, a keep rule comparing with the node's name): each node sees only its own share, and the ring hands
 *   most of it to nodes that never see it. (A local Docker socket is not counted: replicas of one compose
 *   project share their host's, and a config alone does not say where its nodes run.)
 * Targets are followed through references, `array.concat` and `discovery.relabel` rules (replace, labelmap,
 * labeldrop/labelkeep, keep/drop, constants), which can also remove the variation. Where a value is not known,
 * nothing is assumed to vary. Pure: statements in, findings out.
 */
import { perNodeSource } from "../clustering/perNodeValues";
import { KUBETAIL_CLUSTERING_LABELS, type ShardKey } from "../clustering/clusteredComponents";
import type { AttributeStmt, BlockStmt, Expr, Span, Stmt } from "../syntax";
import { dottedName, evaluate } from "../values/staticValue";

/** Exporters whose one target is the host Alloy runs on, with `instance` set to its host name. */
const HOST_SPECIFIC_EXPORTERS = new Set([
  "prometheus.exporter.unix",
  "prometheus.exporter.process",
  "prometheus.exporter.windows",
  "prometheus.exporter.cadvisor",
]);

/** Why something differs per node, and the components it passed through on its way (nearest the source first). */
export interface PerNodeOrigin {
  source: string;
  via: string[];
  /** The host-specific exporter it comes from, for that exporter's own warning. */
  exporter?: string;
}

interface TargetFacts {
  /** Labels whose value differs per node. */
  labels: Map<string, PerNodeOrigin>;
  /** Set when the list of targets itself differs per node. */
  nodeLocal?: PerNodeOrigin;
}

export type TargetFlowFinding =
  { kind: "varying-label"; label: string; origin: PerNodeOrigin; span: Span } | { kind: "node-local"; origin: PerNodeOrigin; span: Span };

function attr(body: readonly Stmt[], name: string): AttributeStmt | undefined {
  return body.find((s): s is AttributeStmt => s.kind === "attribute" && s.name.name === name);
}

function textOf(body: readonly Stmt[], name: string): string | undefined {
  const a = attr(body, name);
  if (a === undefined) return undefined;
  const v = evaluate(a.value);
  return v.kind === "string" ? v.text : undefined;
}

function stringList(body: readonly Stmt[], name: string): string[] | undefined {
  const a = attr(body, name);
  const v = a && evaluate(a.value);
  if (v?.kind !== "array" || v.elements === undefined) return undefined;
  const out = v.elements.map((x) => (x.kind === "string" ? x.text : undefined));
  return out.every((x) => x !== undefined) ? (out as string[]) : undefined;
}

/** A relabel regex as Go's RE2 applies it (anchored at both ends), or undefined when JavaScript can't read it. */
function anchored(regex: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${regex})$`);
  } catch {
    return undefined;
  }
}

function merge(into: TargetFacts, from: TargetFacts): void {
  for (const [k, v] of from.labels) if (!into.labels.has(k)) into.labels.set(k, v);
  into.nodeLocal ??= from.nodeLocal;
}

function through(origin: PerNodeOrigin, id: string): PerNodeOrigin {
  return { ...origin, via: [...origin.via, id] };
}

export class TargetFlow {
  private readonly byId = new Map<string, BlockStmt>();
  private readonly memo = new Map<string, TargetFacts>();

  /** `bodies`: the statements of one scope (the top level of every file of a folder, or one declare body). */
  constructor(bodies: readonly (readonly Stmt[])[]) {
    for (const body of bodies) {
      for (const s of body) if (s.kind === "block" && s.label !== "" && !s.broken) this.byId.set(`${s.name.join(".")}.${s.label}`, s);
    }
  }

  /** What differs per node in a clustered component's targets, restricted to the labels its key hashes. */
  findings(targets: Expr, key: ShardKey): TargetFlowFinding[] {
    const facts = this.facts(targets, new Set());
    const hashed = (label: string) =>
      key === "kubetail-labels" || key === "podlogs-labels" ? KUBETAIL_CLUSTERING_LABELS.has(label) : !label.startsWith("__meta_");
    const out: TargetFlowFinding[] = [];
    if (facts.nodeLocal !== undefined) out.push({ kind: "node-local", origin: facts.nodeLocal, span: targets });
    for (const [label, origin] of facts.labels) if (hashed(label)) out.push({ kind: "varying-label", label, origin, span: targets });
    return out;
  }

  private facts(e: Expr, visiting: Set<string>): TargetFacts {
    const out: TargetFacts = { labels: new Map() };
    const name = dottedName(e);
    if (name !== undefined) return name.includes(".") ? this.referenceFacts(name, visiting) : out;
    if (e.kind === "array") {
      for (const el of e.elements) {
        if (el.kind !== "object") {
          merge(out, this.facts(el, visiting));
          continue;
        }
        for (const f of el.fields) {
          const source = perNodeSource(f.value);
          if (source !== undefined) out.labels.set(f.name.name, { source, via: [] });
        }
      }
    } else if (e.kind === "call" && dottedName(e.value) === "array.concat") {
      for (const a of e.args) merge(out, this.facts(a, visiting));
    } else if (e.kind === "paren") {
      return this.facts(e.inner, visiting);
    }
    return out;
  }

  /** The targets a component exports (`discovery.relabel.x.output`, `prometheus.exporter.unix.h.targets`). */
  private referenceFacts(path: string, visiting: Set<string>): TargetFacts {
    const parts = path.split(".");
    for (let n = parts.length - 1; n >= 2; n--) {
      const id = parts.slice(0, n).join(".");
      const block = this.byId.get(id);
      if (block === undefined) continue;
      if (visiting.has(id)) return { labels: new Map() }; // a cycle: Alloy refuses it elsewhere
      const cached = this.memo.get(id);
      if (cached !== undefined) return cached;
      visiting.add(id);
      const facts = this.componentFacts(id, block, visiting);
      visiting.delete(id);
      this.memo.set(id, facts);
      return facts;
    }
    return { labels: new Map() };
  }

  private componentFacts(id: string, block: BlockStmt, visiting: Set<string>): TargetFacts {
    const name = block.name.join(".");
    const facts: TargetFacts = { labels: new Map() };
    if (HOST_SPECIFIC_EXPORTERS.has(name)) {
      facts.labels.set("instance", { source: `the instance label of ${id}, the host name of the node it runs on`, via: [], exporter: id });
      return facts;
    }
    if (name === "discovery.kubelet") {
      facts.nodeLocal = { source: `${id} lists the pods of the node's own kubelet`, via: [] };
      return facts;
    }
    if (name === "discovery.kubernetes") {
      for (const sel of block.body) {
        if (sel.kind !== "block" || sel.name.join(".") !== "selectors") continue;
        for (const a of ["field", "label"]) {
          const v = attr(sel.body, a);
          const source = v && perNodeSource(v.value);
          if (source !== undefined) facts.nodeLocal ??= { source: `${id} selects by the node's own ${source} (${a} selector)`, via: [] };
        }
      }
      return facts;
    }
    if (name === "discovery.relabel") {
      const upstream = attr(block.body, "targets");
      if (upstream !== undefined) merge(facts, this.facts(upstream.value, visiting));
      for (const [k, v] of facts.labels) facts.labels.set(k, through(v, id));
      if (facts.nodeLocal) facts.nodeLocal = through(facts.nodeLocal, id);
      for (const rule of block.body) if (rule.kind === "block" && rule.name.join(".") === "rule" && !rule.broken) applyRule(rule, facts, id);
    }
    return facts;
  }
}

/** One relabel rule's effect on which labels vary per node (Prometheus' defaults: replace, "(.*)", "$1", ";"). */
function applyRule(rule: BlockStmt, facts: TargetFacts, id: string): void {
  const action = (textOf(rule.body, "action") ?? "replace").toLowerCase();
  const sources = stringList(rule.body, "source_labels") ?? [];
  const target = textOf(rule.body, "target_label");
  const regexAttr = attr(rule.body, "regex");
  const replacementAttr = attr(rule.body, "replacement");
  const varyingSource = sources.map((s) => facts.labels.get(s)).find((o) => o !== undefined);
  switch (action) {
    case "replace":
    case "lowercase":
    case "uppercase":
    case "hashmod": {
      if (target === undefined) return;
      const written = replacementAttr && action === "replace" ? perNodeSource(replacementAttr.value) : undefined;
      const replacement = action === "replace" ? (replacementAttr ? textOf(rule.body, "replacement") : "$1") : "$1";
      if (written !== undefined) facts.labels.set(target, { source: written, via: [id] });
      else if (varyingSource !== undefined && (replacement === undefined || replacement.includes("$"))) facts.labels.set(target, through(varyingSource, id));
      else facts.labels.delete(target); // written from values that are the same on every node
      return;
    }
    case "labeldrop":
    case "labelkeep": {
      const re = anchored(textOf(rule.body, "regex") ?? "(.*)");
      for (const label of [...facts.labels.keys()]) {
        // A regex we can't read is taken to remove the variation rather than warn on a guess.
        const matches = re === undefined || re.test(label);
        if (matches === (action === "labeldrop")) facts.labels.delete(label);
      }
      return;
    }
    case "labelmap": {
      const re = anchored(textOf(rule.body, "regex") ?? "(.*)");
      const replacement = replacementAttr ? textOf(rule.body, "replacement") : "$1";
      if (re === undefined || replacement === undefined) return;
      for (const [label, origin] of [...facts.labels]) {
        if (re.test(label)) facts.labels.set(label.replace(re, replacement.replace(/\$\{?(\d+)\}?/g, "$$$1")), through(origin, id));
      }
      return;
    }
    case "keep":
    case "drop":
    case "keepequal":
    case "dropequal": {
      const compared = regexAttr && perNodeSource(regexAttr.value);
      if (compared !== undefined)
        facts.nodeLocal ??= { source: `a ${action} rule of ${id} compares ${sources.join(", ") || "labels"} with ${compared}`, via: [id] };
      return;
    }
    default:
      return;
  }
}
