/**
 * Finds every `alloy run` command line in the files Alloy is deployed with — Kubernetes manifests, Helm
 * values, docker compose files, Dockerfiles, systemd units, shell scripts and env files — as argument tokens
 * with their place in the file (indices into the text), and what the surroundings say (replicas, DaemonSet,
 * service or unit name).
 */
import path from "node:path";
import { isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node as YamlNode, type Scalar, type YAMLMap } from "yaml";
import { runConfigPath, type ArgToken, type TextSpan } from "../clusterFlags/clusterFlagCheck";
import { embeddedConfigs } from "../embedded/embeddedConfigs";
import { shellWords } from "./shellWords";

export type DeploymentKind = "kubernetes" | "helm" | "compose" | "dockerfile" | "systemd" | "shell" | "env";

export interface AlloyRun {
  kind: DeploymentKind;
  /** The arguments after `alloy run` (flags and the config path). */
  args: ArgToken[];
  /** Where the command line is, for messages that concern it as a whole. */
  span: TextSpan;
  /** A name for this Alloy process among its siblings: the compose service, the systemd unit, the workload. */
  name: string;
  /** Kubernetes workload kind (Deployment, StatefulSet, DaemonSet) or Helm controller.type. */
  workload?: string;
  /** Replica counts that bound the cluster size: replicas, HPA/values minReplicas, PDB minAvailable. */
  sizes: { what: string; value: number; span: TextSpan }[];
  /** Runs on the host's own network and host name (a unit, a script, a compose service with `network_mode: host`). */
  hostNetwork?: boolean;
  /**
   * The configs it is known to load, as workspace paths (a file or folder mounted into a compose service) or
   * names of configs embedded in the same file (a mounted ConfigMap's, the Helm values' inline config).
   */
  configs?: string[];
}

export function deploymentKind(fileName: string, text: string): DeploymentKind | undefined {
  const base = path.basename(fileName).toLowerCase();
  if (base === "dockerfile" || base.endsWith(".dockerfile")) return "dockerfile";
  if (base.endsWith(".service")) return "systemd";
  if (base.endsWith(".sh") || base.endsWith(".bash") || /^#!.*\b(ba|da|z)?sh\b/.test(text)) return "shell";
  if (base.endsWith(".env") || base === "alloy" || /^\s*CUSTOM_ARGS=/m.test(text)) return base.endsWith(".yaml") || base.endsWith(".yml") ? undefined : "env";
  if (base.endsWith(".yaml") || base.endsWith(".yml")) {
    if (/^services:/m.test(text)) return "compose";
    if (/^\s*apiVersion:/m.test(text) && /^\s*kind:/m.test(text)) return "kubernetes";
    if (/^alloy:/m.test(text) || /^controller:/m.test(text)) return "helm";
  }
  return undefined;
}

/** Shells whose `-c` (or `-ec`, `-euc`, …) argument is a script to look into. */
const SHELLS = /(^|\/)(sh|bash|dash|ash|zsh)$/;

/**
 * The words after `alloy … run` in a word list, or undefined when it does not run Alloy. A shell wrapper
 * (`sh -c "… exec alloy run …"`) is looked into: its script is split as the shell would.
 */
function afterAlloyRun(words: ArgToken[]): ArgToken[] | undefined {
  const shell = words.findIndex((w) => SHELLS.test(w.text));
  if (shell >= 0) {
    const c = words.findIndex((w, i) => i > shell && /^-[a-z]*c[a-z]*$/.test(w.text));
    const script = c >= 0 ? words[c + 1] : undefined;
    const inner = script && afterAlloyRun(shellWords(script.text, script.start));
    if (inner !== undefined) return inner;
  }
  const alloy = words.findIndex((w) => /(^|\/)alloy(-linux-amd64|-linux-arm64)?$/.test(w.text));
  if (alloy < 0) return undefined;
  const run = words.findIndex((w, i) => i > alloy && w.text === "run");
  if (run < 0) return undefined;
  // The command ends at a shell operator or a redirection.
  const end = words.findIndex((w, i) => i > run && /^(&&?|\|\|?|;|[0-9]*>.*)$/.test(w.text));
  return words.slice(run + 1, end < 0 ? undefined : end);
}

function lineRuns(text: string, kind: DeploymentKind, name: string): AlloyRun[] {
  const runs: AlloyRun[] = [];
  // Join continuation lines so a command split over lines stays one command.
  const lines = text.split(/(?<!\\)\n/);
  let offset = 0;
  for (const line of lines) {
    let body = line,
      base = offset;
    if (kind === "systemd") {
      const m = /^\s*ExecStart=[-@+!:]*/.exec(line);
      body = m ? line.slice(m[0].length) : "";
      base = offset + (m ? m[0].length : 0);
    } else if (kind === "env") {
      const m = /^\s*(?:export\s+)?CUSTOM_ARGS=/.exec(line);
      if (m) {
        const value = line.slice(m[0].length);
        const unquoted = /^(["'])(.*)\1\s*$/.exec(value);
        const args = shellWords(unquoted ? unquoted[2] : value, offset + m[0].length + (unquoted ? 1 : 0));
        runs.push({ kind, args, span: { start: offset, end: offset + line.length }, name, sizes: [] });
      }
      offset += line.length + 1;
      continue;
    }
    const args = afterAlloyRun(shellWords(body, base));
    if (args !== undefined) runs.push({ kind, args, span: { start: offset, end: offset + line.length }, name, sizes: [] });
    offset += line.length + 1;
  }
  return runs;
}

function dockerfileRuns(text: string, name: string): AlloyRun[] {
  const runs: AlloyRun[] = [];
  const re = /^\s*(CMD|ENTRYPOINT)\s+(.*)$/gm;
  let entrypoint: ArgToken[] = [];
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const valueStart = m.index + m[0].length - m[2].length;
    const words = m[2].trim().startsWith("[") ? jsonArrayWords(m[2], valueStart) : shellWords(m[2], valueStart);
    if (m[1] === "ENTRYPOINT") entrypoint = words;
    const all = m[1] === "CMD" ? [...entrypoint, ...words] : words;
    const args = afterAlloyRun(all) ?? (m[1] === "CMD" && entrypoint.length > 0 && words[0]?.text === "run" ? words.slice(1) : undefined);
    if (args !== undefined) runs.push({ kind: "dockerfile", args, span: { start: m.index, end: m.index + m[0].length }, name, sizes: [] });
  }
  return runs;
}

/** The strings of a JSON array literal (`["alloy", "run", …]`), with their places. */
function jsonArrayWords(text: string, base: number): ArgToken[] {
  const words: ArgToken[] = [];
  const re = /"((?:[^"\\]|\\.)*)"/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    let value: string;
    try {
      value = JSON.parse(m[0]) as string;
    } catch {
      value = m[1];
    }
    words.push({ text: value, start: base + m.index + 1, end: base + m.index + m[0].length - 1 });
  }
  return words;
}

/** A YAML scalar as an argument token (inside the quotes, when quoted). */
function scalarToken(node: Scalar, text: string): ArgToken {
  const [start, end] = node.range ?? [0, 0, 0];
  const quoted = text[start] === '"' || text[start] === "'";
  return { text: String(node.value), start: quoted ? start + 1 : start, end: quoted ? end - 1 : end };
}

/** The argument tokens of a YAML `command`/`args` value: a list of strings, or one string split as sh would. */
function yamlWords(node: YamlNode | null | undefined, text: string): ArgToken[] {
  if (isSeq(node)) return node.items.flatMap((i) => (isScalar(i) ? [scalarToken(i, text)] : []));
  if (isScalar(node) && typeof node.value === "string") {
    const t = scalarToken(node, text);
    return shellWords(t.text, t.start);
  }
  return [];
}

function get(map: unknown, ...keys: string[]): YamlNode | undefined {
  let cur: unknown = map;
  for (const k of keys) {
    if (!isMap(cur)) return undefined;
    cur = (cur as YAMLMap).get(k, true);
  }
  return cur as YamlNode | undefined;
}

function numberAt(node: YamlNode | undefined): { value: number; span: TextSpan } | undefined {
  if (!isScalar(node) || typeof node.value !== "number") return undefined;
  const [start, end] = node.range ?? [0, 0];
  return { value: node.value, span: { start, end } };
}

/** The ConfigMaps a pod spec mounts as volumes. */
function mountedConfigMaps(podSpec: YamlNode | undefined): string[] {
  const volumes = get(podSpec, "volumes");
  if (!isSeq(volumes)) return [];
  return volumes.items.flatMap((v) => {
    const name = (get(v, "configMap", "name") as Scalar | undefined)?.value;
    return typeof name === "string" ? [name] : [];
  });
}

/**
 * Where a compose service's config path comes from on the host: the bind mount whose target holds it
 * (`./config.alloy:/etc/alloy/config.alloy`, or the long form), resolved against the compose file's folder.
 */
function composeConfigPath(svc: YamlNode, configPath: string | undefined, file: string): string | undefined {
  const volumes = get(svc, "volumes");
  if (configPath === undefined || !isSeq(volumes)) return undefined;
  for (const v of volumes.items) {
    let source: unknown, target: unknown;
    if (isScalar(v) && typeof v.value === "string") [source, target] = v.value.split(":");
    else [source, target] = [(get(v, "source") as Scalar | undefined)?.value, (get(v, "target") as Scalar | undefined)?.value];
    if (typeof source !== "string" || typeof target !== "string" || !/^[.~/]/.test(source)) continue;
    const t = target.replace(/\/+$/, "");
    if (configPath === t || configPath.startsWith(`${t}/`)) return path.resolve(path.dirname(file), source, path.posix.relative(t, configPath));
  }
  return undefined;
}

function kubernetesRuns(docs: Document[], text: string, file: string): AlloyRun[] {
  const embedded = embeddedConfigs(file, text, docs);
  const runs: AlloyRun[] = [];
  const sizes: AlloyRun["sizes"] = [];
  for (const doc of docs) {
    const kind = String((get(doc.contents, "kind") as Scalar | undefined)?.value ?? "");
    if (kind === "HorizontalPodAutoscaler") {
      const min = numberAt(get(doc.contents, "spec", "minReplicas"));
      if (min) sizes.push({ what: "the HorizontalPodAutoscaler's minReplicas", ...min });
    }
    if (kind === "PodDisruptionBudget") {
      const min = numberAt(get(doc.contents, "spec", "minAvailable"));
      if (min) sizes.push({ what: "the PodDisruptionBudget's minAvailable", ...min });
    }
  }
  for (const doc of docs) {
    const kind = String((get(doc.contents, "kind") as Scalar | undefined)?.value ?? "");
    const name = String((get(doc.contents, "metadata", "name") as Scalar | undefined)?.value ?? kind);
    const podSpec = get(doc.contents, "spec", "template", "spec") ?? (kind === "Pod" ? get(doc.contents, "spec") : undefined);
    const containers = get(podSpec, "containers");
    if (!isSeq(containers)) continue;
    const replicas = numberAt(get(doc.contents, "spec", "replicas"));
    for (const c of containers.items) {
      const image = String((get(c, "image") as Scalar | undefined)?.value ?? "");
      const command = yamlWords(get(c, "command"), text);
      const args = yamlWords(get(c, "args"), text);
      const isAlloy = /(^|\/)alloy(:|@|$)/.test(image) || command.some((w) => /(^|\/)alloy$/.test(w.text));
      if (!isAlloy) continue;
      const all = [...command, ...args];
      const runArgs = afterAlloyRun(all) ?? (args[0]?.text === "run" ? args.slice(1) : command.length === 0 && args.length > 0 ? args : undefined);
      if (runArgs === undefined) continue;
      const [start, end] = (c as YamlNode).range ?? [0, 0];
      const mounted = mountedConfigMaps(podSpec);
      const configs = embedded.filter((e) => e.configMap !== undefined && mounted.includes(e.configMap)).map((e) => e.name);
      runs.push({
        kind: "kubernetes",
        args: runArgs,
        span: { start, end },
        name,
        workload: kind,
        sizes: [...(replicas ? [{ what: `${kind} ${name}'s replicas`, ...replicas }] : []), ...sizes],
        ...(configs.length > 0 && { configs }),
      });
    }
  }
  return runs;
}

function composeRuns(docs: Document[], text: string, file: string): AlloyRun[] {
  const services = get(docs[0]?.contents, "services");
  if (!isMap(services)) return [];
  const runs: AlloyRun[] = [];
  for (const item of services.items) {
    const name = String((item.key as Scalar).value);
    const svc = item.value as YamlNode;
    const image = String((get(svc, "image") as Scalar | undefined)?.value ?? "");
    // The entrypoint replaces the image's; the command is appended to it, as Docker runs them.
    const entrypoint = yamlWords(get(svc, "entrypoint"), text);
    const command = yamlWords(get(svc, "command"), text);
    const words = [...entrypoint, ...command];
    if (!/(^|\/)alloy(:|@|$)/.test(image) && afterAlloyRun(words) === undefined) continue;
    const args = afterAlloyRun(words) ?? (entrypoint.length === 0 && command[0]?.text === "run" ? command.slice(1) : undefined);
    if (args === undefined) continue;
    const [start, end] = svc.range ?? [0, 0];
    const hostNetwork = (get(svc, "network_mode") as Scalar | undefined)?.value === "host";
    const config = composeConfigPath(svc, runConfigPath(args), file);
    runs.push({ kind: "compose", args, span: { start, end }, name, sizes: [], hostNetwork, ...(config !== undefined && { configs: [config] }) });
  }
  return runs;
}

/** Helm values: the chart turns `alloy.clustering.enabled` into --cluster.enabled; extraArgs are passed as is. */
function helmRuns(docs: Document[], text: string, file: string): AlloyRun[] {
  const root = docs[0]?.contents;
  const enabled = get(root, "alloy", "clustering", "enabled");
  const extra = get(root, "alloy", "extraArgs");
  if (enabled === undefined && extra === undefined) return [];
  const args: ArgToken[] = [];
  if (isScalar(enabled) && enabled.value === true) {
    const t = scalarToken(enabled, text);
    args.push({ text: "--cluster.enabled=true", start: t.start, end: t.end, synthetic: true });
  }
  args.push(...yamlWords(extra, text));
  const controller = String((get(root, "controller", "type") as Scalar | undefined)?.value ?? "daemonset");
  const sizes: AlloyRun["sizes"] = [];
  const replicas = numberAt(get(root, "controller", "replicas"));
  if (replicas) sizes.push({ what: "controller.replicas", ...replicas });
  const min = numberAt(get(root, "controller", "autoscaling", "minReplicas")) ?? numberAt(get(root, "controller", "autoscaling", "horizontal", "minReplicas"));
  if (min) sizes.push({ what: "the autoscaler's minReplicas", ...min });
  const node = (isMap(get(root, "alloy")) ? get(root, "alloy") : root) as YamlNode;
  const [start, end] = node?.range ?? [0, 0];
  // The chart's workload kinds: daemonset (its default), deployment, statefulset.
  const workload = controller.toLowerCase() === "daemonset" ? "DaemonSet" : controller.toLowerCase() === "statefulset" ? "StatefulSet" : "Deployment";
  const configs = embeddedConfigs(file, text, docs).map((e) => e.name);
  return [{ kind: "helm", args, span: { start, end }, name: "alloy", workload, sizes, ...(configs.length > 0 && { configs }) }];
}

/** Every `alloy run` in a file, or none when the file is of no kind we know. */
export function findAlloyRuns(fileName: string, text: string): AlloyRun[] {
  const kind = deploymentKind(fileName, text);
  const name = path.basename(fileName);
  switch (kind) {
    case "dockerfile":
      return dockerfileRuns(text, name);
    case "systemd":
      return lineRuns(text, "systemd", name.replace(/\.service$/, ""));
    case "shell":
      return lineRuns(text, "shell", name);
    case "env":
      return lineRuns(text, "env", name);
    case "kubernetes":
    case "compose":
    case "helm": {
      const docs = parseAllDocuments(text) as Document[];
      if (!Array.isArray(docs)) return [];
      return kind === "kubernetes"
        ? kubernetesRuns(docs, text, fileName)
        : kind === "compose"
          ? composeRuns(docs, text, fileName)
          : helmRuns(docs, text, fileName);
    }
    default:
      return [];
  }
}
