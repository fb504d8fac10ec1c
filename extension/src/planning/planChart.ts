/**
 * A scale plan as two SVG charts (pure: no VS Code types), one column per cluster size: the spread of targets
 * per node (fewest to most, the mean marked) and how many targets change owner from the size before. Every
 * bar has a title, which the webview shows on hover.
 */
import type { PlanRow } from "../../../runtime/src/planning/scalePlan";
import { escapeMarkup } from "../escapeMarkup";

export const PLAN_CHART_WIDTH = 900;
const HEIGHT = 260;
const MARGIN = { left: 56, right: 16, top: 14, bottom: 36 };

interface Frame {
  /** The centre of size `i`'s column. */
  x: (i: number) => number;
  /** A column's width. */
  band: number;
  y: (value: number) => number;
  parts: string[];
}

/** Axes, the sizes under them and five value ticks; the caller adds its bars to `parts`. */
function frame(rows: readonly PlanRow[], top: number, yLabel: (v: number) => string, caption: string, highlight: number | undefined): Frame {
  const w = PLAN_CHART_WIDTH - MARGIN.left - MARGIN.right;
  const h = HEIGHT - MARGIN.top - MARGIN.bottom;
  const band = w / Math.max(1, rows.length);
  const x = (i: number): number => MARGIN.left + band * (i + 0.5);
  const y = (v: number): number => MARGIN.top + h - (v / Math.max(top, Number.EPSILON)) * h;
  const parts = [
    `<line class="axis" x1="${MARGIN.left}" y1="${MARGIN.top + h}" x2="${MARGIN.left + w}" y2="${MARGIN.top + h}"/>`,
    `<line class="axis" x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${MARGIN.top + h}"/>`,
  ];
  for (let k = 0; k <= 5; k++) {
    const v = (top * k) / 5;
    parts.push(`<text class="tick" x="${MARGIN.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${escapeMarkup(yLabel(v))}</text>`);
  }
  // Label every size when they fit, else about twenty of them.
  const every = Math.max(1, Math.ceil(rows.length / 20));
  rows.forEach((r, i) => {
    if (i % every === 0 || r.nodes === highlight)
      parts.push(
        `<text class="tick${r.nodes === highlight ? " now" : ""}" x="${x(i).toFixed(1)}" y="${MARGIN.top + h + 16}" text-anchor="middle">${r.nodes}</text>`,
      );
  });
  parts.push(`<text class="tick" x="${MARGIN.left + w / 2}" y="${HEIGHT - 4}" text-anchor="middle">${escapeMarkup(caption)}</text>`);
  return { x, band, y, parts };
}

const svg = (label: string, parts: readonly string[]): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${PLAN_CHART_WIDTH} ${HEIGHT}" role="img" aria-label="${escapeMarkup(label)}">${parts.join("")}</svg>`;

/** Per size: a bar from the fewest to the most targets on one node, a tick at the mean. */
export function spreadSvg(rows: readonly PlanRow[], highlight?: number): string {
  const top = Math.max(1, ...rows.map((r) => r.maxTargets));
  const f = frame(rows, top, (v) => String(Math.round(v)), "cluster size (nodes) — bar: fewest to most targets on one node, tick: the mean", highlight);
  rows.forEach((r, i) => {
    const half = Math.min(14, f.band * 0.3);
    const title = `${r.nodes} nodes: ${r.minTargets}–${r.maxTargets} targets per node (mean ${r.meanTargets.toFixed(1)}, peak/mean ${r.peakToMean.toFixed(2)})`;
    const cls = r.nodes === highlight ? "spread now" : "spread";
    f.parts.push(
      `<rect class="${cls}" x="${(f.x(i) - half).toFixed(1)}" y="${f.y(r.maxTargets).toFixed(1)}" width="${(2 * half).toFixed(1)}" height="${Math.max(1, f.y(r.minTargets) - f.y(r.maxTargets)).toFixed(1)}"><title>${escapeMarkup(title)}</title></rect>`,
      `<line class="mean" x1="${(f.x(i) - half - 3).toFixed(1)}" x2="${(f.x(i) + half + 3).toFixed(1)}" y1="${f.y(r.meanTargets).toFixed(1)}" y2="${f.y(r.meanTargets).toFixed(1)}"/>`,
    );
  });
  return svg("targets per node by cluster size", f.parts);
}

/** Per size: the share of all targets that change owner when the cluster grows to it from one node fewer. */
export function movedSvg(rows: readonly PlanRow[], highlight?: number): string {
  const top = Math.max(1, ...rows.map((r) => r.movedPercent ?? 0));
  const f = frame(rows, top, (v) => `${v.toFixed(0)}%`, "cluster size (nodes) — targets that change owner from one node fewer", highlight);
  rows.forEach((r, i) => {
    if (r.moved === null || r.movedPercent === null) return;
    const half = Math.min(14, f.band * 0.3);
    const title = `${r.nodes - 1} → ${r.nodes} nodes: ${r.moved} targets change owner (${r.movedPercent.toFixed(1)}%)`;
    f.parts.push(
      `<rect class="${r.nodes === highlight ? "moved now" : "moved"}" x="${(f.x(i) - half).toFixed(1)}" y="${f.y(r.movedPercent).toFixed(1)}" width="${(2 * half).toFixed(1)}" height="${Math.max(1, f.y(0) - f.y(r.movedPercent)).toFixed(1)}"><title>${escapeMarkup(title)}</title></rect>`,
    );
  });
  return svg("targets moved by cluster size", f.parts);
}
