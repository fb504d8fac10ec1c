// Runs test files with Node's built-in runner (TypeScript loaded by tsx's CommonJS hook): every test/**/*.test.ts, or only
// those under the paths given. Arguments starting with "--" go to `node --test` (e.g. --test-name-pattern).
//
// Two files run at a time (this is a 2-core machine; most of a lab or VS Code test is waiting). The order
// decides what runs beside what: the end-to-end test (the longest) starts first and the integration tests
// (mostly waiting on labs) run beside it, the chaos run first as the longest of them; the unit tests, which
// keep a core busy, come last.
//
// `--typecheck` also type-checks the project (tsc), beside the tests rather than before them; either
// failing fails the run.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

function testFiles(p) {
  if (fs.statSync(p).isFile()) return p.endsWith(".test.ts") ? [p] : [];
  return fs.readdirSync(p, { withFileTypes: true }).flatMap((e) => testFiles(path.join(p, e.name)));
}

const args = process.argv.slice(2);
const typecheck = args.includes("--typecheck");
const options = args.filter((a) => a.startsWith("--") && a !== "--typecheck");
const roots = args.filter((a) => !a.startsWith("--"));
const ORDER = ["test/e2e/", "test/integration/chaos.test.ts", "test/integration/", "test/unit/"];
const rank = (f) => {
  const i = ORDER.findIndex((dir) => f.split(path.sep).join("/").startsWith(dir));
  return i < 0 ? ORDER.length : i;
};
const files = (roots.length > 0 ? roots : ["test"])
  .flatMap(testFiles)
  .sort()
  .sort((a, b) => rank(a) - rank(b));
// The unit test files are pure (no lab, no editor, no process-wide state): they run in two shared processes, one
// per core, instead of a process each — ~45 start-ups of Node, tsx and the libraries cost ~20 s of CPU, on a
// machine where the whole suite is bound by CPU. A file or two named on their own still run as they are.
const isUnit = (f) => f.split(path.sep).join("/").startsWith("test/unit/");
const unitFiles = files.filter(isUnit);
const shardDir = unitFiles.length > 2 ? fs.mkdtempSync(path.join(os.tmpdir(), "alloy-lab-unit-")) : undefined;
const unitShards =
  shardDir === undefined
    ? unitFiles
    : [0, 1].map((shard) => {
        const file = path.join(shardDir, `unit-tests-${shard + 1}-of-2.test.js`);
        const mine = unitFiles.filter((_, i) => i % 2 === shard);
        fs.writeFileSync(file, mine.map((f) => `require(${JSON.stringify(path.resolve(f))});\n`).join(""));
        return file;
      });
const toRun = [...files.filter((f) => !isUnit(f)), ...unitShards];
const concurrency = options.some((o) => o.startsWith("--test-concurrency")) ? [] : ["--test-concurrency=2"];
/** Runs a command to its end; its exit code (1 when it died of a signal). */
const run = (command, commandArgs, stdio) => new Promise((resolve) => spawn(command, commandArgs, { stdio }).once("exit", (code) => resolve(code ?? 1)));

// tsc's findings are held until the tests are done, so that they are not lost in the test output.
let typeErrors = "";
const typecheckDone = typecheck
  ? new Promise((resolve) => {
      const tsc = spawn(process.execPath, [path.join("node_modules", "typescript", "bin", "tsc"), "--noEmit", "-p", "."], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      tsc.stdout.on("data", (d) => (typeErrors += d));
      tsc.stderr.on("data", (d) => (typeErrors += d));
      tsc.once("exit", (code) => resolve(code ?? 1));
    })
  : Promise.resolve(0);
// tsx's CommonJS hook only (the tests are CommonJS): its ESM hooks would start a loader thread in each of
// the ~90 test processes, about 0.2 s of CPU apiece on a machine where the tests compete for two cores.
const testCode = await run(process.execPath, ["--require", "tsx/cjs", "--test", ...concurrency, ...options, ...toRun], "inherit");
if (shardDir !== undefined) fs.rmSync(shardDir, { recursive: true, force: true });
const typecheckCode = await typecheckDone;
if (typecheckCode !== 0) process.stderr.write(`\ntype check (tsc --noEmit) failed:\n${typeErrors}`);
process.exit(testCode !== 0 ? testCode : typecheckCode);
