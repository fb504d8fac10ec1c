import fs from "node:fs";
import { parseGoDuration } from "../../../language-server/src/alloy";
import { fetchClusterSnapshot } from "../alloyApi/alloyApiClient";
import { AlloyApiError, componentNameOf } from "../alloyApi/alloyWebApi";
import { componentsFromConfig, LabConfigError } from "../lab/labComponents";
import { KeyError, keyStrategyOf } from "../ownership/keyStrategy";
import { OwnershipInputError } from "../ownership/targetOwnership";
import {
  ALLOY_DEFAULT_SCRAPE_INTERVAL_MS,
  planInputFromComponents,
  planInputFromTargetsJson,
  withLabWeights,
  withWeightsFile,
  type PlanInput,
} from "../planning/planTargets";
import { parsePlanSizes, planRow, planScale, validNamesPattern, type ScalePlanResult } from "../planning/scalePlan";
import { count } from "../protocol/labEventText";
import { EXIT_USAGE, parseOptions, type CliCommand, type CommandIO } from "./command";

/** The most nodes a plan goes to (the ring of 1,000 nodes has 512,000 tokens). */
const MAX_PLAN_NODES = 1000;

function readJsonFile(io: CommandIO, file: string, what: string): Promise<unknown> {
  return io.readInput(file).then(
    (text) => {
      try {
        return JSON.parse(text) as unknown;
      } catch (err) {
        throw new OwnershipInputError(`${what} ${file} is not valid JSON: ${(err as Error).message}`);
      }
    },
    (err: Error) => {
      throw new OwnershipInputError(`cannot read ${what} ${file}: ${err.message}`);
    },
  );
}

/** The plan as a table: one row per size. */
function planTable(result: ScalePlanResult): string {
  const header = ["nodes", "targets/node (min–max)", "peak/mean", "by weight", "hottest", "moved"];
  const rows = result.plans.map((plan) => {
    const r = planRow(plan, result.targets);
    return [
      String(r.nodes),
      `${r.minTargets}–${r.maxTargets}`,
      r.peakToMean.toFixed(2),
      r.peakToMeanWeight.toFixed(2),
      r.hottestByWeight,
      r.moved === null ? "–" : `${r.moved} (${r.movedPercent!.toFixed(1)}%)`,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [`${count(result.targets, "target")}`, "", line(header), ...rows.map(line)].join("\n");
}

export const planCommand: CliCommand = {
  name: "plan",
  summary: "how each cluster size would split the targets: per-node shares, the hottest node, targets moved",
  help: `Usage: alloy-lab plan (--targets FILE|- | --config PATH | --attach URL) --nodes A..B [--names PATTERN] [--weights FILE|lab] [--lab.targets N] [--json]

For each cluster size from A to B, the exact share of the targets each node gets from Alloy's ring (512 tokens
per node, xxHash64), the hottest node by target count and by weight, and how many targets change owner from the
size before.

  --targets FILE   the ownership command's input ({"targets": [label sets], "keyStrategy"?}) or a list of label sets
  --config PATH    an Alloy config file or folder: the targets of its clustered components, each by its own key
                   (targets from discovery are simulated: --lab.targets N of them, default 100)
  --attach URL     a running Alloy cluster: the targets its clustered components really have
  --nodes A..B     the sizes to plan (or one size N), from 1 to ${MAX_PLAN_NODES}
  --names PATTERN  node names, {i} numbered from 0 (default alloy-{i}: a StatefulSet's pods)
  --weights lab    weigh each target by the samples/s the lab's target farm serves for it
  --weights FILE   a list of numbers in target order, or {"<shard key>": number}; targets not named weigh 1
                   (without --weights every target weighs 1)
  --json           print {"targets", "plans": [{"nodes", "names", "perNode": [{"name", "targets", "weight"}],
                   "peakToMean", "peakToMeanWeight", "hottest": {"byTargets", "byWeight"}, "movedFromPrevious"}]}

Exit codes: 0 success, 1 the cluster or config could not be read, 2 bad usage or input.
`,
  async run(args, io) {
    const parsed = parseOptions(args, {
      targets: { type: "string" },
      config: { type: "string" },
      attach: { type: "string" },
      nodes: { type: "string" },
      names: { type: "string" },
      weights: { type: "string" },
      "lab.targets": { type: "string" },
      json: { type: "boolean" },
    });
    const usage = (message: string): number => {
      io.stderr(`alloy-lab plan: ${message}\n`);
      return EXIT_USAGE;
    };
    if (typeof parsed === "string") return usage(parsed);
    const { values, positionals } = parsed;
    if (positionals.length > 0) return usage(`unknown argument ${positionals[0]}`);
    const sources = [values.targets, values.config, values.attach].filter((v) => v !== undefined);
    if (sources.length !== 1) return usage("give exactly one of --targets FILE, --config PATH and --attach URL");
    if (values.nodes === undefined) return usage("--nodes A..B is required (e.g. --nodes 3..10)");
    const sizes = parsePlanSizes(values.nodes, MAX_PLAN_NODES);
    if (sizes === undefined) return usage(`--nodes must be N or A..B with 1 ≤ A ≤ B ≤ ${MAX_PLAN_NODES}, got ${values.nodes}`);
    const pattern = values.names ?? "alloy-{i}";
    if (!validNamesPattern(pattern)) return usage(`--names must contain {i} (e.g. alloy-{i}), got ${pattern}`);
    const simulated = values["lab.targets"] === undefined ? 100 : Number(values["lab.targets"]);
    if (!Number.isInteger(simulated) || simulated < 0 || simulated > 1_000_000) return usage("--lab.targets must be a whole number from 0 to 1000000");

    let input: PlanInput;
    try {
      if (values.targets !== undefined) input = planInputFromTargetsJson(await readJsonFile(io, values.targets, "targets file"));
      else if (values.config !== undefined) {
        if (!fs.existsSync(values.config)) return usage(`no such file or folder: ${values.config}`);
        input = planInputFromComponents(componentsFromConfig(values.config, { default: simulated }, ALLOY_DEFAULT_SCRAPE_INTERVAL_MS));
      } else {
        const snapshot = await fetchClusterSnapshot(values.attach!);
        input = planInputFromComponents(
          snapshot.components.map((c) => ({
            clustered: c.clustered,
            keyStrategy: keyStrategyOf(componentNameOf(c.id)),
            targets: c.targets,
            scrapeIntervalMs: parseGoDuration(c.scrapeInterval ?? "") ?? ALLOY_DEFAULT_SCRAPE_INTERVAL_MS,
          })),
        );
      }
      if (values.weights === "lab") input = withLabWeights(input);
      else if (values.weights !== undefined) input = withWeightsFile(input, await readJsonFile(io, values.weights, "weights file"));
    } catch (err) {
      if (err instanceof OwnershipInputError) return usage(err.message);
      if (err instanceof LabConfigError || err instanceof AlloyApiError) {
        io.stderr(`alloy-lab plan: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
    try {
      const result = planScale(input.groups, sizes[0], sizes[1], pattern);
      io.stdout(values.json ? `${JSON.stringify(result)}\n` : `${planTable(result)}\n`);
      return 0;
    } catch (err) {
      // An item its key strategy cannot key (a "mysql" item without a DSN Alloy accepts).
      if (err instanceof KeyError) return usage(err.message);
      throw err;
    }
  },
};
