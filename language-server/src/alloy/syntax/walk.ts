/** The expressions directly inside an expression, in source order: the one place that knows the tree's shape. */
import type { Expr } from "./ast";

export function childExprs(e: Expr): Expr[] {
  switch (e.kind) {
    case "array":
      return e.elements;
    case "object":
      return e.fields.map((f) => f.value);
    case "call":
      return [e.value, ...e.args];
    case "access":
    case "unary":
      return [e.value];
    case "index":
      return [e.value, e.index];
    case "binary":
      return [e.left, e.right];
    case "paren":
      return [e.inner];
    default:
      return [];
  }
}
