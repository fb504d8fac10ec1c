/** Quick fixes: the edit a diagnostic carries in its data (already in editor positions). */
import { CodeActionKind, type CodeAction, type Diagnostic, type Range } from "vscode-languageserver";

/** What a fixable diagnostic carries in `data`. */
export interface FixData {
  fix: { title: string; range: Range; newText: string };
}

export function quickFixes(uri: string, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    const fix = (d.data as FixData | undefined)?.fix;
    if (fix === undefined) continue;
    actions.push({
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      isPreferred: true,
      edit: { changes: { [uri]: [{ range: fix.range, newText: fix.newText }] } },
    });
  }
  return actions;
}
