/**
 * A lab the extension runs: `alloy-lab up --json` as a child process (the supervisor), and a client for its
 * control API. It is started with `--owner-pid` of this extension host: if the host dies, even killed, the
 * supervisor notices within a second and stops every node.
 */
import { spawn, type ChildProcess } from "node:child_process";
import readline from "node:readline";
import * as vscode from "vscode";
import type { LabHandle } from "../../../runtime/src/protocol/controlContract";
import { LabControlClient, type LabWatch } from "../../../runtime/src/protocol/labControlClient";
import type { LabEvent } from "../../../runtime/src/protocol/labEvents";
import type { LabState } from "../../../runtime/src/protocol/labState";
export interface LabStartOptions {
  cliPath: string;
  /** The Node.js to run it with; in desktop VS Code, VS Code's own runtime as Node. */
  nodePath: string;
  nodes: number;
  profile: "fast" | "alloy";
  targets: number;
  config?: string;
  log: (line: string) => void;
  /** A Go duration for components whose config sets no scrape_interval. */
  scrapeInterval?: string;
}

export class LabSession implements vscode.Disposable {
  /** The lab's state as it pushes it (undefined until the first push). */
  state: LabState | undefined;
  readonly events: LabEvent[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly eventArrived = new vscode.EventEmitter<LabEvent>();
  /** Each event as the lab streams it. */
  readonly onEvent = this.eventArrived.event;
  private watch: LabWatch | undefined;
  private stopped = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly control: LabControlClient,
    readonly profile: string,
  ) {}

  get controlUrl(): string {
    return this.control.url;
  }

  static start(o: LabStartOptions): Promise<LabSession> {
    // The lab stops when this extension host is gone, however it goes. Its events come over the control
    // API's stream, so it prints none to stdout (nobody would read them).
    const args = [
      o.cliPath,
      "up",
      "--json",
      "--events",
      "none",
      "--owner-pid",
      String(process.pid),
      "--nodes",
      String(o.nodes),
      "--profile",
      o.profile,
      "--lab.targets",
      String(o.targets),
    ];
    if (o.config !== undefined) args.push("--config", o.config);
    if (o.scrapeInterval !== undefined) args.push("--lab.scrape-interval", o.scrapeInterval);
    const child = spawn(o.nodePath, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" },
    });
    child.stderr!.setEncoding("utf8");
    let stderr = "";
    child.stderr!.on("data", (d: string) => {
      stderr += d;
      for (const line of d.split("\n")) if (line.trim()) o.log(line);
    });
    return new Promise((resolve, reject) => {
      const lines = readline.createInterface({ input: child.stdout! });
      lines.once("line", (first) => {
        lines.close();
        child.stdout!.resume(); // nothing more is expected there; never let it fill up
        try {
          const session = new LabSession(child, LabControlClient.of(JSON.parse(first) as LabHandle), o.profile);
          session.connect();
          resolve(session);
        } catch {
          reject(new Error(`the lab said something unexpected: ${first}`));
        }
      });
      child.once("error", reject);
      child.once("exit", (code) => reject(new Error(stderr.trim() || `the lab exited with code ${code}`)));
    });
  }

  private connect(): void {
    this.watch = this.control.watch({
      state: (state) => {
        if (this.stopped) return;
        this.state = state;
        this.changed.fire();
      },
      event: (event) => {
        this.events.push(event);
        if (this.events.length > 5000) this.events.splice(0, this.events.length - 5000);
        this.eventArrived.fire(event);
      },
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  onExit(listener: (code: number | null) => void): void {
    this.child.once("exit", listener);
  }

  /** Stops the lab: the supervisor stops its nodes gracefully, then exits; forced after a grace period. */
  stop(): Promise<void> {
    this.stopped = true;
    this.watch?.close();
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.child.kill("SIGKILL"), 5000);
      this.child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      this.child.kill("SIGTERM");
    });
  }

  dispose(): void {
    void this.stop();
    this.changed.dispose();
    this.eventArrived.dispose();
  }
}
