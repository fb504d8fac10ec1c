/**
 * Which simulated process scrapes which target, and when: each process's owned set follows the ring of the
 * participants it sees, and a process scrapes a target at its fixed phase of the interval (host name and
 * target, as the lab's scraper and Prometheus do) from the first slot after it took the target to the last
 * slot before it let it go. Scrapes are worked out per run, not simulated one by one, so 100,000 targets cost
 * little. Pure.
 *
 * No ring is built per view. One ring of every name ever seen holds all tokens in ring order; a participant
 * owns, for each of its tokens, the keys after the nearest earlier token of a participant (of the same
 * view), up to its own — the same keys the participants' own ring gives it (the tokens in between belong to
 * nodes outside the view). With the keys sorted, a node's keys are a few hundred intervals of positions; one
 * pass over the ring splits them for every participant of a view at once, and the few views a cluster has
 * at a time are kept, so a node whose view another node already had pays nothing.
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
type Intervals = Uint32Array;
const NONE: Intervals = new Uint32Array(0);
/** Views whose splits are kept: enough for every view of a change spreading through the cluster. */
const KEPT_SPLITS = 32;

export class SimulatedOwnership {
  readonly keys: string[];
  private readonly halves: Uint32Array;
  private readonly samples: Uint32Array;
  /** Target indexes in key order. */
  private readonly byKey: Uint32Array;
  /** The ring of every name seen so far, and each name's index among its nodes. */
  private union = HashRing.build([]);
  private readonly indexOf = new Map<string, number>();
  /** For each token of the union ring, the position in key order of the first key after it. */
  private keyAfterToken = new Uint32Array(0);
  /** The last views' splits, by their signatures (a cluster has few views at a time). */
  private readonly splits = new Map<number, ReadonlyMap<string, Intervals>>();
  private readonly owned = new Map<number, Intervals>();
  /** Each target's current owners while recording, as [pid, since, pid, since, …] (numbers, not objects). */
  private readonly open: number[][];
  private readonly names = new Map<number, string>();
  /** Runs that ended, kept only while recording (a drill's window). */
  private closed: ScrapeRun[][];
  /** Whether runs are followed (a drill's window). */
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
    if (names.every((n) => this.indexOf.has(n))) return;
    this.union = HashRing.build([...this.union.nodes, ...names]);
    const u = this.union;
    this.splits.clear();
    this.keyAfterToken = new Uint32Array(u.tokenCount);
    for (let q = 0; q < u.tokenCount; q++) this.keyAfterToken[q] = this.firstAbove(u.tokenHi(q), u.tokenLo(q));
    u.nodes.forEach((n, k) => this.indexOf.set(n, k));
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

  /** Every participant's keys on the ring of `participants`, as intervals; kept for the views seen last. */
  private split(participants: readonly string[]): ReadonlyMap<string, Intervals> {
    this.know(participants);
    // A view's signature: the sum of its names' codes (order does not matter); a match is checked name by name.
    let signature = 0;
    for (const p of participants) signature += Math.imul(this.indexOf.get(p)! + 1, 0x9e3779b1) >>> 0;
    const kept = this.splits.get(signature);
    if (kept !== undefined && kept.size === participants.length && participants.every((p) => kept.has(p))) return kept;
    const u = this.union;
    const seen = new Uint8Array(u.nodes.length);
    for (const p of participants) seen[this.indexOf.get(p)!] = 1;
    let first = 0;
    while (seen[u.tokenOwner(first)] === 0) first++;
    let last = u.tokenCount - 1;
    while (seen[u.tokenOwner(last)] === 0) last--;
    const owned = u.nodes.map((): number[] => []);
    const add = (out: number[], from: number, to: number): void => {
      if (from >= to) return;
      if (out.length > 0 && out[out.length - 1] === from) out[out.length - 1] = to;
      else out.push(from, to);
    };
    // The view's first token owns the keys up to it and, wrapping, the keys after the view's last token.
    const wrapper = owned[u.tokenOwner(first)];
    add(wrapper, 0, this.keyAfterToken[first]);
    let from = this.keyAfterToken[first];
    for (let q = first + 1; q <= last; q++) {
      if (seen[u.tokenOwner(q)] === 0) continue;
      add(owned[u.tokenOwner(q)], from, this.keyAfterToken[q]);
      from = this.keyAfterToken[q];
    }
    add(wrapper, from, this.byKey.length);
    const split = new Map(participants.map((p) => [p, Uint32Array.from(owned[this.indexOf.get(p)!])]));
    this.splits.delete(signature);
    if (this.splits.size >= KEPT_SPLITS) this.splits.delete(this.splits.keys().next().value!);
    this.splits.set(signature, split);
    return split;
  }

  /**
   * Process `p` works out ownership at `now` among `participants` (null: it owns nothing — not ready,
   * stopping or gone). While recording, targets it gains start a run and targets it loses end theirs.
   */
  update(p: OwnerProcess, participants: readonly string[] | null, now: number): void {
    const before = this.owned.get(p.pid) ?? NONE;
    const after = participants === null ? NONE : (this.split(participants).get(p.name) ?? NONE);
    if (after === before) return;
    this.names.set(p.pid, p.name);
    if (this.recording)
      forEachDifference(before, after, (from, to, gained) => {
        for (let k = from; k < to; k++) {
          const i = this.byKey[k];
          if (gained) this.open[i].push(p.pid, now);
          else this.lose(i, p.pid, now);
        }
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

  /** Follows scrape runs from `now` on: the owners' runs start now, and the runs that end are kept. */
  startRecording(now: number): void {
    this.recording = true;
    this.closed = this.targets.map(() => []);
    // Runs are followed only while recording (a cluster's start-up hands out every target many times over);
    // the owners at the start open theirs now.
    for (const runs of this.open) runs.length = 0;
    for (const [pid, intervals] of this.owned) {
      for (let k = 0; k < intervals.length; k += 2) for (let at = intervals[k]; at < intervals[k + 1]; at++) this.open[this.byKey[at]].push(pid, now);
    }
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

/**
 * Visits the ranges of positions in exactly one of two interval lists: gained (in `after` only) or lost (in
 * `before` only). Two views of one cluster mostly agree: the boundaries both lists share at their start and
 * at their end are skipped, and only the middle is walked.
 */
function forEachDifference(before: Intervals, after: Intervals, visit: (from: number, to: number, gained: boolean) => void): void {
  const shortest = Math.min(before.length, after.length);
  let start = 0;
  while (start < shortest && before[start] === after[start]) start++;
  let tail = 0;
  while (tail < shortest - start && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  // Past a shared boundary both lists are in the same place (inside or outside alike); the shared tail starts
  // at the same parity in both (their lengths are even), so nothing differs after the middle.
  let a = start,
    b = start,
    inBefore = start % 2 === 1,
    inAfter = inBefore,
    from = start > 0 ? before[start - 1] : 0;
  const endA = before.length - tail;
  const endB = after.length - tail;
  while (a < endA || b < endB) {
    const x = a < endA ? before[a] : Infinity;
    const y = b < endB ? after[b] : Infinity;
    const at = x < y ? x : y;
    if (inBefore !== inAfter && from < at) visit(from, at, inAfter);
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
