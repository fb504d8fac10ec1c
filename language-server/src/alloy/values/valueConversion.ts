/**
 * Alloy's rules for decoding a value into an argument's type (syntax/internal/value: `convertValue` and the
 * decoder): a number becomes a string; a string becomes a number when it reads as one (empty: error; a leading
 * `-`: a signed 64-bit integer; containing `.`, `e` or `E`: a float64; otherwise an unsigned 64-bit integer); a
 * duration is decoded from a string (so a number works only when it reads as one: `0`). Everything else must
 * already have the right type. A value not known until run time is never an error here.
 */
import type { StaticValue } from "./staticValue";

export type ArgumentKind = "string" | "duration" | "number" | "bool" | "array" | "object";

/** The kind of value a catalog type takes, or undefined when it is too loose or unusual to check. */
export function argumentKind(catalogType: string): ArgumentKind | undefined {
  const t = catalogType.trim().toLowerCase();
  // A secret also takes a string; the catalog's "secret" is sometimes a plain string in Go, so a number is let be.
  if (t === "string" || t === "secret" || t === "string or secret") return "string";
  if (t === "duration") return "duration";
  if (t === "bool" || t === "boolean") return "bool";
  if (/^(number|int|integer|uint|u?int(8|16|32|64)|float(32|64)?)$/.test(t)) return "number";
  if (/^(list|array)\(/.test(t) || t.startsWith("[]")) return "array";
  if (/^map\(/.test(t) || t.startsWith("map[") || t === "object") return "object";
  return undefined;
}

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;
/** Go's strconv.ParseFloat, decimal form (hexadecimal floats and inf/nan need no '.', 'e' or 'E' to be rare). */
const GO_FLOAT = /^[+-]?(?:[0-9]*\.?[0-9]*(?:[eE][+-]?[0-9]+)?|0[xX][0-9a-fA-F]*\.?[0-9a-fA-F]*[pP][+-]?[0-9]+)$/;

/** Whether Alloy's string-to-number conversion accepts `s`. */
export function stringReadsAsNumber(s: string): boolean {
  if (s === "") return false;
  if (s.startsWith("-")) return /^-[0-9]+$/.test(s) && BigInt(s) >= INT64_MIN;
  if (/[.eE]/.test(s)) {
    // Hexadecimal floats (`0x1.8p1`) are rare enough to take on trust rather than re-implement.
    if (/^[+-]?0[xX]/.test(s)) return GO_FLOAT.test(s.replace(/_/g, ""));
    return GO_FLOAT.test(s) && !s.includes("_") && Number.isFinite(Number(s));
  }
  return /^[0-9]+$/.test(s) && BigInt(s) <= UINT64_MAX;
}

function describe(v: StaticValue): string {
  if (v.kind === "string" && v.text !== undefined) return `string ${JSON.stringify(v.text)}`;
  if (v.kind === "number" && v.text !== undefined) return `number ${v.text}`;
  return v.kind;
}

/** Why Alloy would refuse the value for an argument of this kind, or undefined when it takes it (or may). */
export function conversionProblem(v: StaticValue, want: ArgumentKind): string | undefined {
  if (v.kind === "unknown" || v.kind === "null") return undefined;
  switch (want) {
    case "string":
      return v.kind === "string" || v.kind === "number" ? undefined : `got ${describe(v)}`;
    case "duration":
      if (v.kind === "string") return undefined;
      if (v.kind === "number")
        return v.text === undefined || v.text === "0" ? undefined : `got ${describe(v)}; a duration is a string with a unit, like "${v.text}s"`;
      return `got ${describe(v)}`;
    case "number":
      if (v.kind === "number") return undefined;
      if (v.kind === "string") return v.text === undefined || stringReadsAsNumber(v.text) ? undefined : `got ${describe(v)}, which does not read as a number`;
      return `got ${describe(v)}`;
    default:
      return v.kind === want ? undefined : `got ${describe(v)}`;
  }
}
