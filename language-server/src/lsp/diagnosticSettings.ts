/** The user's say over diagnostics: codes switched off, and severities changed (`alloyClusterLab.diagnostics.*`). */
import { DiagnosticSeverity, type Diagnostic } from "vscode-languageserver";

export interface DiagnosticSettings {
  /** Codes not to report, e.g. ["cluster-flag/advertise-fallback"]. A prefix with "/" ("clustering/") switches off a family. */
  disabled: string[];
  /** Severity by code: "error" | "warning" | "information" | "hint". */
  severity: Record<string, string>;
}

export const DEFAULT_SETTINGS: DiagnosticSettings = { disabled: [], severity: {} };

const LEVELS: Readonly<Record<string, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Settings as the client sent them, with anything malformed ignored. */
export function readSettings(raw: unknown): DiagnosticSettings {
  const diagnostics = (raw as { diagnostics?: { disabled?: unknown; severity?: unknown } } | null)?.diagnostics;
  const disabled = Array.isArray(diagnostics?.disabled) ? diagnostics.disabled.filter((c): c is string => typeof c === "string") : [];
  const severity: Record<string, string> = {};
  if (typeof diagnostics?.severity === "object" && diagnostics.severity !== null) {
    for (const [code, level] of Object.entries(diagnostics.severity)) if (typeof level === "string" && level in LEVELS) severity[code] = level;
  }
  return { disabled, severity };
}

export function applySettings(diagnostics: readonly Diagnostic[], settings: DiagnosticSettings): Diagnostic[] {
  return diagnostics
    .filter((d) => !settings.disabled.some((off) => d.code === off || (off.endsWith("/") && String(d.code).startsWith(off))))
    .map((d) => {
      const level = settings.severity[String(d.code)];
      return level === undefined ? d : { ...d, severity: LEVELS[level] };
    });
}
