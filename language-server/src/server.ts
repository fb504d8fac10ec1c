/**
 * The Alloy language server (LSP over stdio or Node IPC): syntax errors with Alloy's messages and the config
 * checks (catalog, references, clustering) with quick fixes, `alloy fmt` formatting, outline and folding for
 * `.alloy` documents.
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
import { quickFixes } from "./lsp/codeActions";
import { alloyCompletion, flagCompletion } from "./lsp/completion";
import { alloyHover, flagHover } from "./lsp/hover";
import { commandLineDiagnostics } from "./lsp/commandLineDiagnostics";
import { configDiagnostics } from "./lsp/configDiagnostics";
import { foldingRanges } from "./lsp/folding";
import { formattingEdits } from "./lsp/formatting";
import { documentSymbols } from "./lsp/symbols";

const connection = createConnection(ProposedFeatures.all);
const textDocuments = new TextDocuments(TextDocument);
const alloyDocuments = new AlloyDocuments();

/** The parse of an open `.alloy` document (undefined for other documents: they are not Alloy syntax). */
function alloyDocument(uri: string) {
  const td = textDocuments.get(uri);
  return td === undefined || !isAlloy(td) ? undefined : alloyDocuments.get(uri, td.version, () => td.getText());
}

connection.onInitialize(
  (): InitializeResult => ({
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      documentFormattingProvider: true,
      codeActionProvider: { codeActionKinds: ["quickfix"] },
      hoverProvider: true,
      completionProvider: { triggerCharacters: [".", "=", " "] },
      documentRangeFormattingProvider: true,
      documentSymbolProvider: true,
      foldingRangeProvider: true,
    },
    serverInfo: { name: "alloy-cluster-lab-language-server" },
  }),
);

const openDoc = (uri: string) => {
  const doc = alloyDocument(uri);
  return doc && { text: doc.text, parsed: doc.parse };
};

function isAlloy(td: TextDocument): boolean {
  return td.languageId === "grafana-alloy" || td.uri.endsWith(".alloy");
}

function validate(uri: string): void {
  const td = textDocuments.get(uri);
  if (td === undefined) return;
  if (!isAlloy(td)) {
    void connection.sendDiagnostics({ uri, version: td.version, diagnostics: commandLineDiagnostics(td) });
    return;
  }
  const doc = alloyDocument(uri)!;
  void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: configDiagnostics(doc.uri, openDoc) });
}

/** Folders whose other open files are to be checked again, and who changed last there. */
const staleFolders = new Map<string, string>();
let staleTimer: NodeJS.Timeout | undefined;

/**
 * Other open files of the same folder form one config with a changed file (duplicate labels, references):
 * they are checked again once edits pause, so that typing in one file never waits for its siblings.
 */
function revalidateSiblingsLater(uri: string): void {
  staleFolders.set(uri.slice(0, uri.lastIndexOf("/") + 1), uri);
  if (staleTimer !== undefined) clearTimeout(staleTimer);
  staleTimer = setTimeout(() => {
    staleTimer = undefined;
    for (const [folder, changed] of staleFolders) {
      for (const other of textDocuments.all()) {
        if (other.uri !== changed && other.uri.startsWith(folder) && !other.uri.slice(folder.length).includes("/")) validate(other.uri);
      }
    }
    staleFolders.clear();
  }, 300);
}

textDocuments.onDidChangeContent(({ document }) => {
  validate(document.uri);
  if (isAlloy(document)) revalidateSiblingsLater(document.uri);
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

connection.onHover(({ textDocument, position }) => {
  const td = textDocuments.get(textDocument.uri);
  if (td === undefined) return null;
  const doc = alloyDocument(textDocument.uri);
  return doc === undefined ? flagHover(td, position) : alloyHover(doc, position);
});

connection.onCompletion(({ textDocument, position }) => {
  const td = textDocuments.get(textDocument.uri);
  if (td === undefined) return [];
  const doc = alloyDocument(textDocument.uri);
  return doc === undefined ? flagCompletion(td, position) : alloyCompletion(doc, position);
});

connection.onCodeAction(({ textDocument, context }) => quickFixes(textDocument.uri, context.diagnostics));

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
