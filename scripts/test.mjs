// Runs every test file under test/ with Node's built-in runner (TypeScript loaded by tsx).
// Extra arguments are passed on to `node --test` (e.g. --test-name-pattern).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

function testFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return testFiles(p);
    return e.name.endsWith(".test.ts") ? [p] : [];
  });
}

const files = testFiles("test").sort();
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", ...process.argv.slice(2), ...files], {
  stdio: "inherit",
});
process.exit(result.status ?? 1);
