/**
 * What the control API's event WebSocket carries: the whole state once when a client connects, then only
 * what changed, and the lab's events as they happen. A client keeps a live state without asking again.
 */
import type { LabEvent } from "./labEvents";
import type { LabComponentState, LabNodeState, LabState, LabTargetState } from "./labState";

export type LabStreamMessage = { type: "state"; state: LabState } | { type: "update"; update: LabStateUpdate } | { type: "event"; event: LabEvent };

/** One target whose owners or last scrape changed, by its index in the state's target list. */
export interface TargetChange {
  index: number;
  owners: string[];
  lastScrape?: LabTargetState["lastScrape"];
}

export interface LabStateUpdate {
  converged: boolean;
  /** Every node (a lab has a few dozen at most). */
  nodes: LabNodeState[];
  /** Set when the components changed. */
  components?: LabComponentState[];
  /** Set when the list of targets changed (other components or targets): the whole new list. */
  targets?: LabTargetState[];
  /** Otherwise, the targets whose owners or last scrape changed. */
  changed?: TargetChange[];
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function sameTargetList(a: readonly LabTargetState[], b: readonly LabTargetState[]): boolean {
  return a.length === b.length && a.every((t, i) => t.key === b[i].key && t.component === b[i].component);
}

/** What turns `before` into `after`; undefined when nothing changed. */
export function diffLabState(before: LabState, after: LabState): LabStateUpdate | undefined {
  const update: LabStateUpdate = { converged: after.converged, nodes: after.nodes };
  let changed = before.converged !== after.converged || !same(before.nodes, after.nodes);
  if (!same(before.components, after.components)) {
    update.components = after.components;
    changed = true;
  }
  if (!sameTargetList(before.targets, after.targets)) {
    update.targets = after.targets;
    return update;
  }
  const targetChanges: TargetChange[] = [];
  after.targets.forEach((t, index) => {
    const was = before.targets[index];
    if (t.owners.join(",") !== was.owners.join(",") || t.lastScrape?.at !== was.lastScrape?.at || t.lastScrape?.node !== was.lastScrape?.node)
      targetChanges.push({ index, owners: t.owners, lastScrape: t.lastScrape });
  });
  if (targetChanges.length > 0) update.changed = targetChanges;
  return changed || targetChanges.length > 0 ? update : undefined;
}

/** `state` with `update` applied (a new object; `state` is left as it was). */
export function applyLabStateUpdate(state: LabState, update: LabStateUpdate): LabState {
  let targets = update.targets ?? state.targets;
  if (update.targets === undefined && update.changed !== undefined) {
    targets = [...state.targets];
    for (const c of update.changed) {
      const t = targets[c.index];
      if (t === undefined) continue;
      targets[c.index] = { ...t, owners: c.owners, owner: c.owners.length === 1 ? c.owners[0] : null, lastScrape: c.lastScrape };
    }
  }
  return { ...state, converged: update.converged, nodes: update.nodes, components: update.components ?? state.components, targets };
}

export function isLabStreamMessage(m: unknown): m is LabStreamMessage {
  const type = typeof m === "object" && m !== null ? (m as { type?: unknown }).type : undefined;
  return type === "state" || type === "update" || type === "event";
}
