/**
 * Alloy Cluster Lab for VS Code: starts the Alloy language server for `.alloy` files. Thin by design: the
 * language work lives in language-server/, the lab in runtime/.
 */
import * as vscode from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel("Alloy Cluster Lab", { log: true });
  context.subscriptions.push(output);

  const serverModule = context.asAbsolutePath("dist/server.js");
  // The client runs the module with VS Code's own runtime (Electron as Node in desktop VS Code).
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ["--nolazy", "--inspect=6009"] } },
  };
  const clientOptions: LanguageClientOptions = {
    // .alloy files, and every kind of file an `alloy run` command line lives in.
    documentSelector: [
      { language: "grafana-alloy" },
      { language: "yaml" },
      { language: "dockercompose" },
      { language: "dockerfile" },
      { language: "shellscript" },
      { language: "properties" },
      { language: "ini" },
      { pattern: "**/*.service" },
      { pattern: "**/*.env" },
      { pattern: "**/default/alloy" },
    ],
    outputChannel: output,
    synchronize: { configurationSection: "alloyClusterLab" },
  };
  client = new LanguageClient("alloyClusterLab", "Alloy language server", serverOptions, clientOptions);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
