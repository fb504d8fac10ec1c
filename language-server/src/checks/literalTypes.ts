/** Which literal values fit a catalog argument type, for the type-mismatch check. */
import { Tok, type Expr } from "../syntax";

/** Alloy's value type of a literal expression, or undefined for anything whose value needs evaluating. */
export function literalValueType(e: Expr): "string" | "number" | "bool" | "null" | "array" | "object" | undefined {
  switch (e.kind) {
    case "literal":
      return e.tok === Tok.STRING ? "string" : e.tok === Tok.BOOL ? "bool" : e.tok === Tok.NULL ? "null" : "number";
    case "array":
      return "array";
    case "object":
      return "object";
    default:
      return undefined;
  }
}

/** The value type a catalog type expects, or undefined when it is too loose or unusual to check. */
export function expectedValueType(catalogType: string): "string" | "number" | "bool" | "array" | "object" | undefined {
  const t = catalogType.trim().toLowerCase();
  if (t === "string" || t === "secret" || t === "duration" || t === "string or secret") return "string";
  if (t === "bool" || t === "boolean") return "bool";
  if (/^(number|int|uint|u?int(8|16|32|64)|float(32|64)?)$/.test(t)) return "number";
  if (/^(list|array)\(/.test(t) || t.startsWith("[]")) return "array";
  if (/^map\(/.test(t) || t.startsWith("map[") || t === "object") return "object";
  return undefined;
}
