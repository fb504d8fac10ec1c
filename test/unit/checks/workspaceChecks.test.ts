/** Configs and the deployments that run them, judged together (pure summaries). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findAlloyRuns } from "../../../language-server/src/alloy/commandLines/alloyRuns";
import {
  configWorkspaceDiagnostics,
  deploymentWorkspaceDiagnostics,
  summarizeConfig,
  summarizeRuns,
} from "../../../language-server/src/alloy/checks/workspaceChecks";
import { parse } from "../../../language-server/src/alloy/syntax";

const DAEMONSET = "controller:\n  type: daemonset\nalloy:\n  clustering:\n    enabled: true\n";
const clustered = (discovery: string, targets: string, component = "prometheus.scrape") =>
  `${discovery}\n\n${component} "s" {\n\ttargets    = ${targets}\n\tforward_to = []\n\n\tclustering {\n\t\tenabled = true\n\t}\n}\n`;

function configCodes(configText: string, deploymentFile: string, deploymentText: string): string[] {
  const config = summarizeConfig("/w/config.alloy", parse(configText));
  const deployment = summarizeRuns(deploymentFile, findAlloyRuns(deploymentFile, deploymentText));
  return configWorkspaceDiagnostics(config, [deployment], [config]).map((d) => d.code);
}

describe("workspace checks", () => {
  it("warns about a clustered DaemonSet only where the work belongs to the node: node-local targets or logs", () => {
    assert.deepEqual(configCodes(clustered('discovery.kubelet "k" { }', "discovery.kubelet.k.targets"), "/w/values.yaml", DAEMONSET), ["clustering/daemonset"]);
    assert.deepEqual(
      configCodes(
        clustered('discovery.kubernetes "p" {\n\trole = "pod"\n}', "discovery.kubernetes.p.targets", "loki.source.kubernetes"),
        "/w/values.yaml",
        DAEMONSET,
      ),
      ["clustering/daemonset"],
    );
    // Cluster-wide targets on a DaemonSet: sharing them out is what clustering is for.
    assert.deepEqual(
      configCodes(clustered('discovery.kubernetes "n" {\n\trole = "node"\n}', "discovery.kubernetes.n.targets"), "/w/values.yaml", DAEMONSET),
      [],
    );
  });

  it("counts clustering inside declare bodies and mimir.rules.kubernetes as using the cluster", () => {
    const run = summarizeRuns(
      "/w/compose.yaml",
      findAlloyRuns("/w/compose.yaml", "services:\n  a:\n    image: grafana/alloy\n    command: run --cluster.enabled=true /etc/alloy\n"),
    );
    const unused = (text: string) => deploymentWorkspaceDiagnostics(run, [summarizeConfig("/w/c.alloy", parse(text))]).map((d) => d.code);
    assert.deepEqual(unused("logging { }\n"), ["cluster/unused"]);
    assert.deepEqual(unused(`declare "d" {\n${clustered("", "[]")}}\n`), []);
    assert.deepEqual(unused('mimir.rules.kubernetes "r" {\n\taddress = "http://mimir"\n}\n'), []);
  });
});
