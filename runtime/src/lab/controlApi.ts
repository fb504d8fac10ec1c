/**
 * The supervisor's control API on 127.0.0.1 (its contract: protocol/controlContract): state, node actions,
 * partitions, targets, and the pushed state and event stream (WebSocket). Every request needs the lab's token; browsers from other origins are refused; bodies are
 * limited in size.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { DrillError, runDrill } from "../drills/drillRunner";
import { DRILL_FLAGS, DRILL_KINDS, parseDrillOptions } from "../drills/drillSpec";
import { CONTROL_PATHS, MAX_LAB_TARGETS, NODE_ACTIONS, NODE_NAME_PATTERN, type NodeAction, type RunDrillResponse } from "../protocol/controlContract";
import type { LabEvent } from "../protocol/labEvents";
import type { LabState } from "../protocol/labState";
import { diffLabState, type LabStreamMessage } from "../protocol/labStream";
import type { TargetLabels } from "../ring/keys";
import type { LabSupervisor } from "./labSupervisor";
import { SupervisorDrillLab } from "./supervisorDrillLab";
import { syntheticLabTargets } from "./syntheticLabTargets";

const MAX_BODY_BYTES = 1 << 20;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ControlApi {
  url: string;
  token: string;
  close(): Promise<void>;
}

/** How soon a change is pushed to watching clients, and how often scrape times and rates are pushed anyway. */
const PUSH_DELAY_MS = 100;
const PUSH_EVERY_MS = 1000;

function readJson(req: http.IncomingMessage): Promise<unknown> {
  if (Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES) {
    req.resume(); // discard it; the reply says why
    return Promise.reject(new HttpError(413, `request body larger than ${MAX_BODY_BYTES} bytes`));
  }
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        // a body without a length that grows too large: stop reading it at all
        reject(new HttpError(413, `request body larger than ${MAX_BODY_BYTES} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      if (text.trim() === "") return resolve({});
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new HttpError(400, "request body is not valid JSON"));
      }
    });
    req.on("error", reject);
  });
}

function asObject(v: unknown): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new HttpError(400, "request body must be a JSON object");
  return v as Record<string, unknown>;
}

function stringList(v: unknown, what: string): string[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) throw new HttpError(400, `${what} must be a list of strings`);
  return v as string[];
}

function authorized(req: http.IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? "";
  const given = Buffer.from(header.startsWith("Bearer ") ? header.slice(7) : (new URL(req.url ?? "/", "http://x").searchParams.get("token") ?? ""));
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Same-origin or not from a browser at all: a page elsewhere must not drive the lab. */
function originAllowed(req: http.IncomingMessage): boolean {
  const origin = req.headers.origin;
  return origin === undefined || origin === `http://${req.headers.host}`;
}

const NODE_PATH = /^\/api\/lab\/nodes\/([^/]+)\/([^/]+)$/;

async function route(lab: LabSupervisor, req: http.IncomingMessage): Promise<{ status: number; body: unknown }> {
  const { pathname } = new URL(req.url ?? "/", "http://lab");
  const method = req.method ?? "GET";
  if (pathname === CONTROL_PATHS.state && method === "GET") return { status: 200, body: lab.state() };
  if (pathname === CONTROL_PATHS.events && method === "GET") return { status: 200, body: lab.events };
  if (pathname === CONTROL_PATHS.nodes && method === "POST") {
    const body = asObject(await readJson(req));
    if (body.name !== undefined && (typeof body.name !== "string" || !NODE_NAME_PATTERN.test(body.name)))
      throw new HttpError(400, "name must be 1–64 letters, digits, '.', '_' or '-'");
    const flags = body.flags === undefined ? [] : stringList(body.flags, "flags");
    try {
      return { status: 201, body: await lab.addNode(body.name as string | undefined, flags) };
    } catch (err) {
      throw new HttpError(409, (err as Error).message);
    }
  }
  const node = NODE_PATH.exec(pathname);
  if (node !== null && method === "POST") {
    let name: string;
    try {
      name = decodeURIComponent(node[1]);
    } catch {
      throw new HttpError(400, "the node name in the path is not valid percent-encoding");
    }
    const action = node[2] as NodeAction;
    if (!NODE_ACTIONS.includes(action)) throw new HttpError(404, `unknown node action ${JSON.stringify(node[2])} (${NODE_ACTIONS.join(", ")})`);
    if (!lab.state().nodes.some((n) => n.id === name && n.running)) throw new HttpError(404, `no running node named ${name}`);
    if (action === "restart") return { status: 200, body: await lab.restartNode(name) };
    if (action === "stop") lab.stopNode(name);
    else lab.killNode(name);
    return { status: 202, body: { ok: true } };
  }
  if (pathname === CONTROL_PATHS.partition && method === "POST") {
    const body = asObject(await readJson(req));
    if (!Array.isArray(body.groups) || body.groups.length < 2) throw new HttpError(400, "groups must be a list of at least two lists of node names");
    const groups = body.groups.map((g, i) => stringList(g, `groups[${i}]`));
    const known = new Set(lab.state().nodes.map((n) => n.name));
    for (const n of groups.flat()) if (!known.has(n)) throw new HttpError(400, `unknown node ${JSON.stringify(n)} in groups`);
    lab.partition(groups);
    return { status: 202, body: { ok: true } };
  }
  if (pathname === CONTROL_PATHS.partition && method === "DELETE") {
    lab.heal();
    return { status: 202, body: { ok: true } };
  }
  if (pathname === CONTROL_PATHS.targets && method === "POST") {
    const body = asObject(await readJson(req));
    let targets: TargetLabels[];
    if (typeof body.count === "number" && Number.isInteger(body.count) && body.count >= 0 && body.count <= MAX_LAB_TARGETS)
      targets = syntheticLabTargets(body.count);
    else if (Array.isArray(body.targets)) {
      targets = body.targets.map((t, i) => {
        const o = asObject(t);
        for (const [k, v] of Object.entries(o)) if (typeof v !== "string") throw new HttpError(400, `targets[${i}].${k} must be a string`);
        return o as TargetLabels;
      });
    } else throw new HttpError(400, `give "count" (0–${MAX_LAB_TARGETS}) or "targets" (a list of label objects)`);
    lab.setTargets(targets);
    return { status: 202, body: { ok: true, targets: targets.length } };
  }
  if (pathname === CONTROL_PATHS.drills && method === "POST") return runDrillRequest(lab, asObject(await readJson(req)));
  throw new HttpError(method === "GET" || method === "POST" || method === "DELETE" ? 404 : 405, `no ${method} ${pathname}`);
}

/** Labs with a drill running: one at a time, or their steps would mix. */
const drilling = new WeakSet<LabSupervisor>();

async function runDrillRequest(lab: LabSupervisor, body: Record<string, unknown>): Promise<{ status: number; body: RunDrillResponse }> {
  if (typeof body.kind !== "string") throw new HttpError(400, `"kind" must be one of ${DRILL_KINDS.join(", ")}`);
  const options = body.options === undefined ? {} : asObject(body.options);
  for (const [k, v] of Object.entries(options)) {
    if (!(k in DRILL_FLAGS)) throw new HttpError(400, `unknown drill option ${JSON.stringify(k)} (${Object.keys(DRILL_FLAGS).join(", ")})`);
    if (typeof v !== "string" && typeof v !== "boolean") throw new HttpError(400, `drill option ${k} must be a string or a boolean`);
  }
  const drill = parseDrillOptions(body.kind, options as Record<string, string | boolean>);
  if (typeof drill === "string") throw new HttpError(400, drill);
  if (drilling.has(lab)) throw new HttpError(409, "a drill is already running on this lab");
  const source = lab.state().source;
  drilling.add(lab);
  try {
    return { status: 200, body: await runDrill(new SupervisorDrillLab(lab, source.kind === "lab" ? source.profile : "fast"), drill) };
  } catch (err) {
    if (err instanceof DrillError) throw new HttpError(409, err.message);
    throw err;
  } finally {
    drilling.delete(lab);
  }
}

/**
 * Pushes the lab's state to watching clients: the whole state when one connects, then what changed — soon
 * after a change, and every second for what moves on its own (scrape times, samples/s).
 */
class StatePublisher {
  private published: LabState | undefined;
  private pending: NodeJS.Timeout | undefined;
  private readonly ticker: NodeJS.Timeout;
  private readonly onChange = (): void => {
    this.pending ??= setTimeout(() => this.publish(), PUSH_DELAY_MS);
  };

  constructor(
    private readonly lab: LabSupervisor,
    private readonly clients: ReadonlySet<WebSocket>,
  ) {
    lab.on("state", this.onChange);
    this.ticker = setInterval(() => this.publish(), PUSH_EVERY_MS);
    this.ticker.unref();
  }

  /** The state a new client starts from; later updates are relative to it. */
  current(): LabState {
    this.published ??= this.lab.state();
    return this.published;
  }

  private publish(): void {
    clearTimeout(this.pending);
    this.pending = undefined;
    if (this.clients.size === 0) {
      this.published = undefined; // nobody to tell; the next client starts afresh
      return;
    }
    const state = this.lab.state();
    const update = this.published && diffLabState(this.published, state);
    this.published = state;
    if (update !== undefined) for (const c of this.clients) send(c, { type: "update", update });
  }

  close(): void {
    this.lab.off("state", this.onChange);
    clearInterval(this.ticker);
    clearTimeout(this.pending);
  }
}

function send(ws: WebSocket, m: LabStreamMessage): void {
  ws.send(JSON.stringify(m));
}

/** Serves the control API for `lab` on host:port (port 0 picks a free one). */
export function startControlApi(lab: LabSupervisor, host = "127.0.0.1", port = 0): Promise<ControlApi> {
  const token = randomBytes(24).toString("hex");
  /** Requests answered with an error, by status: bad input is counted, not just refused. */
  const rejected = new Map<number, number>();
  const server = http.createServer((req, res) => {
    const reply = (status: number, body: unknown): void => {
      if (status >= 400) rejected.set(status, (rejected.get(status) ?? 0) + 1);
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    if (!originAllowed(req)) return reply(403, { error: "cross-origin requests are not allowed" });
    if (!authorized(req, token)) return reply(401, { error: "missing or wrong lab token" });
    if (req.method === "GET" && req.url === CONTROL_PATHS.metrics) {
      const lines = [...rejected].sort(([a], [b]) => a - b).map(([code, n]) => `lab_control_requests_rejected_total{code="${code}"} ${n}`);
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(["# TYPE lab_control_requests_rejected_total counter", ...lines, ""].join("\n"));
      return;
    }
    route(lab, req).then(
      ({ status, body }) => reply(status, body),
      (err: unknown) => reply(err instanceof HttpError ? err.status : 500, { error: (err as Error).message }),
    );
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const watchers = new Set<WebSocket>();
  const publisher = new StatePublisher(lab, watchers);
  server.on("upgrade", (req, socket, head) => {
    if (new URL(req.url ?? "/", "http://lab").pathname !== CONTROL_PATHS.events || !originAllowed(req) || !authorized(req, token)) {
      rejected.set(401, (rejected.get(401) ?? 0) + 1);
      socket.end("HTTP/1.1 401 Unauthorized\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on("error", () => ws.terminate());
      send(ws, { type: "state", state: publisher.current() });
      const onEvent = (event: LabEvent): void => send(ws, { type: "event", event });
      for (const e of lab.events) onEvent(e);
      lab.on("event", onEvent);
      watchers.add(ws);
      ws.on("close", () => {
        watchers.delete(ws);
        lab.off("event", onEvent);
      });
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) => {
      publisher.close();
      reject(new Error(err.code === "EADDRINUSE" ? `control port ${host}:${port} is already in use` : `cannot listen on ${host}:${port}: ${err.message}`));
    });
    server.listen(port, host, () => {
      const { port: actual } = server.address() as AddressInfo;
      resolve({
        url: `http://${host}:${actual}`,
        token,
        close: () =>
          new Promise<void>((done) => {
            publisher.close();
            for (const c of wss.clients) c.terminate();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
