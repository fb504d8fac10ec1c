/**
 * What a node's component owns, decided as Alloy's components decide it from the cluster (pure: handed the
 * view, the readiness and the clock; nodeMain wires it to sockets and the scraper).
 */
import { TargetAssignment } from "../ownership/targetAssignment";
import type { NodeComponent } from "../protocol/nodeMessages";

/** What the node knows when it works out ownership. */
export interface OwnershipView {
  self: string;
  /** The participants it sees (the read-write ring). */
  participants: readonly string[];
  /** wait-for-size lets clustered components work. */
  ready: boolean;
  clusterEnabled: boolean;
  /** The node is stopping: its components have stopped. */
  stopping: boolean;
}

export class ComponentOwnership {
  readonly assignment: TargetAssignment;
  owned: ReadonlySet<string> = new Set();
  /** prometheus_scrape_targets_moved_total: targets it had that are not its own any more. */
  movedAway = 0;

  constructor(readonly spec: NodeComponent) {
    this.assignment = new TargetAssignment(spec.targets, spec.keyStrategy);
  }

  /** Works out what it owns now; returns it. */
  update(v: OwnershipView): ReadonlySet<string> {
    const next = new Set<string>();
    const all = (): void => this.assignment.keys.forEach((k) => next.add(k));
    const mine = (): void => this.assignment.owners(v.participants).forEach((o, i) => o === v.self && next.add(this.assignment.keys[i]));
    if (v.stopping) {
      // its component has stopped: nothing is scraped any more
    } else if (!this.spec.clustered || !v.clusterEnabled) all();
    else if (this.spec.keyStrategy === "leader") {
      // mimir.rules.kubernetes' election skips the readiness check, and a failed lookup (an empty ring)
      // leaves the leadership as it was.
      if (v.participants.length === 0) this.owned.forEach((k) => next.add(k));
      else mine();
    } else if (v.ready && v.participants.length === 0)
      all(); // Alloy's lookup fails on an empty ring; then a node keeps every target
    else if (v.ready) mine();
    // As Alloy's MovedToRemoteInstance: every target it had that is not its own now, a pause for
    // wait-for-size included (all targets are "remote" then); a stop runs no update at all.
    if (!v.stopping) for (const k of this.owned) if (!next.has(k)) this.movedAway++;
    this.owned = next;
    return next;
  }
}

/**
 * Alloy's rate limit on telling components about cluster changes: an update runs at once, or — within
 * `minIntervalMs` of the last one — when that interval is over, once for every change meanwhile.
 */
export class UpdatePacer {
  private last = -Infinity;

  constructor(private readonly minIntervalMs: number) {}

  /** When an update for a change at `now` may run. */
  dueAt(now: number): number {
    return Math.max(now, this.last + this.minIntervalMs);
  }

  ran(now: number): void {
    this.last = now;
  }
}
