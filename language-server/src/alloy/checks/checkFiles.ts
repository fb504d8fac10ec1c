/** Runs the syntax and config checks over files grouped into configs (one per folder, as Alloy loads them). */
import path from "node:path";
import { parse, type ParseResult, type SourceFile } from "../syntax";
import type { ConfigDiagnostic } from "./finding";
import { checkConfig, type ConfigFile, type ModuleReader } from "./configChecks";

export interface FileInput {
  name: string;
  content: string | Uint8Array;
  /** Its parse, when the caller has it already (open documents): saves parsing again. */
  parsed?: ParseResult;
}

export interface FileReport {
  name: string;
  source: SourceFile;
  parsed: ParseResult;
  diagnostics: ConfigDiagnostic[];
}

export interface CheckOptions {
  /** Reads the modules of `import.file` blocks (none: imported modules are taken on trust). */
  readModule?: ModuleReader;
  /** Only this file's findings are wanted (an editor's document): its siblings are read for what they declare. */
  only?: string;
}

/** Every diagnostic of every file: syntax errors (code `syntax`), then the config checks per folder. */
export function checkFiles(inputs: readonly FileInput[], options: CheckOptions = {}): FileReport[] {
  const files: ConfigFile[] = inputs.map((f) => ({ name: f.name, parsed: f.parsed ?? parse(f.content, f.name) }));
  const byFolder = new Map<string, ConfigFile[]>();
  for (const f of files) byFolder.set(path.dirname(f.name), [...(byFolder.get(path.dirname(f.name)) ?? []), f]);
  const found = new Map<string, ConfigDiagnostic[]>(files.map((f) => [f.name, []]));
  for (const f of files) {
    for (const d of f.parsed.diagnostics) {
      // A missing comma is reported where it belongs: just after the element, before the line break.
      const fix = d.message.startsWith("missing ','") ? { kind: "insert" as const, at: d.start, text: ",", title: "Insert missing ','" } : undefined;
      found.get(f.name)!.push({ file: f.name, code: "syntax", severity: "error", message: d.message, start: d.start, end: d.end, ...(fix && { fix }) });
    }
  }
  // Alloy stops at a parse error: a file with one gets no other findings, and its siblings' references are not judged.
  for (const group of byFolder.values()) {
    const broken = new Set(group.filter((f) => f.parsed.diagnostics.length > 0).map((f) => f.name));
    for (const d of checkConfig(group, { brokenFiles: broken, ...options })) found.get(d.file)!.push(d);
  }
  return files.map((f) => ({ name: f.name, source: f.parsed.source, parsed: f.parsed, diagnostics: found.get(f.name)!.sort((a, b) => a.start - b.start) }));
}
