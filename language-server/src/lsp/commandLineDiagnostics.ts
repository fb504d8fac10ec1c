/** Diagnostics for the `alloy run` command lines of a deployment file (manifest, values, compose, unit, script, env). */
import type { Diagnostic } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { fileURLToPath } from "node:url";
import { checkCommandLines, deploymentWorkspaceDiagnostics, summarizeRuns, type ConfigSummary } from "../alloy";
import { toLspDiagnostics } from "./lspDiagnostics";

/** The document's diagnostics: its command lines' checks, plus the workspace's verdict on its cluster. */
export function commandLineDiagnostics(doc: TextDocument, configs: readonly ConfigSummary[]): Diagnostic[] {
  const name = doc.uri.startsWith("file:") ? fileURLToPath(doc.uri) : doc.uri;
  const checked = checkCommandLines(name, doc.getText());
  const findings = [...checked.diagnostics, ...deploymentWorkspaceDiagnostics(summarizeRuns(name, checked.runs), configs)];
  return toLspDiagnostics(findings, (offset) => doc.positionAt(offset));
}
