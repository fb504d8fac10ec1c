/**
 * A real LSP client for tests: starts the built language server (dist/server.js) over stdio and speaks
 * JSON-RPC to it, as an editor does.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { SERVER_EXEC_ARGV } from "../../language-server/src/serverProcess";
import { CLI } from "./cli";
import { after, before } from "node:test";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-jsonrpc/node";
import type { Diagnostic, PublishDiagnosticsParams } from "vscode-languageserver-protocol";

export const SERVER = path.join(__dirname, "..", "..", "dist", "server.js");

export class LspTestClient {
  private readonly child: ChildProcess;
  readonly connection: MessageConnection;
  private readonly published = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters: { uri: string; version?: number; resolve: (d: Diagnostic[]) => void }[] = [];
  private versions = new Map<string, number>();
  /** What the "editor" answers to workspace/configuration for the alloyClusterLab section. */
  settings: unknown = {};

  private constructor(launch: "server" | "cli") {
    // The CLI's `alloy-lab lsp --stdio` is the same server, as another editor would start it.
    const command = launch === "server" ? [...SERVER_EXEC_ARGV, SERVER, "--stdio"] : [CLI, "lsp", "--stdio"];
    this.child = spawn(process.execPath, command, { stdio: ["pipe", "pipe", "inherit"] });
    this.connection = createMessageConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification("textDocument/publishDiagnostics", (p: PublishDiagnosticsParams) => {
      this.published.set(p.uri, p);
      for (const w of [...this.waiters]) {
        if (w.uri === p.uri && (w.version === undefined || p.version === w.version)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(p.diagnostics);
        }
      }
    });
    this.connection.onRequest("workspace/configuration", () => [this.settings]);
    this.connection.listen();
  }

  /** Changes the settings and tells the server, as an editor does. */
  async setSettings(settings: unknown): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification("workspace/didChangeConfiguration", { settings: {} });
  }

  /** The server process's id (for benchmarks that read its memory). */
  get pid(): number {
    return this.child.pid!;
  }

  /**
   * Starts a server; `workspace` is the folder opened in the "editor" (none by default). `editor`: how it is
   * started and what the editor offers (by default, VS Code's way: the server's bundle, settings pulled).
   */
  static async start(
    workspace?: string,
    editor: { launch?: "server" | "cli"; pullsSettings?: boolean; initializationOptions?: unknown } = {},
  ): Promise<LspTestClient> {
    const c = new LspTestClient(editor.launch ?? "server");
    const rootUri = workspace === undefined ? null : pathToFileURL(workspace).toString();
    await c.connection.sendRequest("initialize", {
      processId: process.pid,
      rootUri,
      capabilities: { workspace: { configuration: editor.pullsSettings ?? true } },
      initializationOptions: editor.initializationOptions,
    });
    await c.connection.sendNotification("initialized", {});
    return c;
  }

  /** Opens (or replaces) a document and resolves with the diagnostics published for that version. */
  async open(uri: string, text: string, languageId = "grafana-alloy"): Promise<Diagnostic[]> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    const published = this.waitForDiagnostics(uri, version);
    if (version === 1) await this.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId, version, text } });
    else await this.connection.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges: [{ text }] });
    return published;
  }

  waitForDiagnostics(uri: string, version?: number): Promise<Diagnostic[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version}`)), 10_000);
      this.waiters.push({
        uri,
        version,
        resolve: (d) => {
          clearTimeout(timer);
          resolve(d);
        },
      });
    });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest("shutdown");
      await this.connection.sendNotification("exit");
    } finally {
      this.connection.dispose();
      if (this.child.exitCode === null) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            this.child.kill("SIGKILL");
            resolve();
          }, 3000);
          this.child.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    }
  }
}

/** One server for the tests of a suite: started before them, stopped after. Call inside `describe`. */
export function useLspClient(workspace?: () => string): () => LspTestClient {
  let client: LspTestClient | undefined;
  before(async () => {
    client = await LspTestClient.start(workspace?.());
  });
  after(async () => {
    await client?.stop();
  });
  return () => client!;
}
