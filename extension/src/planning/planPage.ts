/** A scale plan's page for its webview: what was planned, the two charts, one row per size (pure HTML). */
import { planRow, type ScalePlanResult } from "../../../runtime/src/planning/scalePlan";
import { escapeMarkup } from "../escapeMarkup";
import { webviewHead } from "../webviewHead";
import { movedSvg, spreadSvg } from "./planChart";

/** What the plan was made from, as the page states it. */
export interface PlanPageContext {
  /** "the lab's 120 targets", "config.alloy (100 simulated targets per discovery)", … */
  source: string;
  weights: string;
  namesPattern: string;
  /** The size the cluster has now, when it runs with the plan's names: that row is marked. */
  currentSize?: number;
}

/** The page; styles allowed by `nonce` only, no script (hovers are SVG titles, per-node shares <details>). */
export function planHtml(result: ScalePlanResult, context: PlanPageContext, nonce: string): string {
  const rows = result.plans.map((p) => planRow(p, result.targets));
  const now = context.currentSize;
  const table = rows
    .map((r) => {
      const moved = r.moved === null ? "–" : `${r.moved} (${r.movedPercent!.toFixed(1)}%)`;
      const mark = r.nodes === now ? ' class="now" title="the cluster\'s size now"' : "";
      return `<tr${mark}><td>${r.nodes}${r.nodes === now ? " (now)" : ""}</td><td>${r.minTargets}–${r.maxTargets}</td><td>${r.peakToMean.toFixed(2)}</td><td>${r.peakToMeanWeight.toFixed(2)}</td><td>${escapeMarkup(r.hottestByWeight)}</td><td>${moved}</td></tr>`;
    })
    .join("");
  const perNode = result.plans
    .map((p) => {
      const totalWeight = p.perNode.reduce((a, n) => a + n.weight, 0);
      const body = p.perNode
        .map(
          (n) =>
            `<tr><td>${escapeMarkup(n.name)}</td><td>${n.targets}</td><td>${n.weight}</td><td>${totalWeight === 0 ? "–" : `${((100 * n.weight) / totalWeight).toFixed(1)}%`}</td></tr>`,
        )
        .join("");
      return `<details><summary>${p.nodes} nodes</summary><table><thead><tr><th>node</th><th>targets</th><th>weight</th><th>share of weight</th></tr></thead><tbody>${body}</tbody></table></details>`;
    })
    .join("");
  const figures: [string, string][] = [
    ["targets", `${result.targets} from ${context.source}`],
    ["weights", context.weights],
    ["node names", context.namesPattern],
  ];
  return `${webviewHead(nonce, { scripts: false })}
  svg { width: 100%; max-width: 1100px; height: auto; display: block; margin: 8px 0 16px; }
  svg .axis { stroke: currentColor; stroke-width: 1; }
  svg .tick { fill: currentColor; font-size: 11px; }
  svg .tick.now { font-weight: bold; }
  svg .spread { fill: var(--vscode-charts-blue, #3794ff); }
  svg .moved { fill: var(--vscode-charts-orange, #d18616); }
  svg .now { stroke: currentColor; stroke-width: 1.5; }
  svg .mean { stroke: currentColor; stroke-width: 2; }
  table { border-collapse: collapse; margin: 8px 0 16px; }
  td, th { padding: 2px 10px; text-align: right; }
  td:first-child, th:first-child { text-align: left; }
  tr.now td { font-weight: bold; }
  #figures td { text-align: left; }
  details { margin: 2px 0; }
</style>
</head>
<body>
<h2>Scale plan: ${rows.length === 0 ? "no sizes" : `${rows[0].nodes}–${rows[rows.length - 1].nodes} nodes`}</h2>
<table id="figures">${figures.map(([k, v]) => `<tr><th>${k}</th><td>${escapeMarkup(v)}</td></tr>`).join("")}</table>
<h3>Targets per node</h3>
${spreadSvg(rows, now)}
<h3>Targets that change owner</h3>
${movedSvg(rows, now)}
<table id="plans"><thead><tr><th>nodes</th><th>targets per node</th><th>peak/mean</th><th>peak/mean by weight</th><th>hottest by weight</th><th>moved from one node fewer</th></tr></thead><tbody>${table}</tbody></table>
<h3>Each node's share</h3>
${perNode}
</body>
</html>`;
}
