/**
 * Builds the published state from what each node reports (a lab) or what each node's API says (an attached
 * cluster): one builder, so both are called converged by the same rule. Pure.
 */
import type { MemberRecord } from "../membership/gossipFrames";
import type { TargetLabels } from "../ring/keys";
import type { LabComponentState, LabNodeState, LabSource, LabState, LabTargetState } from "./labState";

/** What one node says of itself and of the cluster. */
export interface NodeObservation extends Omit<LabNodeState, "peers"> {
  /** The members it sees as live, each in the ckit state it sees it in. */
  view: readonly { name: string; state: MemberRecord["state"] }[];
  /** By component id, the keys of the targets it owns. */
  owned: ReadonlyMap<string, ReadonlySet<string>>;
}

/** A component with its targets, in order, and their ring keys. */
export interface ComponentTargets extends Omit<LabComponentState, "targets"> {
  keys: readonly string[];
  labels: readonly TargetLabels[];
}

export type LastScrapeLookup = (component: string, key: string) => LabTargetState["lastScrape"];

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A node as the state shows it. */
export function nodeState({ view, owned: _owned, ...n }: NodeObservation): LabNodeState {
  return { ...n, peers: view.map((m) => m.name).sort(byName) };
}

export function buildLabState(
  source: LabSource,
  components: readonly ComponentTargets[],
  observations: readonly NodeObservation[],
  lastScrape: LastScrapeLookup = () => undefined,
): LabState {
  const nodes = observations.map(nodeState);
  const perNode = new Set(components.filter((c) => c.perNodeTargets === true).map((c) => c.id));
  const running = observations.filter((n) => n.running);
  const ownersOf = new Map<string, string[]>();
  for (const n of running)
    for (const [component, keys] of n.owned)
      for (const key of keys) {
        const id = `${component}\n${key}`;
        const owners = ownersOf.get(id);
        if (owners === undefined) ownersOf.set(id, [n.name]);
        else owners.push(n.name);
      }
  const targets: LabTargetState[] = components.flatMap((c) =>
    c.keys.map((key, i) => {
      const owners = ownersOf.get(`${c.id}\n${key}`) ?? [];
      return {
        component: c.id,
        clustered: c.clustered,
        key,
        labels: { ...c.labels[i] },
        owner: owners.length === 1 ? owners[0] : null,
        owners,
        lastScrape: lastScrape(c.id, key),
      };
    }),
  );
  return {
    source,
    components: components.map(({ keys, labels: _labels, ...c }) => ({ ...c, targets: keys.length })),
    // Per-node lists never settle on one owner per target: for them only the membership has to agree.
    converged: isConverged(
      running,
      targets.filter((t) => !perNode.has(t.component)),
    ),
    nodes,
    targets,
  };
}

/**
 * Converged: every running node sees exactly the running nodes, each in the ckit state it reports of
 * itself, and each clustered target has one owner (an unclustered one, every node). Agreeing on names is not
 * enough: the ring is built from the participants, so a node still seen as a viewer by the others means
 * ownership is about to move (the chaos suite caught a lab called converged in that moment).
 */
function isConverged(running: readonly NodeObservation[], targets: readonly LabTargetState[]): boolean {
  if (running.length === 0 || running.some((n) => n.state === "starting")) return false;
  const everyone = running
    .map((n) => `${n.name}:${n.state}`)
    .sort()
    .join(",");
  for (const n of running) {
    const seen = n.view
      .map((m) => `${m.name}:${m.state}`)
      .sort()
      .join(",");
    if (seen !== everyone) return false;
  }
  return targets.every((t) => (t.clustered ? t.owners.length === 1 : t.owners.length === running.length));
}
