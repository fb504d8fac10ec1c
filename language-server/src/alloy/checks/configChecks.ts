/**
 * Checks an Alloy config — the files of one folder, which Alloy loads as one config — against the component
 * catalog: unknown components, arguments and blocks, missing required arguments, literal type mismatches,
 * duplicate labels, references to components that do not exist, and the clustering block's rules.
 * Pure: parsed files in, diagnostics out.
 */
import { closestName } from "../go/closestName";
import type { ConfigDiagnostic } from "./finding";
import { evaluate } from "../values/staticValue";
import { argumentKind, conversionProblem } from "../values/valueConversion";
import { clusteredUses } from "./clusteredTargets";
import { CLUSTERING_BLOCK_COMPONENTS } from "../clustering/clusteredComponents";
import {
  blockSchema,
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

/**
 * What a body of statements sees: the config's top level, or a `declare` body. A declare body sees its own
 * components, arguments, nested declares and imports, and the declares and imports of the bodies around it;
 * components outside it are not in its scope, and nothing outside sees into it.
 */
interface Scope {
  /** Labelled blocks of this body by id (`prometheus.scrape.pods`, `argument.targets`), for references. */
  declared: Map<string, Declared>;
  /** Custom components by name (`declare "name"`), this body's and the enclosing bodies'. */
  declares: Map<string, BlockStmt>;
  /**
   * Namespaces of imported modules (`import.file "math"` → `math`), this body's and the enclosing bodies', with
   * the module's declares when we could read it (a local file or folder), undefined when not.
   */
  namespaces: Map<string, ReadonlyMap<string, BlockStmt> | undefined>;
}

/**
 * Reads the module an `import.file` names (`filename`, as written) for a config file: its parsed files, or
 * undefined when it can't be read from here. Checks stay pure: the caller decides what reading means.
 */
export type ModuleReader = (fromFile: string, filename: string) => readonly ConfigFile[] | undefined;

/** The statements of a body that are not broken by a syntax error. */
function blocksOf(body: readonly Stmt[]): BlockStmt[] {
  return body.filter((s): s is BlockStmt => s.kind === "block" && !s.broken);
}

class ConfigChecker {
  readonly out: ConfigDiagnostic[] = [];
  private file = "";

  private readonly brokenFiles: ReadonlySet<string>;
  private readonly readModule?: ModuleReader;
  private readonly only?: string;

  constructor(
    private readonly files: readonly ConfigFile[],
    options: ConfigCheckOptions,
  ) {
    this.brokenFiles = options.brokenFiles ?? new Set();
    this.readModule = options.readModule;
    this.only = options.only;
  }

  /** Whether a file's findings are wanted (all are, unless one file was asked for). */
  private wanted(file: string): boolean {
    return this.only === undefined || this.only === file;
  }

  /** The declares of the module an import block names, when it is an import.file of a literal path we can read. */
  private moduleDeclares(file: string, b: BlockStmt): ReadonlyMap<string, BlockStmt> | undefined {
    if (b.name.join(".") !== "import.file" || this.readModule === undefined) return undefined;
    const filename = b.body.find((s): s is AttributeStmt => s.kind === "attribute" && s.name.name === "filename");
    const value = filename && evaluate(filename.value);
    if (value?.kind !== "string" || value.text === undefined) return undefined;
    const files = this.readModule(file, value.text);
    if (files === undefined || files.some((m) => m.parsed.diagnostics.length > 0)) return undefined;
    return new Map(
      files.flatMap((m) =>
        blocksOf(m.parsed.file.body)
          .filter((d) => d.name.join(".") === "declare" && d.label !== "")
          .map((d) => [d.label, d] as const),
      ),
    );
  }

  private report(code: string, severity: ConfigDiagnostic["severity"], message: string, span: Span, fix?: ConfigDiagnostic["fix"]): void {
    if (this.brokenFiles.has(this.file) || !this.wanted(this.file)) return;
    this.out.push({ file: this.file, code, severity, message, start: span.start, end: Math.max(span.end, span.start + 1), ...(fix && { fix }) });
  }

  /** An unknown name: Alloy's message, plus "did you mean" and a quick fix when a known name is close. */
  private reportUnknown(code: string, message: string, name: string, known: readonly string[], span: Span): void {
    const suggestion = closestName(name, known);
    if (suggestion === undefined) return this.report(code, "error", message, span);
    this.report(code, "error", `${message}; did you mean "${suggestion}"?`, span, {
      kind: "replace",
      start: span.start,
      end: span.end,
      text: suggestion,
      title: `Change to ${suggestion}`,
    });
  }

  private at(file: ConfigFile, offset: number): string {
    const p = file.parsed.source.position(offset);
    return `${file.name}:${p.line}:${p.column}`;
  }

  /** The scope of a body inside `outer` (the top level when there is none): its declares and imports added. */
  private scopeOf(bodies: readonly { file: string; body: readonly Stmt[] }[], outer?: Scope): Scope {
    const scope: Scope = { declared: new Map(), declares: new Map(outer?.declares), namespaces: new Map(outer?.namespaces) };
    for (const { file, body } of bodies) {
      for (const b of blocksOf(body)) {
        const name = b.name.join(".");
        if (name === "declare" && b.label !== "") scope.declares.set(b.label, b);
        if (name.startsWith("import.") && b.label !== "") scope.namespaces.set(b.label, this.moduleDeclares(file, b));
      }
    }
    return scope;
  }

  run(): ConfigDiagnostic[] {
    const top = this.scopeOf(this.files.map((f) => ({ file: f.name, body: f.parsed.file.body })));
    // Declarations of every file first: a reference may name a component of another file of the folder.
    for (const f of this.files) {
      this.file = f.name;
      this.declare(f, f.parsed.file.body, top.declared);
    }
    for (const f of this.files) {
      if (!this.wanted(f.name)) continue;
      this.file = f.name;
      this.checkStatements(f, f.parsed.file.body, top, true);
    }
    this.checkTargetFlow();
    return this.out;
  }

  /** What differs between nodes in the targets of clustered components (see targetFlow.ts). */
  private checkTargetFlow(): void {
    for (const use of clusteredUses(
      this.files.map((f) => ({ file: f.name, body: f.parsed.file.body })),
      (file) => this.wanted(file),
    )) {
      this.file = use.file;
      const id = `${use.block.name.join(".")}.${use.block.label}`;
      for (const f of use.findings) {
        const path = f.origin.via.length > 0 ? `, via ${f.origin.via.join(" → ")}` : "";
        if (f.kind === "node-local") {
          this.report(
            "clustering/node-local-discovery",
            "warning",
            `the targets of ${id} are found from the node's own identity: ${f.origin.source}${path}. Each node sees only its own share, and the ring hands most of it to nodes that never see it, so those targets are never scraped. Turn clustering off for this component (each node then scrapes what it finds), or discover cluster-wide`,
            f.span,
          );
        } else if (f.origin.exporter !== undefined) {
          this.report(
            "clustering/host-specific-exporter",
            "warning",
            `label "${f.label}" of ${id}'s targets differs on every node: it is ${f.origin.source}${path}. Each node has a different target for the ring to share out, so each node's own exporter is scraped by some other node or by none. Set "${f.label}" to a constant with a discovery.relabel rule, or turn clustering off for this component`,
            f.span,
          );
        } else {
          this.report(
            "clustering/hostname-label",
            "warning",
            `label "${f.label}" of ${id}'s targets differs on every node: it comes from ${f.origin.source}${path}. Each node computes a different key for the same target, so targets are scraped twice or never. Relabel "${f.label}" to a constant, drop it, or turn clustering off for this component`,
            f.span,
          );
        }
      }
    }
  }

  /** Records the labelled blocks of a body in `scope`, reporting labels used twice. */
  private declare(f: ConfigFile, body: readonly Stmt[], scope: Map<string, Declared>): void {
    for (const b of blocksOf(body)) {
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
  private checkStatements(f: ConfigFile, body: readonly Stmt[], scope: Scope, topLevel: boolean): void {
    for (const s of body) {
      if (s.broken) continue;
      if (s.kind === "attribute") {
        if (topLevel) this.report("alloy/unknown-argument", "error", `unrecognized attribute name "${s.name.name}"`, s.name);
        continue;
      }
      this.checkComponent(f, s, scope);
    }
  }

  private checkComponent(f: ConfigFile, b: BlockStmt, scope: Scope): void {
    const name = b.name.join(".");
    if (b.name.length > 1 && scope.namespaces.has(b.name[0])) {
      // A component of an imported module: judged against the module's declares when we could read it.
      const module = scope.namespaces.get(b.name[0]);
      const declared = b.name.length === 2 ? module?.get(b.name[1]) : undefined;
      if (module !== undefined && declared === undefined) {
        const known = [...module.keys()].map((d) => `${b.name[0]}.${d}`);
        this.reportUnknown(
          "alloy/unknown-component",
          `unrecognized component name "${name}": module ${b.name[0]} declares ${known.length === 0 ? "nothing" : known.join(", ")}`,
          name,
          known,
          b.nameSpan,
        );
      } else if (declared !== undefined) this.checkCustomComponent(b, declared);
      this.checkReferences(b.body, scope);
      return;
    }
    const custom = b.name.length === 1 ? scope.declares.get(name) : undefined;
    if (custom !== undefined) {
      this.checkCustomComponent(b, custom);
      this.checkReferences(b.body, scope);
      return;
    }
    const found = lookupComponent(name);
    if (found === undefined) {
      const known = [...componentNames(), ...configBlockNames(), ...scope.declares.keys()];
      this.reportUnknown("alloy/unknown-component", `unrecognized component name "${name}"`, name, known, b.nameSpan);
      return;
    }
    const needsLabel = found.kind === "component" || LABELLED_CONFIG_BLOCKS.has(name);
    if (needsLabel && b.label === "") this.report("alloy/missing-label", "error", `${name} needs a label: ${name} "LABEL" { … }`, b.nameSpan);
    if (name === "declare") {
      // A declared component's body is its own scope: it sees its own components and its arguments.
      const inner = this.scopeOf([{ file: f.name, body: b.body }], scope);
      this.declare(f, b.body, inner.declared);
      this.checkStatements(f, b.body, inner, false);
      return;
    }
    if (name === "foreach") return; // its template is evaluated per item: not checked statically
    this.checkSchema(found.entry, name, b, topSchema(found.entry), []);
    this.checkReferences(b.body, scope);
  }

  /** A use of a custom component: every argument given must be declared, every required one given. */
  private checkCustomComponent(use: BlockStmt, declared: BlockStmt): void {
    if (use.label === "") this.report("alloy/missing-label", "error", `${use.name.join(".")} needs a label: ${use.name.join(".")} "LABEL" { … }`, use.nameSpan);
    const args = blocksOf(declared.body).filter((b) => b.name.join(".") === "argument" && b.label !== "");
    const names = args.map((a) => a.label);
    const given = new Set<string>();
    for (const s of use.body) {
      if (s.kind !== "attribute" || s.broken) continue;
      given.add(s.name.name);
      if (!names.includes(s.name.name)) {
        this.reportUnknown(
          "alloy/unknown-argument",
          `Provided argument "${s.name.name}" is not defined in the module ${declared.label}`,
          s.name.name,
          names,
          s.name,
        );
      }
    }
    for (const arg of args) {
      if (given.has(arg.label)) continue;
      const optional = arg.body.find((s): s is AttributeStmt => s.kind === "attribute" && s.name.name === "optional");
      const value = optional && evaluate(optional.value);
      // Alloy decides at run time when `optional` is not a literal: only a known false (or none) is required.
      if (value !== undefined && !(value.kind === "bool" && value.value === false)) continue;
      this.report("alloy/missing-argument", "error", `missing required argument "${arg.label}" to module ${declared.label}`, use.nameSpan);
    }
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
            this.reportUnknown(
              "alloy/unknown-block",
              `unrecognized block name "${blockName}"`,
              blockName,
              schema.blocks.map((x) => x.name),
              b.nameSpan,
            );
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
      this.reportUnknown(
        "alloy/unknown-argument",
        `unrecognized attribute name "${name}"`,
        name,
        schema.arguments.map((a) => a.name),
        s.name,
      );
      return;
    }
    const want = schema.typeUnchecked.has(name) ? undefined : argumentKind(spec.type);
    const problem = want && conversionProblem(evaluate(s.value), want);
    if (problem !== undefined) this.report("alloy/type-mismatch", "error", `"${name}" expects ${spec.type}, ${problem}`, s.value);
  }

  private checkClustering(component: string, blocks: BlockStmt[], supported: boolean): void {
    if (!supported) {
      for (const b of blocks) {
        this.report(
          "clustering/unsupported-component",
          "error",
          `${component} does not support clustering; only ${CLUSTERING_BLOCK_COMPONENTS.join(", ")} do`,
          b.nameSpan,
          { kind: "remove", start: b.start, end: b.end, title: "Remove the clustering block" },
        );
      }
      return;
    }
    for (const b of blocks.slice(1)) {
      this.report("clustering/duplicate-block", "error", `block "clustering" may only be specified once`, b.nameSpan, {
        kind: "remove",
        start: b.start,
        end: b.end,
        title: "Remove the duplicate clustering block",
      });
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
    const problem = conversionProblem(evaluate(enabled.value), "bool");
    if (problem !== undefined) {
      this.report("clustering/invalid-enabled", "error", `"enabled" must be a bool (true or false), ${problem}`, enabled.value, {
        kind: "replace",
        start: enabled.value.start,
        end: enabled.value.end,
        text: "true",
        title: "Change to true",
      });
    }
  }

  /** Every reference to a component (under a component namespace) must name one declared in scope. */
  private checkReferences(body: readonly Stmt[], scope: Scope): void {
    const visitExpr = (e: Expr): void => {
      const path = accessPath(e);
      if (path !== undefined) {
        if (COMPONENT_NAMESPACES.has(path[0]) || scope.declares.has(path[0]) || scope.namespaces.has(path[0])) this.checkReference(path, e, scope);
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

  private checkReference(path: string[], e: Expr, scope: Scope): void {
    if (this.brokenFiles.size > 0) return;
    for (let n = path.length; n >= 2; n--) if (scope.declared.has(path.slice(0, n).join("."))) return;
    this.report("alloy/unknown-reference", "error", `component "${path.join(".")}" does not exist or is out of scope`, e);
  }
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
export interface ConfigCheckOptions {
  /**
   * Files with syntax errors: Alloy stops at the parse error, so nothing more is reported in them, and
   * references from the other files are not judged (what they name may be past the error).
   */
  brokenFiles?: ReadonlySet<string>;
  readModule?: ModuleReader;
  /** Only this file's findings are wanted; the others are read for what they declare. */
  only?: string;
}

export function checkConfig(files: readonly ConfigFile[], options: ConfigCheckOptions = {}): ConfigDiagnostic[] {
  return new ConfigChecker(files, options).run();
}
