// Runs test files with Node's built-in runner (TypeScript loaded by tsx): every test/**/*.test.ts, or only
// those under the paths given. Arguments starting with "--" go to `node --test` (e.g. --test-name-pattern).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

function testFiles(p) {
  if (fs.statSync(p).isFile()) return p.endsWith(".test.ts") ? [p] : [];
  return fs.readdirSync(p, { withFileTypes: true }).flatMap((e) => testFiles(path.join(p, e.name)));
}

const args = process.argv.slice(2);
const options = args.filter((a) => a.startsWith("--"));
const roots = args.filter((a) => !a.startsWith("--"));
const files = (roots.length > 0 ? roots : ["test"]).flatMap(testFiles).sort();
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", ...options, ...files], { stdio: "inherit" });
process.exit(result.status ?? 1);
