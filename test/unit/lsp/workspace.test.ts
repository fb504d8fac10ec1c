import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, it } from "node:test";
import { useLspClient } from "../../support/lspClient";

const FIXTURES = path.join(__dirname, "..", "..", "fixtures");

/** A workspace on disk: the clustered config, and a deployment (written by each test). */
const root = fs.mkdtempSync(path.join(os.tmpdir(), "alloy-ws-"));
fs.mkdirSync(path.join(root, "config"));
fs.mkdirSync(path.join(root, "deploy"));
fs.copyFileSync(path.join(FIXTURES, "alloy", "cluster.alloy"), path.join(root, "config", "cluster.alloy"));
fs.writeFileSync(path.join(root, "deploy", "compose.yaml"), "services:\n  alloy:\n    image: grafana/alloy\n    command: run /etc/alloy/config.alloy\n");

describe("language server over stdio: configs and deployments of a workspace agree on clustering", () => {
  const lsp = useLspClient(() => root);
  const configUri = pathToFileURL(path.join(root, "config", "cluster.alloy")).toString();
  const composeUri = pathToFileURL(path.join(root, "deploy", "compose.yaml")).toString();
  const config = fs.readFileSync(path.join(root, "config", "cluster.alloy"), "utf8");

  it("cluster/not-enabled: components cluster, the deployment found on disk does not enable the cluster", async () => {
    const codes = (await lsp().open(configUri, config)).map((d) => d.code);
    assert.deepEqual(codes, ["cluster/not-enabled", "cluster/not-enabled"]);
  });

  it("clears when the deployment (edited in the editor) enables the cluster; cluster/unused when no config clusters", async () => {
    const enabled =
      "services:\n  alloy:\n    image: grafana/alloy\n    command: run --cluster.enabled=true --cluster.join-addresses=alloy:12345 /etc/alloy/config.alloy\n";
    assert.deepEqual(await lsp().open(composeUri, enabled, "dockercompose"), []);
    const cleared = lsp().waitForDiagnostics(configUri);
    assert.deepEqual(await cleared, []);
    const unused = lsp().waitForDiagnostics(composeUri);
    await lsp().open(configUri, config.replaceAll("enabled = true", "enabled = false"));
    assert.deepEqual(
      (await unused).map((d) => d.code),
      ["cluster/unused"],
    );
  });
});
