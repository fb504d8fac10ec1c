/**
 * Runs `alloy-lab check` over shared/realworld (configs and deployments written by others) one folder at a
 * time and judges every error against the errors Alloy itself reports there: anything else is a false alarm.
 * Also checks our formatter against Alloy's own `alloy fmt` result for every file (`fmt.json`).
 */
import fs from "node:fs";
import path from "node:path";
import { checkCommand } from "../../runtime/src/cli/checkCommand";
import { parse } from "../../language-server/src/alloy/syntax/parser";
import { formatFile } from "../../language-server/src/alloy/syntax/printer";

export interface CheckRow {
  file: string;
  line: number;
  column: number;
  severity: string;
  code: string;
  message: string;
}

interface ExpectedError {
  file: string;
  line: number;
  code: string;
}

export interface SetReport {
  set: string;
  folders: number;
  falseErrors: CheckRow[];
  trueErrorsFound: number;
  trueErrorsExpected: number;
  missedErrors: ExpectedError[];
  reportedTwice: CheckRow[];
  warningsByCode: Record<string, number>;
  warnings: CheckRow[];
  fmtCases: number;
  fmtMismatches: string[];
}

/** Runs the check command in this process, exactly as the CLI would, and returns its JSON rows. */
async function check(paths: string[]): Promise<CheckRow[]> {
  let out = "";
  let err = "";
  const io = {
    stdout: (t: string) => void (out += t),
    stderr: (t: string) => void (err += t),
    readInput: () => Promise.reject(new Error("no input")),
    readInputBytes: () => Promise.reject(new Error("no input")),
  };
  const code = await checkCommand.run(["--json", ...paths], io);
  if (code === 2) throw new Error(`alloy-lab check ${paths.join(" ")}: ${err.trim()}`);
  return JSON.parse(out) as CheckRow[];
}

/** The units checked one at a time: a config folder with the deployment folder of the same name, or either alone. */
function units(setDir: string): string[][] {
  const sub = (name: string) =>
    fs.existsSync(path.join(setDir, name))
      ? fs
          .readdirSync(path.join(setDir, name))
          .sort()
          .map((f) => path.join(setDir, name, f))
      : [];
  const configs = sub("configs");
  const deployments = [...sub("deploy"), ...sub("manifests")];
  const byName = new Map<string, string[]>();
  for (const p of [...configs, ...deployments]) {
    if (!fs.statSync(p).isDirectory()) continue;
    // Community deployments share their config's folder name; the chart's manifests stand alone.
    const key = p.includes(`${path.sep}manifests${path.sep}`) ? p : path.basename(p);
    byName.set(key, [...(byName.get(key) ?? []), p]);
  }
  return [...byName.values()];
}

function fmtMismatches(setDir: string): { cases: number; mismatches: string[] } {
  const fmtFile = path.join(setDir, "fmt.json");
  if (!fs.existsSync(fmtFile)) return { cases: 0, mismatches: [] };
  const { cases } = JSON.parse(fs.readFileSync(fmtFile, "utf8")) as { cases: { name: string; src: string; ok: boolean; fmt?: string }[] };
  const mismatches: string[] = [];
  for (const c of cases) {
    const r = parse(Buffer.from(c.src), c.name);
    if (!c.ok) {
      if (r.diagnostics.length === 0) mismatches.push(`${c.name}: Alloy rejects it, we parse it`);
      continue;
    }
    if (r.diagnostics.length > 0) mismatches.push(`${c.name}: Alloy formats it, we report ${r.diagnostics[0].message}`);
    else if (formatFile(r.file, r.source) !== c.fmt) mismatches.push(`${c.name}: formatted differently`);
  }
  return { cases: cases.length, mismatches };
}

export async function runRealworldSet(setDir: string): Promise<SetReport> {
  const expectedFile = path.join(setDir, "expected-errors.json");
  const expected: ExpectedError[] = fs.existsSync(expectedFile)
    ? (JSON.parse(fs.readFileSync(expectedFile, "utf8")) as { errors: ExpectedError[] }).errors
    : [];
  const rows: CheckRow[] = [];
  const list = units(setDir);
  for (const unit of list) rows.push(...(await check(unit)));
  const rel = (f: string) => path.relative(setDir, f).split(path.sep).join("/");
  const isExpected = (r: CheckRow) => expected.some((e) => e.file === rel(r.file) && e.line === r.line && e.code === r.code);
  const errors = rows.filter((r) => r.severity === "error");
  const seen = new Set<string>();
  const reportedTwice: CheckRow[] = [];
  for (const r of rows) {
    const key = `${r.file}:${r.line}:${r.column}:${r.code}:${r.message}`;
    if (seen.has(key)) reportedTwice.push(r);
    seen.add(key);
  }
  const warnings = rows.filter((r) => r.severity === "warning");
  const warningsByCode: Record<string, number> = {};
  for (const w of warnings) warningsByCode[w.code] = (warningsByCode[w.code] ?? 0) + 1;
  const fmt = fmtMismatches(setDir);
  return {
    set: path.basename(setDir),
    folders: list.length,
    falseErrors: errors.filter((r) => !isExpected(r)),
    trueErrorsFound: expected.filter((e) => errors.some((r) => e.file === rel(r.file) && e.line === r.line && e.code === r.code)).length,
    trueErrorsExpected: expected.length,
    missedErrors: expected.filter((e) => !errors.some((r) => e.file === rel(r.file) && e.line === r.line && e.code === r.code)),
    reportedTwice,
    warningsByCode,
    warnings,
    fmtCases: fmt.cases,
    fmtMismatches: fmt.mismatches,
  };
}

/** The sets of shared/realworld: each folder beside its README. */
export function realworldSets(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root)
    .sort()
    .map((n) => path.join(root, n))
    .filter((p) => fs.statSync(p).isDirectory());
}

export const REALWORLD_DIR = path.join(__dirname, "..", "..", "..", "shared", "realworld");
