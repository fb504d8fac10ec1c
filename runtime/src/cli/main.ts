#!/usr/bin/env node
/** `alloy-lab`: the command line of Alloy Cluster Lab. */
import fs from "node:fs/promises";
import { EXIT_USAGE, wantsHelp, type CliCommand, type CommandIO } from "./command";
import { attachCommand } from "./attachCommand";
import { checkCommand } from "./checkCommand";
import { drillCommand } from "./drillCommand";
import { fmtCommand } from "./fmtCommand";
import { lspCommand } from "./lspCommand";
import { ownershipCommand } from "./ownershipCommand";
import { planCommand } from "./planCommand";
import { simulateCommand } from "./simulateCommand";
import { upCommand } from "./upCommand";

const commands: CliCommand[] = [attachCommand, checkCommand, drillCommand, fmtCommand, lspCommand, ownershipCommand, planCommand, simulateCommand, upCommand];

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `Usage: alloy-lab COMMAND [ARGS]

Commands:
${lines.join("\n")}

Run 'alloy-lab COMMAND --help' for a command's options.
`;
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

// Output piped into `head` and the like: when the reader goes away, stop quietly instead of crashing.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(0);
  throw err;
});

const io: CommandIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readInput: async (path) => (path === "-" ? (await readStdin()).toString("utf8") : fs.readFile(path, "utf8")),
  readInputBytes: (path) => (path === "-" ? readStdin() : fs.readFile(path)),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || wantsHelp([name])) {
    io.stdout(usage());
    return name === undefined ? EXIT_USAGE : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (command === undefined) {
    io.stderr(`alloy-lab: unknown command "${name}"\n\n${usage()}`);
    return EXIT_USAGE;
  }
  // Every command's --help is its help text, whatever else the command line says.
  if (wantsHelp(rest)) {
    io.stdout(command.help);
    return 0;
  }
  return command.run(rest, io);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`alloy-lab: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
