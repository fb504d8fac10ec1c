/**
 * The Alloy syntax library: scanner → parser → tree → printer. Plain TypeScript with no editor types and no
 * I/O; the language server, the lab and the CLI all use it through this module.
 */
import { formatFile } from "./printer";
import { parse, type ParseResult } from "./parser";
import type { SyntaxDiagnostic } from "./diagnostic";
import type { SourceFile } from "./source";

export type * from "./ast";
export type { SyntaxDiagnostic, Severity } from "./diagnostic";
export { parse, parseExpression, MAX_NESTING, type ParseResult } from "./parser";
export { formatFile } from "./printer";
export { SourceFile, type Position } from "./source";
export { binaryPrecedence, Tok, tokenName } from "./token";
export { childExprs } from "./walk";
export { goQuote } from "./goQuote";
export { goUnquote } from "./goUnquote";

export type FormatResult =
  { ok: true; text: string; changed: boolean; source: SourceFile } | { ok: false; diagnostics: SyntaxDiagnostic[]; source: SourceFile };

/** Formats Alloy source as `alloy fmt` does, or returns the syntax errors that prevent it. */
export function format(content: string | Uint8Array, name = "<input>"): FormatResult {
  const parsed: ParseResult = parse(content, name);
  if (parsed.diagnostics.length > 0) return { ok: false, diagnostics: parsed.diagnostics, source: parsed.source };
  const text = formatFile(parsed.file, parsed.source);
  const original = typeof content === "string" ? content : parsed.source.text(0, parsed.source.bytes.length);
  return { ok: true, text, changed: text !== original, source: parsed.source };
}

/** `FILE:LINE:COLUMN: MESSAGE`, the way `alloy fmt` prints a diagnostic (byte column). */
export function formatDiagnostic(source: SourceFile, d: SyntaxDiagnostic): string {
  const p = source.position(d.start);
  return `${source.name}:${p.line}:${p.column}: ${d.message}`;
}
