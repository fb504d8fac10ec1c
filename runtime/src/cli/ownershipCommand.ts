import { computeOwnership, OwnershipInputError, parseOwnershipRequest } from "../ownership/targetOwnership";
import { EXIT_USAGE, parseOptions, type CliCommand } from "./command";

export const ownershipCommand: CliCommand = {
  name: "ownership",
  summary: "which cluster node owns each target, by Alloy's hash ring",
  help: `Usage: alloy-lab ownership FILE|-

Reads a JSON request and prints, for each target in input order, its shard key and the node(s) that own it,
computed exactly as Alloy's cluster ring does (512 tokens per node, xxHash64).

Input:
  {"nodes": ["alloy-0", "alloy-1"],
   "targets": [{"__address__": "10.0.0.1:9100", "job": "node"}],
   "keyStrategy": "labels",   // optional: "labels" (prometheus.scrape, pyroscope.scrape, discovery), "operator"
                              // (prometheus.operator.*), "kubetail" (loki.source.kubernetes), "podlogs" (loki.source.podlogs),
                              // or one string per item: "namespace" ({"namespace"}: loki.source.kubernetes_events),
                              // "mysql" ({"dsn"}: database_observability.mysql), "leader" ({"id"}: mimir.rules.kubernetes)
   "numOwners": 1}            // optional: owners per target, at most the number of nodes

Output:
  {"targets": [{"key": "<unsigned 64-bit decimal>", "owners": ["alloy-1"]}]}

Exit codes: 0 success, 2 bad input (message on stderr).
`,
  async run(args, io) {
    const parsed = parseOptions(args, {});
    if (typeof parsed === "string" || parsed.positionals.length !== 1) {
      io.stderr(
        `alloy-lab ownership: ${typeof parsed === "string" ? parsed : `expected one FILE (or - for stdin), got ${parsed.positionals.length} arguments`}\n`,
      );
      return EXIT_USAGE;
    }
    const [file] = parsed.positionals;
    let text: string;
    try {
      text = await io.readInput(file);
    } catch (err) {
      io.stderr(`alloy-lab ownership: cannot read ${file}: ${(err as Error).message}\n`);
      return EXIT_USAGE;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      io.stderr(`alloy-lab ownership: ${file} is not valid JSON: ${(err as Error).message}\n`);
      return EXIT_USAGE;
    }
    try {
      io.stdout(JSON.stringify(computeOwnership(parseOwnershipRequest(json))) + "\n");
      return 0;
    } catch (err) {
      if (!(err instanceof OwnershipInputError)) throw err;
      io.stderr(`alloy-lab ownership: ${err.message}\n`);
      return EXIT_USAGE;
    }
  },
};
