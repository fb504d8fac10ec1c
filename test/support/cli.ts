/** Runs the built `alloy-lab` CLI (dist/cli.js) as a real child process. */
import { spawnSync } from "node:child_process";
import path from "node:path";

export const CLI = path.join(__dirname, "..", "..", "dist", "cli.js");

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], input?: string): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], { input, encoding: "utf8", timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
