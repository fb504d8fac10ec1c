/** Completion: component names at the top level, arguments and blocks inside components, `enabled` values, and --cluster.* flags. */
import { CompletionItemKind, InsertTextFormat, type CompletionItem, type Position } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { componentNames, configBlockNames, lookupComponent, CLUSTER_FLAGS, describeDefault } from "../alloy";
import type { AlloyDocument } from "./alloyDocument";
import { blocksAround, schemaOf } from "./blockContext";
import { toOffset } from "./positions";

export function alloyCompletion(doc: AlloyDocument, position: Position): CompletionItem[] {
  const { file, source } = doc.parse;
  const offset = toOffset(source, position);
  const line = doc.text.split("\n")[position.line]?.slice(0, position.character) ?? "";
  const chain = blocksAround(file, offset);
  const inner = chain[chain.length - 1];
  if (inner !== undefined && inner.name.join(".") === "clustering" && /\benabled\s*=\s*\w*$/.test(line)) {
    return ["true", "false"].map((v) => ({ label: v, kind: CompletionItemKind.Value }));
  }
  if (chain.length === 0) {
    return [
      ...componentNames().map((name) => ({
        label: name,
        kind: CompletionItemKind.Class,
        insertText: `${name} "\${1:default}" {\n\t$0\n}`,
        insertTextFormat: InsertTextFormat.Snippet,
        detail: lookupComponent(name)!.entry.stability ?? "community",
      })),
      ...configBlockNames().map((name) => ({
        label: name,
        kind: CompletionItemKind.Module,
        insertText: `${name} {\n\t$0\n}`,
        insertTextFormat: InsertTextFormat.Snippet,
      })),
    ];
  }
  if (inner.name.join(".") === "clustering") {
    return [{ label: "enabled", kind: CompletionItemKind.Property, insertText: "enabled = ${1|true,false|}", insertTextFormat: InsertTextFormat.Snippet }];
  }
  const schema = schemaOf(chain)?.schema;
  if (schema === undefined) return [];
  return [
    ...schema.arguments.map((a) => ({
      label: a.name,
      kind: CompletionItemKind.Property,
      detail: `${a.type}${a.required === true ? " (required)" : ""}`,
      insertText: `${a.name} = $0`,
      insertTextFormat: InsertTextFormat.Snippet,
    })),
    ...schema.blocks.map((b) => ({
      label: b.name,
      kind: CompletionItemKind.Struct,
      insertText: b.name === "clustering" ? "clustering {\n\tenabled = ${1|true,false|}\n}" : `${b.name} {\n\t$0\n}`,
      insertTextFormat: InsertTextFormat.Snippet,
    })),
  ];
}

/** After `--cluster.` (or `-cluster.`) in any deployment file: the flags, with their defaults. */
export function flagCompletion(doc: TextDocument, position: Position): CompletionItem[] {
  const line = doc.getText({ start: { line: position.line, character: 0 }, end: position });
  const m = /--?(cluster\.[\w.-]*)$/.exec(line);
  if (m === null) return [];
  const start = { line: position.line, character: position.character - m[1].length };
  return CLUSTER_FLAGS.filter((f) => !f.deprecated).map((f) => ({
    label: `--${f.name}`,
    filterText: f.name,
    kind: CompletionItemKind.Property,
    detail: `${f.type}, default ${describeDefault(f).replace(/`/g, "")}`,
    documentation: f.description,
    textEdit: { range: { start, end: position }, newText: f.type === "bool" ? `${f.name}=true` : `${f.name}=` },
  }));
}
