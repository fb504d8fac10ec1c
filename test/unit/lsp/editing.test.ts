import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CodeAction, CompletionItem, Hover } from "vscode-languageserver-protocol";
import { useLspClient } from "../../support/lspClient";

const markdown = (h: Hover | null): string => (h && typeof h.contents === "object" && "value" in h.contents ? h.contents.value : "");

describe("language server over stdio: hover and completion", () => {
  const lsp = useLspClient();
  const CONFIG = 'prometheus.scrape "pods" {\n\ttargets    = []\n\tforward_to = []\n\n\tclustering {\n\t\tenabled = \n\t}\n}\n\n';

  it("explains a component, an argument, the clustering block and a flag", async () => {
    const uri = "file:///nowhere/hover.alloy";
    await lsp().open(uri, CONFIG);
    const at = (line: number, character: number) => lsp().request<Hover | null>("textDocument/hover", { textDocument: { uri }, position: { line, character } });
    assert.match(markdown(await at(0, 3)), /\*\*prometheus\.scrape\*\* — generally-available\. Supports clustering\.[\s\S]*prometheus\.scrape\//);
    assert.match(markdown(await at(1, 3)), /\*\*targets\*\* — `list\(map\(string\)\)`, required/);
    assert.match(markdown(await at(4, 3)), /\*\*clustering\*\* — shares this component's targets/);
    const yaml = "file:///nowhere/deploy.yaml";
    await lsp().open(
      yaml,
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n    - image: grafana/alloy\n      args: [run, --cluster.wait-for-size=3, x.alloy]\n",
      "yaml",
    );
    const flag = await lsp().request<Hover | null>("textDocument/hover", { textDocument: { uri: yaml }, position: { line: 7, character: 20 } });
    assert.match(markdown(flag), /\*\*--cluster\.wait-for-size\*\* \(int, default `0`\)/);
  });

  it("completes components, arguments, blocks, enabled values and flags", async () => {
    const uri = "file:///nowhere/complete.alloy";
    await lsp().open(uri, CONFIG);
    const complete = (line: number, character: number, u = uri) =>
      lsp().request<CompletionItem[]>("textDocument/completion", { textDocument: { uri: u }, position: { line, character } });
    const top = await complete(9, 0);
    assert.ok(top.some((c) => c.label === "prometheus.scrape") && top.some((c) => c.label === "logging"));
    const inside = (await complete(3, 1)).map((c) => c.label);
    assert.ok(inside.includes("scrape_interval") && inside.includes("clustering") && inside.includes("basic_auth"), inside.join(","));
    assert.deepEqual(
      (await complete(5, 12)).map((c) => c.label),
      ["true", "false"],
    );
    const sh = "file:///nowhere/run.sh";
    await lsp().open(sh, "#!/bin/sh\nalloy run --cluster.wa\n", "shellscript");
    const flags = (await complete(1, 22, sh)).map((c) => c.label);
    assert.ok(flags.includes("--cluster.wait-for-size") && flags.includes("--cluster.enabled"));
  });
});

describe("language server over stdio: quick fixes and settings", () => {
  const lsp = useLspClient();

  it("inserts a missing comma, and adds a clustering block to a component that supports it", async () => {
    const uri = "file:///nowhere/actions.alloy";
    const diags = await lsp().open(uri, 'prometheus.scrape "a" {\n\ttargets    = [\n\t\t{"__address__" = "a:1"}\n\t]\n\tforward_to = []\n}\n');
    assert.equal(diags[0].message, "missing ',' in expression list");
    const at = (line: number) => ({ start: { line, character: 2 }, end: { line, character: 2 } });
    const fixes = await lsp().request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri }, range: at(2), context: { diagnostics: diags } });
    assert.deepEqual(
      fixes.map((a) => a.title),
      ["Insert missing ','"],
    );
    assert.deepEqual(fixes[0].edit!.changes![uri][0], { range: { start: { line: 2, character: 25 }, end: { line: 2, character: 25 } }, newText: "," });
    await lsp().open(uri, 'prometheus.scrape "a" {\n\ttargets    = []\n\tforward_to = []\n}\n');
    const add = await lsp().request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri }, range: at(0), context: { diagnostics: [] } });
    assert.deepEqual(
      add.map((a) => a.title),
      ['Add a clustering block to prometheus.scrape "a"'],
    );
  });

  it("switches codes off and changes their severity from the settings", async () => {
    const uri = "file:///nowhere/settings.sh";
    const text = "#!/bin/sh\nalloy run --cluster.enabled=true /etc/alloy/config.alloy\n";
    const flagFindings = (ds: { code?: unknown; severity?: number }[]) =>
      ds.filter((d) => String(d.code).startsWith("cluster-flag/")).map((d) => [d.code, d.severity]);
    assert.deepEqual(flagFindings(await lsp().open(uri, text, "shellscript")), [["cluster-flag/advertise-fallback", 2]]);
    const lowered = lsp().waitForDiagnostics(uri);
    await lsp().setSettings({ diagnostics: { severity: { "cluster-flag/advertise-fallback": "hint" } } });
    assert.deepEqual(flagFindings(await lowered), [["cluster-flag/advertise-fallback", 4]]);
    const off = lsp().waitForDiagnostics(uri);
    await lsp().setSettings({ diagnostics: { disabled: ["cluster-flag/", "cluster/unused"] } });
    assert.deepEqual(await off, []);
  });
});
