import fs from "node:fs/promises";
import { format, formatDiagnostic } from "../../../language-server/src/alloy";
import { EXIT_USAGE, parseOptions, type CliCommand } from "./command";
import { unifiedDiff } from "./unifiedDiff";

const STDIN = "-";
const STDIN_NAME = "<stdin>";

interface FmtOptions {
  mode: "print" | "write" | "check";
  /** With check: a unified diff of each unformatted file instead of its name. */
  diff: boolean;
  files: string[];
}

function parseFmtArgs(args: string[]): FmtOptions | string {
  const parsed = parseOptions(args, { write: { type: "boolean" }, check: { type: "boolean" }, diff: { type: "boolean" } });
  if (typeof parsed === "string") return parsed;
  const { values, positionals } = parsed;
  if (values.write && values.check) return "--write and --check cannot be used together";
  if (values.diff && !values.check) return "--diff goes with --check";
  const files = positionals.length === 0 ? [STDIN] : positionals;
  if (values.write && files.includes(STDIN)) return "--write needs files, not standard input";
  return { mode: values.write ? "write" : values.check ? "check" : "print", diff: values.diff ?? false, files };
}

export const fmtCommand: CliCommand = {
  name: "fmt",
  summary: "format Alloy configuration files exactly as `alloy fmt` does",
  help: `Usage: alloy-lab fmt [--write|--check [--diff]] [FILE|-]...

Formats Alloy configuration files exactly as \`alloy fmt\` does. With no FILE, or with -, reads standard
input (named ${STDIN_NAME} in messages).

  (default)   print the formatted files to standard output
  --write     rewrite the files that are not formatted (only those)
  --check     print the names of files that are not formatted; exit 1 if there is any
  --diff      with --check: print a unified diff of each instead (what formatting would change)

If any file has syntax errors, each is printed to standard error as FILE:LINE:COLUMN: MESSAGE (byte
column, Alloy's message), nothing is printed or written, and the exit code is 1.
Exit codes: 0 success, 1 syntax errors or (with --check) unformatted files, 2 bad usage or unreadable file.
`,
  async run(args, io) {
    const opts = parseFmtArgs(args);
    if (typeof opts === "string") {
      io.stderr(`alloy-lab fmt: ${opts}\n`);
      return EXIT_USAGE;
    }
    const results = [];
    for (const file of opts.files) {
      let content: Uint8Array;
      try {
        content = await io.readInputBytes(file);
      } catch (err) {
        io.stderr(`alloy-lab fmt: cannot read ${file}: ${(err as Error).message}\n`);
        return EXIT_USAGE;
      }
      results.push({ file, result: format(content, file === STDIN ? STDIN_NAME : file) });
    }
    // Any syntax error: report them all, change nothing.
    let errors = false;
    for (const { result } of results) {
      if (result.ok) continue;
      errors = true;
      for (const d of result.diagnostics) io.stderr(formatDiagnostic(result.source, d) + "\n");
    }
    if (errors) return 1;

    let unformatted = 0;
    for (const { file, result } of results) {
      if (!result.ok) continue;
      if (opts.mode === "print") io.stdout(result.text);
      else if (result.changed) {
        unformatted++;
        const name = file === STDIN ? STDIN_NAME : file;
        if (opts.mode === "check") io.stdout(opts.diff ? unifiedDiff(name, result.source.text(0, result.source.bytes.length), result.text) : `${name}\n`);
        else await fs.writeFile(file, result.text);
      }
    }
    return opts.mode === "check" && unformatted > 0 ? 1 : 0;
  },
};
