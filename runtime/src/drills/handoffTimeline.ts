/**
 * The hand-off timeline: for every target, the runs of scrapes each owner made (a run is one process
 * scraping it interval after interval), and what each change of owner cost. A hand-off's gap is the time from
 * the old owner's last scrape to the new owner's first, minus one interval (what an owner that never changed
 * would have taken); scrapes of a new run that fall before an older run's last scrape are duplicates (two
 * nodes scraped the target in the same stretch of time). Pure: scrapes or runs go in, figures come out.
 */

/** One process's uninterrupted scraping of one target. */
export interface ScrapeRun {
  /** The node name. */
  node: string;
  /** Which process under that name (a restart under the same name is a new run). */
  process: string;
  first: number;
  last: number;
  scrapes: number;
  /** Samples in its last scrape. */
  samples: number;
}

export interface TargetHistory {
  component: string;
  key: string;
  intervalMs: number;
  /** Sorted by `first`. */
  runs: ScrapeRun[];
}

/** One change of a target's owner, or (to: null) a target nobody scrapes at the end. */
export interface Handoff {
  component: string;
  key: string;
  from: string | null;
  to: string | null;
  /** When the new owner first scraped it (or the end of the window). */
  at: number;
  gapMs: number;
  duplicateScrapes: number;
  samplesMissed: number;
}

/** Collects scrapes into runs; a run ends when its process skips more than half an interval past the next one due. */
export class ScrapeRunRecorder {
  private readonly histories = new Map<string, TargetHistory>();
  /** The open run of each process, by target and process. */
  private readonly open = new Map<string, ScrapeRun>();

  constructor(private readonly intervalsMs: ReadonlyMap<string, number>) {}

  record(node: string, process: string, s: { component: string; key: string; at: number; ok: boolean; samples: number }): void {
    const intervalMs = this.intervalsMs.get(s.component);
    if (intervalMs === undefined || !s.ok) return;
    const id = `${s.component}\n${s.key}`;
    let h = this.histories.get(id);
    if (h === undefined) this.histories.set(id, (h = { component: s.component, key: s.key, intervalMs, runs: [] }));
    const openId = `${id}\n${process}`;
    const run = this.open.get(openId);
    if (run !== undefined && s.at >= run.last && s.at - run.last <= 1.5 * intervalMs) {
      run.last = s.at;
      run.scrapes++;
      run.samples = s.samples;
      return;
    }
    if (run !== undefined && s.at < run.last) return; // a late batch
    const fresh: ScrapeRun = { node, process, first: s.at, last: s.at, scrapes: 1, samples: s.samples };
    this.open.set(openId, fresh);
    h.runs.push(fresh);
  }

  /** Every target's history, runs sorted by their first scrape. */
  result(): TargetHistory[] {
    const out = [...this.histories.values()];
    for (const h of out) h.runs.sort((a, b) => a.first - b.first);
    return out;
  }
}

/**
 * The hand-offs of one target whose new run began within [start, end], and the one still open at `end`
 * (nobody scraped it for more than two intervals). A target never scraped at all is open for the whole window.
 */
export function handoffsOf(h: TargetHistory, start: number, end: number): Handoff[] {
  const out: Handoff[] = [];
  const i = h.intervalMs;
  if (h.runs.length === 0) {
    return [{ component: h.component, key: h.key, from: null, to: null, at: end, gapMs: end - start, duplicateScrapes: 0, samplesMissed: 0 }];
  }
  let coveredUntil = h.runs[0].last;
  let lastOwner = h.runs[0];
  for (const run of h.runs.slice(1)) {
    if (run.first >= start && run.first <= end) {
      const gapMs = Math.max(0, run.first - coveredUntil - i);
      // Scrapes of this run before the others' last one, at most all of them.
      const duplicateScrapes = run.first < coveredUntil ? Math.min(run.scrapes, Math.floor((coveredUntil - run.first) / i) + 1) : 0;
      out.push({
        component: h.component,
        key: h.key,
        from: lastOwner.node,
        to: run.node,
        at: run.first,
        gapMs,
        duplicateScrapes,
        samplesMissed: Math.round((gapMs / i) * lastOwner.samples),
      });
    }
    if (run.last >= coveredUntil) {
      coveredUntil = run.last;
      lastOwner = run;
    }
  }
  if (end - coveredUntil > 2 * i) {
    const gapMs = end - coveredUntil - i;
    out.push({
      component: h.component,
      key: h.key,
      from: lastOwner.node,
      to: null,
      at: end,
      gapMs,
      duplicateScrapes: 0,
      samplesMissed: Math.round((gapMs / i) * lastOwner.samples),
    });
  }
  return out;
}

/** Targets each node scraped over time: at most `points` samples across [start, end], per node. */
export function targetsPerNodeOverTime(
  histories: readonly TargetHistory[],
  start: number,
  end: number,
  points = 240,
): { name: string; points: [number, number][] }[] {
  const changes = new Map<string, [number, number][]>();
  for (const h of histories) {
    for (const r of h.runs) {
      const list = changes.get(r.node) ?? [];
      // A run covers its scrapes and the interval after its last one (the target is its until then).
      list.push([r.first, 1], [r.last + h.intervalMs, -1]);
      changes.set(r.node, list);
    }
  }
  const step = Math.max(1, (end - start) / (points - 1));
  return [...changes.keys()].sort().map((name) => {
    const list = changes.get(name)!.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const series: [number, number][] = [];
    let k = 0;
    let count = 0;
    for (let p = 0; p < points; p++) {
      const t = start + p * step;
      while (k < list.length && list[k][0] <= t) count += list[k++][1];
      series.push([Math.round(t), count]);
    }
    return { name, points: series };
  });
}
