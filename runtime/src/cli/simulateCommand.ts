import fs from "node:fs/promises";
import { parseGoDuration } from "../../../language-server/src/alloy";
import { drillReportMarkdown } from "../drills/drillMarkdown";
import { DrillError, runDrill } from "../drills/drillRunner";
import { DRILL_FLAGS, DRILL_FLAGS_HELP, DRILL_KINDS, parseDrillOptions } from "../drills/drillSpec";
import { LAB_DEFAULT_SCRAPE_INTERVAL_MS } from "../lab/labComponents";
import { syntheticLabTargets } from "../lab/syntheticLabTargets";
import { TIMING_PROFILES, type TimingProfile } from "../membership/swimTiming";
import { DEFAULT_POD_START_MS, DEFAULT_SIMULATION, SimulatedLab, SimulationError } from "../simulation/simulatedLab";
import { EXIT_USAGE, parseOptions, type CliCommand } from "./command";
import { stalledExit } from "./drillCommand";

const MAX_SIMULATED_NODES = 1000;
const MAX_SIMULATED_TARGETS = 1_000_000;

export const simulateCommand: CliCommand = {
  name: "simulate",
  summary: "run a drill on a simulated cluster of up to 1,000 nodes in virtual time (same membership and ring code)",
  help: `Usage: alloy-lab simulate --nodes N --targets T --drill KIND [--profile alloy|fast] [--loss P] [--latency MS] [--seed S] [--lab.scrape-interval D] [--cluster.NAME=VALUE] [drill options] [--json]

Runs the lab's own membership (SWIM), wait-for-size, ownership pacing and ring for N nodes in one process,
in virtual time, over a simulated network, and runs the drill on them as on a real lab. Scrapes follow
ownership at each node's phase of the interval (as the lab's scraper and Prometheus scrape). Prints the drill's
report (as \`alloy-lab drill\` does) with how long the cluster took to converge after each change.

  --nodes N            nodes (1 to ${MAX_SIMULATED_NODES})
  --targets T          simulated targets (the lab's own simulated pods; up to ${MAX_SIMULATED_TARGETS})
  --drill KIND         ${DRILL_KINDS.join(", ")}
  --profile P          alloy (default: Alloy's own timings) or fast (the lab's sub-second profile)
  --loss P             probability that a gossip frame is lost (default 0)
  --latency MS         mean one-way latency of a frame (default ${DEFAULT_SIMULATION.latencyMs} ms: a loopback lab)
  --seed S             the random seed (default ${DEFAULT_SIMULATION.seed}): the same seed, the same run
  --pod-start D        from a pod's start to its listening (default ${DEFAULT_POD_START_MS.alloy / 1000}s with the alloy profile, as a
                       Kubernetes pod; ${DEFAULT_POD_START_MS.fast}ms with fast, as the lab's node processes here)
  --lab.scrape-interval D
                       the targets' scrape interval (default ${LAB_DEFAULT_SCRAPE_INTERVAL_MS / 1000}s, as the lab's)
  --cluster.NAME=VALUE an Alloy flag every node gets (e.g. --cluster.wait-for-size=3)

Drill options:
${DRILL_FLAGS_HELP}

  --json               one report object (without it: the report as Markdown)
  --save-timeline FILE also write the timeline as JSON

A pod takes ${DEFAULT_SIMULATION.configLoadMs} ms from listening to loading its config, as the lab's node processes do here.

Exit codes: 0 the drill ran, 1 the simulated drill failed, 2 bad usage, 3 the drill ran but the cluster stalled
(the report says where).
`,
  async run(args, io) {
    const nodeFlags = args.filter((a) => a.startsWith("--cluster."));
    const bad = nodeFlags.find((a) => !a.includes("="));
    const usage = (message: string): number => {
      io.stderr(`alloy-lab simulate: ${message}\n`);
      return EXIT_USAGE;
    };
    if (bad !== undefined) return usage(`${bad}: give node flags as --cluster.NAME=VALUE`);
    const parsed = parseOptions(
      args.filter((a) => !a.startsWith("--cluster.")),
      {
        ...DRILL_FLAGS,
        nodes: { type: "string" },
        targets: { type: "string" },
        drill: { type: "string" },
        profile: { type: "string" },
        loss: { type: "string" },
        latency: { type: "string" },
        seed: { type: "string" },
        "lab.scrape-interval": { type: "string" },
        "pod-start": { type: "string" },
        json: { type: "boolean" },
        "save-timeline": { type: "string" },
      },
    );
    if (typeof parsed === "string") return usage(parsed);
    const { values, positionals } = parsed;
    if (positionals.length > 0) return usage(`unknown argument ${positionals[0]}`);
    const nodes = Number(values.nodes);
    if (values.nodes === undefined || !Number.isInteger(nodes) || nodes < 1 || nodes > MAX_SIMULATED_NODES)
      return usage(`--nodes must be a whole number from 1 to ${MAX_SIMULATED_NODES}`);
    const targets = Number(values.targets);
    if (values.targets === undefined || !Number.isInteger(targets) || targets < 1 || targets > MAX_SIMULATED_TARGETS)
      return usage(`--targets must be a whole number from 1 to ${MAX_SIMULATED_TARGETS}`);
    if (values.drill === undefined) return usage(`--drill is required (${DRILL_KINDS.join(", ")})`);
    const drill = parseDrillOptions(values.drill, values);
    if (typeof drill === "string") return usage(drill);
    const profile = values.profile ?? "alloy";
    if (!(profile in TIMING_PROFILES)) return usage("--profile must be alloy or fast");
    const loss = values.loss === undefined ? 0 : Number(values.loss);
    if (!(loss >= 0 && loss < 1)) return usage("--loss must be a probability from 0 to below 1 (e.g. 0.01)");
    const latency = values.latency === undefined ? DEFAULT_SIMULATION.latencyMs : Number(values.latency);
    if (!(latency >= 0 && latency <= 10_000)) return usage("--latency must be a number of milliseconds from 0 to 10000");
    const seed = values.seed === undefined ? DEFAULT_SIMULATION.seed : Number(values.seed);
    if (!Number.isInteger(seed)) return usage("--seed must be a whole number");
    const intervalMs = values["lab.scrape-interval"] === undefined ? LAB_DEFAULT_SCRAPE_INTERVAL_MS : parseGoDuration(values["lab.scrape-interval"]);
    if (intervalMs === undefined || intervalMs < 1000 || intervalMs > 3_600_000)
      return usage("--lab.scrape-interval must be a duration from 1s to 1h (e.g. 15s)");
    const podStartMs = values["pod-start"] === undefined ? DEFAULT_POD_START_MS[profile as TimingProfile] : parseGoDuration(values["pod-start"]);
    if (podStartMs === undefined || podStartMs < 0 || podStartMs > 600_000) return usage("--pod-start must be a duration from 0s to 10m (e.g. 2s)");
    if (drill.kind === "scale" && drill.to === nodes) return usage(`--to ${drill.to} is the size the cluster starts with (--nodes ${nodes})`);

    const lab = new SimulatedLab({
      ...DEFAULT_SIMULATION,
      profile: profile as TimingProfile,
      targets: syntheticLabTargets(targets),
      scrapeIntervalMs: intervalMs,
      lossRate: loss,
      latencyMs: latency,
      seed,
      nodeFlags,
      processStartMs: podStartMs,
    });
    try {
      const { report, timeline } = await lab.run(
        (async () => {
          await lab.start(nodes);
          await lab.waitFor((s) => s.converged, lab.settleTimeoutMs);
          // The start-up's convergence is not the drill's.
          lab.convergenceMs = [];
          return runDrill(lab, drill);
        })(),
      );
      io.stdout(values.json ? `${JSON.stringify(report)}\n` : drillReportMarkdown(report));
      if (values["save-timeline"] !== undefined) await fs.writeFile(values["save-timeline"], JSON.stringify(timeline));
      return stalledExit(report, "simulate", io);
    } catch (err) {
      if (!(err instanceof SimulationError) && !(err instanceof DrillError)) throw err;
      io.stderr(`alloy-lab simulate: ${err.message}\n`);
      return 1;
    }
  },
};
