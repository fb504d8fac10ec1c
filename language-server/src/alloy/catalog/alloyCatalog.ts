/**
 * Facts about Alloy's components and config blocks (language-server/data/alloy-catalog, taken from Alloy's
 * docs and cross-checked against its Go code; see that folder's README for the source). Names that the code
 * accepts but the docs do not list are accepted too, so real configs stay clean.
 */
import components from "../../../data/alloy-catalog/components.json";
import configBlocks from "../../../data/alloy-catalog/config-blocks.json";

export interface CatalogArgument {
  name: string;
  /** As the docs write it: `bool`, `list(string)`, `duration`, `list(MetricsReceiver)`, … */
  type: string;
  /** true, false, or the docs' words for "sometimes" ("conditional", …): only `true` is enforced. */
  required: boolean | string;
  default: string | null;
}

export interface CatalogBlock {
  name: string;
  required: boolean | string;
  multiple?: boolean;
  labelRequired?: boolean;
  arguments: CatalogArgument[];
  blocks: CatalogBlock[];
}

export interface CatalogEntry {
  docUrl: string;
  stability: "generally-available" | "public-preview" | "experimental" | null;
  community?: boolean;
  labelRequired: boolean;
  arguments: CatalogArgument[];
  blocks: CatalogBlock[];
  exports: { name: string; type: string }[];
  codeCrossCheck?: { inCodeNotDocs?: string[]; mismatches?: string[] };
}

type EntryMap = Readonly<Record<string, CatalogEntry>>;

const COMPONENTS = (components as unknown as { components: EntryMap }).components;
const CONFIG_BLOCKS = (configBlocks as unknown as { configBlocks: EntryMap }).configBlocks;

export type CatalogKind = "component" | "config-block";

export interface CatalogLookup {
  name: string;
  kind: CatalogKind;
  entry: CatalogEntry;
}

export function lookupComponent(name: string): CatalogLookup | undefined {
  const c = COMPONENTS[name];
  if (c !== undefined) return { name, kind: "component", entry: c };
  const b = CONFIG_BLOCKS[name];
  return b === undefined ? undefined : { name, kind: "config-block", entry: b };
}

export function componentNames(): string[] {
  return Object.keys(COMPONENTS);
}

export function configBlockNames(): string[] {
  return Object.keys(CONFIG_BLOCKS);
}

/** First name segments of every component (`prometheus`, `discovery`, …): references under them must resolve. */
export const COMPONENT_NAMESPACES: ReadonlySet<string> = new Set(Object.keys(COMPONENTS).map((n) => n.split(".")[0]));

/** The arguments and blocks allowed at one level of a component (its top level, or inside a block path). */
export interface Schema {
  arguments: CatalogArgument[];
  blocks: CatalogBlock[];
  /** Names the Go code accepts here although the docs do not list them. */
  extraNames: Set<string>;
  /** Where the code disagrees with the docs on required-ness, the code's answer, by name. */
  codeRequired: Map<string, boolean>;
  /** Names whose docs type disagrees with the code: their literal types are not checked. */
  typeUnchecked: Set<string>;
}

/** What the catalog's code cross-check says about the names at `path` of a component. */
function crossCheckAt(entry: CatalogEntry, path: readonly string[]): { codeRequired: Map<string, boolean>; typeUnchecked: Set<string> } {
  const codeRequired = new Map<string, boolean>();
  const typeUnchecked = new Set<string>();
  const prefix = path.join(" > ");
  for (const line of entry.codeCrossCheck?.mismatches ?? []) {
    const m = /^(?:\(top level\) |(.+?) )?(?:argument|block) `([^`]+)`: (.*)$/.exec(line);
    if (m === null || (m[1] ?? "") !== prefix) continue;
    const required = /required=(?:yes|no), code (required|optional)/.exec(m[3]);
    if (required) codeRequired.set(m[2], required[1] === "required");
    if (/type/.test(m[3])) typeUnchecked.add(m[2]);
  }
  return { codeRequired, typeUnchecked };
}

function extrasAt(entry: CatalogEntry, path: readonly string[]): Set<string> {
  const extras = new Set<string>();
  const prefix = path.join(" > ");
  for (const item of entry.codeCrossCheck?.inCodeNotDocs ?? []) {
    const m = /^(?:argument|block) (.+)$/.exec(item);
    if (m === null) continue;
    const parts = m[1].split(" > ");
    if (parts.slice(0, -1).join(" > ") === prefix) extras.add(parts[parts.length - 1]);
  }
  return extras;
}

/** Schemas are derived once per component and block path: checks ask for them on every keystroke. */
const schemaCache = new WeakMap<CatalogEntry, Map<string, Schema>>();

function cachedSchema(entry: CatalogEntry, path: readonly string[], make: () => Schema): Schema {
  let byPath = schemaCache.get(entry);
  if (byPath === undefined) schemaCache.set(entry, (byPath = new Map()));
  const key = path.join(" > ");
  let schema = byPath.get(key);
  if (schema === undefined) byPath.set(key, (schema = make()));
  return schema;
}

export function topSchema(entry: CatalogEntry): Schema {
  return cachedSchema(entry, [], () => ({ arguments: entry.arguments, blocks: entry.blocks, extraNames: extrasAt(entry, []), ...crossCheckAt(entry, []) }));
}

export function blockSchema(entry: CatalogEntry, path: readonly string[], block: CatalogBlock): Schema {
  return cachedSchema(entry, path, () => ({
    arguments: block.arguments,
    blocks: block.blocks,
    extraNames: extrasAt(entry, path),
    ...crossCheckAt(entry, path),
  }));
}

/** Whether an argument or block must be given, by the code where it disagrees with the docs. */
export function isRequired(schema: Schema, item: { name: string; required: boolean | string }): boolean {
  return schema.codeRequired.get(item.name) ?? item.required === true;
}
