/**
 * What an Alloy expression is worth before Alloy runs: literals, arrays, objects, arithmetic, string
 * concatenation and the standard-library calls whose result is known from their arguments. Anything that needs
 * the running config (a reference to a component, `sys.env`, most functions) is known only by its type, or not
 * at all — unless a host is given: then `constants.hostname` and `sys.env(…)` are that host's (as when the lab
 * evaluates a config for each of its nodes). Pure: a tree in, a value out.
 */
import { binaryPrecedence, Tok, childExprs, goUnquote, type Expr } from "../syntax";

export type StaticValue =
  /** `text` is the string's value when it is known. */
  | { kind: "string"; text?: string }
  /** `text` is Go's string form of the number (what Alloy converts it to), when it is known. */
  | { kind: "number"; text?: string }
  | { kind: "bool"; value?: boolean }
  | { kind: "null" }
  | { kind: "array"; elements?: StaticValue[] }
  | { kind: "object"; fields?: Map<string, StaticValue> }
  /** Could be anything at run time. */
  | { kind: "unknown" };

/** The host a config is evaluated on: its name and environment. */
export interface EvaluationHost {
  hostname: string;
  env: Readonly<Record<string, string>>;
}

const UNKNOWN: StaticValue = { kind: "unknown" };
const SOME_STRING: StaticValue = { kind: "string" };

/** `a.b.c` as "a.b.c", or undefined when the expression is not a plain dotted name. */
export function dottedName(e: Expr): string | undefined {
  if (e.kind === "identifier") return e.name;
  if (e.kind === "access") {
    const inner = dottedName(e.value);
    return inner && `${inner}.${e.name.name}`;
  }
  return undefined;
}

/** Values of names that are not components: Alloy's constants are strings whose text depends on the host. */
function namedValue(name: string, host: EvaluationHost | undefined): StaticValue {
  if (host !== undefined && name === "constants.hostname") return { kind: "string", text: host.hostname };
  return name.startsWith("constants.") ? SOME_STRING : UNKNOWN;
}

function text(v: StaticValue): string | undefined {
  return v.kind === "string" ? v.text : undefined;
}

/** Standard-library calls whose result is known: string functions on known text, and typed results. */
function callValue(fn: string, args: StaticValue[], host: EvaluationHost | undefined): StaticValue {
  const [a, b, c] = args.map(text);
  const str = (f: () => string | undefined): StaticValue => ({ kind: "string", text: f() });
  switch (fn) {
    case "sys.env":
    case "env":
      // Go's os.Getenv: an unset variable is "".
      return host !== undefined && a !== undefined ? { kind: "string", text: host.env[a] ?? "" } : SOME_STRING;
    case "convert.nonsensitive":
    case "nonsensitive":
    case "string.format":
    case "format":
      return SOME_STRING;
    case "string.to_lower":
      return str(() => a?.toLowerCase());
    case "string.to_upper":
      return str(() => a?.toUpperCase());
    case "string.trim_space":
      return str(() => a?.trim());
    case "string.trim_prefix":
      return str(() => (a !== undefined && b !== undefined ? (a.startsWith(b) ? a.slice(b.length) : a) : undefined));
    case "string.trim_suffix":
      return str(() => (a !== undefined && b !== undefined ? (b !== "" && a.endsWith(b) ? a.slice(0, a.length - b.length) : a) : undefined));
    case "string.replace":
      return str(() => (a !== undefined && b !== undefined && c !== undefined ? a.split(b).join(c) : undefined));
    case "string.join": {
      const list = args[0];
      const parts = list?.kind === "array" ? list.elements?.map(text) : undefined;
      return str(() => (parts !== undefined && b !== undefined && parts.every((p) => p !== undefined) ? parts.join(b) : undefined));
    }
    case "array.concat": {
      if (!args.every((x) => x.kind === "array")) return UNKNOWN;
      const lists = args as { kind: "array"; elements?: StaticValue[] }[];
      return { kind: "array", elements: lists.every((l) => l.elements !== undefined) ? lists.flatMap((l) => l.elements!) : undefined };
    }
    default:
      return UNKNOWN;
  }
}

function numberText(literal: string): string | undefined {
  return /^[0-9]+$/.test(literal) ? BigInt(literal).toString() : undefined;
}

function binaryValue(op: Tok, l: StaticValue, r: StaticValue): StaticValue {
  // ||, && and the comparisons (the three lowest precedences) give a bool.
  const precedence = binaryPrecedence(op);
  if (precedence > 0 && precedence <= 3) return { kind: "bool" };
  if (op === Tok.ADD && l.kind === "string" && r.kind === "string")
    return { kind: "string", text: l.text !== undefined && r.text !== undefined ? l.text + r.text : undefined };
  return l.kind === "number" && r.kind === "number" ? { kind: "number" } : UNKNOWN;
}

/** The value of an expression, as far as it is known without running the config (on `host`, when given). */
export function evaluate(e: Expr, host?: EvaluationHost): StaticValue {
  const sub = (x: Expr): StaticValue => evaluate(x, host);
  switch (e.kind) {
    case "literal":
      if (e.tok === Tok.STRING) return { kind: "string", text: goUnquote(e.value) };
      if (e.tok === Tok.BOOL) return { kind: "bool", value: e.value === "true" };
      if (e.tok === Tok.NULL) return { kind: "null" };
      return { kind: "number", text: e.tok === Tok.NUMBER ? numberText(e.value) : undefined };
    case "array":
      return { kind: "array", elements: e.elements.map(sub) };
    case "object": {
      const fields = new Map<string, StaticValue>();
      for (const f of e.fields) fields.set(f.quoted ? (goUnquote(`"${f.name.name}"`) ?? f.name.name) : f.name.name, sub(f.value));
      return { kind: "object", fields };
    }
    case "paren":
      return sub(e.inner);
    case "unary":
      return e.op === Tok.NOT ? { kind: "bool" } : sub(e.value).kind === "number" ? { kind: "number" } : UNKNOWN;
    case "binary":
      return binaryValue(e.op, sub(e.left), sub(e.right));
    case "call": {
      const fn = dottedName(e.value);
      return fn === undefined ? UNKNOWN : callValue(fn, e.args.map(sub), host);
    }
    case "identifier":
    case "access": {
      const name = dottedName(e);
      return name === undefined ? UNKNOWN : namedValue(name, host);
    }
    default:
      return UNKNOWN;
  }
}

/** Whether anything inside the expression is a call or name, for callers that only trust literal structure. */
export function isConstant(e: Expr): boolean {
  if (e.kind === "identifier" || e.kind === "access" || e.kind === "call" || e.kind === "index" || e.kind === "bad") return false;
  return childExprs(e).every(isConstant);
}
