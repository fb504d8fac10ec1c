/** Where an offset is in a parsed Alloy file: the blocks around it, innermost last, and their catalog schema. */
import { blockSchema, lookupComponent, topSchema, type CatalogEntry, type Schema, type BlockStmt, type File, type Stmt } from "../alloy";

/** The chain of blocks whose body holds `offset` (between `{` and `}`; to the end of file when `}` is missing). */
export function blocksAround(file: File, offset: number): BlockStmt[] {
  const chain: BlockStmt[] = [];
  let body: readonly Stmt[] = file.body;
  for (;;) {
    const inside = body.find((s): s is BlockStmt => s.kind === "block" && offset > s.lcurly && (offset <= s.rcurly || s.rcurly <= s.lcurly));
    if (inside === undefined) return chain;
    chain.push(inside);
    body = inside.body;
  }
}

/** The schema of a block chain (component, then nested blocks), or undefined where the catalog does not reach. */
export function schemaOf(chain: { name: string[] }[]): { entry: CatalogEntry; schema: Schema; component: string } | undefined {
  if (chain.length === 0) return undefined;
  const component = chain[0].name.join(".");
  const found = lookupComponent(component);
  if (found === undefined) return undefined;
  let schema = topSchema(found.entry);
  const path: string[] = [];
  for (const b of chain.slice(1)) {
    const name = b.name.join(".");
    const spec = schema.blocks.find((x) => x.name === name);
    if (spec === undefined) return undefined;
    path.push(name);
    schema = blockSchema(found.entry, path, spec);
  }
  return { entry: found.entry, schema, component };
}
