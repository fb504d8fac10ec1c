/** Hover text: components (stability, clustering, docs), their arguments, the clustering block, and --cluster.* flags. */
import type { Hover } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { fileURLToPath } from "node:url";
import {
  lookupComponent,
  type CatalogEntry,
  CLUSTERING_BLOCK_COMPONENTS,
  clusterFlagSpec,
  CLUSTER_DOCS_URL,
  readRunFlags,
  findAlloyRuns,
  describeDefault,
} from "../alloy";
import type { AlloyDocument } from "./alloyDocument";
import { blocksAround, schemaOf } from "./blockContext";
import { toOffset, toRange } from "./positions";
import type { Position } from "vscode-languageserver";

const CLUSTERING_HELP = `**clustering** — shares this component's targets among the cluster's nodes with Alloy's hash ring (512 tokens per node): each node scrapes only the targets it owns. Needs \`--cluster.enabled=true\` on every node. \`enabled\` is required; leaving the block out is the same as \`enabled = false\`.\n\nSupported by: ${CLUSTERING_BLOCK_COMPONENTS.join(", ")}.\n\n[Clustering docs](${CLUSTER_DOCS_URL})`;

function componentHelp(name: string, entry: CatalogEntry): string {
  const stability = entry.stability ?? (entry.community ? "community" : "unknown");
  const clustering = entry.blocks.some((b) => b.name === "clustering") ? "Supports clustering." : "Does not support clustering.";
  return `**${name}** — ${stability}. ${clustering}\n\n[Documentation](${entry.docUrl})`;
}

export function alloyHover(doc: AlloyDocument, position: Position): Hover | null {
  const { file, source } = doc.parse;
  const offset = toOffset(source, position);
  const chain = blocksAround(file, offset);
  const body = chain.length === 0 ? file.body : chain[chain.length - 1].body;
  for (const s of body) {
    if (s.kind === "block" && offset >= s.nameSpan.start && offset <= s.nameSpan.end) {
      const name = s.name.join(".");
      if (name === "clustering") return { contents: { kind: "markdown", value: CLUSTERING_HELP }, range: toRange(source, s.nameSpan) };
      const found = chain.length === 0 ? lookupComponent(name) : undefined;
      if (found) return { contents: { kind: "markdown", value: componentHelp(name, found.entry) }, range: toRange(source, s.nameSpan) };
      return null;
    }
    if (s.kind === "attribute" && offset >= s.name.start && offset <= s.name.end) {
      const ctx = schemaOf(chain);
      const arg = ctx?.schema.arguments.find((a) => a.name === s.name.name);
      if (ctx === undefined || arg === undefined) return null;
      const required = arg.required === true ? "required" : "optional";
      const def = arg.default === null ? "" : `, default \`${arg.default}\``;
      return {
        contents: { kind: "markdown", value: `**${arg.name}** — \`${arg.type}\`, ${required}${def}\n\n[${ctx.component} documentation](${ctx.entry.docUrl})` },
        range: toRange(source, s.name),
      };
    }
  }
  return null;
}

export function flagHover(doc: TextDocument, position: Position): Hover | null {
  const name = doc.uri.startsWith("file:") ? fileURLToPath(doc.uri) : doc.uri;
  const offset = doc.offsetAt(position);
  for (const run of findAlloyRuns(name, doc.getText())) {
    for (const f of readRunFlags(run.args)) {
      if (offset < f.nameSpan.start - 2 || offset > f.nameSpan.end) continue;
      const spec = clusterFlagSpec(f.name);
      if (spec === undefined) return null;
      const value = `**--${spec.name}** (${spec.type}, default ${describeDefault(spec)})\n\n${spec.description}\n\n[Clustering flags](${CLUSTER_DOCS_URL})`;
      return { contents: { kind: "markdown", value }, range: { start: doc.positionAt(f.nameSpan.start), end: doc.positionAt(f.nameSpan.end) } };
    }
  }
  return null;
}
