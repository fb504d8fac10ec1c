import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, it } from "node:test";
import type { CodeAction, Diagnostic } from "vscode-languageserver-protocol";
import { useLspClient } from "../../support/lspClient";

/** Diagnostics as [code, line (0-based), character] for compact comparison. */
const brief = (ds: Diagnostic[]): [string, number, number][] => ds.map((d) => [String(d.code), d.range.start.line, d.range.start.character]);

const SCRAPE = (body: string): string => `prometheus.scrape "a" {\n\ttargets    = []\n\tforward_to = []\n${body}}\n`;

describe("language server over stdio: config and clustering checks", () => {
  const lsp = useLspClient();

  const cases: [string, string, [string, number, number][]][] = [
    [
      "clustering/unsupported-component",
      'prometheus.exporter.unix "u" {\n\tclustering {\n\t\tenabled = true\n\t}\n}\n',
      [["clustering/unsupported-component", 1, 1]],
    ],
    ["clustering/missing-enabled", SCRAPE("\tclustering { }\n"), [["clustering/missing-enabled", 3, 1]]],
    ["clustering/invalid-enabled", SCRAPE('\tclustering {\n\t\tenabled = "yes"\n\t}\n'), [["clustering/invalid-enabled", 4, 12]]],
    ["clustering/unknown-attribute", SCRAPE("\tclustering {\n\t\tenabled = true\n\t\tsize = 3\n\t}\n"), [["clustering/unknown-attribute", 5, 2]]],
    [
      "clustering/duplicate-block",
      SCRAPE("\tclustering {\n\t\tenabled = true\n\t}\n\n\tclustering {\n\t\tenabled = true\n\t}\n"),
      [["clustering/duplicate-block", 7, 1]],
    ],
    ["alloy/unknown-component", 'prometheus.scrapes "x" { }\n', [["alloy/unknown-component", 0, 0]]],
    ["alloy/unknown-argument", SCRAPE('\tscrape_intervl = "5s"\n'), [["alloy/unknown-argument", 3, 1]]],
    ["alloy/unknown-block", SCRAPE("\tbasic_oauth { }\n"), [["alloy/unknown-block", 3, 1]]],
    ["alloy/missing-argument", 'prometheus.scrape "a" {\n\ttargets = []\n}\n', [["alloy/missing-argument", 0, 0]]],
    ["alloy/type-mismatch", SCRAPE("\thonor_labels = 1\n"), [["alloy/type-mismatch", 3, 16]]],
    ["alloy/duplicate-label", 'logging { }\n\nprometheus.remote_write "x" { }\n\nprometheus.remote_write "x" { }\n', [["alloy/duplicate-label", 4, 0]]],
    [
      "clustering/host-specific-exporter",
      'prometheus.exporter.unix "h" { }\n\nprometheus.scrape "a" {\n\ttargets    = prometheus.exporter.unix.h.targets\n\tforward_to = []\n\n\tclustering {\n\t\tenabled = true\n\t}\n}\n',
      [["clustering/host-specific-exporter", 3, 14]],
    ],
    [
      "clustering/hostname-label",
      'prometheus.scrape "a" {\n\ttargets    = [{"__address__" = "a:1", host = constants.hostname}]\n\tforward_to = []\n\n\tclustering {\n\t\tenabled = true\n\t}\n}\n',
      [["clustering/hostname-label", 1, 14]],
    ],
    [
      "no clustering, no host warnings",
      'prometheus.exporter.unix "h" { }\n\nprometheus.scrape "a" {\n\ttargets    = prometheus.exporter.unix.h.targets\n\tforward_to = []\n}\n',
      [],
    ],
    [
      "alloy/unknown-reference",
      'prometheus.scrape "a" {\n\ttargets    = discovery.kubernetes.nope.targets\n\tforward_to = []\n}\n',
      [["alloy/unknown-reference", 1, 14]],
    ],
  ];
  for (const [code, text, expected] of cases) {
    it(`${code}: reported at the right place (or not at all)`, async () => {
      assert.deepEqual(brief(await lsp().open(`file:///nowhere/${code.replace("/", "-")}.alloy`, text)), expected);
    });
  }

  it("links every code to its row in the README's table of checks", async () => {
    const [d] = await lsp().open("file:///nowhere/link.alloy", 'prometheus.scrapes "x" { }\n');
    const href = d.codeDescription?.href ?? "";
    const m = /^(file:.*README\.md)#L(\d+)$/.exec(href);
    assert.ok(m, href);
    const line = fs.readFileSync(fileURLToPath(m[1]), "utf8").split("\n")[Number(m[2]) - 1];
    assert.match(line, /^\| `alloy\/unknown-component` \| error \|/);
  });

  it("documents in the README every code the checks can report", () => {
    const src = path.join(__dirname, "..", "..", "..", "language-server", "src");
    const files = fs.readdirSync(src, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
    const codes = new Set(
      files.flatMap((f) =>
        [...fs.readFileSync(path.join(src, f), "utf8").matchAll(/"((?:alloy|clustering|cluster|cluster-flag)\/[a-z-]+)"/g)].map((m) => m[1]),
      ),
    );
    const readme = fs.readFileSync(path.join(__dirname, "..", "..", "..", "README.md"), "utf8");
    assert.ok(codes.size > 30);
    assert.deepEqual(
      [...codes].filter((c) => !readme.includes(`| \`${c}\` |`)),
      [],
    );
  });

  it("keeps a correct clustered config clean, and offers the quick fixes", async () => {
    const clean = fs.readFileSync(path.join(__dirname, "..", "..", "fixtures", "alloy", "cluster.alloy"), "utf8");
    assert.deepEqual(await lsp().open("file:///nowhere/clean.alloy", clean), []);
    const uri = "file:///nowhere/fixes.alloy";
    const diags = await lsp().open(uri, SCRAPE('\tscrape_intervl = "5s"\n\n\tclustering { }\n'));
    const actions = await lsp().request<CodeAction[]>("textDocument/codeAction", {
      textDocument: { uri },
      range: diags[0].range,
      context: { diagnostics: diags },
    });
    assert.deepEqual(actions.map((a) => a.title).sort(), ["Add enabled = true", "Change to scrape_interval"]);
  });

  it("checks a folder as one config: references and duplicates across files", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "alloy-ls-"));
    fs.writeFileSync(path.join(dir, "write.alloy"), 'prometheus.remote_write "default" {\n\tendpoint {\n\t\turl = "http://x"\n\t}\n}\n');
    const uri = pathToFileURL(path.join(dir, "scrape.alloy")).toString();
    const text = 'prometheus.scrape "a" {\n\ttargets    = []\n\tforward_to = [prometheus.remote_write.default.receiver]\n}\n';
    assert.deepEqual(await lsp().open(uri, text), []);
    fs.rmSync(dir, { recursive: true });
  });
});
