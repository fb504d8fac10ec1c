/**
 * A real Alloy cluster (or a lab node) the extension attached to: its HTTP API read every few seconds, with
 * ownership worked out by our ring, as the same state and events the views show for a lab. Read-only.
 */
import * as vscode from "vscode";
import { fetchClusterSnapshot } from "../../../runtime/src/alloyApi/alloyApiClient";
import { AttachedCluster } from "../../../runtime/src/alloyApi/attachedCluster";
import type { LabEvent } from "../../../runtime/src/protocol/labEvents";
import type { LabState } from "../../../runtime/src/protocol/labState";

const MAX_EVENTS = 5000;

export class AttachedSession implements vscode.Disposable {
  state: LabState | undefined;
  readonly events: LabEvent[] = [];
  /** Why the last read failed, while it keeps failing (the views keep the last state). */
  error: string | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly cluster = new AttachedCluster();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  private constructor(
    readonly url: string,
    private readonly intervalMs: number,
    private readonly log: (line: string) => void,
  ) {}

  /** Reads the cluster once (throws with a clear message when it can't), then keeps reading. */
  static async attach(url: string, intervalMs: number, log: (line: string) => void): Promise<AttachedSession> {
    const session = new AttachedSession(url, intervalMs, log);
    await session.read();
    session.schedule();
    return session;
  }

  private async read(): Promise<void> {
    const { state, events } = this.cluster.update(await fetchClusterSnapshot(this.url, { known: this.cluster.knownPeers() }), Date.now());
    this.state = state;
    this.events.push(...events);
    if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.poll(), this.intervalMs);
  }

  private async poll(): Promise<void> {
    try {
      await this.read();
      if (this.error !== undefined) this.log(`attached cluster ${this.url} answers again`);
      this.error = undefined;
    } catch (err) {
      const message = (err as Error).message;
      if (message !== this.error) this.log(`attached cluster: ${message}`);
      this.error = message;
    }
    if (this.stopped) return;
    this.changed.fire();
    this.schedule();
  }

  stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    return Promise.resolve();
  }

  dispose(): void {
    void this.stop();
    this.changed.dispose();
  }
}
