/** Folding ranges: blocks, multi-line arrays, objects and calls, and runs of comment lines. */
import { FoldingRangeKind, type FoldingRange } from "vscode-languageserver";
import { childExprs, type Expr, type Stmt } from "../alloy";
import type { AlloyDocument } from "./alloyDocument";

export function foldingRanges(doc: AlloyDocument): FoldingRange[] {
  const { source, file } = doc.parse;
  const ranges: FoldingRange[] = [];
  const add = (open: number, close: number, kind?: FoldingRangeKind): void => {
    const startLine = source.lineIndex(open),
      endLine = source.lineIndex(close);
    // the closing line stays visible
    if (endLine - 1 > startLine) ranges.push({ startLine, endLine: endLine - 1, kind });
  };
  const expr = (e: Expr): void => {
    if (e.kind === "array") add(e.lbrack, e.rbrack);
    else if (e.kind === "object") add(e.lcurly, e.rcurly);
    else if (e.kind === "call") add(e.lparen, e.rparen);
    childExprs(e).forEach(expr);
  };
  const stmt = (s: Stmt): void => {
    if (s.kind === "attribute") expr(s.value);
    else {
      add(s.lcurly, s.rcurly);
      s.body.forEach(stmt);
    }
  };
  file.body.forEach(stmt);
  for (const group of file.comments) {
    const startLine = source.lineIndex(group[0].start),
      endLine = source.lineIndex(group[group.length - 1].end - 1);
    if (endLine > startLine) ranges.push({ startLine, endLine, kind: FoldingRangeKind.Comment });
  }
  return ranges;
}
