// `npm run bench [-- SUITE…]`: runs benchmark suites (test/bench/SUITE.bench.ts), each printing one JSON object.
// With one suite its object is printed as is; with several (default: all) they are printed as {SUITE: {...}}.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

const available = fs
  .readdirSync("test/bench")
  .filter((f) => f.endsWith(".bench.ts"))
  .map((f) => f.slice(0, -9))
  .sort();
const wanted = process.argv.slice(2);
for (const s of wanted) {
  if (!available.includes(s)) {
    console.error(`bench: unknown suite "${s}" (available: ${available.join(", ")})`);
    process.exit(2);
  }
}
const suites = wanted.length > 0 ? wanted : available;
const results = {};
for (const suite of suites) {
  const run = spawnSync(process.execPath, ["--import", "tsx", `test/bench/${suite}.bench.ts`], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) {
    console.error(`bench: suite ${suite} failed (exit ${run.status})`);
    process.exit(1);
  }
  const lines = run.stdout.trim().split("\n");
  results[suite] = JSON.parse(lines[lines.length - 1]);
}
console.log(JSON.stringify(suites.length === 1 ? results[suites[0]] : results, null, 2));
