/** Runs the built `alloy-lab` CLI (dist/cli.js) as a real child process. */
import { execFile, spawnSync } from "node:child_process";
import path from "node:path";

export const CLI = path.join(__dirname, "..", "..", "dist", "cli.js");

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `cwd`: the folder it runs in (relative paths are read from there). */
export function runCli(args: string[], input?: string, cwd?: string): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], { input, cwd, encoding: "utf8", timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same, without blocking this process (for tests whose lab supervisor runs in it). */
export function runCliAsync(args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 60_000 }, (err, stdout, stderr) => {
      const code = (err as { code?: unknown } | null)?.code;
      if (err && typeof code !== "number") return reject(err);
      resolve({ status: typeof code === "number" ? code : 0, stdout, stderr });
    });
  });
}
