/** A drill report as Markdown: what the CLI prints without --json and what the extension saves. Pure. */
import type { DrillReport } from "./drillReport";

const cell = (v: string | number): string => String(v).replaceAll("|", "\\|");
const table = (header: string[], rows: (string | number)[][]): string[] => [
  `| ${header.join(" | ")} |`,
  `|${header.map(() => "---").join("|")}|`,
  ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
];

export function drillReportMarkdown(r: DrillReport): string {
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  const lines = [
    `# Drill: ${r.drill}`,
    "",
    `${r.nodes} → ${r.nodesAfter} nodes, ${r.targets} clustered targets scraped every ${seconds(r.scrapeIntervalMs)}; the drill took ${seconds(r.durationMs)}.`,
    "",
    ...(r.stalled !== undefined ? [`**The drill stalled:** ${r.stalled}. The figures run to when it gave up; gaps still open then are counted.`, ""] : []),
    ...table(
      ["hand-offs", "gap total", "largest gap", "median gap", "duplicate scrapes", "samples missed (estimate)"],
      [[r.handoffs, seconds(r.gapSeconds * 1000), `${r.maxGapMs} ms`, `${r.medianGapMs} ms`, r.duplicateScrapes, r.samplesMissedEstimate]],
    ),
    "",
    "A gap is the time from a target's old owner's last scrape to its new owner's first, minus one interval; a",
    "duplicate is a scrape by a new owner before the old owner's last one.",
  ];
  if (r.convergence)
    lines.push(
      "",
      `Convergence after each membership change: median ${r.convergence.medianMs} ms, max ${r.convergence.maxMs} ms (${r.convergence.changes} changes).`,
    );
  lines.push(
    "",
    "## Nodes",
    "",
    ...table(
      ["node", "starts", "stops", "targets before", "targets after", "hand-offs in", "hand-offs out"],
      r.perNode.map((n) => [n.name, n.starts, n.stops, n.targetsBefore, n.targetsAfter, n.handoffsIn, n.handoffsOut]),
    ),
    "",
    "## Steps",
    "",
    ...r.steps.map((s) => `- ${seconds(s.at)}: ${s.action}${s.node ? ` ${s.node}` : ""}${s.detail ? ` (${s.detail})` : ""}`),
  );
  if (r.worstTargets.length > 0) {
    lines.push(
      "",
      "## Worst targets",
      "",
      ...table(
        ["component", "target", "gap", "duplicates", "owners"],
        r.worstTargets.map((t) => [t.component, t.labels?.__address__ ?? t.key, `${t.gapMs} ms`, t.duplicateScrapes, t.owners.join(" → ")]),
      ),
    );
  }
  return lines.join("\n") + "\n";
}
