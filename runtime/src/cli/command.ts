/** What every `alloy-lab` subcommand provides, so help and dispatch are uniform. */

export interface CommandIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads a named file, or standard input for "-". */
  readInput(path: string): Promise<string>;
  /** The same, as bytes (for input that must be checked as UTF-8, not decoded). */
  readInputBytes(path: string): Promise<Uint8Array>;
}

export interface CliCommand {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The full `--help` text. */
  help: string;
  /** Returns the exit code. Never sees --help: the dispatcher prints `help` for it. */
  run(args: string[], io: CommandIO): Promise<number>;
}

/** Exit code for bad input or usage, as the contracts in the README say. */
export const EXIT_USAGE = 2;

export function wantsHelp(args: string[]): boolean {
  return args.includes("--help") || args.includes("-h");
}
