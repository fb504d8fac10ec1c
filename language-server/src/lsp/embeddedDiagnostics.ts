/**
 * Diagnostics for the Alloy configs embedded in a YAML document (Helm values, ConfigMaps): the same checks as
 * for `.alloy` files, placed where each config is written in the YAML.
 */
import { fileURLToPath } from "node:url";
import type { Diagnostic } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { checkFiles, type ConfigDiagnostic, configWorkspaceDiagnostics, summarizeConfig, type ConfigSummary, type DeploymentSummary, embeddedConfigs, yamlIndex, type EmbeddedConfig, type SourceFile } from "../alloy";
import type { FixData } from "./codeActions";
import { SEVERITY } from "./configDiagnostics";
import { DIAGNOSTIC_SOURCE } from "./syntaxDiagnostics";

/**
 * A quick fix's edit in the YAML: a fix that adds lines is re-indented for a block scalar, and left out for a
 * quoted one (a raw line break there would fold into a space).
 */
function fixIn(doc: TextDocument, config: EmbeddedConfig, source: SourceFile, fix: NonNullable<ConfigDiagnostic["fix"]>): FixData | undefined {
  const at = (offset: number) => doc.positionAt(yamlIndex(config, source, offset));
  let newText = fix.kind === "remove" ? "" : fix.text;
  if (newText.includes("\n") || fix.kind === "remove") {
    if (config.mapped.block === undefined) return undefined;
    newText = newText.replace(/\n(?!\n|$)/g, `\n${" ".repeat(config.mapped.block.indent)}`);
  }
  const [start, end] = fix.kind === "insert" ? [fix.at, fix.at] : [fix.start, fix.end];
  return { fix: { title: fix.title, range: { start: at(start), end: at(end) }, newText } };
}

export function embeddedDiagnostics(doc: TextDocument, deployments: readonly DeploymentSummary[], configs: readonly ConfigSummary[]): Diagnostic[] {
  const name = doc.uri.startsWith("file:") ? fileURLToPath(doc.uri) : doc.uri;
  const embedded = embeddedConfigs(name, doc.getText());
  if (embedded.length === 0) return [];
  const byName = new Map(embedded.map((e) => [e.name, e]));
  const out: Diagnostic[] = [];
  for (const report of checkFiles(embedded.map((e) => ({ name: e.name, content: e.mapped.text })))) {
    const config = byName.get(report.name)!;
    const workspace = configWorkspaceDiagnostics(summarizeConfig(report.name, report.parsed), deployments, configs);
    for (const d of [...report.diagnostics, ...workspace]) {
      const data = d.fix && fixIn(doc, config, report.source, d.fix);
      out.push({
        range: { start: doc.positionAt(yamlIndex(config, report.source, d.start)), end: doc.positionAt(yamlIndex(config, report.source, d.end)) },
        severity: SEVERITY[d.severity],
        code: d.code,
        source: DIAGNOSTIC_SOURCE,
        message: d.message,
        ...(data && { data }),
      });
    }
  }
  return out;
}
