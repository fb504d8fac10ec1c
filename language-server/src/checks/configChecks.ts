/**
 * Checks an Alloy config — the files of one folder, which Alloy loads as one config — against the component
 * catalog: unknown components, arguments and blocks, missing required arguments, literal type mismatches,
 * duplicate labels, references to components that do not exist, and the clustering block's rules.
 * Pure: parsed files in, diagnostics out.
 */
import { closestName } from "./closestName";
import type { ConfigDiagnostic } from "./configDiagnostic";
import { expectedValueType, literalValueType } from "./literalTypes";
import { TargetFlow } from "./targetFlow";
import {
  blockSchema,
  CLUSTERING_COMPONENTS,
  COMPONENT_NAMESPACES,
  componentNames,
  configBlockNames,
  isRequired,
  lookupComponent,
  topSchema,
  type CatalogEntry,
  type Schema,
} from "../catalog/alloyCatalog";
import { childExprs, type AttributeStmt, type BlockStmt, type Expr, type ParseResult, type Span, type Stmt } from "../syntax";

export interface ConfigFile {
  name: string;
  parsed: ParseResult;
}

/** Config blocks that take a label, like components (the others: logging, http, …, have none). */
const LABELLED_CONFIG_BLOCKS = new Set(["argument", "export", "declare", "import.file", "import.git", "import.http", "import.string", "foreach"]);

interface Declared {
  id: string;
  file: string;
  span: Span;
}

class ConfigChecker {
  readonly out: ConfigDiagnostic[] = [];
  private file = "";
  private readonly declared = new Map<string, Declared>();
  /** Namespaces of imported modules (`import.file "math"` → `math`) and names of declared components. */
  private readonly custom = new Set<string>();

  constructor(private readonly files: readonly ConfigFile[]) {}

  private report(code: string, severity: ConfigDiagnostic["severity"], message: string, span: Span, fix?: ConfigDiagnostic["fix"]): void {
    this.out.push({ file: this.file, code, severity, message, start: span.start, end: Math.max(span.end, span.start + 1), ...(fix && { fix }) });
  }

  /** An unknown name: Alloy's message, plus "did you mean" and a quick fix when a known name is close. */
  private reportUnknown(code: string, message: string, name: string, known: readonly string[], span: Span): void {
    const suggestion = closestName(name, known);
    if (suggestion === undefined) return this.report(code, "error", message, span);
    this.report(code, "error", `${message}; did you mean "${suggestion}"?`, span, { kind: "replace", start: span.start, end: span.end, text: suggestion, title: `Change to ${suggestion}` });
  }

  private at(file: ConfigFile, offset: number): string {
    const p = file.parsed.source.position(offset);
    return `${file.name}:${p.line}:${p.column}`;
  }

  run(): ConfigDiagnostic[] {
    for (const f of this.files) {
      for (const s of f.parsed.file.body) {
        if (s.kind !== "block") continue;
        const name = s.name.join(".");
        if (name === "declare" && s.label !== "") this.custom.add(s.label);
        if (name.startsWith("import.") && s.label !== "") this.custom.add(s.label);
      }
    }
    // Declarations of every file first: a reference may name a component of another file of the folder.
    for (const f of this.files) {
      this.file = f.name;
      this.declare(f, f.parsed.file.body, this.declared);
    }
    for (const f of this.files) {
      this.file = f.name;
      this.checkStatements(f, f.parsed.file.body, this.declared, true);
    }
    this.checkTargetFlow();
    return this.out;
  }

  /** Clustered components whose targets come from one host, or carry a host name in their labels. */
  private checkTargetFlow(): void {
    const flow = new TargetFlow(this.files.flatMap((f) => f.parsed.file.body));
    for (const f of this.files) {
      this.file = f.name;
      for (const s of f.parsed.file.body) {
        if (s.kind !== "block" || s.broken || !clusteringOn(s)) continue;
        const targets = s.body.find((x): x is AttributeStmt => x.kind === "attribute" && x.name.name === "targets");
        if (targets === undefined) continue;
        for (const finding of flow.findings(targets.value)) {
          if (finding.kind === "host-specific-exporter") {
            this.report(
              "clustering/host-specific-exporter",
              "warning",
              `targets of ${finding.via} reach this clustered component: that exporter's targets are the host Alloy runs on (instance = its host name), so every node has different targets and the ring splits what each node should scrape itself`,
              finding.span,
            );
          } else {
            this.report(
              "clustering/hostname-label",
              "warning",
              `a host name (constants.hostname or the HOSTNAME variable) reaches the labels of these targets via ${finding.via}: each node computes different keys for the same target, so targets are scraped twice or not at all`,
              finding.span,
            );
          }
        }
      }
    }
  }

  /** Records the labelled blocks of a body in `scope`, reporting labels used twice. */
  private declare(f: ConfigFile, body: readonly Stmt[], scope: Map<string, Declared>): void {
    const blocks = body.filter((s): s is BlockStmt => s.kind === "block" && !s.broken);
    for (const b of blocks) {
      if (b.label === "") continue;
      const id = `${b.name.join(".")}.${b.label}`;
      const earlier = scope.get(id);
      if (earlier !== undefined) {
        const other = this.files.find((x) => x.name === earlier.file)!;
        this.report("alloy/duplicate-label", "error", `block ${id} already declared at ${this.at(other, earlier.span.start)}`, b.nameSpan);
      } else scope.set(id, { id, file: f.name, span: b.nameSpan });
    }
  }

  /** The statements of a body of components (a file, or a `declare` body with its own scope). */
  private checkStatements(f: ConfigFile, body: readonly Stmt[], scope: Map<string, Declared>, topLevel: boolean): void {
    for (const s of body) {
      if (s.broken) continue;
      if (s.kind === "attribute") {
        if (topLevel) this.report("alloy/unknown-argument", "error", `unrecognized attribute name "${s.name.name}"`, s.name);
        continue;
      }
      this.checkComponent(f, s, scope);
    }
  }

  private checkComponent(f: ConfigFile, b: BlockStmt, scope: Map<string, Declared>): void {
    const name = b.name.join(".");
    if (this.custom.has(b.name[0]) || (b.name.length === 1 && this.custom.has(name))) {
      this.checkReferences(b.body, scope);
      return;
    }
    const found = lookupComponent(name);
    if (found === undefined) {
      this.reportUnknown("alloy/unknown-component", `unrecognized component name "${name}"`, name, [...componentNames(), ...configBlockNames()], b.nameSpan);
      return;
    }
    const needsLabel = found.kind === "component" || LABELLED_CONFIG_BLOCKS.has(name);
    if (needsLabel && b.label === "") this.report("alloy/missing-label", "error", `${name} needs a label: ${name} "LABEL" { … }`, b.nameSpan);
    if (name === "declare") {
      // A declared component's body is its own scope: it sees its own components and its arguments.
      const inner = new Map<string, Declared>();
      this.declare(f, b.body, inner);
      this.checkStatements(f, b.body, inner, false);
      this.checkReferences(b.body, inner);
      return;
    }
    if (name === "foreach") return; // its template is evaluated per item: not checked statically
    this.checkSchema(found.entry, name, b, topSchema(found.entry), []);
    this.checkReferences(b.body, scope);
  }

  private checkSchema(entry: CatalogEntry, component: string, owner: BlockStmt, schema: Schema, path: string[]): void {
    const seenAttrs = new Set<string>();
    const blockCounts = new Map<string, BlockStmt[]>();
    for (const s of owner.body) {
      if (s.broken) continue;
      if (s.kind === "attribute") {
        this.checkAttribute(s, schema, seenAttrs);
        continue;
      }
      const blockName = s.name.join(".");
      blockCounts.set(blockName, [...(blockCounts.get(blockName) ?? []), s]);
    }
    for (const [blockName, list] of blockCounts) {
      const spec = schema.blocks.find((b) => b.name === blockName);
      if (blockName === "clustering" && path.length === 0) {
        this.checkClustering(component, list, spec !== undefined);
        continue;
      }
      if (spec === undefined) {
        if (schema.extraNames.has(blockName)) continue;
        for (const b of list) {
          // Per-metric toggles are documented as arguments (type `metric`) but written as blocks.
          const asArgument = schema.arguments.find((a) => a.name === blockName);
          if (asArgument !== undefined && /^(metric|resource_attribute)$/.test(asArgument.type)) continue;
          if (asArgument !== undefined) {
            this.report("alloy/unknown-block", "error", `"${blockName}" must be an attribute, but is used as a block`, b.nameSpan);
          } else {
            this.reportUnknown("alloy/unknown-block", `unrecognized block name "${blockName}"`, blockName, schema.blocks.map((x) => x.name), b.nameSpan);
          }
        }
        continue;
      }
      if (spec.multiple !== true && list.length > 1) {
        for (const b of list.slice(1)) this.report("alloy/duplicate-block", "error", `block "${blockName}" may only be specified once`, b.nameSpan);
      }
      for (const b of list) this.checkSchema(entry, component, b, blockSchema(entry, [...path, blockName], spec), [...path, blockName]);
    }
    for (const a of schema.arguments) {
      if (isRequired(schema, a) && !seenAttrs.has(a.name)) {
        this.report("alloy/missing-argument", "error", `missing required attribute "${a.name}"`, owner.nameSpan);
      }
    }
  }

  private checkAttribute(s: AttributeStmt, schema: Schema, seen: Set<string>): void {
    const name = s.name.name;
    if (seen.has(name)) {
      this.report("alloy/duplicate-argument", "error", `attribute "${name}" may only be provided once`, s.name);
      return;
    }
    seen.add(name);
    const spec = schema.arguments.find((a) => a.name === name);
    if (spec === undefined) {
      if (schema.extraNames.has(name)) return;
      if (schema.blocks.some((b) => b.name === name)) {
        this.report("alloy/unknown-argument", "error", `"${name}" must be a block, but is used as an attribute`, s.name);
        return;
      }
      this.reportUnknown("alloy/unknown-argument", `unrecognized attribute name "${name}"`, name, schema.arguments.map((a) => a.name), s.name);
      return;
    }
    const expected = schema.typeUnchecked.has(name) ? undefined : expectedValueType(spec.type);
    const got = literalValueType(s.value);
    if (expected !== undefined && got !== undefined && got !== "null" && got !== expected) {
      this.report("alloy/type-mismatch", "error", `"${name}" expects ${spec.type}, got ${got}`, s.value);
    }
  }

  private checkClustering(component: string, blocks: BlockStmt[], supported: boolean): void {
    if (!supported) {
      for (const b of blocks) {
        this.report(
          "clustering/unsupported-component",
          "error",
          `${component} does not support clustering; only ${CLUSTERING_COMPONENTS.join(", ")} do`,
          b.nameSpan,
          { kind: "remove", start: b.start, end: b.end, title: "Remove the clustering block" },
        );
      }
      return;
    }
    for (const b of blocks.slice(1)) {
      this.report("clustering/duplicate-block", "error", `block "clustering" may only be specified once`, b.nameSpan, { kind: "remove", start: b.start, end: b.end, title: "Remove the duplicate clustering block" });
    }
    const b = blocks[0];
    let enabled: AttributeStmt | undefined;
    for (const s of b.body) {
      if (s.kind === "block") {
        this.report("clustering/unknown-attribute", "error", `unrecognized block name "${s.name.join(".")}" in clustering (it has only "enabled")`, s.nameSpan);
      } else if (s.name.name !== "enabled") {
        this.report("clustering/unknown-attribute", "error", `unrecognized attribute name "${s.name.name}" in clustering (it has only "enabled")`, s.name);
      } else enabled = s;
    }
    if (enabled === undefined) {
      this.report("clustering/missing-enabled", "error", 'missing required attribute "enabled" in clustering', b.nameSpan, {
        kind: "insert",
        at: b.lcurly + 1,
        text: "\n\tenabled = true\n",
        title: "Add enabled = true",
      });
      return;
    }
    const t = literalValueType(enabled.value);
    if (t !== undefined && t !== "bool") {
      this.report("clustering/invalid-enabled", "error", `"enabled" must be a bool (true or false), got ${t}`, enabled.value, {
        kind: "replace",
        start: enabled.value.start,
        end: enabled.value.end,
        text: "true",
        title: "Change to true",
      });
    }
  }

  /** Every reference to a component (under a component namespace) must name one declared in scope. */
  private checkReferences(body: readonly Stmt[], scope: Map<string, Declared>): void {
    const visitExpr = (e: Expr): void => {
      const path = accessPath(e);
      if (path !== undefined) {
        if (COMPONENT_NAMESPACES.has(path[0]) || this.custom.has(path[0])) this.checkReference(path, e, scope);
        return;
      }
      childExprs(e).forEach(visitExpr);
    };
    const visitStmt = (s: Stmt): void => {
      if (s.broken) return;
      if (s.kind === "attribute") visitExpr(s.value);
      else if (s.name.join(".") !== "declare") s.body.forEach(visitStmt);
    };
    body.forEach(visitStmt);
  }

  private checkReference(path: string[], e: Expr, scope: Map<string, Declared>): void {
    const text = path.join(".");
    for (let n = path.length; n >= 2; n--) if (scope.has(path.slice(0, n).join("."))) return;
    // A custom component's own namespace (an import) cannot be resolved here: its exports are unknown.
    if (this.custom.has(path[0]) && lookupComponent(path.slice(0, 2).join(".")) === undefined && !COMPONENT_NAMESPACES.has(path[0])) return;
    this.report("alloy/unknown-reference", "error", `component "${text}" does not exist or is out of scope`, e);
  }
}

/** The `enabled = true` attribute of a component's clustering block, when clustering is on. */
export function clusteringEnabledAttr(b: BlockStmt): AttributeStmt | undefined {
  const c = b.body.find((s): s is BlockStmt => s.kind === "block" && s.name.join(".") === "clustering");
  const enabled = c?.body.find((s): s is AttributeStmt => s.kind === "attribute" && s.name.name === "enabled");
  return enabled?.value.kind === "literal" && enabled.value.value === "true" ? enabled : undefined;
}

function clusteringOn(b: BlockStmt): boolean {
  return clusteringEnabledAttr(b) !== undefined;
}

/** Where a parsed config turns clustering on (one span per component). */
export function clusteredSpans(parsed: ParseResult): Span[] {
  return parsed.file.body.flatMap((s) => (s.kind === "block" && !s.broken ? [clusteringEnabledAttr(s)].filter((a): a is AttributeStmt => a !== undefined).map((a) => ({ start: a.start, end: a.end })) : []));
}

/** `a.b.c` as ["a", "b", "c"], or undefined when the expression is not a plain dotted name. */
function accessPath(e: Expr): string[] | undefined {
  if (e.kind === "identifier") return [e.name];
  if (e.kind === "access") {
    const inner = accessPath(e.value);
    return inner && [...inner, e.name.name];
  }
  return undefined;
}

/** Checks one config (the files of one folder). Statements with syntax errors are left to the parser. */
export function checkConfig(files: readonly ConfigFile[]): ConfigDiagnostic[] {
  return new ConfigChecker(files).run();
}
