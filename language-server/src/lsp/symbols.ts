/** The outline of a document: blocks (components) with their blocks and attributes inside. */
import { SymbolKind, type DocumentSymbol } from "vscode-languageserver";
import type { Stmt } from "../alloy";
import type { AlloyDocument } from "./alloyDocument";
import { toRange } from "./positions";

function symbolOf(doc: AlloyDocument, stmt: Stmt): DocumentSymbol {
  const { source } = doc.parse;
  if (stmt.kind === "attribute") {
    return {
      name: stmt.name.name,
      kind: SymbolKind.Property,
      range: toRange(source, stmt),
      selectionRange: toRange(source, stmt.name),
    };
  }
  const name = stmt.name.join(".");
  return {
    name: stmt.label === "" ? name : `${name} "${stmt.label}"`,
    // Top-level labelled blocks are components; nested ones are settings blocks.
    kind: stmt.label !== "" ? SymbolKind.Class : SymbolKind.Struct,
    range: toRange(source, stmt),
    selectionRange: toRange(source, stmt.nameSpan),
    children: stmt.body.map((s) => symbolOf(doc, s)),
  };
}

export function documentSymbols(doc: AlloyDocument): DocumentSymbol[] {
  return doc.parse.file.body.map((s) => symbolOf(doc, s));
}
