/** "Add a clustering block" on a component that supports clustering and has none. */
import { CodeActionKind, type CodeAction, type Range } from "vscode-languageserver";
import { clusteredComponent } from "../alloy";
import type { AlloyDocument } from "./alloyDocument";
import { toOffset, toPosition } from "./positions";

export function addClusteringAction(doc: AlloyDocument, range: Range): CodeAction[] {
  const { file, source } = doc.parse;
  const at = toOffset(source, range.start);
  const block = file.body.find((s) => s.kind === "block" && at >= s.start && at <= s.rcurly);
  if (block === undefined || block.kind !== "block" || block.broken || clusteredComponent(block.name.join("."))?.clusteringBlock !== true) return [];
  if (block.body.some((s) => s.kind === "block" && s.name.join(".") === "clustering")) return [];
  const insertAt = toPosition(source, block.rcurly);
  const text = "\n\tclustering {\n\t\tenabled = true\n\t}\n";
  return [
    {
      title: `Add a clustering block to ${block.name.join(".")} "${block.label}"`,
      kind: CodeActionKind.QuickFix,
      edit: { changes: { [doc.uri]: [{ range: { start: insertAt, end: insertAt }, newText: text }] } },
    },
  ];
}
