/**
 * When a lab has converged: every live node sees exactly the live nodes, each in the same ckit state, and
 * each clustered target has one owner (an unclustered one, every node). Agreeing on names is not enough:
 * the ring is built from the participants, so a node still seen as a viewer by the others means ownership
 * is about to move (the chaos suite caught a lab called converged in that moment). Pure.
 */
import { isLive, type MemberRecord } from "../membership/gossipFrames";
import type { LabNodeState, LabTargetState } from "./labEvents";

/** `views`: what each live node last reported of the members it knows, by node name. */
export function isLabConverged(
  nodes: readonly LabNodeState[],
  views: ReadonlyMap<string, readonly MemberRecord[]>,
  targets: readonly LabTargetState[],
): boolean {
  const running = nodes.filter((n) => n.alive);
  if (running.length === 0) return false;
  if (running.some((n) => n.state === "starting")) return false;
  // Each node's view names exactly the running nodes, each in the state it reports of itself.
  const states = running
    .map((n) => `${n.name}:${n.state}`)
    .sort()
    .join(",");
  for (const n of running) {
    const seen = (views.get(n.name) ?? [])
      .filter((m) => isLive(m.status))
      .map((m) => `${m.name}:${m.state}`)
      .sort()
      .join(",");
    if (seen !== states) return false;
  }
  return targets.every((t) => (t.clustered ? t.owners.length === 1 : t.owners.length === running.length));
}
