/** The one mapping from the checks' findings to LSP diagnostics, with each quick fix's edit in `data`. */
import { DiagnosticSeverity, type Diagnostic, type Position } from "vscode-languageserver";
import type { Finding, FindingFix, Severity } from "../alloy";
import type { FixData } from "./codeActions";

/** The diagnostic source shown in the editor. */
export const DIAGNOSTIC_SOURCE = "alloy";

const SEVERITY: Readonly<Record<Severity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/**
 * `position`: where an offset of the checked text is in the document. `fixText` may rewrite (or refuse, with
 * undefined) a fix's text for where it goes (an Alloy config inside YAML).
 */
export function toLspDiagnostics(
  findings: readonly Finding[],
  position: (offset: number) => Position,
  fixText: (fix: FindingFix) => string | undefined = (fix) => (fix.kind === "remove" ? "" : fix.text),
): Diagnostic[] {
  return findings.map((d) => {
    let data: FixData | undefined;
    const newText = d.fix && fixText(d.fix);
    if (d.fix !== undefined && newText !== undefined) {
      const [start, end] = d.fix.kind === "insert" ? [d.fix.at, d.fix.at] : [d.fix.start, d.fix.end];
      data = { fix: { title: d.fix.title, range: { start: position(start), end: position(end) }, newText } };
    }
    return {
      range: { start: position(d.start), end: position(Math.max(d.start, d.end)) },
      severity: SEVERITY[d.severity],
      code: d.code,
      source: DIAGNOSTIC_SOURCE,
      message: d.message,
      ...(data && { data }),
    };
  });
}
