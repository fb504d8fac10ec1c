/**
 * Rebalances, worked out from converged cluster states: when the participants differ from those of the last
 * converged state, what each clustered target's single owner was then and is now. Pure (no clock, no I/O);
 * the lab supervisor and an attached real cluster both feed it.
 */
import type { LabEvent, MovedTarget } from "../protocol/labEvents";
import { participantNames, type LabState } from "../protocol/labState";

export type RebalanceEvent = Extract<LabEvent, { kind: "rebalance" }>;

export class RebalanceTracker {
  private owners: (string | null)[] | undefined;
  private participants: string[] = [];

  /** Forget the baseline (the targets changed, so owners no longer line up index by index). */
  reset(): void {
    this.owners = undefined;
  }

  /**
   * Feed a state; returns the rebalance when it is converged with another participant set than the last
   * converged one. `cause` says what changed, given the participants before and after.
   */
  observe(state: LabState, at: number, cause: (before: readonly string[], after: readonly string[]) => string): RebalanceEvent | undefined {
    if (!state.converged) return undefined;
    const clustered = state.targets.filter((t) => t.clustered);
    const owners = clustered.map((t) => t.owner);
    const participants = participantNames(state).sort();
    if (this.owners !== undefined && participants.join(",") === this.participants.join(",")) return undefined;
    const previous = { owners: this.owners, participants: this.participants };
    this.owners = owners;
    this.participants = participants;
    if (previous.owners === undefined) return undefined;
    const moved: MovedTarget[] = [];
    owners.forEach((owner, i) => {
      const before = previous.owners![i] ?? null;
      if (owner !== before) moved.push({ key: clustered[i].key, from: before, to: owner });
    });
    // Consistent hashing promises 1/N moves when one of N nodes comes or goes (N = the larger set).
    const n = Math.max(participants.length, previous.participants.length);
    return {
      kind: "rebalance",
      at,
      cause: cause(previous.participants, participants),
      participants,
      moved,
      movedCount: moved.length,
      totalTargets: owners.length,
      movedFraction: owners.length === 0 ? 0 : moved.length / owners.length,
      idealFraction: n === 0 ? 0 : 1 / n,
    };
  }
}
