/**
 * What every check reports, with a stable code (tests, the CLI, settings and the README use it). Offsets index
 * the text checked: bytes of an Alloy file's source, characters of a deployment file's text.
 */
import type { Severity } from "../syntax";

/** The edit a quick fix makes. */
export type FindingFix =
  | { kind: "replace"; start: number; end: number; text: string; title: string }
  | { kind: "remove"; start: number; end: number; title: string }
  | { kind: "insert"; at: number; text: string; title: string };

export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  start: number;
  end: number;
  fix?: FindingFix;
}

/** A finding in one file of an Alloy config (a folder's files are checked together). */
export interface ConfigDiagnostic extends Finding {
  /** The file it is in, as given to the check. */
  file: string;
}
