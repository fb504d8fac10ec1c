/** A problem the checks found in an Alloy config, with a stable code (tests, the CLI and settings use it). */
import type { Severity } from "../syntax";

export interface ConfigDiagnostic {
  /** The file it is in, as given to the check. */
  file: string;
  code: string;
  severity: Severity;
  message: string;
  /** Byte offsets in that file. */
  start: number;
  end: number;
  /** What a quick fix needs (e.g. the suggested name, or the span to remove). */
  fix?: { kind: "replace"; start: number; end: number; text: string; title: string } | { kind: "remove"; start: number; end: number; title: string } | { kind: "insert"; at: number; text: string; title: string };
}
