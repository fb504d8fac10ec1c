/**
 * A lab node's settings from its command line: the `alloy run` cluster flags (checked with the same table
 * and diagnostics as the language server) plus `--server.http.listen-addr` and the lab's own `--lab.*`.
 */
import os from "node:os";
import {
  checkClusterFlags,
  clusterFlagSpec,
  flagIsTrue,
  readRunFlags,
  type ArgToken,
  type FlagDiagnostic,
  type ParsedFlag,
  parseGoDuration,
  splitHostPort,
} from "../../../language-server/src/alloy";
import { TIMING_PROFILES, type TimingProfile } from "../membership/swimTiming";

export interface NodeConfig {
  listenHost: string;
  listenPort: number;
  clusterEnabled: boolean;
  nodeName: string;
  /** Empty: the address we actually listen on. */
  advertiseAddress: string;
  joinAddresses: string[];
  rejoinIntervalMs: number;
  maxJoinPeers: number;
  clusterName: string;
  waitForSize: number;
  waitTimeoutMs: number;
  profile: TimingProfile;
  /** Set with --cluster.enable-tls: gossip over wss, this node's listener over https. */
  tls?: { caPath: string; certPath: string; keyPath: string; serverName: string };
}

export type NodeConfigResult = { ok: true; config: NodeConfig; warnings: string[] } | { ok: false; errors: string[] };

const LAB_FLAGS = new Set(["server.http.listen-addr", "lab.profile"]);

/** Arguments as tokens (their spans index the joined command line, for messages). */
function tokens(argv: readonly string[]): ArgToken[] {
  let at = 0;
  return argv.map((text) => {
    const t = { text, start: at, end: at + text.length };
    at += text.length + 1;
    return t;
  });
}

function describe(d: FlagDiagnostic): string {
  return `${d.severity}: ${d.message} [${d.code}]`;
}

export function parseNodeConfig(argv: readonly string[]): NodeConfigResult {
  const flags = readRunFlags(tokens(argv));
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const d of checkClusterFlags(flags)) (d.severity === "error" ? errors : warnings).push(describe(d));
  const last = new Map<string, ParsedFlag>();
  for (const f of flags) {
    if (!f.name.startsWith("cluster.") && !LAB_FLAGS.has(f.name)) errors.push(`error: unknown flag --${f.name}`);
    last.set(f.name, f);
  }
  const value = (name: string, fallback: string): string => last.get(name)?.value ?? fallback;
  /** A cluster flag's value, or Alloy's default for it (the one table of flags and defaults). */
  const cluster = (name: string): string => last.get(name)?.value ?? clusterFlagSpec(name)!.defaultValue;

  const listen = splitHostPort(value("server.http.listen-addr", "127.0.0.1:12345"), true);
  if (listen === undefined) errors.push(`error: invalid value for --server.http.listen-addr: expected host:port`);
  else if (listen.host !== "127.0.0.1" && listen.host !== "localhost") errors.push("error: lab nodes listen on 127.0.0.1 only");
  const profile = value("lab.profile", "fast");
  if (!(profile in TIMING_PROFILES)) errors.push(`error: invalid value for --lab.profile: ${JSON.stringify(profile)} (alloy or fast)`);
  if (errors.length > 0) return { ok: false, errors };

  return {
    ok: true,
    warnings,
    config: {
      listenHost: "127.0.0.1",
      listenPort: listen!.port!,
      clusterEnabled: flagIsTrue(last.get("cluster.enabled")),
      nodeName: cluster("cluster.node-name") || os.hostname(),
      advertiseAddress: cluster("cluster.advertise-address"),
      joinAddresses: cluster("cluster.join-addresses")
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== ""),
      rejoinIntervalMs: parseGoDuration(cluster("cluster.rejoin-interval")) ?? 0,
      maxJoinPeers: Number(cluster("cluster.max-join-peers")),
      clusterName: cluster("cluster.name"),
      waitForSize: Number(cluster("cluster.wait-for-size")),
      waitTimeoutMs: parseGoDuration(cluster("cluster.wait-timeout")) ?? 0,
      profile: profile as TimingProfile,
      tls: flagIsTrue(last.get("cluster.enable-tls"))
        ? {
            caPath: cluster("cluster.tls-ca-path"),
            certPath: cluster("cluster.tls-cert-path"),
            keyPath: cluster("cluster.tls-key-path"),
            serverName: cluster("cluster.tls-server-name"),
          }
        : undefined,
    },
  };
}
