import fs from "node:fs/promises";
import { drillReportMarkdown } from "../drills/drillMarkdown";
import { runDrill } from "../drills/drillRunner";
import { DRILL_FLAGS, DRILL_FLAGS_HELP, DRILL_KINDS, DRILL_SUMMARIES, parseDrillOptions } from "../drills/drillSpec";
import { LabSupervisor } from "../lab/labSupervisor";
import { SupervisorDrillLab } from "../lab/supervisorDrillLab";
import type { DrillReport } from "../drills/drillReport";
import { EXIT_USAGE, type CliCommand, type CommandIO } from "./command";
import { labComponentsFor, parseUpArgs } from "./upCommand";

const OUTPUT_FLAGS = { "save-timeline": { type: "string" }, "save-markdown": { type: "string" } } as const;

export const drillCommand: CliCommand = {
  name: "drill",
  summary: "start a lab, run a Kubernetes-style operation on it (rollout, scale, kill, partition), report every hand-off",
  help: `Usage: alloy-lab drill KIND [--nodes N --config PATH --profile P --lab.targets N --lab.scrape-interval D --cluster.NAME=VALUE] [drill options] [--json]

Starts a lab as \`up\` does, waits until it converged and every target was scraped, runs the drill the way
Kubernetes' controllers act on pods, waits until the cluster settled and new owners scraped, then prints a
report and stops the lab. The nodes keep their --cluster.* flags across restarts, with Alloy's semantics.

Drills:
${DRILL_KINDS.map((k) => `  ${k.padEnd(20)} ${DRILL_SUMMARIES[k]}`).join("\n")}

Drill options:
${DRILL_FLAGS_HELP}

Output:
  --json                       one report object: {"drill", "nodes", "targets", "durationMs", "handoffs", "gapSeconds",
                               "maxGapMs", "duplicateScrapes", "samplesMissedEstimate", "perNode": [...], "worstTargets": [...], ...}
                               (without --json: the report as Markdown)
  --save-timeline FILE         also write the timeline (targets per node over time, markers, gap/duplicate windows) as JSON
  --save-markdown FILE         also write the report as Markdown

Exit codes: 0 the drill ran, 1 the lab or the drill failed, 2 bad usage, 3 the drill ran but the cluster
stalled (a pod never ready, no single view, or targets nobody scraped): the report says where ("stalled").
`,
  async run(args, io) {
    const opts = parseUpArgs(args, { ...DRILL_FLAGS, ...OUTPUT_FLAGS }, 1);
    const usage = (message: string): number => {
      io.stderr(`alloy-lab drill: ${message}\n`);
      return EXIT_USAGE;
    };
    if (typeof opts === "string") return usage(opts);
    if (opts.positionals.length === 0) return usage(`which drill? (${DRILL_KINDS.join(", ")})`);
    const drill = parseDrillOptions(opts.positionals[0], opts.extra);
    if (typeof drill === "string") return usage(drill);
    if (drill.kind === "scale" && drill.to === opts.nodes) return usage(`--to ${drill.to} is the size the lab starts with (--nodes ${opts.nodes})`);
    const components = labComponentsFor(opts, "drill", io);
    if (typeof components === "number") return components;
    const lab = new LabSupervisor({ profile: opts.profile, components, nodeFlags: opts.nodeFlags });
    const stop = (): void => void lab.shutdown().then(() => process.exit(130));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    try {
      await lab.start(opts.nodes);
      await lab.waitFor((s) => s.converged, opts.profile === "alloy" ? 120_000 : 20_000);
      const { report, timeline } = await runDrill(new SupervisorDrillLab(lab, opts.profile), drill);
      const markdown = drillReportMarkdown(report);
      io.stdout(opts.json ? `${JSON.stringify(report)}\n` : markdown);
      if (typeof opts.extra["save-timeline"] === "string") await fs.writeFile(opts.extra["save-timeline"], JSON.stringify(timeline));
      if (typeof opts.extra["save-markdown"] === "string") await fs.writeFile(opts.extra["save-markdown"], markdown);
      return stalledExit(report, "drill", io);
    } catch (err) {
      // A drill that failed (DrillError) or a lab that did (a node that would not start): one line, exit 1.
      if (!(err instanceof Error)) throw err;
      io.stderr(`alloy-lab drill: ${err.message}\n`);
      return 1;
    } finally {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      await lab.shutdown();
    }
  },
};

/** A stalled drill still printed its report; its exit code (3) and one line on stderr say it stalled. */
const EXIT_STALLED = 3;
export function stalledExit(report: DrillReport, command: string, io: CommandIO): number {
  if (report.stalled === undefined) return 0;
  io.stderr(`alloy-lab ${command}: the drill stalled: ${report.stalled}\n`);
  return EXIT_STALLED;
}
