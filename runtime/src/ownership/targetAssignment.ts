/**
 * Which participant owns each of a fixed list of targets, as membership changes: keys are computed once per
 * target list, the ring once per participant set. Pure.
 */
import { HashRing } from "../ring/hashRing";
import type { TargetLabels } from "../ring/keys";
import { halvesToDecimal } from "../ring/u64";
import { keysInto, type KeyStrategy } from "./keyStrategy";

export class TargetAssignment {
  readonly keys: readonly string[];
  private readonly halves: Uint32Array;
  private ring: HashRing | undefined;
  private ringKey = "";
  private positions: Map<string, number> | undefined;

  /** `strategy`: the key the component hashes (prometheus.scrape's target labels, unless it is another). */
  constructor(
    readonly targets: readonly TargetLabels[],
    strategy: KeyStrategy = "labels",
  ) {
    this.halves = new Uint32Array(2 * targets.length);
    keysInto(targets, strategy, this.halves);
    this.keys = targets.map((_, i) => halvesToDecimal(this.halves[2 * i], this.halves[2 * i + 1]));
  }

  /** The position of a target's key in the list, or -1 (the index is built on the first call). */
  indexOf(key: string): number {
    if (this.positions === undefined) this.positions = new Map(this.keys.map((k, i) => [k, i]));
    return this.positions.get(key) ?? -1;
  }

  /** The owner of every target among `participants` (read-write lookup), or undefined on an empty ring. */
  owners(participants: readonly string[]): (string | undefined)[] {
    const key = [...participants].sort().join("\n");
    if (this.ring === undefined || key !== this.ringKey) {
      this.ring = HashRing.build(participants);
      this.ringKey = key;
    }
    const ring = this.ring;
    return this.targets.map((_, i) => ring.ownerOf(this.halves[2 * i], this.halves[2 * i + 1]));
  }
}
