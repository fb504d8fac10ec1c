/**
 * Diagnostics for the Alloy configs embedded in a YAML document (Helm values, ConfigMaps): the same checks as
 * for `.alloy` files, placed where each config is written in the YAML.
 */
import { fileURLToPath } from "node:url";
import type { Diagnostic } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import {
  checkFiles,
  configWorkspaceDiagnostics,
  embeddedConfigs,
  summarizeConfig,
  yamlIndex,
  type ConfigSummary,
  type DeploymentSummary,
  type EmbeddedConfig,
  type FindingFix,
} from "../alloy";
import { toLspDiagnostics } from "./lspDiagnostics";

/**
 * A quick fix's text in the YAML: one that adds lines is re-indented for a block scalar, and left out for a
 * quoted one (a raw line break there would fold into a space).
 */
function fixTextIn(config: EmbeddedConfig, fix: FindingFix): string | undefined {
  const text = fix.kind === "remove" ? "" : fix.text;
  if (!text.includes("\n") && fix.kind !== "remove") return text;
  if (config.mapped.block === undefined) return undefined;
  return text.replace(/\n(?!\n|$)/g, `\n${" ".repeat(config.mapped.block.indent)}`);
}

export function embeddedDiagnostics(doc: TextDocument, deployments: readonly DeploymentSummary[], configs: readonly ConfigSummary[]): Diagnostic[] {
  const name = doc.uri.startsWith("file:") ? fileURLToPath(doc.uri) : doc.uri;
  const embedded = embeddedConfigs(name, doc.getText());
  if (embedded.length === 0) return [];
  const byName = new Map(embedded.map((e) => [e.name, e]));
  return checkFiles(embedded.map((e) => ({ name: e.name, content: e.mapped.text }))).flatMap((report) => {
    const config = byName.get(report.name)!;
    const workspace = configWorkspaceDiagnostics(summarizeConfig(report.name, report.parsed), deployments, configs);
    return toLspDiagnostics(
      [...report.diagnostics, ...workspace],
      (offset) => doc.positionAt(yamlIndex(config, report.source, offset)),
      (fix) => fixTextIn(config, fix),
    );
  });
}
