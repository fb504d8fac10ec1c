/**
 * The Alloy language server (LSP over stdio or Node IPC): syntax diagnostics with Alloy's messages,
 * `alloy fmt` formatting, outline and folding for `.alloy` documents.
 */
import {
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeResult,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { AlloyDocuments } from "./lsp/alloyDocument";
import { foldingRanges } from "./lsp/folding";
import { formattingEdits } from "./lsp/formatting";
import { documentSymbols } from "./lsp/symbols";
import { syntaxDiagnostics } from "./lsp/syntaxDiagnostics";

const connection = createConnection(ProposedFeatures.all);
const textDocuments = new TextDocuments(TextDocument);
const alloyDocuments = new AlloyDocuments();

function alloyDocument(uri: string) {
  const td = textDocuments.get(uri);
  return td === undefined ? undefined : alloyDocuments.get(uri, td.version, () => td.getText());
}

connection.onInitialize(
  (): InitializeResult => ({
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      documentFormattingProvider: true,
      documentRangeFormattingProvider: true,
      documentSymbolProvider: true,
      foldingRangeProvider: true,
    },
    serverInfo: { name: "alloy-cluster-lab-language-server" },
  }),
);

textDocuments.onDidChangeContent(({ document }) => {
  const doc = alloyDocument(document.uri);
  if (doc !== undefined) void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: syntaxDiagnostics(doc) });
});

textDocuments.onDidClose(({ document }) => {
  alloyDocuments.delete(document.uri);
  void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
});

connection.onDocumentFormatting(({ textDocument }) => {
  const doc = alloyDocument(textDocument.uri);
  return doc === undefined ? [] : formattingEdits(doc);
});

connection.onDocumentRangeFormatting(({ textDocument, range }) => {
  const doc = alloyDocument(textDocument.uri);
  return doc === undefined ? [] : formattingEdits(doc, range);
});

connection.onDocumentSymbol(({ textDocument }) => {
  const doc = alloyDocument(textDocument.uri);
  return doc === undefined ? [] : documentSymbols(doc);
});

connection.onFoldingRanges(({ textDocument }) => {
  const doc = alloyDocument(textDocument.uri);
  return doc === undefined ? [] : foldingRanges(doc);
});

textDocuments.listen(connection);
connection.listen();
