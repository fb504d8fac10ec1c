/**
 * A drill's timeline as an SVG chart (pure: no VS Code types): targets per node over time, one line per node;
 * gap and duplicate windows shaded; starts, exits and state changes as markers. Every window, marker and point
 * has a title, which the webview shows on hover (naming the targets or the event).
 */
import type { DrillTimeline } from "../../../runtime/src/drills/drillReport";
import { escapeMarkup } from "../escapeMarkup";

export const CHART_WIDTH = 900;
export const CHART_HEIGHT = 360;
const MARGIN = { left: 48, right: 16, top: 16, bottom: 36 };

/** A node's line colour: hues spread by the golden angle, as the ring view does. */
export const nodeColor = (i: number): string => `hsl(${Math.round((i * 137.508) % 360)}, 65%, 55%)`;

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export function timelineSvg(t: DrillTimeline): string {
  const end = Math.max(1, t.durationMs, ...t.nodes.flatMap((n) => n.points.map(([at]) => at)));
  const top = Math.max(1, ...t.nodes.flatMap((n) => n.points.map(([, c]) => c)));
  const w = CHART_WIDTH - MARGIN.left - MARGIN.right;
  const h = CHART_HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (ms: number): number => MARGIN.left + (Math.max(0, Math.min(ms, end)) / end) * w;
  const y = (count: number): number => MARGIN.top + h - (count / top) * h;
  const parts: string[] = [];
  for (const win of t.windows) {
    const label = `${win.kind === "gap" ? "gap" : "duplicate scrapes"}: ${win.targets} target${win.targets === 1 ? "" : "s"}, ${seconds(win.from)}–${seconds(win.to)} (${win.keys.join(", ")}${win.targets > win.keys.length ? ", …" : ""})`;
    parts.push(
      `<rect class="${win.kind}" x="${x(win.from).toFixed(1)}" y="${MARGIN.top}" width="${Math.max(1, x(win.to) - x(win.from)).toFixed(1)}" height="${h}"><title>${escapeMarkup(label)}</title></rect>`,
    );
  }
  // Axes and ticks: five steps on each.
  parts.push(`<line class="axis" x1="${MARGIN.left}" y1="${MARGIN.top + h}" x2="${MARGIN.left + w}" y2="${MARGIN.top + h}"/>`);
  parts.push(`<line class="axis" x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${MARGIN.top + h}"/>`);
  for (let k = 0; k <= 5; k++) {
    const at = (end * k) / 5;
    const count = Math.round((top * k) / 5);
    parts.push(`<text class="tick" x="${x(at).toFixed(1)}" y="${MARGIN.top + h + 16}" text-anchor="middle">${seconds(at)}</text>`);
    parts.push(`<text class="tick" x="${MARGIN.left - 6}" y="${(y(count) + 4).toFixed(1)}" text-anchor="end">${count}</text>`);
  }
  parts.push(`<text class="tick" x="${MARGIN.left + w / 2}" y="${CHART_HEIGHT - 4}" text-anchor="middle">time since the drill began</text>`);
  for (const m of t.markers) {
    parts.push(
      `<line class="marker ${escapeMarkup(m.kind)}" x1="${x(m.at).toFixed(1)}" y1="${MARGIN.top}" x2="${x(m.at).toFixed(1)}" y2="${MARGIN.top + h}"><title>${escapeMarkup(`${seconds(m.at)}: ${m.text}`)}</title></line>`,
    );
  }
  t.nodes.forEach((n, i) => {
    const points = n.points.map(([at, c]) => `${x(at).toFixed(1)},${y(c).toFixed(1)}`).join(" ");
    parts.push(`<polyline class="node" stroke="${nodeColor(i)}" points="${points}"><title>${escapeMarkup(n.name)}</title></polyline>`);
    // Points where the count changes, each with what it is.
    n.points.forEach(([at, c], k) => {
      if (k > 0 && n.points[k - 1][1] === c) return;
      parts.push(
        `<circle cx="${x(at).toFixed(1)}" cy="${y(c).toFixed(1)}" r="2.5" fill="${nodeColor(i)}"><title>${escapeMarkup(`${n.name}: ${c} target${c === 1 ? "" : "s"} at ${seconds(at)}`)}</title></circle>`,
      );
    });
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" role="img" aria-label="targets per node over the drill">${parts.join("")}</svg>`;
}
