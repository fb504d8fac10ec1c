/** Diagnostics for the `alloy run` command lines of a deployment file (manifest, values, compose, unit, script, env). */
import type { Diagnostic } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { fileURLToPath } from "node:url";
import { checkCommandLines, deploymentWorkspaceDiagnostics, summarizeRuns, type ConfigSummary } from "../alloy";
import type { FixData } from "./codeActions";
import { SEVERITY } from "./configDiagnostics";
import { DIAGNOSTIC_SOURCE } from "./syntaxDiagnostics";

/** The document's diagnostics: its command lines' checks, plus the workspace's verdict on its cluster. */
export function commandLineDiagnostics(doc: TextDocument, configs: readonly ConfigSummary[]): Diagnostic[] {
  const name = doc.uri.startsWith("file:") ? fileURLToPath(doc.uri) : doc.uri;
  const checked = checkCommandLines(name, doc.getText());
  const diagnostics = [...checked.diagnostics, ...deploymentWorkspaceDiagnostics(summarizeRuns(name, checked.runs), configs)];
  const range = (start: number, end: number) => ({ start: doc.positionAt(start), end: doc.positionAt(end) });
  return diagnostics.map((d) => {
    let data: FixData | undefined;
    if (d.suggestion) data = { fix: { title: `Change to --${d.suggestion}`, range: range(d.span.start, d.span.end), newText: d.suggestion } };
    else if (d.insert) data = { fix: { title: d.insert.title, range: range(d.insert.at, d.insert.at), newText: d.insert.text } };
    return {
      range: range(d.span.start, d.span.end),
      severity: SEVERITY[d.severity],
      code: d.code,
      source: DIAGNOSTIC_SOURCE,
      message: d.message,
      ...(data && { data }),
    };
  });
}
