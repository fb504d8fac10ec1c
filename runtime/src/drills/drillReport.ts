/**
 * A drill's report (the figures `alloy-lab drill --json` prints) and its timeline (what the Timeline view
 * draws), from the targets' scrape histories over the drill's window. Pure.
 */
import type { DrillKind } from "./drillSpec";
import { handoffsOf, targetsPerNodeOverTime, type Handoff, type TargetHistory } from "./handoffTimeline";

/** What the drill did, in order: `at` is ms since the drill started. */
export interface DrillStep {
  at: number;
  action: "stop" | "kill" | "start" | "ready" | "partition" | "heal" | "settled" | "stalled";
  node?: string;
  detail?: string;
}

export interface DrillNodeFigures {
  name: string;
  /** How often a process under this name was started (after the drill began) or stopped. */
  starts: number;
  stops: number;
  targetsBefore: number;
  targetsAfter: number;
  handoffsIn: number;
  handoffsOut: number;
}

export interface DrillTargetFigures {
  component: string;
  key: string;
  labels?: Record<string, string>;
  gapMs: number;
  duplicateScrapes: number;
  /** Its owners in order over the drill (a name twice: it came back). */
  owners: string[];
}

export interface DrillReport {
  drill: DrillKind;
  /** Nodes before the drill, and after it. */
  nodes: number;
  nodesAfter: number;
  targets: number;
  scrapeIntervalMs: number;
  /** From the first action to the cluster settled (converged, and every new owner has scraped). */
  durationMs: number;
  handoffs: number;
  /** Summed over every hand-off. */
  gapSeconds: number;
  maxGapMs: number;
  /** Median over the hand-offs that had a gap at all (0 when none had). */
  medianGapMs: number;
  duplicateScrapes: number;
  samplesMissedEstimate: number;
  steps: DrillStep[];
  perNode: DrillNodeFigures[];
  worstTargets: DrillTargetFigures[];
  /** How long the cluster took to converge after each membership change (simulations measure it). */
  convergence?: { medianMs: number; maxMs: number; changes: number };
  /**
   * Present when the cluster never got where the drill waited for it: why. The figures then run to when the
   * drill gave up (durationMs too), with the gaps still open then counted.
   */
  stalled?: string;
}

export interface TimelineMarker {
  at: number;
  node: string;
  kind: string;
  text: string;
}

export interface TimelineWindow {
  kind: "gap" | "duplicate";
  from: number;
  to: number;
  targets: number;
  /** A few of the targets' keys (a hover names them). */
  keys: string[];
}

/** What the Timeline view draws; times are ms since the drill started. */
export interface DrillTimeline {
  durationMs: number;
  nodes: { name: string; points: [number, number][] }[];
  markers: TimelineMarker[];
  windows: TimelineWindow[];
}

export interface DrillObservations {
  drill: DrillKind;
  /** The first action; the cluster settled; the recording ended (new owners had scraped). */
  start: number;
  settledAt: number;
  end: number;
  scrapeIntervalMs: number;
  steps: DrillStep[];
  histories: readonly TargetHistory[];
  /** Targets per node (by name) from the ring, before and after. */
  before: ReadonlyMap<string, number>;
  after: ReadonlyMap<string, number>;
  /** Target labels by component and key, for the worst targets. */
  labelsOf?: (component: string, key: string) => Record<string, string> | undefined;
  markers: TimelineMarker[];
  convergence?: DrillReport["convergence"];
  stalled?: string;
}

const WORST_TARGETS = 10;
const WINDOW_KEYS = 5;

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Gap and duplicate stretches (ms since `start`), merged where they overlap, each with how many targets it held. */
function windowsOf(handoffs: readonly Handoff[], histories: readonly TargetHistory[], start: number): TimelineWindow[] {
  const intervalOf = new Map(histories.map((h) => [`${h.component}\n${h.key}`, h.intervalMs]));
  const spans: { kind: TimelineWindow["kind"]; from: number; to: number; key: string }[] = [];
  for (const h of handoffs) {
    const at = h.at - start;
    if (h.gapMs > 0) spans.push({ kind: "gap", from: at - h.gapMs, to: at, key: h.key });
    if (h.duplicateScrapes > 0)
      spans.push({ kind: "duplicate", from: at, to: at + h.duplicateScrapes * (intervalOf.get(`${h.component}\n${h.key}`) ?? 0), key: h.key });
  }
  spans.sort((a, b) => a.from - b.from);
  const out: TimelineWindow[] = [];
  const current: Partial<Record<TimelineWindow["kind"], TimelineWindow>> = {};
  for (const s of spans) {
    const w = current[s.kind];
    if (w !== undefined && s.from <= w.to) {
      w.to = Math.max(w.to, s.to);
      w.targets++;
      if (w.keys.length < WINDOW_KEYS) w.keys.push(s.key);
      continue;
    }
    out.push((current[s.kind] = { kind: s.kind, from: Math.round(s.from), to: Math.round(s.to), targets: 1, keys: [s.key] }));
  }
  for (const w of out) w.to = Math.round(w.to);
  return out;
}

export function buildDrillReport(o: DrillObservations): { report: DrillReport; timeline: DrillTimeline } {
  const handoffs = o.histories.flatMap((h) => handoffsOf(h, o.start, o.end));
  const names = new Set([...o.before.keys(), ...o.after.keys(), ...o.steps.flatMap((s) => (s.node ? [s.node] : []))]);
  const perNode = [...names].sort().map((name) => ({
    name,
    starts: o.steps.filter((s) => s.action === "start" && s.node === name).length,
    stops: o.steps.filter((s) => (s.action === "stop" || s.action === "kill") && s.node === name).length,
    targetsBefore: o.before.get(name) ?? 0,
    targetsAfter: o.after.get(name) ?? 0,
    handoffsIn: handoffs.filter((h) => h.to === name).length,
    handoffsOut: handoffs.filter((h) => h.from === name && h.to !== null).length,
  }));
  const byTarget = new Map<string, { gapMs: number; duplicateScrapes: number; h: Handoff }>();
  for (const h of handoffs) {
    const id = `${h.component}\n${h.key}`;
    const t = byTarget.get(id) ?? { gapMs: 0, duplicateScrapes: 0, h };
    t.gapMs = Math.max(t.gapMs, h.gapMs);
    t.duplicateScrapes += h.duplicateScrapes;
    byTarget.set(id, t);
  }
  const historyOf = new Map(o.histories.map((h) => [`${h.component}\n${h.key}`, h]));
  const worstTargets = [...byTarget.entries()]
    .filter(([, t]) => t.gapMs > 0 || t.duplicateScrapes > 0)
    .sort(([, a], [, b]) => b.gapMs - a.gapMs || b.duplicateScrapes - a.duplicateScrapes)
    .slice(0, WORST_TARGETS)
    .map(([id, t]) => {
      const labels = o.labelsOf?.(t.h.component, t.h.key);
      return {
        component: t.h.component,
        key: t.h.key,
        ...(labels ? { labels } : {}),
        gapMs: Math.round(t.gapMs),
        duplicateScrapes: t.duplicateScrapes,
        owners: (historyOf.get(id)?.runs ?? []).filter((r) => r.last >= o.start).map((r) => r.node),
      };
    });
  const gaps = handoffs.map((h) => h.gapMs).filter((g) => g > 0);
  const report: DrillReport = {
    drill: o.drill,
    nodes: o.before.size,
    nodesAfter: o.after.size,
    targets: o.histories.length,
    scrapeIntervalMs: o.scrapeIntervalMs,
    durationMs: Math.round(o.settledAt - o.start),
    handoffs: handoffs.filter((h) => h.to !== null).length,
    gapSeconds: Math.round(gaps.reduce((a, b) => a + b, 0)) / 1000,
    maxGapMs: Math.round(Math.max(0, ...gaps)),
    medianGapMs: Math.round(median(gaps)),
    duplicateScrapes: handoffs.reduce((n, h) => n + h.duplicateScrapes, 0),
    samplesMissedEstimate: handoffs.reduce((n, h) => n + h.samplesMissed, 0),
    steps: o.steps,
    perNode,
    worstTargets,
    ...(o.convergence ? { convergence: o.convergence } : {}),
    ...(o.stalled !== undefined ? { stalled: o.stalled } : {}),
  };
  const timeline: DrillTimeline = {
    durationMs: Math.round(o.end - o.start),
    nodes: targetsPerNodeOverTime(o.histories, o.start, o.end).map((n) => ({ name: n.name, points: n.points.map(([t, c]) => [t - o.start, c]) })),
    markers: o.markers.filter((m) => m.at >= o.start && m.at <= o.end).map((m) => ({ ...m, at: m.at - o.start })),
    windows: windowsOf(handoffs, o.histories, o.start),
  };
  return { report, timeline };
}
