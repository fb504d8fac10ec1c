import { AlloyApiError } from "../alloyApi/alloyWebApi";
import { fetchClusterSnapshot } from "../alloyApi/alloyApiClient";
import { AttachedCluster } from "../alloyApi/attachedCluster";
import type { LabState } from "../lab/labEvents";
import { count, describeEvent } from "../lab/labEventText";
import { EXIT_USAGE, type CliCommand } from "./command";

function report(state: LabState): string {
  const clustered = state.targets.filter((t) => t.clustered);
  const duplicates = clustered.filter((t) => t.owners.length > 1).length;
  const gaps = clustered.filter((t) => t.owners.length === 0).length;
  const width = Math.max(4, ...state.nodes.map((n) => n.name.length));
  const rows = state.nodes.map(
    (n) =>
      `  ${n.name.padEnd(width)}  ${n.addr.padEnd(21)}  ${n.state.padEnd(11)}  ${count(n.targets.length, "target").padStart(13)}  sees ${n.peers.length}${n.reachable === false ? "  (not reachable from here: its view is assumed)" : ""}`,
  );
  const components = state.components.map(
    (c) => `  ${c.id}: ${count(c.targets, "target")}, ${c.clustered ? "clustered" : "not clustered (every node scrapes all)"}`,
  );
  return [
    `${state.attachedTo} — ${state.nodes.length} nodes — ${state.converged ? "converged" : "NOT converged (nodes see different peers)"}`,
    "",
    ...rows,
    "",
    "Components:",
    ...(components.length ? components : ["  none that shard targets"]),
    "",
    `Clustered targets: ${clustered.length}, scraped twice or more: ${duplicates}, scraped by nobody: ${gaps}`,
  ].join("\n");
}

export const attachCommand: CliCommand = {
  name: "attach",
  summary: "which node of a running Alloy cluster owns each target, read from its HTTP API",
  help: `Usage: alloy-lab attach URL [--json] [--watch SECONDS]

Reads a running Alloy cluster (a real one, or a lab node) through Alloy's HTTP API at URL: the peers that node
sees (/api/v0/web/peers), each peer's own view where its address can be reached from here, and the targets of
its prometheus.scrape, pyroscope.scrape and loki.source.kubernetes components. Works out which node owns each
target with Alloy's ring, per node from the peers that node sees, so split brains show as duplicates and gaps.

  URL              e.g. http://127.0.0.1:12345 or 127.0.0.1:12345 (a port-forward to one pod is enough)
  --json           print the state as one JSON line (the lab's state shape)
  --watch SECONDS  keep reading every SECONDS and print each change as a line

Exit codes: 0 success, 1 the cluster could not be read, 2 bad usage.
`,
  async run(args, io) {
    let url: string | undefined;
    let json = false;
    let watchMs: number | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === "--json") json = true;
      else if (a === "--watch") {
        const s = Number(args[++i]);
        if (!(s > 0)) {
          io.stderr(`alloy-lab attach: --watch needs a positive number of seconds\n`);
          return EXIT_USAGE;
        }
        watchMs = s * 1000;
      } else if (a.startsWith("-")) {
        io.stderr(`alloy-lab attach: unknown flag ${a}\n`);
        return EXIT_USAGE;
      } else if (url === undefined) url = a;
      else {
        io.stderr(`alloy-lab attach: expected one URL, got another: ${a}\n`);
        return EXIT_USAGE;
      }
    }
    if (url === undefined) {
      io.stderr(`alloy-lab attach: expected the URL of an Alloy node\n`);
      return EXIT_USAGE;
    }
    const cluster = new AttachedCluster();
    const read = async (): Promise<ReturnType<AttachedCluster["update"]>> =>
      cluster.update(await fetchClusterSnapshot(url!, { known: cluster.knownPeers() }), Date.now());
    try {
      const { state } = await read();
      io.stdout(json ? `${JSON.stringify(state)}\n` : `${report(state)}\n`);
    } catch (err) {
      if (!(err instanceof AlloyApiError)) throw err;
      io.stderr(`alloy-lab attach: ${err.message}\n`);
      return 1;
    }
    if (watchMs === undefined) return 0;
    for (;;) {
      await new Promise((r) => setTimeout(r, watchMs));
      try {
        for (const e of (await read()).events) io.stdout(`${new Date(e.at).toISOString()} ${describeEvent(e)}\n`);
      } catch (err) {
        if (!(err instanceof AlloyApiError)) throw err;
        io.stderr(`${new Date().toISOString()} ${err.message}\n`);
      }
    }
  },
};
