/** Where an offset is in a parsed Alloy file: the blocks around it, innermost last. */
import type { BlockStmt, File, Stmt } from "../syntax";

/** The chain of blocks whose body holds `offset` (between `{` and `}`; to the end of file when `}` is missing). */
export function blocksAround(file: File, offset: number): BlockStmt[] {
  const chain: BlockStmt[] = [];
  let body: readonly Stmt[] = file.body;
  for (;;) {
    const inside = body.find(
      (s): s is BlockStmt => s.kind === "block" && offset > s.lcurly && (offset <= s.rcurly || s.rcurly <= s.lcurly),
    );
    if (inside === undefined) return chain;
    chain.push(inside);
    body = inside.body;
  }
}
