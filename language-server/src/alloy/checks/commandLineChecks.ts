/**
 * Checks the `alloy run` command lines of a deployment file: every `--cluster.*` flag as Alloy would, plus
 * what only the surroundings reveal (a wait size the rollout will break, an advertise address that falls
 * back to 127.0.0.1, node names that collide). Whether a DaemonSet should cluster depends on its config: see
 * workspaceChecks.ts. Offsets index the file's text.
 */
import { checkClusterFlags, flagIsTrue, readRunFlags, type FlagDiagnostic, type ParsedFlag } from "../clusterFlags/clusterFlagCheck";
import { findAlloyRuns, type AlloyRun } from "../commandLines/alloyRuns";
import type { Finding } from "./finding";

/** A finding in a deployment file: offsets index its text. */
export type CommandLineDiagnostic = Finding;

/** A flag check's finding, with its quick fix (the flag the user probably meant, two dashes for one). */
function fromFlag(d: FlagDiagnostic): Finding {
  const at = d.fix?.span ?? d.span;
  const fix = d.fix === undefined ? undefined : { kind: "replace" as const, start: at.start, end: at.end, text: d.fix.text, title: d.fix.title };
  return { code: d.code, severity: d.severity, message: d.message, start: d.span.start, end: d.span.end, ...(fix && { fix }) };
}

/** Hosts' interfaces are rarely called eth0 or en0 (ens3, enp0s3, …); containers' usually are. */
const HOST_KINDS = new Set<AlloyRun["kind"]>(["systemd", "shell", "env"]);

function lastFlag(flags: readonly ParsedFlag[], name: string): ParsedFlag | undefined {
  let found: ParsedFlag | undefined;
  for (const f of flags) if (f.name === name) found = f;
  return found;
}

function checkRun(run: AlloyRun): CommandLineDiagnostic[] {
  const flags = readRunFlags(run.args);
  const out: CommandLineDiagnostic[] = checkClusterFlags(flags).map((d) => {
    if (d.code !== "cluster-flag/wait-for-size-without-timeout") return fromFlag(d);
    const at = lastFlag(flags, "cluster.wait-for-size")!;
    return { ...fromFlag(d), fix: { kind: "insert", at: at.valueSpan.end, text: " --cluster.wait-timeout=5m", title: "Add --cluster.wait-timeout=5m" } };
  });
  const enabled = lastFlag(flags, "cluster.enabled");
  if (!flagIsTrue(enabled)) return out;

  const size = lastFlag(flags, "cluster.wait-for-size");
  const wanted = Number(size?.value ?? 0);
  if (size !== undefined && wanted > 0) {
    for (const s of run.sizes) {
      if (wanted >= s.value) {
        out.push({
          code: "cluster-flag/wait-for-size-too-large",
          severity: "warning",
          message: `--cluster.wait-for-size=${wanted} is not below ${s.what} (${s.value}): while a rollout replaces pods the cluster is smaller, and clustered components stop taking targets`,
          ...size.valueSpan,
        });
        break;
      }
    }
  }
  if (HOST_KINDS.has(run.kind) && lastFlag(flags, "cluster.advertise-address") === undefined && lastFlag(flags, "cluster.advertise-interfaces") === undefined) {
    out.push({
      code: "cluster-flag/advertise-fallback",
      severity: "warning",
      message:
        "no --cluster.advertise-address: Alloy takes the address of eth0 or en0, which hosts (and Windows) rarely have, and then silently advertises 127.0.0.1, which peers cannot reach",
      ...enabled!.nameSpan,
    });
  }
  return out;
}

/**
 * Several Alloy processes on one host need distinct node names: the default is the host name, which units,
 * scripts and compose services on the host's network (`network_mode: host`) all share.
 */
function nameCollisions(runs: readonly AlloyRun[]): CommandLineDiagnostic[] {
  const sameHost = runs.filter((r) => (HOST_KINDS.has(r.kind) || r.hostNetwork === true) && flagIsTrue(lastFlag(readRunFlags(r.args), "cluster.enabled")));
  const byName = new Map<string, AlloyRun[]>();
  for (const r of sameHost) {
    const name = lastFlag(readRunFlags(r.args), "cluster.node-name")?.value ?? "(the host name)";
    byName.set(name, [...(byName.get(name) ?? []), r]);
  }
  const out: CommandLineDiagnostic[] = [];
  for (const [name, list] of byName) {
    if (list.length < 2) continue;
    for (const r of list) {
      const flag = lastFlag(readRunFlags(r.args), "cluster.node-name") ?? lastFlag(readRunFlags(r.args), "cluster.enabled")!;
      out.push({
        code: "cluster-flag/node-name-collision",
        severity: "warning",
        message: `${list.length} Alloy processes on this host use the node name ${name}; give each its own --cluster.node-name, or the cluster sees one node`,
        ...flag.nameSpan,
      });
    }
  }
  return out;
}

export function checkCommandLines(fileName: string, text: string): { runs: AlloyRun[]; diagnostics: CommandLineDiagnostic[] } {
  const runs = findAlloyRuns(fileName, text);
  return { runs, diagnostics: [...runs.flatMap(checkRun), ...nameCollisions(runs)].sort((a, b) => a.start - b.start) };
}
