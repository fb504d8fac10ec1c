/** `alloy-lab lsp`: the language server, for any editor that speaks LSP. */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { EXIT_USAGE, type CliCommand } from "./command";

/** The transports vscode-languageserver reads from the command line, and the client's process id it may watch. */
const TRANSPORT = /^--(stdio|node-ipc|socket=\d+|pipe=.+)$/;
const CLIENT_PROCESS = /^--clientProcessId=\d+$/;

export const lspCommand: CliCommand = {
  name: "lsp",
  summary: "run the Alloy language server (LSP) for any editor",
  help: `Usage: alloy-lab lsp --stdio | --node-ipc | --socket=PORT | --pipe=NAME [--clientProcessId=PID]

Runs the language server that the VS Code extension runs: diagnostics for .alloy files and for \`alloy run\`
command lines (Kubernetes manifests, Helm values, compose files, systemd units, shell scripts, env files),
hover, completion, quick fixes and \`alloy fmt\` formatting. Give the editor this command; it talks LSP over
the chosen transport (--stdio for most editors). What a document is, the server decides from its name and
content, not from the editor's language id. Settings (initializationOptions or workspace/didChangeConfiguration,
section alloyClusterLab): diagnostics.disabled (a list of codes), diagnostics.severity (code → error, warning,
information or hint). It exits when the editor sends exit, or when the editor's process is gone.
`,
  async run(args, io) {
    const transports = args.filter((a) => TRANSPORT.test(a));
    const unknown = args.filter((a) => !TRANSPORT.test(a) && !CLIENT_PROCESS.test(a));
    if (transports.length !== 1 || unknown.length > 0) {
      io.stderr(
        unknown.length > 0
          ? `alloy-lab lsp: unknown argument ${unknown[0]}; see alloy-lab lsp --help\n`
          : "alloy-lab lsp: give one transport: --stdio, --node-ipc, --socket=PORT or --pipe=NAME\n",
      );
      return EXIT_USAGE;
    }
    // The server is its own bundle beside this one (dist/server.js); vscode-languageserver reads the
    // transport from this process's command line.
    await import(pathToFileURL(path.join(__dirname, "server.js")).href);
    return 0;
  },
};
