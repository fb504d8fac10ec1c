// `node scripts/package-vsix.mjs OUT.vsix`: packages the built extension (run `npm run build` first) as
// the .vsix that `npm run package`, the end-to-end tests and the benchmarks install.
//
// The .vsix carries a marketplace README, dist/README.marketplace.md. Once package.json's repository is on GitHub
// or GitLab, vsce points the README's pictures (the end-to-end suite's screenshots in docs/images) and relative
// links at it. Until then (the repository is not public yet) they would be broken in the marketplace, and vsce
// refuses them: a picture becomes its caption, a relative link its text.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const out = process.argv[2];
if (out === undefined) {
  console.error("usage: node scripts/package-vsix.mjs OUT.vsix");
  process.exit(2);
}
const readme = fs.readFileSync("README.md", "utf8");
const repository = JSON.parse(fs.readFileSync("package.json", "utf8")).repository?.url ?? "";
const hosted = /^(git\+)?https:\/\/(github\.com|gitlab\.com)\//.test(repository);
/** A link into the repository that the marketplace could not follow. */
const unreachable = (target) => !hosted && !/^[a-z][a-z0-9+.-]*:|^#/i.test(target);
const marketplace = readme
  .replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, (whole, alt, target) => (unreachable(target) ? `*${alt} (a picture in the repository: \`${target}\`)*` : whole))
  .replace(/(?<!!)\[([^\]]+)\]\(([^)\s]+)\)/g, (whole, text, target) => (unreachable(target) ? text : whole));
fs.mkdirSync("dist", { recursive: true });
fs.writeFileSync("dist/README.marketplace.md", marketplace);
const vsce = path.join("node_modules", ".bin", "vsce");
const run = spawnSync(vsce, ["package", "--no-dependencies", "--skip-license", "--readme-path", "dist/README.marketplace.md", "-o", out], { stdio: "inherit" });
process.exit(run.status ?? 1);
