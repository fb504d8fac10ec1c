/**
 * Follows where a clustered component's targets come from, for the two traps of sharding by target labels:
 * - targets of host-specific exporters (prometheus.exporter.unix, .process, .windows, .cadvisor): each node
 *   discovers its own host's targets (instance = its host name), so the ring sees different target sets on
 *   every node and shards what it should not;
 * - a host name in the labels (constants.hostname, sys.env("HOSTNAME")): every node computes different keys
 *   for the same target, so targets are scraped several times or not at all.
 * It follows references through components' `targets` arguments (discovery.relabel and the like), list
 * expressions and function calls, and relabel rules that write a host name into a label.
 */
import { childExprs, type AttributeStmt, type BlockStmt, type Expr, type Span, type Stmt } from "../syntax";

const HOST_SPECIFIC_EXPORTERS = new Set(["prometheus.exporter.unix", "prometheus.exporter.process", "prometheus.exporter.windows", "prometheus.exporter.cadvisor"]);

export interface TargetFlowFinding {
  kind: "host-specific-exporter" | "hostname-label";
  /** The component the trap comes from (an exporter, or where the host name is written). */
  via: string;
  span: Span;
}

interface Component {
  id: string;
  name: string;
  block: BlockStmt;
}

function attr(body: readonly Stmt[], name: string): AttributeStmt | undefined {
  return body.find((s): s is AttributeStmt => s.kind === "attribute" && s.name.name === name);
}

function dotted(e: Expr): string | undefined {
  if (e.kind === "identifier") return e.name;
  if (e.kind === "access") {
    const inner = dotted(e.value);
    return inner && `${inner}.${e.name.name}`;
  }
  return undefined;
}

/** Whether an expression reads the host name: constants.hostname, sys.env("HOSTNAME") or env("HOSTNAME"). */
export function readsHostname(e: Expr): boolean {
  if (dotted(e) === "constants.hostname") return true;
  if (e.kind === "call") {
    const fn = dotted(e.value);
    const arg = e.args[0];
    if ((fn === "sys.env" || fn === "env") && arg?.kind === "literal" && /^"(HOSTNAME|HOST|NODE_NAME)"$/.test(arg.value)) return true;
  }
  return childExprs(e).some(readsHostname);
}

/** References (`a.b.c.d`) inside an expression, outermost first. */
function references(e: Expr, out: { path: string; expr: Expr }[] = []): { path: string; expr: Expr }[] {
  const d = dotted(e);
  if (d !== undefined && d.includes(".")) out.push({ path: d, expr: e });
  else childExprs(e).forEach((c) => references(c, out));
  return out;
}

export class TargetFlow {
  private readonly byId = new Map<string, Component>();

  constructor(body: readonly Stmt[]) {
    for (const s of body) {
      if (s.kind === "block" && s.label !== "" && !s.broken) {
        const name = s.name.join(".");
        this.byId.set(`${name}.${s.label}`, { id: `${name}.${s.label}`, name, block: s });
      }
    }
  }

  private componentOf(path: string): Component | undefined {
    const parts = path.split(".");
    for (let n = parts.length; n >= 2; n--) {
      const c = this.byId.get(parts.slice(0, n).join("."));
      if (c !== undefined) return c;
    }
    return undefined;
  }

  /** What the targets expression of a clustered component brings in. */
  findings(targets: Expr): TargetFlowFinding[] {
    const found: TargetFlowFinding[] = [];
    const seen = new Set<string>();
    const visit = (e: Expr): void => {
      if (readsHostnameOutsideReferences(e)) found.push({ kind: "hostname-label", via: "this targets list", span: e });
      for (const ref of references(e)) {
        const c = this.componentOf(ref.path);
        if (c === undefined || seen.has(c.id)) continue;
        seen.add(c.id);
        if (HOST_SPECIFIC_EXPORTERS.has(c.name)) {
          found.push({ kind: "host-specific-exporter", via: c.id, span: ref.expr });
          continue;
        }
        // A rule that writes the host name into a label (discovery.relabel, and relabel rules generally).
        for (const rule of c.block.body) {
          if (rule.kind === "block" && rule.name.join(".") === "rule" && rule.body.some((s) => s.kind === "attribute" && readsHostname(s.value))) {
            found.push({ kind: "hostname-label", via: c.id, span: ref.expr });
          }
        }
        const upstream = attr(c.block.body, "targets");
        if (upstream !== undefined) {
          const before = found.length;
          visit(upstream.value);
          // Report upstream findings where this component's targets refer to them.
          for (let i = before; i < found.length; i++) found[i] = { ...found[i], span: ref.expr };
        }
      }
    };
    visit(targets);
    return found;
  }
}

/** Host-name reads that are part of the list itself (labels written in it), not of referenced components. */
function readsHostnameOutsideReferences(e: Expr): boolean {
  if (dotted(e) !== undefined) return dotted(e) === "constants.hostname";
  if (e.kind === "call" && readsHostname(e) && ["sys.env", "env"].includes(dotted(e.value) ?? "")) return true;
  return childExprs(e).some(readsHostnameOutsideReferences);
}
