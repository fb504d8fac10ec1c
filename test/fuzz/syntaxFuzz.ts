/**
 * Fuzzing the syntax library: generated and mutated inputs through scanner, parser and printer. For each one:
 * nothing throws, nothing takes longer than the per-input bound, and an input that parses formats to text
 * that parses again and is a fixed point of the printer. Formatting settles after two passes: like
 * `alloy fmt`, a statement written over several lines but printed on one (`a =\n 1`) ends its run of
 * aligned lines on the first pass and joins it on the second.
 */
import { format, parse } from "../../language-server/src/alloy/syntax";
import { sampleConfigs } from "../support/alloySamples";
import { seededRandom } from "../support/syntheticTargets";

export interface SyntaxFuzzResult {
  inputs: number;
  /** Inputs that parsed without a diagnostic (and so went through the printer). */
  parsed: number;
  failures: string[];
  /** The whole text of each failing input listed, to reproduce it. */
  failingInputs: string[];
  slowestMs: number;
  /** By generator. */
  byKind: Record<string, number>;
}

/** Longer than this for one input counts as a hang. */
export const PER_INPUT_BOUND_MS = 2000;

const encoder = new TextEncoder();
const ALPHABET = " \t\n\r{}[]()=.,\"`/*+-!<>|&^%#'\\ab_1e9\u00e9\ufeff";
const NOISE = encoder.encode('{}[]()=,."`/*\n\\#');
const IDENTS = ["a", "b", "targets", "prometheus.scrape", "discovery.kubernetes", "clustering", "enabled", "forward_to", "sys.env", "x_1", "ü"];
const LITERALS = ["1", "-2.5e3", "0x1F", '"s"', '"esc\\n\\u00e9"', "`raw\nline`", "true", "false", "null", "[]", "{}"];

/** A random, mostly valid Alloy body: blocks with labels, attributes, nested expressions, comments. */
export function generateConfig(rand: () => number, depth = 0): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const expr = (d: number): string => {
    const r = rand();
    if (d > 3 || r < 0.35) return pick(LITERALS);
    if (r < 0.45) return pick(IDENTS);
    if (r < 0.55) return `${expr(d + 1)} ${pick(["+", "-", "*", "/", "%", "^", "==", "!=", "<", ">=", "&&", "||"])} ${expr(d + 1)}`;
    if (r < 0.65) return `${pick(["!", "-"])}${expr(d + 1)}`;
    if (r < 0.75) return `[${Array.from({ length: Math.floor(rand() * 4) }, () => expr(d + 1)).join(", ")}${rand() < 0.3 ? "," : ""}]`;
    if (r < 0.85)
      return `{${Array.from({ length: Math.floor(rand() * 3) }, () => `${pick(["k", '"quoted key"', "__address__"])} = ${expr(d + 1)}`).join(rand() < 0.5 ? ", " : ",\n")}}`;
    if (r < 0.93)
      return `${pick(["concat", "sys.env", "encoding.from_json", "f"])}(${Array.from({ length: Math.floor(rand() * 3) }, () => expr(d + 1)).join(", ")})`;
    return `${pick(IDENTS)}${rand() < 0.5 ? `.${pick(IDENTS)}` : `[${expr(d + 1)}]`}`;
  };
  const lines: string[] = [];
  for (let i = Math.floor(rand() * 6); i >= 0; i--) {
    const r = rand();
    if (r < 0.15) lines.push(pick(["// comment", "/* block\ncomment */"]));
    else if (r < 0.6 || depth > 2) lines.push(`${pick(IDENTS.filter((x) => !x.includes(".")))}${" ".repeat(Math.floor(rand() * 3))} = ${expr(0)}`);
    else lines.push(`${pick(IDENTS)} ${rand() < 0.6 ? `"${pick(["default", "a_b", "x"])}" ` : ""}{\n${generateConfig(rand, depth + 1)}\n}`);
  }
  return lines.join(rand() < 0.9 ? "\n" : "\n\n");
}

function mutate(bytes: Uint8Array, other: Uint8Array, rand: () => number): Uint8Array {
  const m = Array.from(bytes);
  for (let k = 1 + Math.floor(rand() * 4); k > 0; k--) {
    const at = Math.floor(rand() * (m.length + 1));
    const op = rand();
    if (op < 0.3) m.splice(at, 1 + Math.floor(rand() * 3));
    else if (op < 0.6) m.splice(at, 0, NOISE[Math.floor(rand() * NOISE.length)]);
    else if (op < 0.75) m.splice(at, 2, ...m.slice(at, at + 2).reverse());
    else if (op < 0.85)
      m.splice(at, 0, ...m.slice(Math.max(0, at - 40), at)); // repeat a slice
    else if (op < 0.95) {
      const from = Math.floor(rand() * other.length);
      m.splice(at, 0, ...other.slice(from, from + Math.floor(rand() * 60))); // splice from another config
    } else m.splice(at, 0, Math.floor(rand() * 256)); // a raw byte, maybe invalid UTF-8
  }
  return Uint8Array.from(m);
}

/** Parses; when that succeeds, formats until settled. Returns a failure message, or undefined. */
export function checkRoundTrip(bytes: Uint8Array): { parsed: boolean; failure?: string } {
  const r = parse(bytes);
  if (r.file.kind !== "file") return { parsed: false, failure: "parse returned no file" };
  if (r.diagnostics.length > 0) return { parsed: false };
  const once = format(bytes);
  if (!once.ok) return { parsed: true, failure: "an input that parses did not format" };
  const twice = format(once.text);
  if (!twice.ok) return { parsed: true, failure: `formatted output does not parse: ${twice.diagnostics[0]?.message}` };
  const thrice = format(twice.text);
  if (!thrice.ok || thrice.text !== twice.text) return { parsed: true, failure: "formatting is not a fixed point after two passes" };
  return { parsed: true };
}

export function fuzzSyntax(count: number, seed: number): SyntaxFuzzResult {
  const rand = seededRandom(seed);
  const samples = sampleConfigs().map((s) => s.bytes);
  const result: SyntaxFuzzResult = { inputs: 0, parsed: 0, failures: [], failingInputs: [], slowestMs: 0, byKind: {} };
  for (let i = 0; i < count; i++) {
    const r = rand();
    let kind: string;
    let input: Uint8Array;
    if (r < 0.1) {
      kind = "random bytes";
      input = new Uint8Array(Math.floor(rand() * 200)).map(() => Math.floor(rand() * 256));
    } else if (r < 0.25) {
      kind = "alloy characters";
      input = encoder.encode(Array.from({ length: Math.floor(rand() * 120) }, () => ALPHABET[Math.floor(rand() * ALPHABET.length)]).join(""));
    } else if (r < 0.55) {
      kind = "generated config";
      input = encoder.encode(generateConfig(rand));
    } else if (r < 0.7) {
      kind = "mutated generated config";
      input = mutate(encoder.encode(generateConfig(rand)), samples[Math.floor(rand() * samples.length)], rand);
    } else {
      kind = "mutated real config";
      input = mutate(samples[Math.floor(rand() * samples.length)], samples[Math.floor(rand() * samples.length)], rand);
    }
    result.byKind[kind] = (result.byKind[kind] ?? 0) + 1;
    const started = performance.now();
    let outcome: ReturnType<typeof checkRoundTrip>;
    try {
      outcome = checkRoundTrip(input);
    } catch (err) {
      outcome = { parsed: false, failure: `threw ${(err as Error).stack?.split("\n").slice(0, 3).join(" | ")}` };
    }
    const ms = performance.now() - started;
    result.slowestMs = Math.max(result.slowestMs, ms);
    if (ms > PER_INPUT_BOUND_MS) outcome.failure ??= `took ${Math.round(ms)} ms`;
    result.inputs++;
    if (outcome.parsed) result.parsed++;
    if (outcome.failure && result.failures.length < 20) {
      result.failures.push(`${kind} #${i}: ${outcome.failure} — input ${JSON.stringify(new TextDecoder().decode(input).slice(0, 300))}`);
      result.failingInputs.push(new TextDecoder().decode(input));
    }
  }
  return result;
}
