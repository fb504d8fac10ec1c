import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { DocumentSymbol, FoldingRange, TextEdit } from "vscode-languageserver-protocol";
import { useLspClient } from "../../support/lspClient";

describe("language server over stdio: syntax features", () => {
  const lsp = useLspClient();

  it("publishes Alloy's syntax errors at the right range, UTF-16 columns, and clears them when fixed", async () => {
    const uri = "file:///w/a.alloy";
    const diags = await lsp().open(uri, 'é = "😀" + \n');
    assert.equal(diags.length, 1);
    assert.equal(diags[0].message, "expected expression, got EOF");
    assert.equal(diags[0].code, "syntax");
    const broken = await lsp().open(uri, 'x = "😀" # y\n');
    assert.deepEqual(
      broken.map((d) => [d.message, d.range.start]),
      [
        ["illegal character U+0023 '#'", { line: 0, character: 9 }],
        ["expected TERMINATOR, got ILLEGAL", { line: 0, character: 9 }],
      ],
    );
    assert.deepEqual(await lsp().open(uri, 'logging {\n\tlevel = "info"\n}\n'), []);
  });

  it("formats the whole document as alloy fmt does, and nothing when it has errors", async () => {
    const uri = "file:///w/fmt.alloy";
    await lsp().open(uri, "a=1\nlong_name=2\n");
    const edits = await lsp().request<TextEdit[]>("textDocument/formatting", { textDocument: { uri }, options: { tabSize: 4, insertSpaces: true } });
    assert.deepEqual(edits, [{ range: { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } }, newText: "a         = 1\nlong_name = 2\n" }]);
    await lsp().open(uri, "a = [1\n");
    assert.deepEqual(await lsp().request("textDocument/formatting", { textDocument: { uri }, options: { tabSize: 4, insertSpaces: true } }), []);
  });

  it("formats a range only when the changes touch it", async () => {
    const uri = "file:///w/range.alloy";
    await lsp().open(uri, "a = 1\n\n\n\nb=2\n");
    const touching = await lsp().request<TextEdit[]>("textDocument/rangeFormatting", {
      textDocument: { uri },
      range: { start: { line: 4, character: 0 }, end: { line: 4, character: 3 } },
      options: { tabSize: 4, insertSpaces: true },
    });
    assert.equal(touching.length, 1);
    const away = await lsp().request<TextEdit[]>("textDocument/rangeFormatting", {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
      options: { tabSize: 4, insertSpaces: true },
    });
    assert.deepEqual(away, []);
  });

  it("lists components in the outline and folds blocks, lists and comments", async () => {
    const uri = "file:///w/outline.alloy";
    await lsp().open(uri, '// one\n// two\nprometheus.scrape "pods" {\n\ttargets = [\n\t\t{},\n\t]\n\tclustering {\n\t\tenabled = true\n\t}\n}\n');
    const symbols = await lsp().request<DocumentSymbol[]>("textDocument/documentSymbol", { textDocument: { uri } });
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['prometheus.scrape "pods"'],
    );
    assert.deepEqual(
      symbols[0].children!.map((s) => s.name),
      ["targets", "clustering"],
    );
    const folds = await lsp().request<FoldingRange[]>("textDocument/foldingRange", { textDocument: { uri } });
    assert.deepEqual(folds.map((f) => [f.startLine, f.endLine, f.kind ?? null]).sort(), [
      [0, 1, "comment"],
      [2, 8, null],
      [3, 4, null],
      [6, 7, null],
    ]);
  });
});
