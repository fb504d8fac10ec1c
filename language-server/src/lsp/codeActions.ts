/** Quick fixes: the fix a diagnostic carries (rename, remove, insert), as a workspace edit. */
import { CodeActionKind, type CodeAction, type Diagnostic } from "vscode-languageserver";
import type { ConfigDiagnostic } from "../checks/configDiagnostic";
import type { AlloyDocument } from "./alloyDocument";
import { toPosition } from "./positions";

export function quickFixes(doc: AlloyDocument, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const { source } = doc.parse;
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    const fix = (d.data as { fix?: ConfigDiagnostic["fix"] } | undefined)?.fix;
    if (fix === undefined) continue;
    const range =
      fix.kind === "insert"
        ? { start: toPosition(source, fix.at), end: toPosition(source, fix.at) }
        : { start: toPosition(source, fix.start), end: toPosition(source, fix.end) };
    const newText = fix.kind === "remove" ? "" : fix.text;
    actions.push({
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      isPreferred: true,
      edit: { changes: { [doc.uri]: [{ range, newText }] } },
    });
  }
  return actions;
}
