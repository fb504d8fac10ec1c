import fs from "node:fs";
import path from "node:path";
import { format, formatDiagnostic, splitHostPort, parseGoDuration } from "../../../language-server/src/alloy";
import { startControlApi } from "../lab/controlApi";
import type { LabEvent } from "../protocol/labEvents";
import { LabSupervisor } from "../lab/labSupervisor";
import { componentsFromConfig, defaultComponents, LAB_DEFAULT_SCRAPE_INTERVAL_MS, LabConfigError, type LabComponent } from "../lab/labComponents";
import { TIMING_PROFILES, type TimingProfile } from "../membership/swimTiming";
import { MAX_LAB_TARGETS, type LabHandle } from "../protocol/controlContract";
import { EXIT_USAGE, parseOptions, type CliCommand, type CommandIO } from "./command";
import { runTerminalView } from "./terminalView";

export interface UpOptions {
  nodes: number;
  config?: string;
  profile: TimingProfile;
  control?: { host: string; port: number };
  json: boolean;
  /** With --json: print every event after the first line ("stdout"), or not ("none": a tool that watches the control API's stream). */
  events: "stdout" | "none";
  targets: number;
  /** --lab.targets.LABEL=N: simulated targets of one component. */
  targetsByLabel: Record<string, number>;
  /** --lab.scrape-interval: for components whose config sets no scrape_interval. */
  scrapeIntervalMs: number;
  /** --owner-pid: the process that owns the lab; the lab stops when it is gone. */
  ownerPid?: number;
  /** --cluster.NAME=VALUE: flags every node gets (checked by the nodes as Alloy checks them). */
  nodeFlags: string[];
}

const UP_OPTIONS = {
  nodes: { type: "string" },
  config: { type: "string" },
  profile: { type: "string" },
  "lab.targets": { type: "string" },
  "lab.scrape-interval": { type: "string" },
  control: { type: "string" },
  json: { type: "boolean" },
  events: { type: "string" },
  "owner-pid": { type: "string" },
} as const;

const PER_COMPONENT_TARGETS = /^--lab\.targets\.([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/s;

/** A whole number in [min, max], or undefined. */
function wholeNumber(text: string | undefined, min: number, max: number): number | undefined {
  const v = Number(text);
  return text !== undefined && text.trim() !== "" && Number.isInteger(v) && v >= min && v <= max ? v : undefined;
}

/**
 * The options of `up` (shared by the commands that start a lab); `extra` lists another command's own options,
 * whose values come back in `extra`, and `positionals` how many positionals it takes.
 */
export function parseUpArgs(
  args: string[],
  extra: Record<string, { type: "string" | "boolean" }> = {},
  positionals = 0,
): (UpOptions & { extra: Record<string, string | boolean | undefined>; positionals: string[] }) | string {
  // --lab.targets.LABEL takes any component label, so parseArgs cannot list it: it is taken out first.
  const targetsByLabel: Record<string, number> = {};
  const rest: string[] = [];
  const nodeFlags: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i].startsWith("--cluster.")) {
      if (!args[i].includes("=")) return `${args[i]}: give node flags as --cluster.NAME=VALUE`;
      nodeFlags.push(args[i]);
      continue;
    }
    const m = PER_COMPONENT_TARGETS.exec(args[i]);
    if (m === null) {
      rest.push(args[i]);
      continue;
    }
    const v = wholeNumber(m[2] ?? args[++i], 0, MAX_LAB_TARGETS);
    if (v === undefined) return `--lab.targets.${m[1]} must be a whole number from 0 to ${MAX_LAB_TARGETS}`;
    targetsByLabel[m[1]] = v;
  }
  const parsed = parseOptions(rest, { ...extra, ...UP_OPTIONS });
  if (typeof parsed === "string") return parsed;
  const values = parsed.values as Partial<Record<keyof typeof UP_OPTIONS, string>> & { json?: boolean };
  if (parsed.positionals.length > positionals) return `unknown argument ${parsed.positionals[positionals]}`;
  const opts: ReturnType<typeof parseUpArgs> & object = {
    extra: Object.fromEntries(Object.keys(extra).map((k) => [k, (parsed.values as Record<string, string | boolean | undefined>)[k]])),
    positionals: parsed.positionals,
    nodes: 3,
    profile: "fast",
    json: values.json ?? false,
    events: "stdout",
    targets: 100,
    targetsByLabel,
    nodeFlags,
    scrapeIntervalMs: LAB_DEFAULT_SCRAPE_INTERVAL_MS,
    config: values.config,
  };
  if (values.nodes !== undefined) {
    const v = wholeNumber(values.nodes, 1, 64);
    if (v === undefined) return "--nodes must be a whole number from 1 to 64";
    opts.nodes = v;
  }
  if (values["lab.targets"] !== undefined) {
    const v = wholeNumber(values["lab.targets"], 0, MAX_LAB_TARGETS);
    if (v === undefined) return `--lab.targets must be a whole number from 0 to ${MAX_LAB_TARGETS}`;
    opts.targets = v;
  }
  if (values["lab.scrape-interval"] !== undefined) {
    const ms = parseGoDuration(values["lab.scrape-interval"]);
    if (ms === undefined || ms < 1000 || ms > 3_600_000) return "--lab.scrape-interval must be a duration from 1s to 1h (e.g. 15s)";
    opts.scrapeIntervalMs = ms;
  }
  if (values.profile !== undefined) {
    if (!(values.profile in TIMING_PROFILES)) return "--profile must be alloy or fast";
    opts.profile = values.profile as TimingProfile;
  }
  if (values.control !== undefined) {
    const hp = splitHostPort(values.control, true);
    if (hp === undefined || hp.host !== "127.0.0.1") return "--control must be 127.0.0.1:PORT (the lab listens on loopback only)";
    opts.control = { host: hp.host, port: hp.port! };
  }
  if (values.events !== undefined) {
    if (values.events !== "stdout" && values.events !== "none") return "--events must be stdout or none";
    opts.events = values.events;
  }
  if (values["owner-pid"] !== undefined) {
    const v = wholeNumber(values["owner-pid"], 1, Number.MAX_SAFE_INTEGER);
    if (v === undefined) return "--owner-pid must be a process id";
    opts.ownerPid = v;
  }
  return opts;
}

/** Calls `gone` once process `pid` no longer exists (checked every second: signal 0 tells without touching it). */
function watchOwner(pid: number, gone: () => void): void {
  const timer = setInterval(() => {
    try {
      process.kill(pid, 0);
    } catch (err) {
      // EPERM: it exists but is not ours to signal, so it is still there.
      if ((err as NodeJS.ErrnoException).code === "EPERM") return;
      clearInterval(timer);
      gone();
    }
  }, 1000);
  timer.unref();
}

/** Checks the Alloy config (a file or every .alloy file of a folder); prints syntax errors. */
function checkConfig(target: string, io: CommandIO): boolean {
  const files = fs.statSync(target).isDirectory()
    ? fs
        .readdirSync(target)
        .filter((f) => f.endsWith(".alloy"))
        .sort()
        .map((f) => path.join(target, f))
    : [target];
  let ok = true;
  for (const file of files) {
    const r = format(fs.readFileSync(file), file);
    if (!r.ok) {
      ok = false;
      for (const d of r.diagnostics) io.stderr(formatDiagnostic(r.source, d) + "\n");
    }
  }
  return ok;
}

/** The components a lab runs for these options, or the exit code after saying why there are none. */
export function labComponentsFor(opts: UpOptions, command: string, io: CommandIO): LabComponent[] | number {
  if (opts.config !== undefined) {
    if (!fs.existsSync(opts.config)) {
      io.stderr(`alloy-lab ${command}: no such file or folder: ${opts.config}\n`);
      return EXIT_USAGE;
    }
    if (!checkConfig(opts.config, io)) return 1;
  }
  let components;
  try {
    components =
      opts.config === undefined
        ? defaultComponents(opts.targets, opts.scrapeIntervalMs)
        : componentsFromConfig(opts.config, { default: opts.targets, byLabel: opts.targetsByLabel }, opts.scrapeIntervalMs);
  } catch (err) {
    if (!(err instanceof LabConfigError)) throw err;
    io.stderr(`alloy-lab ${command}: ${err.message}\n`);
    return 1;
  }
  if (components.length === 0) {
    io.stderr(
      `alloy-lab ${command}: ${opts.config} has no clustered component the lab runs (prometheus.scrape, pyroscope.scrape, prometheus.operator.*, loki.source.kubernetes, loki.source.podlogs, loki.source.kubernetes_events, database_observability.mysql, mimir.rules.kubernetes)\n`,
    );
    return 1;
  }
  return components;
}

export const upCommand: CliCommand = {
  name: "up",
  summary: "start a local cluster lab of Alloy-style nodes and keep it running",
  help: `Usage: alloy-lab up [--nodes N] [--config PATH] [--profile alloy|fast] [--lab.targets N] [--lab.scrape-interval D] [--control 127.0.0.1:PORT] [--json [--events none]] [--owner-pid PID] [--cluster.NAME=VALUE]

Starts N node processes on 127.0.0.1 that gossip, split the targets with Alloy's hash ring and serve
Alloy's HTTP API, plus a control API for tools. Stops every node on Ctrl-C.

  --nodes N         nodes to start (default 3)
  --config PATH     an Alloy config file or folder (checked for syntax errors)
  --profile P       fast (default; sub-second failure detection) or alloy (Alloy's own timings)
  --lab.targets N   targets to simulate for each component whose targets come from discovery (default 100)
  --lab.targets.LABEL N
                    the same for one component (e.g. --lab.targets.pods 500 for prometheus.scrape "pods")
  --lab.scrape-interval D
                    scrape interval of components whose config sets none (default 5s; Alloy's own is 1m)
  --control ADDR    where the control API listens (default: a free port)
  --json            print {"control": URL, "token": TOKEN} as the first line once converged, then events as JSON
                    lines; the lab runs until SIGINT or SIGTERM (kill PID), or until its owner is gone
  --events none     with --json, print only the first line (a tool that watches the control API's stream)
  --owner-pid PID   stop the lab (and every node) when process PID is gone: for tools that start a lab and
                    may die without stopping it (the VS Code extension passes its own)
  --cluster.NAME=VALUE
                    an Alloy flag every node gets, e.g. --cluster.wait-for-size=3 (checked as Alloy checks it)

Without --json, a live view shows nodes, states, owned targets and the last rebalance; keys add, stop,
kill and restart nodes.
`,
  async run(args, io) {
    const opts = parseUpArgs(args);
    if (typeof opts === "string") {
      io.stderr(`alloy-lab up: ${opts}\n`);
      return EXIT_USAGE;
    }
    const components = labComponentsFor(opts, "up", io);
    if (typeof components === "number") return components;
    const lab = new LabSupervisor({ profile: opts.profile, components, nodeFlags: opts.nodeFlags });
    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> => (stopping ??= lab.shutdown());
    process.on("SIGINT", () => void stop().then(() => process.exit(0)));
    process.on("SIGTERM", () => void stop().then(() => process.exit(0)));
    if (opts.ownerPid !== undefined) watchOwner(opts.ownerPid, () => void stop().then(() => process.exit(0)));
    try {
      const control = await startControlApi(lab, opts.control?.host, opts.control?.port ?? 0);
      await lab.start(opts.nodes);
      await lab.waitFor((s) => s.converged, opts.profile === "alloy" ? 120_000 : 20_000);
      if (opts.json) {
        io.stdout(JSON.stringify({ control: control.url, token: control.token } satisfies LabHandle) + "\n");
        if (opts.events === "stdout") lab.on("event", (e: LabEvent) => io.stdout(JSON.stringify(e) + "\n"));
        await new Promise<void>(() => {}); // until a signal, or the owner is gone
      }
      await runTerminalView(lab, control, io);
      await stop();
      await control.close();
      return 0;
    } catch (err) {
      io.stderr(`alloy-lab up: ${(err as Error).message}\n`);
      await stop();
      return 1;
    }
  },
};
