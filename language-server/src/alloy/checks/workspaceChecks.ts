/**
 * Checks across a workspace: Alloy configs and the deployments that run them must agree on clustering. A
 * deployment is paired with the configs it is known to load (a mounted file or folder, a mounted ConfigMap, the
 * Helm values' inline config); when it says nothing we can find in the workspace, with every config.
 * - cluster/not-enabled: components enable clustering, but no `alloy run` found enables the cluster;
 * - cluster/unused: the cluster is enabled, but no component in the configs enables clustering;
 * - clustering/daemonset: components enable clustering while Alloy is deployed as a DaemonSet.
 * Pure: it works on summaries of the files.
 */
import type { ParseResult, Span } from "../syntax";
import { clusteredUses, collectsLogs } from "./clusteredTargets";
import { flagIsTrue, readRunFlags, type TextSpan } from "../clusterFlags/clusterFlagCheck";
import { CLUSTER_DOCS_URL } from "../clusterFlags/clusterFlagSpec";
import type { AlloyRun } from "../commandLines/alloyRuns";
import type { ConfigDiagnostic } from "./finding";
import type { CommandLineDiagnostic } from "./commandLineChecks";

/** What one `alloy run` says about the cluster. */
interface RunSummary {
  /** Whether it enables the cluster, and where. */
  enabled: boolean;
  enabledSpan?: TextSpan;
  daemonSet: boolean;
  /** The configs it is known to load (see AlloyRun.configs). */
  configs?: string[];
}

/** What a deployment file says about the cluster. */
export interface DeploymentSummary {
  file: string;
  runs: RunSummary[];
}

/** What an Alloy config file says about clustering. */
export interface ConfigSummary {
  file: string;
  /**
   * Where its components use the cluster (`enabled = true`, in declare bodies too), and whether each one's
   * work is tied to the node it runs on: node-local targets, or logs.
   */
  clustered: { span: Span; nodeBound: boolean }[];
}

/** The summary of one parsed config file. */
export function summarizeConfig(file: string, parsed: ParseResult): ConfigSummary {
  return {
    file,
    clustered: clusteredUses([{ file, body: parsed.file.body }]).map((u) => ({
      span: u.span,
      nodeBound: collectsLogs(u.component) || u.findings.some((f) => f.kind === "node-local"),
    })),
  };
}

export function summarizeRuns(file: string, runs: readonly AlloyRun[]): DeploymentSummary {
  return {
    file,
    runs: runs.map((r) => {
      const flags = readRunFlags(r.args);
      const enabled = [...flags].reverse().find((f) => f.name === "cluster.enabled");
      return { enabled: flagIsTrue(enabled), enabledSpan: enabled?.nameSpan, daemonSet: r.workload === "DaemonSet", ...(r.configs && { configs: r.configs }) };
    }),
  };
}

/** Whether `file` is what `ref` names: the file itself, or a file in that folder. */
function loads(ref: string, file: string): boolean {
  return file === ref || file.startsWith(ref.endsWith("/") || ref.endsWith("\\") ? ref : `${ref}/`) || file.startsWith(`${ref}\\`);
}

/** The configs a run loads: those it names that the workspace has, or all of them when it names none of those. */
function configsOfRun(run: RunSummary, configs: readonly ConfigSummary[]): readonly ConfigSummary[] {
  const named = run.configs === undefined ? [] : configs.filter((c) => run.configs!.some((ref) => loads(ref, c.file)));
  return named.length > 0 ? named : configs;
}

/** `configs`: every config of the workspace (to tell which runs load this one). */
export function configWorkspaceDiagnostics(
  config: ConfigSummary,
  deployments: readonly DeploymentSummary[],
  configs: readonly ConfigSummary[],
): ConfigDiagnostic[] {
  const everyConfig = configs.some((c) => c.file === config.file) ? configs : [...configs, config];
  const runs = deployments.flatMap((d) =>
    d.runs.filter((r) => configsOfRun(r, everyConfig).some((c) => c.file === config.file)).map((r) => ({ ...r, file: d.file })),
  );
  const out: ConfigDiagnostic[] = [];
  if (runs.length === 0) return out; // nothing known about how it is deployed
  const enabling = runs.filter((r) => r.enabled);
  for (const { span, nodeBound } of config.clustered) {
    if (enabling.length === 0) {
      const where = [...new Set(runs.map((r) => r.file))].join(", ");
      out.push({
        file: config.file,
        code: "cluster/not-enabled",
        severity: "warning",
        message: `this component enables clustering, but no alloy run in the workspace passes --cluster.enabled=true (${where}): without the cluster, every node scrapes every target`,
        start: span.start,
        end: span.end,
      });
    }
    if (nodeBound && enabling.some((r) => r.daemonSet)) {
      out.push({
        file: config.file,
        code: "clustering/daemonset",
        severity: "warning",
        message: `Alloy is deployed as a DaemonSet with the cluster enabled, and this component's work belongs to the node it runs on (node-local targets, or logs): each pod should handle its own node, and clustering hands that work to other nodes instead. Turn clustering off for this component (see ${CLUSTER_DOCS_URL})`,
        start: span.start,
        end: span.end,
      });
    }
  }
  return out;
}

export function deploymentWorkspaceDiagnostics(deployment: DeploymentSummary, configs: readonly ConfigSummary[]): CommandLineDiagnostic[] {
  return deployment.runs
    .filter((r) => r.enabled && r.enabledSpan !== undefined)
    .flatMap((r) => {
      const loaded = configsOfRun(r, configs);
      if (loaded.length === 0 || loaded.some((c) => c.clustered.length > 0)) return [];
      const which = loaded.length < configs.length ? `the configs it loads (${loaded.map((c) => c.file).join(", ")})` : "the workspace's Alloy configs";
      return [
        {
          code: "cluster/unused",
          severity: "warning" as const,
          message: `the cluster is enabled, but no component in ${which} uses it (clustering { enabled = true }): every node still does all the work`,
          start: r.enabledSpan!.start,
          end: r.enabledSpan!.end,
        },
      ];
    });
}
