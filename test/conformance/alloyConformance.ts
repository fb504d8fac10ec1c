/**
 * Runs our parser and printer against Alloy's own test material (shared/alloy-conformance): Alloy's parser
 * tests (`parser/`, expected errors written as ERROR comments), its printer tests (`printer/`), and real
 * inputs with Alloy's results (`cases.json`).
 */
import fs from "node:fs";
import path from "node:path";
import { parse } from "../../language-server/src/alloy/syntax/parser";
import { formatFile } from "../../language-server/src/alloy/syntax/printer";
import { Scanner } from "../../language-server/src/alloy/syntax/scanner";
import { SourceFile } from "../../language-server/src/alloy/syntax/source";
import { Tok } from "../../language-server/src/alloy/syntax/token";

export interface Mismatch {
  name: string;
  expected: string;
  got: string;
}

export interface GroupResult {
  group: "parser" | "printer" | "cases";
  passed: number;
  total: number;
  /** Cases left out on purpose, each with the reason. */
  excluded: { name: string; why: string }[];
  mismatches: Mismatch[];
}

/** Cases where we differ from Alloy on purpose. Empty today: none of Alloy's inputs hits a known difference. */
export const KNOWN_DIFFERENCES: Readonly<Record<string, string>> = {};

function describeDiagnostics(text: Uint8Array, name: string): string[] {
  const r = parse(text, name);
  return r.diagnostics.map((d) => {
    const p = r.source.position(d.start);
    return `${p.line}:${p.column}: ${d.message}`;
  });
}

interface ExpectedError {
  offset: number;
  pattern: RegExp;
  text: string;
}

/**
 * The errors a parser test file expects: `/* ERROR "rx" *\/` right after a token expects an error at that
 * token's start; `/* ERROR HERE "rx" *\/` one just after that token.
 */
function expectedErrors(source: SourceFile): ExpectedError[] {
  const found: ExpectedError[] = [];
  const scanner = new Scanner(source, () => {});
  let prev = 0,
    here = 0;
  for (;;) {
    scanner.scan();
    if (scanner.tok === Tok.EOF) return found;
    if (scanner.tok === Tok.TERMINATOR) continue; // inserted terminators have no text of their own
    if (scanner.tok === Tok.COMMENT) {
      const m = /^\/\* ERROR (HERE )?"(.*)" \*\/$/.exec(scanner.lit);
      if (m) found.push({ offset: m[1] ? here : prev, pattern: new RegExp(m[2]), text: m[2] });
      continue;
    }
    prev = scanner.pos;
    here = scanner.end;
  }
}

function runParserGroup(dir: string): GroupResult {
  const result: GroupResult = { group: "parser", passed: 0, total: 0, excluded: [], mismatches: [] };
  const files = listFiles(dir, ".alloy");
  for (const file of files) {
    const name = path.relative(dir, file);
    const source = new SourceFile(name, fs.readFileSync(file));
    const parsed = parse(source.bytes, name);
    const expected = expectedErrors(source);
    const unexpected: string[] = [];
    for (const d of parsed.diagnostics) {
      const i = expected.findIndex((e) => e.offset === d.start && e.pattern.test(d.message));
      if (i >= 0) expected.splice(i, 1);
      else unexpected.push(`${fmtPos(source, d.start)}: ${d.message}`);
    }
    result.total++;
    if (unexpected.length === 0 && expected.length === 0) result.passed++;
    else {
      result.mismatches.push({
        name,
        expected: expected.map((e) => `${fmtPos(source, e.offset)}: /${e.text}/`).join("\n") || "(nothing else)",
        got: unexpected.join("\n") || "(nothing else)",
      });
    }
  }
  return result;
}

function fmtPos(source: SourceFile, offset: number): string {
  const p = source.position(offset);
  return `${p.line}:${p.column}`;
}

function runPrinterGroup(dir: string): GroupResult {
  const result: GroupResult = { group: "printer", passed: 0, total: 0, excluded: [], mismatches: [] };
  for (const file of listFiles(dir, ".in")) {
    const base = file.slice(0, -3);
    const name = path.relative(dir, base);
    const parsed = parse(fs.readFileSync(file), name);
    result.total++;
    let expected: string, got: string;
    if (fs.existsSync(`${base}.error`)) {
      expected = fs.readFileSync(`${base}.error`, "utf8").trim();
      got = parsed.diagnostics.map((d) => d.message).join("\n");
      // Alloy's test checks that formatting fails with this error among the diagnostics.
      if (parsed.diagnostics.some((d) => d.message === expected)) {
        result.passed++;
        continue;
      }
    } else {
      // Alloy's printer tests compare without regard to trailing white space at the end of the file.
      expected = fs.readFileSync(`${base}.expect`, "utf8").trimEnd();
      got = parsed.diagnostics.length > 0 ? parsed.diagnostics.map((d) => d.message).join("\n") : formatFile(parsed.file, parsed.source).trimEnd();
      if (got === expected) {
        result.passed++;
        continue;
      }
    }
    result.mismatches.push({ name, expected, got });
  }
  return result;
}

interface ConformanceCase {
  input: string;
  parses: boolean;
  formatted?: string;
  errors?: { line: number; column: number; message: string }[];
}

function runCases(dir: string): GroupResult {
  const result: GroupResult = { group: "cases", passed: 0, total: 0, excluded: [], mismatches: [] };
  const { cases } = JSON.parse(fs.readFileSync(path.join(dir, "cases.json"), "utf8")) as { cases: ConformanceCase[] };
  for (const c of cases) {
    const why = KNOWN_DIFFERENCES[c.input];
    if (why !== undefined) {
      result.excluded.push({ name: c.input, why });
      continue;
    }
    result.total++;
    const text = fs.readFileSync(path.join(dir, c.input));
    let expected: string, got: string;
    if (c.parses) {
      expected = fs.readFileSync(path.join(dir, c.formatted!), "utf8");
      const parsed = parse(text, c.input);
      got = parsed.diagnostics.length > 0 ? describeDiagnostics(text, c.input).join("\n") : formatFile(parsed.file, parsed.source);
    } else {
      expected = (c.errors ?? []).map((e) => `${e.line}:${e.column}: ${e.message}`).join("\n");
      got = describeDiagnostics(text, c.input).join("\n");
    }
    if (got === expected) result.passed++;
    else result.mismatches.push({ name: c.input, expected, got });
  }
  return result;
}

function listFiles(dir: string, suffix: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(suffix))
    .map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))
    .sort();
}

/** Runs every group found under `dir` (a folder shaped like shared/alloy-conformance). */
export function runConformance(dir: string): GroupResult[] {
  const results: GroupResult[] = [];
  if (fs.existsSync(path.join(dir, "parser"))) results.push(runParserGroup(path.join(dir, "parser")));
  if (fs.existsSync(path.join(dir, "printer"))) results.push(runPrinterGroup(path.join(dir, "printer")));
  if (fs.existsSync(path.join(dir, "cases.json"))) results.push(runCases(dir));
  return results;
}

/** The pass rate each group must reach: Alloy's own tests entirely, real inputs at 99 %. */
export const REQUIRED_RATE: Readonly<Record<GroupResult["group"], number>> = { parser: 1, printer: 1, cases: 0.99 };
