/** Document and range formatting through the syntax library's printer: edits only, never the file on disk. */
import type { Range, TextEdit } from "vscode-languageserver";
import { format } from "../syntax";
import type { AlloyDocument } from "./alloyDocument";

/** One edit that replaces the lines that differ, or none when the document is formatted (or broken). */
export function formattingEdits(doc: AlloyDocument, within?: Range): TextEdit[] {
  const result = format(doc.text, doc.uri);
  if (!result.ok || !result.changed) return [];
  const before = doc.text.split("\n");
  const after = result.text.split("\n");
  let top = 0;
  while (top < before.length && top < after.length && before[top] === after[top]) top++;
  let bottom = 0;
  while (
    bottom < before.length - top &&
    bottom < after.length - top &&
    before[before.length - 1 - bottom] === after[after.length - 1 - bottom]
  ) {
    bottom++;
  }
  const firstLine = top, lastLine = before.length - bottom; // replace lines [firstLine, lastLine)
  // A range request only formats when the change touches the range (alloy fmt formats whole files).
  if (within !== undefined && (lastLine < within.start.line || firstLine > within.end.line)) return [];
  const newText = after.slice(top, after.length - bottom).map((l) => `${l}\n`).join("");
  return [{ range: { start: { line: firstLine, character: 0 }, end: { line: lastLine, character: 0 } }, newText }];
}
