/**
 * Every component of a config that uses the cluster, with what differs between nodes in its targets. Each
 * `declare` body is a scope of its own (its components see only each other), at any depth.
 */
import { clusteredComponent, enabledClustering, type ClusteredComponent } from "../clustering/clusteredComponents";
import type { AttributeStmt, BlockStmt, Span, Stmt } from "../syntax";
import { TargetFlow, type TargetFlowFinding } from "./targetFlow";

export interface ClusteredUse {
  file: string;
  block: BlockStmt;
  component: ClusteredComponent;
  /** Where the config says it uses the cluster: `enabled = true`, or the name of a component that needs no block. */
  span: Span;
  findings: TargetFlowFinding[];
}

/**
 * `scope`: the bodies of one scope with their files (the top level of every file of a folder); `wanted`: the
 * files whose uses are wanted (the others only lend their components to follow targets through).
 */
export function clusteredUses(scope: readonly { file: string; body: readonly Stmt[] }[], wanted: (file: string) => boolean = () => true): ClusteredUse[] {
  const flow = new TargetFlow(scope.map((s) => s.body));
  const out: ClusteredUse[] = [];
  for (const { file, body } of scope) {
    if (!wanted(file)) continue;
    for (const s of body) {
      if (s.kind !== "block" || s.broken) continue;
      const name = s.name.join(".");
      if (name === "declare") {
        out.push(...clusteredUses([{ file, body: s.body }], wanted));
        continue;
      }
      const component = clusteredComponent(name);
      if (component === undefined) continue;
      let span: Span = s.nameSpan;
      if (component.clusteringBlock) {
        const on = enabledClustering(s);
        if (on === undefined) continue;
        span = { start: on.enabled.start, end: on.enabled.end };
      }
      const targets = s.body.find((x): x is AttributeStmt => x.kind === "attribute" && x.name.name === "targets");
      out.push({ file, block: s, component, span, findings: targets ? flow.findings(targets.value, component.key) : [] });
    }
  }
  return out;
}

/** Components that collect logs: on a DaemonSet each pod usually tails its own node, which clustering undoes. */
export function collectsLogs(c: ClusteredComponent): boolean {
  return c.name.startsWith("loki.source.");
}
