/** `npm run conformance -- DIR`: our parser and printer against Alloy's results; exit 1 below the bar. */
import path from "node:path";
import { REQUIRED_RATE, runConformance } from "./alloyConformance";

const dir = process.argv[2] ?? path.join(__dirname, "..", "..", "..", "shared", "alloy-conformance");
const results = runConformance(dir);
if (results.length === 0) {
  console.error(`conformance: nothing to run in ${dir} (expected parser/, printer/ or cases.json)`);
  process.exit(2);
}
let ok = true;
for (const r of results) {
  for (const m of r.mismatches) {
    console.log(`--- ${r.group}: ${m.name}\n  expected:\n${indent(m.expected)}\n  got:\n${indent(m.got)}`);
  }
}
for (const r of results) {
  const rate = r.total === 0 ? 1 : r.passed / r.total;
  const pass = rate >= REQUIRED_RATE[r.group];
  ok &&= pass;
  const excluded = r.excluded.length > 0 ? `, ${r.excluded.length} excluded` : "";
  console.log(`${r.group}: ${r.passed}/${r.total} (${(rate * 100).toFixed(2)} %, needs ${REQUIRED_RATE[r.group] * 100} %${excluded}) ${pass ? "ok" : "FAIL"}`);
  for (const e of r.excluded) console.log(`  excluded ${e.name}: ${e.why}`);
}
process.exit(ok ? 0 : 1);

function indent(s: string): string {
  return s
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
}
