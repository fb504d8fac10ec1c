/**
 * What the CodeLens over a `clustering { enabled = true }` block says while a lab runs: how the lab's live
 * nodes split that component's targets right now. Pure: text and lab state in, positions and titles out.
 */
import { parse, enabledClustering } from "../../../language-server/src/alloy";
import type { LabState } from "../../../runtime/src/protocol/labState";
import { count } from "../../../runtime/src/protocol/labEventText";

export interface ClusteringLens {
  /** 0-based line and UTF-16 character of the `clustering` keyword. */
  line: number;
  character: number;
  /** Alloy's component id, `prometheus.scrape.pods`. */
  component: string;
  title: string;
}

export function clusteringLenses(text: string, state: LabState): ClusteringLens[] {
  const { file, source } = parse(text, "lens");
  const live = state.nodes.filter((n) => n.running);
  const lenses: ClusteringLens[] = [];
  for (const stmt of file.body) {
    if (stmt.kind !== "block" || stmt.label === "") continue;
    const clustering = enabledClustering(stmt)?.block;
    if (clustering === undefined) continue;
    const component = `${stmt.name.join(".")}.${stmt.label}`;
    // Only components the lab runs: another file's block of the same name would be a coincidence.
    if (!state.components.some((c) => c.id === component)) continue;
    const owned = new Map(live.map((n) => [n.name, 0]));
    let unowned = 0;
    for (const t of state.targets) {
      if (t.component !== component) continue;
      if (t.owners.length === 0) unowned++;
      for (const o of t.owners) if (owned.has(o)) owned.set(o, owned.get(o)! + 1);
    }
    const split = [...owned.values()].join(" / ");
    const title = `${count(live.length, "node")} · owns ${split} targets${unowned > 0 ? ` · ${unowned} unowned` : ""}`;
    const p = source.position(clustering.start);
    lenses.push({ line: p.line - 1, character: source.utf16Column(clustering.start), component, title });
  }
  return lenses;
}
