/**
 * `npm run realworld [-- DIR] [--verbose]`: alloy-lab check over shared/realworld, one folder at a time. Prints
 * per set its folders, false errors, true errors found, findings reported twice and warnings by code, and
 * formatting against Alloy's. Exit 1 on any false error, missed true error, finding reported twice or
 * formatting mismatch.
 */
import { REALWORLD_DIR, realworldSets, runRealworldSet } from "./realworldRun";

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const verbose = args.includes("--verbose");
  const dir = args.find((a) => !a.startsWith("--")) ?? REALWORLD_DIR;
  const sets = realworldSets(dir);
  if (sets.length === 0) {
    console.error(`realworld: nothing to run in ${dir}`);
    return 2;
  }
  let ok = true;
  const summary = [];
  for (const set of sets) {
    const r = await runRealworldSet(set);
    for (const e of r.falseErrors) console.log(`false error: ${e.file}:${e.line}:${e.column}: ${e.code} ${e.message}`);
    for (const e of r.missedErrors) console.log(`missed: ${e.file}:${e.line}: ${e.code}`);
    for (const e of r.reportedTwice) console.log(`twice: ${e.file}:${e.line}:${e.column}: ${e.code} ${e.message}`);
    for (const m of r.fmtMismatches) console.log(`fmt: ${m}`);
    if (verbose) for (const w of r.warnings) console.log(`warning: ${w.file}:${w.line}:${w.column}: ${w.code} ${w.message}`);
    ok &&= r.falseErrors.length === 0 && r.missedErrors.length === 0 && r.reportedTwice.length === 0 && r.fmtMismatches.length === 0;
    summary.push({
      set: r.set,
      folders: r.folders,
      falseErrors: r.falseErrors.length,
      trueErrors: `${r.trueErrorsFound} of ${r.trueErrorsExpected}`,
      reportedTwice: r.reportedTwice.length,
      warningsByCode: r.warningsByCode,
      fmt: `${r.fmtCases - r.fmtMismatches.length} of ${r.fmtCases} identical`,
    });
  }
  console.log(JSON.stringify(summary, null, 2));
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);
