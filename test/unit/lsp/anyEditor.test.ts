/**
 * The language server as an editor other than VS Code starts and drives it: `alloy-lab lsp --stdio`, language
 * ids that are not ours (or none), settings pushed instead of pulled.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { LspTestClient } from "../../support/lspClient";
import { runCli } from "../../support/cli";

const FIXTURES = path.join(__dirname, "..", "..", "fixtures");
const MISSPELT = 'prometheus.scrape "a" {\n  targets = []\n  forward_to = []\n  scrape_intervl = "10s"\n}\n';
const codes = (ds: { code?: unknown }[]): string[] => ds.map((d) => String(d.code));

describe("language server for any editor: alloy-lab lsp --stdio", () => {
  let client: LspTestClient;
  before(async () => {
    // As Neovim's client without `settings`: settings in initializationOptions, none pulled.
    client = await LspTestClient.start(undefined, {
      launch: "cli",
      pullsSettings: false,
      initializationOptions: { alloyClusterLab: { diagnostics: { severity: { "alloy/unknown-argument": "hint" } } } },
    });
  });
  after(async () => {
    await client?.stop();
  });

  it("knows an Alloy file by its name or content, whatever the editor calls its language", async () => {
    for (const [uri, languageId] of [
      ["file:///w/a.alloy", "alloy"],
      ["file:///w/b.river", "river"],
      ["file:///w/c.alloy", ""],
      ["untitled:Untitled-1", "plaintext"],
    ]) {
      const diagnostics = await client.open(uri, misspeltConfigFor(uri), languageId);
      assert.deepEqual(codes(diagnostics), ["alloy/unknown-argument"], `${uri} (${languageId})`);
    }
    // Named as YAML and calling itself Alloy: read as YAML (no Alloy syntax errors for it).
    assert.deepEqual(await client.open("file:///w/d.yaml", "a: [1\n", "grafana-alloy"), []);
  });

  it("reads --cluster.* flags in a compose file whatever its language id", async () => {
    const file = path.join(FIXTURES, "deploy", "compose.yaml");
    const text = fs.readFileSync(file, "utf8");
    const diagnostics = await client.open(pathToFileURL(file).toString(), text, "yaml.docker-compose");
    assert.ok(
      diagnostics.some((d) => String(d.code).startsWith("cluster-flag/")),
      JSON.stringify(codes(diagnostics)),
    );
  });

  it("takes settings from initializationOptions, then from what didChangeConfiguration pushes", async () => {
    const [hinted] = await client.open("file:///w/s.alloy", misspeltConfigFor("s"), "alloy");
    assert.equal(hinted.severity, 4, "alloy/unknown-argument as a hint, from initializationOptions");
    await client.connection.sendNotification("workspace/didChangeConfiguration", {
      settings: { alloyClusterLab: { diagnostics: { disabled: ["alloy/unknown-argument"] } } },
    });
    const changed = await client.waitForDiagnostics("file:///w/s.alloy");
    assert.deepEqual(changed, []);
  });

  it("refuses a command line without one transport, with a clear message", () => {
    const none = runCli(["lsp"]);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /give one transport: --stdio/);
    const unknown = runCli(["lsp", "--stdio", "--verbose"]);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown argument --verbose/);
  });
});

/** The misspelt config, labelled after the document so each is its own. */
function misspeltConfigFor(uri: string): string {
  return MISSPELT.replace('"a"', JSON.stringify(uri.replace(/\W/g, "_")));
}
