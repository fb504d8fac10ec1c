/** A problem found in Alloy source, at byte offsets; positions as Alloy prints them come from the SourceFile. */

export type Severity = "error" | "warning" | "information" | "hint";

export interface SyntaxDiagnostic {
  message: string;
  /** Byte offset where Alloy reports the problem. */
  start: number;
  /** Byte offset one past the end of the offending text (at least start). */
  end: number;
  severity: Severity;
  /** "syntax/scanner" for lexical errors, "syntax/parser" for grammar errors. */
  source: "scanner" | "parser";
}
