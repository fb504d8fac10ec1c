import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, it } from "node:test";
import type { CodeAction, Diagnostic, TextEdit } from "vscode-languageserver-protocol";
import { TextDocument } from "vscode-languageserver-textdocument";
import { LspTestClient, useLspClient } from "../../support/lspClient";

const FIXTURES = path.join(__dirname, "..", "..", "fixtures");
const LANGUAGE: Record<string, string> = {
  "statefulset.yaml": "yaml",
  "compose.yaml": "dockercompose",
  "values.yaml": "yaml",
  Dockerfile: "dockerfile",
  "alloy.service": "ini",
  "start.sh": "shellscript",
  "alloy.env": "properties",
};

async function open(client: LspTestClient, dir: string, file: string): Promise<{ uri: string; text: string; diagnostics: Diagnostic[] }> {
  const full = path.join(FIXTURES, dir, file);
  const text = fs.readFileSync(full, "utf8");
  const uri = pathToFileURL(full).toString();
  return { uri, text, diagnostics: await client.open(uri, text, LANGUAGE[file]) };
}

/** The text a diagnostic covers. */
function covered(text: string, d: Diagnostic): string {
  const lines = text.split("\n");
  return lines[d.range.start.line].slice(d.range.start.character, d.range.start.line === d.range.end.line ? d.range.end.character : undefined);
}

describe("language server over stdio: --cluster.* flags where Alloy is deployed", () => {
  const lsp = useLspClient();

  const expected: Record<string, [string, string][]> = {
    "statefulset.yaml": [
      ["cluster-flag/conflict", "cluster.join-addresses"],
      ["cluster-flag/conflict", "cluster.discover-peers"],
      ["cluster-flag/wait-for-size-without-timeout", "cluster.wait-for-size"],
      ["cluster-flag/wait-for-size-too-large", "3"],
      ["cluster-flag/unknown", "cluster.wait-timout"],
    ],
    "compose.yaml": [["cluster-flag/invalid-value", "soon"]],
    // A DaemonSet alone is not a problem: whether it should cluster depends on its config (workspace checks).
    "values.yaml": [["cluster-flag/wait-for-size-without-timeout", "cluster.wait-for-size"]],
    Dockerfile: [["cluster-flag/tls-incomplete", "cluster.enable-tls"]],
    "alloy.service": [["cluster-flag/advertise-fallback", "cluster.enabled"]],
    "start.sh": [
      ["cluster-flag/node-name-collision", "cluster.enabled"],
      ["cluster-flag/node-name-collision", "cluster.enabled"],
    ],
    "alloy.env": [
      ["cluster-flag/cluster-disabled", "cluster.tls-ca-path"],
      ["cluster-flag/tls-without-enable", "cluster.tls-ca-path"],
      ["cluster-flag/cluster-disabled", "cluster.max-join-peers"],
      ["cluster-flag/invalid-value", "-1"],
    ],
  };
  for (const [file, codes] of Object.entries(expected)) {
    it(`flags the problems of ${file} on the exact characters, and its clean twin not at all`, async () => {
      const { text, diagnostics } = await open(lsp(), "deploy", file);
      assert.deepEqual(
        diagnostics.map((d) => [d.code, covered(text, d)]),
        codes,
      );
      assert.deepEqual((await open(lsp(), "deploy-clean", file)).diagnostics, []);
    });
  }

  it("flags a repeated flag and a wait-timeout without a wait-for-size, on the exact characters", async () => {
    const text =
      "#!/bin/sh\nexec alloy run /etc/alloy --cluster.enabled=true --cluster.advertise-address=10.0.0.1:12345 --cluster.join-addresses=10.0.0.2:12345 --cluster.node-name=a --cluster.node-name b --cluster.wait-timeout=1m\n";
    const diagnostics = await lsp().open("file:///inline/run.sh", text, "shellscript");
    assert.deepEqual(
      diagnostics.map((d) => [d.code, covered(text, d)]),
      [
        ["cluster-flag/duplicate", "cluster.node-name"],
        ["cluster-flag/wait-timeout-without-size", "cluster.wait-timeout"],
      ],
    );
    // On the occurrence that is overridden: pflag keeps the last one.
    assert.equal(diagnostics[0].range.start.character, text.split("\n")[1].indexOf("--cluster.node-name=a") + 2);
    assert.equal(diagnostics[0].message, "--cluster.node-name is set more than once; the last one wins");
  });

  it("checks, fixes and formats an Alloy config written inside Helm values, in place", async () => {
    const text =
      'controller:\n  type: statefulset\nalloy:\n  configMap:\n    content: |\n      prometheus.scrape "a" {\n      targets = []\n      forward_to = []\n      clustering { }\n      }\n';
    const uri = "file:///inline/values.yaml";
    const diagnostics = await lsp().open(uri, text, "yaml");
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, covered(text, d)]),
      [["clustering/missing-enabled", 8, 6, "clustering"]],
    );
    const [action] = await lsp().request<CodeAction[]>("textDocument/codeAction", {
      textDocument: { uri },
      range: diagnostics[0].range,
      context: { diagnostics },
    });
    const edit = action.edit!.changes![uri][0];
    // The inserted line is indented like the block it goes into.
    assert.deepEqual([action.title, edit.newText], ["Add enabled = true", "\n      \tenabled = true\n"]);
    const edits = await lsp().request<TextEdit[]>("textDocument/formatting", { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    assert.equal(
      TextDocument.applyEdits(TextDocument.create(uri, "yaml", 1, text), edits),
      'controller:\n  type: statefulset\nalloy:\n  configMap:\n    content: |\n      prometheus.scrape "a" {\n      \ttargets    = []\n      \tforward_to = []\n\n      \tclustering { }\n      }\n',
    );
  });

  it("offers did-you-mean and add-a-timeout quick fixes", async () => {
    const { uri, diagnostics } = await open(lsp(), "deploy", "statefulset.yaml");
    const actions = await lsp().request<CodeAction[]>("textDocument/codeAction", {
      textDocument: { uri },
      range: diagnostics[0].range,
      context: { diagnostics },
    });
    assert.deepEqual(actions.map((a) => a.title).sort(), ["Add --cluster.wait-timeout=5m", "Change to --cluster.wait-timeout"]);
  });
});
