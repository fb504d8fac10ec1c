import { AlloyApiError } from "../alloyApi/alloyWebApi";
import { fetchClusterSnapshot } from "../alloyApi/alloyApiClient";
import { AttachedCluster } from "../alloyApi/attachedCluster";
import { describeFinding, scrapeFindings } from "../alloyApi/scrapeTruth";
import { ownedKeysByNode, type LabState } from "../protocol/labState";
import { count, describeEvent } from "../protocol/labEventText";
import { EXIT_USAGE, parseOptions, type CliCommand } from "./command";

/** What the nodes say they scrape (their debug info) against the ring, when they say it. */
function truth(state: LabState): string[] {
  if (!state.targets.some((t) => t.scrapedBy !== undefined)) return [];
  const findings = scrapeFindings(state);
  if (findings.length === 0) return ["", "Scraping (each node's own debug info): every clustered target is scraped by the node the ring chooses."];
  const shown = findings.slice(0, 20).map((f) => `  ${describeFinding(f)}`);
  const more = findings.length > shown.length ? [`  … and ${findings.length - shown.length} more`] : [];
  return ["", `Scraping (each node's own debug info): ${count(findings.length, "target")} not scraped as the ring says:`, ...shown, ...more];
}

function report(state: LabState): string {
  const clustered = state.targets.filter((t) => t.clustered);
  const duplicates = clustered.filter((t) => t.owners.length > 1).length;
  const gaps = clustered.filter((t) => t.owners.length === 0).length;
  const width = Math.max(4, ...state.nodes.map((n) => n.name.length));
  const owned = ownedKeysByNode(state);
  const rows = state.nodes.map(
    (n) =>
      `  ${n.name.padEnd(width)}  ${n.addr.padEnd(21)}  ${n.state.padEnd(11)}  ${count(owned.get(n.name)?.length ?? 0, "target").padStart(13)}  sees ${n.peers.length}${n.reachable === false ? "  (not reachable from here: its view is assumed)" : ""}`,
  );
  const components = state.components.map(
    (c) => `  ${c.id}: ${count(c.targets, "target")}, ${c.clustered ? "clustered" : "not clustered (every node scrapes all)"}`,
  );
  return [
    `${state.source.kind === "attached" ? state.source.url : "lab"} — ${state.nodes.length} nodes — ${state.converged ? "converged" : "NOT converged (nodes see different peers)"}`,
    "",
    ...rows,
    "",
    "Components:",
    ...(components.length ? components : ["  none that shard targets"]),
    "",
    `Clustered targets: ${clustered.length}, scraped twice or more: ${duplicates}, scraped by nobody: ${gaps}`,
    ...truth(state),
  ].join("\n");
}

export const attachCommand: CliCommand = {
  name: "attach",
  summary: "which node of a running Alloy cluster owns each target, read from its HTTP API",
  help: `Usage: alloy-lab attach URL [--json] [--watch SECONDS]

Reads a running Alloy cluster (a real one, or a lab node) through Alloy's HTTP API at URL: the peers that node
sees (/api/v0/web/peers), each peer's own view where its address can be reached from here, and the work of its
clustered components: the targets of prometheus.scrape, pyroscope.scrape and loki.source.kubernetes, the
namespaces of loki.source.kubernetes_events, the leader of mimir.rules.kubernetes (database_observability.mysql
is left out: Alloy's API hides its data sources, which are its keys). Works out which node owns each item with
Alloy's ring, per node from the peers that node sees, so split brains show as duplicates and gaps.

  URL              e.g. http://127.0.0.1:12345 or 127.0.0.1:12345 (a port-forward to one pod is enough)
  --json           print the state as one JSON line (the lab's state shape)
  --watch SECONDS  keep reading every SECONDS and print each change as a line

Exit codes: 0 success, 1 the cluster could not be read, 2 bad usage.
`,
  async run(args, io) {
    const parsed = parseOptions(args, { json: { type: "boolean" }, watch: { type: "string" } });
    const usage = (message: string): number => {
      io.stderr(`alloy-lab attach: ${message}\n`);
      return EXIT_USAGE;
    };
    if (typeof parsed === "string") return usage(parsed);
    const { values, positionals } = parsed;
    if (positionals.length !== 1)
      return usage(positionals.length === 0 ? "expected the URL of an Alloy node" : `expected one URL, got another: ${positionals[1]}`);
    const [url] = positionals;
    const json = values.json ?? false;
    const seconds = values.watch === undefined ? undefined : Number(values.watch);
    if (seconds !== undefined && !(seconds > 0)) return usage("--watch needs a positive number of seconds");
    const watchMs = seconds === undefined ? undefined : seconds * 1000;
    const cluster = new AttachedCluster();
    const read = async (): Promise<ReturnType<AttachedCluster["update"]>> =>
      cluster.update(await fetchClusterSnapshot(url, { known: cluster.knownPeers() }), Date.now());
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
