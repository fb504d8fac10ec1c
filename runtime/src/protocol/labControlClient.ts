/**
 * A typed client for a running lab's control API (the extension, the CLI and tests use it): requests, and a
 * watch that keeps a live state from the pushed stream.
 */
import WebSocket from "ws";
import {
  CONTROL_PATHS,
  type AddNodeRequest,
  type ControlErrorBody,
  type LabHandle,
  type NodeAction,
  type RunDrillRequest,
  type RunDrillResponse,
  type SetTargetsRequest,
} from "./controlContract";
import type { LabEvent } from "./labEvents";
import type { LabNodeState, LabState } from "./labState";
import { applyLabStateUpdate, isLabStreamMessage } from "./labStream";

export class LabControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface LabWatchHandlers {
  /** The whole state: first when connected, then after every pushed change. */
  state(state: LabState): void;
  event(event: LabEvent): void;
  /** The stream closed (the lab stopped, or the connection broke). */
  closed?(): void;
}

export interface LabWatch {
  close(): void;
}

export class LabControlClient {
  constructor(
    readonly url: string,
    private readonly token: string,
  ) {}

  static of(handle: LabHandle): LabControlClient {
    return new LabControlClient(handle.control, handle.token);
  }

  /** A request; throws LabControlError with the lab's own message when it refuses. */
  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) {
      let message = `${method} ${path} failed (${res.status})`;
      try {
        message = (JSON.parse(text) as ControlErrorBody).error ?? message;
      } catch {
        // not JSON: keep the status line
      }
      throw new LabControlError(res.status, message);
    }
    return (res.headers.get("content-type")?.startsWith("application/json") ? JSON.parse(text) : text) as T;
  }

  state(): Promise<LabState> {
    return this.request("GET", CONTROL_PATHS.state);
  }

  events(): Promise<LabEvent[]> {
    return this.request("GET", CONTROL_PATHS.events);
  }

  addNode(request: AddNodeRequest = {}): Promise<LabNodeState> {
    return this.request("POST", CONTROL_PATHS.nodes, request);
  }

  async node(name: string, action: NodeAction): Promise<void> {
    await this.request("POST", CONTROL_PATHS.node(name, action));
  }

  async partition(groups: string[][]): Promise<void> {
    await this.request("POST", CONTROL_PATHS.partition, { groups });
  }

  async heal(): Promise<void> {
    await this.request("DELETE", CONTROL_PATHS.partition);
  }

  async setTargets(request: SetTargetsRequest): Promise<void> {
    await this.request("POST", CONTROL_PATHS.targets, request);
  }

  /** Runs a drill on the lab; resolves with its report and timeline once the cluster settled. */
  runDrill(request: RunDrillRequest): Promise<RunDrillResponse> {
    return this.request("POST", CONTROL_PATHS.drills, request);
  }

  /** The control API's own counters, Prometheus text. */
  metrics(): Promise<string> {
    return this.request("GET", CONTROL_PATHS.metrics);
  }

  /** Keeps a live state from the stream; events as they come (the log so far first). */
  watch(handlers: LabWatchHandlers): LabWatch {
    const socket = new WebSocket(`${this.url.replace(/^http/, "ws")}${CONTROL_PATHS.events}`, { headers: { authorization: `Bearer ${this.token}` } });
    let state: LabState | undefined;
    socket.on("message", (data) => {
      let m: unknown;
      try {
        m = JSON.parse(String(data));
      } catch {
        return; // not ours to crash on
      }
      if (!isLabStreamMessage(m)) return;
      if (m.type === "event") handlers.event(m.event);
      else {
        state = m.type === "state" ? m.state : state && applyLabStateUpdate(state, m.update);
        if (state !== undefined) handlers.state(state);
      }
    });
    socket.on("error", () => socket.terminate());
    socket.on("close", () => handlers.closed?.());
    return { close: () => socket.terminate() };
  }
}
