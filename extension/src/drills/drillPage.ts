/** A drill's page for the Timeline webview: its figures, the chart and per-node figures (pure HTML). */
import type { DrillReport, DrillTimeline } from "../../../runtime/src/drills/drillReport";
import { nodeColor, timelineSvg } from "./timelineChart";
import { webviewHead } from "../webviewHead";
import { escapeMarkup } from "../escapeMarkup";

/** The page: summary, chart, legend and per-node figures; styles allowed by `nonce` only, no script. */
export function drillHtml(r: DrillReport, t: DrillTimeline, nonce: string): string {
  const figures: [string, string][] = [
    ["nodes", `${r.nodes} → ${r.nodesAfter}`],
    ["targets", String(r.targets)],
    ["drill took", `${(r.durationMs / 1000).toFixed(1)} s`],
    ["hand-offs", String(r.handoffs)],
    ["gap total", `${r.gapSeconds.toFixed(1)} s`],
    ["largest gap", `${r.maxGapMs} ms`],
    ["duplicate scrapes", String(r.duplicateScrapes)],
    ["samples missed (estimate)", String(r.samplesMissedEstimate)],
  ];
  const rows = r.perNode
    .map((n) => {
      const i = t.nodes.findIndex((x) => x.name === n.name);
      const swatch = i < 0 ? "" : `<span class="swatch" data-color="${i}"></span>`;
      return `<tr><td>${swatch}${escapeMarkup(n.name)}</td><td>${n.starts}</td><td>${n.stops}</td><td>${n.targetsBefore}</td><td>${n.targetsAfter}</td><td>${n.handoffsIn}</td><td>${n.handoffsOut}</td></tr>`;
    })
    .join("");
  const swatchStyles = t.nodes.map((_, i) => `.swatch[data-color="${i}"] { background: ${nodeColor(i)}; }`).join("\n");
  return `${webviewHead(nonce, { scripts: false })}
  svg { width: 100%; max-width: 1100px; height: auto; }
  svg .axis { stroke: currentColor; stroke-width: 1; }
  svg .tick { fill: currentColor; font-size: 11px; }
  svg .node { fill: none; stroke-width: 2; }
  svg .gap { fill: rgba(220, 60, 60, 0.22); }
  svg .duplicate { fill: rgba(230, 160, 30, 0.28); }
  svg .marker { stroke: currentColor; stroke-opacity: 0.35; stroke-dasharray: 3 3; stroke-width: 6; }
  svg .marker:hover { stroke-opacity: 0.8; }
  table { border-collapse: collapse; margin: 8px 0 16px; }
  td, th { padding: 2px 10px; text-align: right; }
  td:first-child, th:first-child { text-align: left; }
  .swatch { display: inline-block; width: 10px; height: 10px; margin-right: 6px; border-radius: 2px; }
  ${swatchStyles}
  .legend span { margin-right: 16px; }
  .legend .g { background: rgba(220, 60, 60, 0.4); }
  .legend .d { background: rgba(230, 160, 30, 0.5); }
</style>
</head>
<body>
<h2>Drill: ${escapeMarkup(r.drill)}</h2>
${r.stalled !== undefined ? `<p id="stalled"><strong>The drill stalled:</strong> ${escapeMarkup(r.stalled)}. The figures run to when it gave up.</p>` : ""}
<table id="figures">${figures.map(([k, v]) => `<tr><th>${k}</th><td>${escapeMarkup(v)}</td></tr>`).join("")}</table>
<p class="legend"><span><span class="swatch g"></span>gap: nobody scraped these targets beyond their interval</span><span><span class="swatch d"></span>duplicate: two nodes scraped them</span><span>dashed: a pod started, exited or changed state</span></p>
${timelineSvg(t)}
<table id="nodes"><thead><tr><th>node</th><th>starts</th><th>stops</th><th>targets before</th><th>targets after</th><th>hand-offs in</th><th>hand-offs out</th></tr></thead><tbody>${rows}</tbody></table>
</body>
</html>`;
}
