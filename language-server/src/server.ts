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
  type Range,
  type TextEdit,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { AlloyDocuments } from "./lsp/alloyDocument";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CodeDocs } from "./lsp/codeDocs";
import { addClusteringAction } from "./lsp/clusteringAction";
import { applySettings, DEFAULT_SETTINGS, readSettings, type DiagnosticSettings } from "./lsp/diagnosticSettings";
import { quickFixes } from "./lsp/codeActions";
import { WorkspaceIndex } from "./lsp/workspaceIndex";
import { moduleReaderFromDisk } from "./alloy";
import { alloyCompletion, flagCompletion } from "./lsp/completion";
import { alloyHover, flagHover } from "./lsp/hover";
import { commandLineDiagnostics } from "./lsp/commandLineDiagnostics";
import { configDiagnostics } from "./lsp/configDiagnostics";
import { embeddedDiagnostics } from "./lsp/embeddedDiagnostics";
import { foldingRanges } from "./lsp/folding";
import { embeddedFormattingEdits, formattingEdits } from "./lsp/formatting";
import { documentSymbols } from "./lsp/symbols";
import { isAlloyDocument } from "./lsp/documentKind";

const connection = createConnection(ProposedFeatures.all);
const textDocuments = new TextDocuments(TextDocument);
const alloyDocuments = new AlloyDocuments();

/** The parse of an open `.alloy` document (undefined for other documents: they are not Alloy syntax). */
function alloyDocument(uri: string) {
  const td = textDocuments.get(uri);
  return td === undefined || !isAlloy(td) ? undefined : alloyDocuments.get(uri, td.version, () => td.getText());
}

const workspace = new WorkspaceIndex();
/** The README beside the bundle (dist/server.js → README.md) explains every code. */
const codeDocs = new CodeDocs(path.join(__dirname, "..", "README.md"));
let workspaceFolders: string[] = [];
let settings: DiagnosticSettings = DEFAULT_SETTINGS;
let canReadConfiguration = false;

/** Asks the editor for the settings (workspace/configuration); an editor that has none keeps what it pushed. */
async function loadSettings(): Promise<void> {
  if (!canReadConfiguration) return;
  const raw: unknown = await connection.workspace.getConfiguration("alloyClusterLab");
  if (raw !== null && raw !== undefined) settings = readSettings(raw);
}

/**
 * Settings an editor pushes (initializationOptions, or workspace/didChangeConfiguration's settings, as
 * editors without workspace/configuration do): the alloyClusterLab section, or those settings themselves.
 */
function pushedSettings(raw: unknown): DiagnosticSettings | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const section: unknown = (raw as { alloyClusterLab?: unknown }).alloyClusterLab ?? raw;
  return typeof section === "object" && section !== null && "diagnostics" in section ? readSettings(section) : undefined;
}

connection.onInitialize((params): InitializeResult => {
  canReadConfiguration = params.capabilities.workspace?.configuration === true;
  settings = pushedSettings(params.initializationOptions) ?? DEFAULT_SETTINGS;
  workspaceFolders = (params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri }] : []))
    .filter((f) => f.uri.startsWith("file:"))
    .map((f) => fileURLToPath(f.uri));
  return {
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
  };
});

connection.onInitialized(async () => {
  workspace.scan(workspaceFolders);
  await loadSettings();
  for (const td of textDocuments.all()) validate(td.uri);
});

connection.onDidChangeConfiguration(async (params) => {
  const pushed = pushedSettings(params.settings);
  if (pushed !== undefined) settings = pushed;
  else await loadSettings();
  for (const td of textDocuments.all()) validate(td.uri);
});

const openDoc = (uri: string) => {
  const doc = alloyDocument(uri);
  return doc && { text: doc.text, parsed: doc.parse };
};

function isAlloy(td: TextDocument): boolean {
  return isAlloyDocument(td.uri, () => td.getText());
}

function validate(uri: string): void {
  const td = textDocuments.get(uri);
  if (td === undefined) return;
  if (!isAlloy(td)) {
    const diagnostics = [
      ...commandLineDiagnostics(td, workspace.configSummaries()),
      ...embeddedDiagnostics(td, workspace.deploymentSummaries(), workspace.configSummaries()),
    ];
    void connection.sendDiagnostics({ uri, version: td.version, diagnostics: codeDocs.link(applySettings(diagnostics, settings)) });
    return;
  }
  const doc = alloyDocument(uri)!;
  void connection.sendDiagnostics({
    uri: doc.uri,
    version: doc.version,
    diagnostics: codeDocs.link(
      applySettings(
        configDiagnostics(doc.uri, openDoc, workspace.deploymentSummaries(), workspace.configSummaries(), moduleReaderFromDisk(workspaceFolders)),
        settings,
      ),
    ),
  });
}

/** Open documents to check again once edits pause (so that typing in one file never waits for others). */
const stale = new Set<string>();
let staleTimer: NodeJS.Timeout | undefined;

function revalidateLater(uris: Iterable<string>): void {
  for (const u of uris) stale.add(u);
  if (staleTimer !== undefined) clearTimeout(staleTimer);
  staleTimer = setTimeout(() => {
    staleTimer = undefined;
    const uris = [...stale];
    stale.clear();
    uris.forEach(validate);
  }, 300);
}

textDocuments.onDidChangeContent(({ document }) => {
  const doc = alloyDocument(document.uri);
  const clusteringChanged = document.uri.startsWith("file:") && workspace.update(fileURLToPath(document.uri), document.getText(), doc?.parse);
  validate(document.uri);
  const others = textDocuments.all().filter((o) => o.uri !== document.uri);
  if (clusteringChanged) {
    // What this file says about clustering can change every other file's workspace diagnostics.
    revalidateLater(others.map((o) => o.uri));
  } else if (doc !== undefined) {
    // Other files of the same folder form one config with it (duplicate labels, references).
    const folder = document.uri.slice(0, document.uri.lastIndexOf("/") + 1);
    revalidateLater(others.filter((o) => o.uri.startsWith(folder) && !o.uri.slice(folder.length).includes("/")).map((o) => o.uri));
  }
});

textDocuments.onDidClose(({ document }) => {
  alloyDocuments.delete(document.uri);
  void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
});

/** Formatting: an Alloy document as a whole, or the Alloy configs embedded in a YAML document. */
function formatting(uri: string, range?: Range): TextEdit[] {
  const td = textDocuments.get(uri);
  const doc = alloyDocument(uri);
  if (doc !== undefined) return formattingEdits(doc, range);
  return td === undefined ? [] : embeddedFormattingEdits(td, range);
}

connection.onDocumentFormatting(({ textDocument }) => formatting(textDocument.uri));
connection.onDocumentRangeFormatting(({ textDocument, range }) => formatting(textDocument.uri, range));

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

connection.onCodeAction(({ textDocument, range, context }) => {
  const doc = alloyDocument(textDocument.uri);
  return [...quickFixes(textDocument.uri, context.diagnostics), ...(doc === undefined ? [] : addClusteringAction(doc, range))];
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
