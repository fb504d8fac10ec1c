/** Document and range formatting through the syntax library's printer: edits only, never the file on disk. */
import type { Range, TextEdit } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { embeddedConfigs, formatEmbedded, format } from "../alloy";
import type { AlloyDocument } from "./alloyDocument";

/** One edit that replaces the lines that differ, or none when the document is formatted (or broken). */
export function formattingEdits(doc: AlloyDocument, within?: Range): TextEdit[] {
  const result = format(doc.text, doc.uri);
  return result.ok && result.changed ? lineEdits(doc.text, result.text, within) : [];
}

/** Alloy configs embedded in a YAML document (Helm values, ConfigMaps), formatted in place. */
export function embeddedFormattingEdits(doc: TextDocument, within?: Range): TextEdit[] {
  let text = doc.getText();
  // Last first, so the earlier configs' places still hold.
  for (const config of embeddedConfigs(doc.uri, text).reverse()) text = formatEmbedded(text, config) ?? text;
  return text === doc.getText() ? [] : lineEdits(doc.getText(), text, within);
}

/** One edit replacing the lines between the first and last that differ (none when a range is given and untouched). */
function lineEdits(original: string, formatted: string, within?: Range): TextEdit[] {
  const before = original.split("\n");
  const after = formatted.split("\n");
  let top = 0;
  while (top < before.length && top < after.length && before[top] === after[top]) top++;
  let bottom = 0;
  while (bottom < before.length - top && bottom < after.length - top && before[before.length - 1 - bottom] === after[after.length - 1 - bottom]) {
    bottom++;
  }
  const firstLine = top,
    lastLine = before.length - bottom; // replace lines [firstLine, lastLine)
  // A range request only formats when the change touches the range (alloy fmt formats whole files).
  if (within !== undefined && (lastLine < within.start.line || firstLine > within.end.line)) return [];
  const newText = after
    .slice(top, after.length - bottom)
    .map((l) => `${l}\n`)
    .join("");
  return [{ range: { start: { line: firstLine, character: 0 }, end: { line: lastLine, character: 0 } }, newText }];
}
