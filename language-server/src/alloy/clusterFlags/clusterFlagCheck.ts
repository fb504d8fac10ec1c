/**
 * Checks `--cluster.*` flags the way Alloy would, and warns about what Alloy only finds at run time. Input is
 * a command line as tokens with their source spans, so every diagnostic sits on the flag's own characters.
 */
import { clusterFlagSpec, CLUSTER_FLAGS, DISCOVER_PROVIDERS, type ClusterFlagSpec } from "./clusterFlagSpec";
import { closestName } from "../go/closestName";
import { parseGoDuration } from "../go/goDuration";
import { isDnsName, isIP, splitHostPort } from "../go/hostPort";

export interface TextSpan {
  start: number;
  end: number;
}

export interface ArgToken extends TextSpan {
  /** The argument after shell unquoting. */
  text: string;
  /** Made up from something else (a Helm value): every part of it points at the whole span. */
  synthetic?: boolean;
}

export interface ParsedFlag {
  name: string;
  /** Undefined for a bare boolean flag (`--cluster.enabled`). */
  value: string | undefined;
  nameSpan: TextSpan;
  valueSpan: TextSpan;
  /** Written with one dash (`-cluster.enabled`): pflag, which Alloy's command line uses, reads that as shorthand flags. */
  singleDash?: boolean;
}

export type FlagSeverity = "error" | "warning";

export interface FlagDiagnostic {
  code: string;
  severity: FlagSeverity;
  message: string;
  span: TextSpan;
  /** A quick fix: the text to put in place of `fixSpan` (or `span`), and what it does. */
  fix?: { text: string; title: string; span?: TextSpan };
}

const BOOL_VALUES = new Set(["1", "0", "t", "f", "T", "F", "true", "false", "TRUE", "FALSE", "True", "False"]);

/**
 * Reads flags: `--name`, `--name=value`, or `--name value` (except for booleans, which `isBool` names), as pflag
 * does; one-dash forms are read the same way but marked (pflag refuses them: see checkClusterFlags). Stops at
 * `--`; other arguments that are not flags are skipped, since cobra lets flags follow `alloy run`'s config path.
 */
export function readFlags(
  args: readonly ArgToken[],
  isBool: (name: string) => boolean,
  /** Collects the arguments that are not flags (Alloy's config path). */
  positional: ArgToken[] = [],
): ParsedFlag[] {
  const flags: ParsedFlag[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.text === "--") break;
    const m = /^--?([^-=][^=]*)(?:=([\s\S]*))?$/.exec(a.text);
    if (m === null) {
      positional.push(a); // Alloy's config path: flags may follow it in cobra
      continue;
    }
    const dashes = a.text.startsWith("--") ? 2 : 1;
    const name = m[1];
    const marks = dashes === 1 && !a.synthetic ? { singleDash: true } : {};
    const nameSpan = a.synthetic ? { start: a.start, end: a.end } : { start: a.start + dashes, end: a.start + dashes + name.length };
    if (m[2] !== undefined) {
      flags.push({ name, value: m[2], nameSpan, valueSpan: a.synthetic ? nameSpan : { start: nameSpan.end + 1, end: a.end }, ...marks });
    } else if (isBool(name) || i + 1 >= args.length) {
      flags.push({ name, value: undefined, nameSpan, valueSpan: nameSpan, ...marks });
    } else {
      const v = args[++i];
      flags.push({ name, value: v.text, nameSpan, valueSpan: { start: v.start, end: v.end }, ...marks });
    }
  }
  return flags;
}

/** Reads the flags of an `alloy run` command line (every flag; booleans known from the cluster table). */
export function readRunFlags(args: readonly ArgToken[], positional?: ArgToken[]): ParsedFlag[] {
  return readFlags(args, (name) => clusterFlagSpec(name)?.type === "bool" || RUN_BOOL_FLAGS.has(name), positional);
}

/** The config path `alloy run` is given (its positional argument), when there is one. */
export function runConfigPath(args: readonly ArgToken[]): string | undefined {
  const positional: ArgToken[] = [];
  readRunFlags(args, positional);
  return positional.find((a) => !a.synthetic)?.text;
}

/** Boolean flags of `alloy run` outside the cluster set, so their next argument is not taken as a value. */
const RUN_BOOL_FLAGS = new Set(["disable-reporting", "disable-support-bundle", "server.http.enable-pprof", "feature.community-components.enabled"]);

export function closestClusterFlag(name: string): string | undefined {
  return closestName(
    name,
    CLUSTER_FLAGS.map((f) => f.name),
  );
}

/** Why `value` is not a valid `spec` value, or undefined when it is. */
export function invalidValueReason(spec: ClusterFlagSpec, value: string | undefined): string | undefined {
  const v = value ?? "";
  switch (spec.type) {
    case "bool":
      return value === undefined || BOOL_VALUES.has(v) ? undefined : `invalid boolean value ${JSON.stringify(v)} (use true or false)`;
    case "int":
      // Alloy takes any int: a negative wait size means no wait (a negative max-join-peers is checked apart: it crashes).
      return /^[+-]?\d+$/.test(v) ? undefined : `invalid integer ${JSON.stringify(v)}`;
    case "duration":
      // A negative rejoin interval disables rejoining; a negative wait timeout ends the wait at once.
      return parseGoDuration(v) === undefined ? `invalid duration ${JSON.stringify(v)} (Go syntax: 300ms, 60s, 1h30m)` : undefined;
    case "hostPort":
      // Alloy appends its listen port to an address without one.
      return splitHostPort(v, true) === undefined && splitHostPort(`${v}:1`, true) === undefined
        ? `expected host or host:port, got ${JSON.stringify(v)}`
        : undefined;
    case "interfaces":
      return v.split(",").some((s) => s.trim() === "") ? `empty interface name in ${JSON.stringify(v)}` : undefined;
    case "joinAddresses":
      for (const raw of v.split(",")) {
        const addr = raw.trim();
        if (addr === "") continue;
        const reason = joinAddressProblem(addr);
        if (reason !== undefined) return reason;
      }
      return undefined;
    case "discoverPeers":
      return discoverPeersProblem(v);
    case "string":
      return undefined;
  }
}

function joinAddressProblem(addr: string): string | undefined {
  const prefixed = /^(dns|dnssrv|dnssrvnoa)\+(.*)$/.exec(addr);
  const target = prefixed ? prefixed[2] : addr;
  const hp = splitHostPort(target, false);
  if (hp !== undefined && (isIP(hp.host) || isDnsName(hp.host))) return undefined;
  return `could not parse as an IP or IP:port address: ${JSON.stringify(addr)}`;
}

/** go-discover's `key=value key="value with spaces"` syntax, with a known provider. */
function discoverPeersProblem(v: string): string | undefined {
  const pairs = new Map<string, string>();
  const token = /\s*([A-Za-z0-9_]+)=("(?:[^"\\]|\\.)*"|[^\s"\\]*)/y;
  let at = 0;
  while (at < v.length) {
    if (/^\s*$/.test(v.slice(at))) break;
    token.lastIndex = at;
    const m = token.exec(v);
    if (m === null) return `invalid discover-peers syntax at ${JSON.stringify(v.slice(at).trim())}: expected key=value (quote values with spaces, \\ or ")`;
    pairs.set(m[1], m[2]);
    at = token.lastIndex;
  }
  if (pairs.size === 0) return undefined;
  const provider = pairs.get("provider");
  if (provider === undefined) return `discover-peers needs provider=NAME (one of ${DISCOVER_PROVIDERS.join(", ")})`;
  if (!DISCOVER_PROVIDERS.includes(provider.replace(/^"|"$/g, "")))
    return `unknown discover-peers provider ${JSON.stringify(provider)} (one of ${DISCOVER_PROVIDERS.join(", ")})`;
  return undefined;
}

const TRUE_VALUES = new Set(["1", "t", "T", "true", "TRUE", "True"]);

export function flagIsTrue(flag: ParsedFlag | undefined): boolean {
  return flag !== undefined && (flag.value === undefined || TRUE_VALUES.has(flag.value));
}

/** Checks the cluster flags of one command line. */
export function checkClusterFlags(flags: readonly ParsedFlag[]): FlagDiagnostic[] {
  const out: FlagDiagnostic[] = [];
  const last = new Map<string, ParsedFlag>();
  for (const f of flags) {
    if (f.singleDash && f.name.length > 1) {
      // pflag reads `-cluster.enabled` as the shorthand flags c, l, u, … and refuses the first it does not know.
      out.push({
        code: "cluster-flag/single-dash",
        severity: "error",
        message: `unknown shorthand flag: '${f.name[0]}' in -${f.name}: Alloy's flags take two dashes (--${f.name})`,
        span: f.nameSpan,
        fix: { text: "--", title: `Write --${f.name}`, span: { start: f.nameSpan.start - 1, end: f.nameSpan.start } },
      });
      continue;
    }
    if (!f.name.startsWith("cluster.")) continue;
    const spec = clusterFlagSpec(f.name);
    if (spec === undefined) {
      const suggestion = closestClusterFlag(f.name);
      out.push({
        code: "cluster-flag/unknown",
        severity: "error",
        message: `unknown flag --${f.name}${suggestion ? `; did you mean --${suggestion}?` : ""}`,
        span: f.nameSpan,
        ...(suggestion !== undefined && { fix: { text: suggestion, title: `Change to --${suggestion}` } }),
      });
      continue;
    }
    if (spec.deprecated) {
      out.push({
        code: "cluster-flag/deprecated",
        severity: "warning",
        message: `--${f.name} is deprecated and has no effect (Alloy accepts and ignores it)`,
        span: f.nameSpan,
      });
      continue;
    }
    if (last.has(f.name)) {
      out.push({
        code: "cluster-flag/duplicate",
        severity: "warning",
        message: `--${f.name} is set more than once; the last one wins`,
        span: last.get(f.name)!.nameSpan,
      });
    }
    last.set(f.name, f);
    const reason = spec.type === "bool" || f.value !== undefined ? invalidValueReason(spec, f.value) : `--${f.name} needs a value`;
    if (reason !== undefined && (spec.type === "joinAddresses" || spec.type === "discoverPeers")) {
      // Alloy only warns when it cannot find peers from these, and the node runs alone: a split brain.
      out.push({
        code: "cluster-flag/runs-alone",
        severity: "warning",
        message: `--${f.name}: ${reason}. Alloy starts anyway, finds no peer there, and runs on its own (a cluster of one)`,
        span: f.valueSpan,
      });
    } else if (reason !== undefined) {
      out.push({ code: "cluster-flag/invalid-value", severity: "error", message: `invalid value for --${f.name}: ${reason}`, span: f.valueSpan });
    } else if (f.name === "cluster.max-join-peers" && Number(f.value) < 0) {
      out.push({
        code: "cluster-flag/invalid-value",
        severity: "error",
        message: `--cluster.max-join-peers=${f.value} crashes Alloy as soon as it discovers peers (a negative slice bound); use 0 for no limit`,
        span: f.valueSpan,
      });
    }
  }

  const get = (name: string): ParsedFlag | undefined => last.get(name);
  const set = (name: string): boolean => {
    const f = last.get(name);
    return f !== undefined && (f.value ?? "") !== "";
  };
  const join = get("cluster.join-addresses"),
    discover = get("cluster.discover-peers");
  if (set("cluster.join-addresses") && set("cluster.discover-peers")) {
    for (const f of [join!, discover!]) {
      out.push({ code: "cluster-flag/conflict", severity: "error", message: "at most one of join peers and discover peers may be set", span: f.nameSpan });
    }
  }
  if (!flagIsTrue(get("cluster.enabled"))) {
    for (const f of last.values()) {
      if (f.name === "cluster.enabled") continue;
      out.push({
        code: "cluster-flag/cluster-disabled",
        severity: "warning",
        message: `--${f.name} has no effect: --cluster.enabled is not true`,
        span: f.nameSpan,
      });
    }
  }
  const waitSize = get("cluster.wait-for-size"),
    waitTimeout = get("cluster.wait-timeout");
  const waitSizeOn = waitSize !== undefined && Number(waitSize.value) > 0;
  const waitTimeoutOn = waitTimeout !== undefined && (parseGoDuration(waitTimeout.value ?? "") ?? 0) > 0;
  if (waitTimeoutOn && !waitSizeOn) {
    out.push({
      code: "cluster-flag/wait-timeout-without-size",
      severity: "warning",
      message: "--cluster.wait-timeout has no effect without --cluster.wait-for-size",
      span: waitTimeout.nameSpan,
    });
  }
  if (waitSizeOn && !waitTimeoutOn) {
    out.push({
      code: "cluster-flag/wait-for-size-without-timeout",
      severity: "warning",
      message: "--cluster.wait-for-size without --cluster.wait-timeout waits forever if the cluster never reaches that size; the docs recommend a timeout",
      span: waitSize.nameSpan,
    });
  }
  const tlsPaths = ["cluster.tls-ca-path", "cluster.tls-cert-path", "cluster.tls-key-path"];
  if (flagIsTrue(get("cluster.enable-tls"))) {
    const missing = tlsPaths.filter((p) => !set(p));
    if (missing.length > 0) {
      out.push({
        code: "cluster-flag/tls-incomplete",
        severity: "error",
        message: `--cluster.enable-tls needs ${missing.map((m) => `--${m}`).join(", ")}`,
        span: get("cluster.enable-tls")!.nameSpan,
      });
    }
  } else {
    for (const p of [...tlsPaths, "cluster.tls-server-name"]) {
      if (set(p))
        out.push({
          code: "cluster-flag/tls-without-enable",
          severity: "warning",
          message: `--${p} has no effect without --cluster.enable-tls`,
          span: get(p)!.nameSpan,
        });
    }
  }
  return out;
}
