/**
 * A lab the extension runs: `alloy-lab up --json` as a child process (the supervisor), and a client for its
 * control API. It is started with `--owner-pid` of this extension host: if the host dies, even killed, the
 * supervisor notices within a second and stops every node.
 */
import { spawn, type ChildProcess } from "node:child_process";
import readline from "node:readline";
import * as vscode from "vscode";
import WebSocket from "ws";
import type { LabEvent, LabState } from "../../../runtime/src/lab/labEvents";

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
  state: LabState | undefined;
  readonly events: LabEvent[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly eventArrived = new vscode.EventEmitter<LabEvent>();
  /** Each event as the lab streams it. */
  readonly onEvent = this.eventArrived.event;
  private socket: WebSocket | undefined;
  private poll: NodeJS.Timeout | undefined;
  private stopped = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly controlUrl: string,
    private readonly token: string,
    readonly profile: string,
  ) {}

  static start(o: LabStartOptions): Promise<LabSession> {
    // The lab stops when this extension host is gone, however it goes.
    const args = [
      o.cliPath,
      "up",
      "--json",
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
      stdio: ["pipe", "pipe", "pipe"],
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
        try {
          const { control, token } = JSON.parse(first) as { control: string; token: string };
          const session = new LabSession(child, control, token, o.profile);
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
    const refresh = (): void => void this.refresh();
    this.poll = setInterval(refresh, 1000);
    this.socket = new WebSocket(`${this.controlUrl.replace(/^http/, "ws")}/api/lab/events`, { headers: { authorization: `Bearer ${this.token}` } });
    this.socket.on("message", (data) => {
      const event = JSON.parse(String(data)) as LabEvent;
      this.events.push(event);
      this.eventArrived.fire(event);
      if (this.events.length > 5000) this.events.splice(0, this.events.length - 5000);
      refresh();
    });
    this.socket.on("error", () => undefined); // the poll keeps the views current
    refresh();
  }

  async refresh(): Promise<void> {
    if (this.stopped) return;
    try {
      this.state = (await this.request("GET", "/api/lab/state")) as LabState;
      this.changed.fire();
    } catch {
      // the lab is going away; stop() or the exit handler says so
    }
  }

  /** A control API call; throws with the lab's own error message. */
  async request(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${this.controlUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as { error?: string };
    if (!res.ok) throw new Error(json.error ?? `${method} ${path} failed (${res.status})`);
    return json;
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
    if (this.poll !== undefined) clearInterval(this.poll);
    this.socket?.terminate();
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
