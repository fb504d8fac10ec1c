/**
 * The one place where the syntax library's byte offsets meet editor positions (0-based line, UTF-16
 * character), in both directions.
 */
import type { Position, Range } from "vscode-languageserver";
import type { SourceFile, Span } from "../alloy";

export function toPosition(source: SourceFile, offset: number): Position {
  const clamped = Math.max(0, Math.min(offset, source.bytes.length));
  return { line: source.lineIndex(clamped), character: source.utf16Column(clamped) };
}

export function toRange(source: SourceFile, span: Span): Range {
  return { start: toPosition(source, span.start), end: toPosition(source, Math.max(span.start, span.end)) };
}

export function toOffset(source: SourceFile, position: Position): number {
  return source.offsetAtUtf16(position.line, position.character);
}
