import { DiagnosticSeverity, type Diagnostic } from "vscode-languageserver";
import type { AlloyDocument } from "./alloyDocument";
import { toRange } from "./positions";

/** The diagnostic source shown in the editor. */
export const DIAGNOSTIC_SOURCE = "alloy";

/** Syntax errors, with Alloy's messages; code `syntax`. */
export function syntaxDiagnostics(doc: AlloyDocument): Diagnostic[] {
  const { source, diagnostics } = doc.parse;
  return diagnostics.map((d) => ({
    range: toRange(source, d),
    severity: DiagnosticSeverity.Error,
    code: "syntax",
    source: DIAGNOSTIC_SOURCE,
    message: d.message,
  }));
}
