/**
 * Which simulated process scrapes which target, and when: each process's owned set follows the ring of the
 * participants it sees, and a process scrapes a target at its fixed phase of the interval (host name and
 * target, as the lab's scraper and Prometheus do) from the first slot after it took the target to the last
 * slot before it let it go. Scrapes are worked out per run, not simulated one by one, so 100,000 targets cost
 * little. Pure.
 *
 * No ring is built per view. One ring of every name ever seen holds all tokens in ring order; a node owns,
 * for each of its tokens, the keys after the nearest earlier token of a participant it sees, up to its own —
 * the same keys the participants' own ring gives it (the tokens in between belong to nodes it does not see).
 * With the keys sorted, those keys are a few hundred intervals of positions, and two views are compared
 * interval by interval.
 */
import { seriesCount } from "../farm/farmMetrics";
import type { ScrapeRun, TargetHistory } from "../drills/handoffTimeline";
import { nextSlot, scrapeOffset } from "../node/scraper";
import { HashRing } from "../ring/hashRing";
import type { TargetLabels } from "../ring/keys";
import { keysInto, type KeyStrategy } from "../ownership/keyStrategy";
import { halvesToDecimal } from "../ring/u64";

/** A process as the ownership model knows it. */
export interface OwnerProcess {
  /** Unique per process (a restart under the same name is another). */
  pid: number;
  name: string;
}

/** Owned keys as [start, end) intervals of positions in key order, sorted and apart. */
type Intervals = number[];
const NONE: Intervals = [];

export class SimulatedOwnership {
  readonly keys: string[];
  private readonly halves: Uint32Array;
  private readonly samples: Uint32Array;
  /** Target indexes in key order. */
  private readonly byKey: Uint32Array;
  /** The ring of every name seen so far, and where each name's tokens are in it. */
  private union = HashRing.build([]);
  private readonly positions = new Map<string, Uint32Array>();
  private readonly indexOf = new Map<string, number>();
  private readonly owned = new Map<number, Intervals>();
  /**
   * Each target's current owners as [pid, since, pid, since, …] (numbers, not objects: a cluster's start-up
   * has every node own much of the targets for a moment, millions of runs at 300 nodes × 100,000 targets).
   */
  private readonly open: number[][];
  private readonly names = new Map<number, string>();
  /** Runs that ended, kept only while recording (a drill's window). */
  private closed: ScrapeRun[][];
  private recording = false;

  constructor(
    readonly component: string,
    readonly targets: readonly TargetLabels[],
    keyStrategy: KeyStrategy,
    readonly intervalMs: number,
  ) {
    this.halves = new Uint32Array(2 * targets.length);
    keysInto(targets, keyStrategy, this.halves);
    this.keys = targets.map((_, i) => halvesToDecimal(this.halves[2 * i], this.halves[2 * i + 1]));
    this.samples = Uint32Array.from(this.keys, (k) => seriesCount(k));
    const h = this.halves;
    this.byKey = Uint32Array.from(this.keys, (_, i) => i).sort((a, b) => h[2 * a] - h[2 * b] || h[2 * a + 1] - h[2 * b + 1]);
    this.open = targets.map(() => []);
    this.closed = targets.map(() => []);
  }

  private know(names: readonly string[]): void {
    if (names.every((n) => this.positions.has(n))) return;
    this.union = HashRing.build([...this.union.nodes, ...names]);
    const byNode = this.union.nodes.map(() => [] as number[]);
    for (let i = 0; i < this.union.tokenCount; i++) byNode[this.union.tokenOwner(i)].push(i);
    this.union.nodes.forEach((n, k) => {
      this.positions.set(n, Uint32Array.from(byNode[k]));
      this.indexOf.set(n, k);
    });
  }

  /** Position in key order of the first key greater than (hi, lo). */
  private firstAbove(hi: number, lo: number): number {
    const h = this.halves;
    let a = 0,
      b = this.byKey.length;
    while (a < b) {
      const m = (a + b) >>> 1;
      const i = this.byKey[m];
      if (h[2 * i] < hi || (h[2 * i] === hi && h[2 * i + 1] <= lo)) a = m + 1;
      else b = m;
    }
    return a;
  }

  /** The keys `name` owns on the ring of `participants`, as intervals. */
  private intervalsOf(name: string, participants: readonly string[]): Intervals {
    if (!participants.includes(name)) return NONE;
    this.know(participants);
    const u = this.union;
    const count = u.tokenCount;
    const seen = new Uint8Array(u.nodes.length);
    for (const p of participants) seen[this.indexOf.get(p)!] = 1;
    const out: number[] = [];
    for (const pos of this.positions.get(name)!) {
      // The nearest earlier token of a node this one sees (wrapping past the start).
      let q = pos === 0 ? count - 1 : pos - 1;
      while (q !== pos && seen[u.tokenOwner(q)] === 0) q = q === 0 ? count - 1 : q - 1;
      if (q === pos) return [0, this.byKey.length]; // it sees only itself: every key
      const from = this.firstAbove(u.tokenHi(q), u.tokenLo(q));
      const to = this.firstAbove(u.tokenHi(pos), u.tokenLo(pos));
      if (q < pos) {
        if (from < to) out.push(from, to);
      } else {
        // The range wraps: after the last token, and up to the first.
        if (from < this.byKey.length) out.push(from, this.byKey.length);
        if (to > 0) out.push(0, to);
      }
    }
    return merge(out);
  }

  /**
   * Process `p` works out ownership at `now` among `participants` (null: it owns nothing — not ready,
   * stopping or gone). Targets it gains start a run; targets it loses end theirs.
   */
  update(p: OwnerProcess, participants: readonly string[] | null, now: number): void {
    const before = this.owned.get(p.pid) ?? NONE;
    const after = participants === null ? NONE : this.intervalsOf(p.name, participants);
    this.names.set(p.pid, p.name);
    forEachDifference(before, after, (k, gained) => {
      const i = this.byKey[k];
      if (gained) this.open[i].push(p.pid, now);
      else this.lose(i, p.pid, now);
    });
    if (after.length === 0) this.owned.delete(p.pid);
    else this.owned.set(p.pid, after);
  }

  private lose(i: number, pid: number, now: number): void {
    const runs = this.open[i];
    let k = 0;
    while (k < runs.length && runs[k] !== pid) k += 2;
    if (k >= runs.length) return;
    const since = runs[k + 1];
    runs.splice(k, 2);
    if (!this.recording) return;
    const run = this.scrapesOf(i, pid, since, now);
    if (run !== undefined) this.closed[i].push(run);
  }

  /** The scrapes of process `pid` from `since` until `until`: its slots in between, if any. */
  private scrapesOf(i: number, pid: number, since: number, until: number): ScrapeRun | undefined {
    const name = this.names.get(pid)!;
    const offset = scrapeOffset(name, this.keys[i], this.intervalMs);
    const first = nextSlot(since, this.intervalMs, offset);
    const last = nextSlot(until, this.intervalMs, offset) - this.intervalMs;
    if (last < first) return undefined;
    return {
      node: name,
      process: String(pid),
      first,
      last,
      scrapes: Math.round((last - first) / this.intervalMs) + 1,
      samples: this.samples[i],
    };
  }

  /** Keeps the runs that end from now on (runs that ended before are not kept). */
  startRecording(): void {
    this.recording = true;
    this.closed = this.targets.map(() => []);
  }

  /** Every target's runs up to `now`, open ones included (as if they ended now). */
  histories(now: number): TargetHistory[] {
    return this.targets.map((_, i) => {
      const runs = [...this.closed[i]];
      const open = this.open[i];
      for (let k = 0; k < open.length; k += 2) {
        const run = this.scrapesOf(i, open[k], open[k + 1], now);
        if (run !== undefined) runs.push(run);
      }
      return { component: this.component, key: this.keys[i], intervalMs: this.intervalMs, runs: runs.sort((a, b) => a.first - b.first) };
    });
  }

  /** Targets each process owns now, by name (processes under one name own the same; each name counted once). */
  ownedCounts(processes: readonly OwnerProcess[]): Map<string, number> {
    const counts = new Map<string, number>();
    for (const p of processes) {
      const iv = this.owned.get(p.pid) ?? NONE;
      let n = 0;
      for (let k = 0; k < iv.length; k += 2) n += iv[k + 1] - iv[k];
      counts.set(p.name, Math.max(counts.get(p.name) ?? 0, n));
    }
    return counts;
  }
}

/** Intervals sorted by start, with touching or overlapping ones joined. */
function merge(flat: number[]): Intervals {
  const pairs: [number, number][] = [];
  for (let k = 0; k < flat.length; k += 2) pairs.push([flat[k], flat[k + 1]]);
  pairs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [a, b] of pairs) {
    if (out.length > 0 && a <= out[out.length - 1]) out[out.length - 1] = Math.max(out[out.length - 1], b);
    else out.push(a, b);
  }
  return out;
}

/** Visits each position in exactly one of two interval lists: gained (in `after` only) or lost (in `before` only). */
function forEachDifference(before: Intervals, after: Intervals, visit: (position: number, gained: boolean) => void): void {
  // Walks both lists' boundaries in order; inside one list and not the other is a difference.
  let a = 0,
    b = 0,
    inBefore = false,
    inAfter = false,
    from = 0;
  while (a < before.length || b < after.length) {
    const x = a < before.length ? before[a] : Infinity;
    const y = b < after.length ? after[b] : Infinity;
    const at = Math.min(x, y);
    if (inBefore !== inAfter) for (let k = from; k < at; k++) visit(k, inAfter);
    if (x === at) {
      inBefore = !inBefore;
      a++;
    }
    if (y === at) {
      inAfter = !inAfter;
      b++;
    }
    from = at;
  }
}
