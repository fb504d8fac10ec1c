/**
 * wait-for-size as Alloy's cluster service decides it (`cluster_readonly.go`): whether clustered components
 * may take work. Pure: it is handed the peer count and the clock.
 *
 * - No minimum size (or clustering off): always ready.
 * - Otherwise not ready at start, with the wait timeout running from then.
 * - Peers (participants and terminating nodes, as ckit's sharder counts them) reaching the minimum: ready;
 *   the timeout stops.
 * - Falling below it again: not ready, and the timeout starts over.
 * - The timeout passing while not ready: ready anyway ("deadline passed"), and it stays so while the cluster
 *   stays below the size; reaching the size and losing it again starts a new wait.
 */

export type ReadinessState = "ready" | "not-ready" | "deadline-passed";

export class ClusterReadiness {
  private current: ReadinessState;
  /** When the wait times out; Infinity when no timeout runs. */
  private deadline = Infinity;

  constructor(
    readonly minimumSize: number,
    private readonly waitTimeoutMs: number,
    now: number,
  ) {
    this.current = minimumSize <= 0 ? "ready" : "not-ready";
    if (this.current === "not-ready" && waitTimeoutMs > 0) this.deadline = now + waitTimeoutMs;
  }

  get state(): ReadinessState {
    return this.current;
  }

  /** Clustered components may take work. */
  get ready(): boolean {
    return this.current !== "not-ready";
  }

  /** When `tick` next has something to do (the wait timing out), or Infinity. */
  nextDeadline(): number {
    return this.deadline;
  }

  /** The peers changed: `peers` is how many there are now. Returns whether the state changed. */
  update(peers: number, now: number): boolean {
    if (this.minimumSize <= 0) return false;
    const before = this.current;
    if (peers >= this.minimumSize) {
      this.current = "ready";
      this.deadline = Infinity;
    } else if (this.current === "ready") {
      this.current = "not-ready";
      if (this.waitTimeoutMs > 0) this.deadline = now + this.waitTimeoutMs;
    }
    // not-ready stays not-ready (its timeout keeps running); deadline-passed stays ready below the size.
    return this.current !== before;
  }

  /** The clock moved: the wait may have timed out. Returns whether the state changed. */
  tick(now: number): boolean {
    if (this.current !== "not-ready" || now < this.deadline) return false;
    this.current = "deadline-passed";
    this.deadline = Infinity;
    return true;
  }
}
