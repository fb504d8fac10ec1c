import fs from "node:fs";
import path from "node:path";
import { format, formatDiagnostic, splitHostPort, parseGoDuration } from "../../../language-server/src/alloy";
import { startControlApi } from "../lab/controlApi";
import type { LabEvent } from "../lab/labEvents";
import { LabSupervisor } from "../lab/labSupervisor";
import { componentsFromConfig, defaultComponents, LAB_DEFAULT_SCRAPE_INTERVAL_MS, LabConfigError } from "../lab/labComponents";
import { TIMING_PROFILES, type TimingProfile } from "../membership/swimTiming";
import { EXIT_USAGE, type CliCommand, type CommandIO } from "./command";
import { runTerminalView } from "./terminalView";

interface UpOptions {
  nodes: number;
  config?: string;
  profile: TimingProfile;
  control?: { host: string; port: number };
  json: boolean;
  targets: number;
  /** --lab.targets.LABEL=N: simulated targets of one component. */
  targetsByLabel: Record<string, number>;
  /** --lab.scrape-interval: for components whose config sets no scrape_interval. */
  scrapeIntervalMs: number;
  /** --owner-pid: the process that owns the lab; the lab stops when it is gone. */
  ownerPid?: number;
}

function parseUpArgs(args: string[]): UpOptions | string {
  const opts: UpOptions = { nodes: 3, profile: "fast", json: false, targets: 100, targetsByLabel: {}, scrapeIntervalMs: LAB_DEFAULT_SCRAPE_INTERVAL_MS };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split(/=(.*)/s, 2);
    const value = (): string | undefined => (inline !== undefined ? inline : args[++i]);
    const perComponent = /^--lab\.targets\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(flag);
    if (perComponent) {
      const v = Number(value());
      if (!Number.isInteger(v) || v < 0 || v > 100_000) return `${flag} must be a whole number from 0 to 100000`;
      opts.targetsByLabel[perComponent[1]] = v;
      continue;
    }
    switch (flag) {
      case "--nodes": {
        const v = Number(value());
        if (!Number.isInteger(v) || v < 1 || v > 64) return "--nodes must be a whole number from 1 to 64";
        opts.nodes = v;
        break;
      }
      case "--lab.targets": {
        const v = Number(value());
        if (!Number.isInteger(v) || v < 0 || v > 100_000) return "--lab.targets must be a whole number from 0 to 100000";
        opts.targets = v;
        break;
      }
      case "--lab.scrape-interval": {
        const ms = parseGoDuration(value() ?? "");
        if (ms === undefined || ms < 1000 || ms > 3_600_000) return "--lab.scrape-interval must be a duration from 1s to 1h (e.g. 15s)";
        opts.scrapeIntervalMs = ms;
        break;
      }
      case "--config":
        opts.config = value();
        if (opts.config === undefined) return "--config needs a file or folder";
        break;
      case "--profile": {
        const v = value();
        if (v === undefined || !(v in TIMING_PROFILES)) return "--profile must be alloy or fast";
        opts.profile = v as TimingProfile;
        break;
      }
      case "--control": {
        const hp = splitHostPort(value() ?? "", true);
        if (hp === undefined || hp.host !== "127.0.0.1") return "--control must be 127.0.0.1:PORT (the lab listens on loopback only)";
        opts.control = { host: hp.host, port: hp.port! };
        break;
      }
      case "--json":
        opts.json = true;
        break;
      case "--owner-pid": {
        const v = Number(value());
        if (!Number.isInteger(v) || v < 1) return "--owner-pid must be a process id";
        opts.ownerPid = v;
        break;
      }
      default:
        return `unknown argument ${args[i]}`;
    }
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

export const upCommand: CliCommand = {
  name: "up",
  summary: "start a local cluster lab of Alloy-style nodes and keep it running",
  help: `Usage: alloy-lab up [--nodes N] [--config PATH] [--profile alloy|fast] [--lab.targets N] [--lab.scrape-interval D] [--control 127.0.0.1:PORT] [--json]

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
  --owner-pid PID   stop the lab (and every node) when process PID is gone: for tools that start a lab and
                    may die without stopping it (the VS Code extension passes its own)

Without --json, a live view shows nodes, states, owned targets and the last rebalance; keys add, stop,
kill and restart nodes.
`,
  async run(args, io) {
    const opts = parseUpArgs(args);
    if (typeof opts === "string") {
      io.stderr(`alloy-lab up: ${opts}\n`);
      return EXIT_USAGE;
    }
    if (opts.config !== undefined) {
      if (!fs.existsSync(opts.config)) {
        io.stderr(`alloy-lab up: no such file or folder: ${opts.config}\n`);
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
      io.stderr(`alloy-lab up: ${err.message}\n`);
      return 1;
    }
    if (components.length === 0) {
      io.stderr(`alloy-lab up: ${opts.config} has no prometheus.scrape component to run\n`);
      return 1;
    }
    const lab = new LabSupervisor({ profile: opts.profile, components });
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
        io.stdout(JSON.stringify({ control: control.url, token: control.token }) + "\n");
        lab.on("event", (e: LabEvent) => io.stdout(JSON.stringify(e) + "\n"));
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
