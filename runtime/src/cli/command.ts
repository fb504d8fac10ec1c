/** What every `alloy-lab` subcommand provides, so help and dispatch are uniform. */
import { parseArgs } from "node:util";

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

type OptionSpecs = Record<string, { type: "string" | "boolean"; multiple?: boolean }>;
type ParsedOptions<T extends OptionSpecs> = ReturnType<typeof parseArgs<{ options: T; allowPositionals: true; strict: true }>>;

/**
 * A command's options, read by node:util's parseArgs (`--name value` and `--name=value`); a usage problem
 * comes back as its message instead (the first sentence of parseArgs' own).
 */
export function parseOptions<T extends OptionSpecs>(args: string[], options: T): ParsedOptions<T> | string {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    if (!(err as NodeJS.ErrnoException).code?.startsWith("ERR_PARSE_ARGS")) throw err;
    return (err as Error).message.split(/\.\s|\n/)[0];
  }
}
