/**
 * The supervisor's control API on 127.0.0.1: state, node actions, partitions, targets, and the event stream
 * (WebSocket). Every request needs the lab's token; browsers from other origins are refused; bodies are
 * limited in size.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import type { TargetLabels } from "../ring/keys";
import type { LabEvent } from "./labEvents";
import type { LabSupervisor } from "./labSupervisor";
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

async function route(lab: LabSupervisor, req: http.IncomingMessage): Promise<{ status: number; body: unknown }> {
  const url = new URL(req.url ?? "/", "http://lab");
  const parts = url.pathname.split("/").filter(Boolean); // api lab ...
  if (parts[0] !== "api" || parts[1] !== "lab") throw new HttpError(404, "not found");
  const [, , what, name, action] = parts;
  const method = req.method ?? "GET";
  // Exact paths only: /api/lab/state/x is not the state.
  if (parts.length > (what === "nodes" ? 5 : 3)) throw new HttpError(404, `no ${method} ${url.pathname}`);
  if (what === "state" && method === "GET") return { status: 200, body: lab.state() };
  if (what === "events" && method === "GET") return { status: 200, body: lab.events };
  if (what === "nodes" && name === undefined && method === "POST") {
    const body = asObject(await readJson(req));
    if (body.name !== undefined && (typeof body.name !== "string" || !/^[A-Za-z0-9_.-]{1,64}$/.test(body.name)))
      throw new HttpError(400, "name must be 1–64 letters, digits, '.', '_' or '-'");
    const flags = body.flags === undefined ? [] : stringList(body.flags, "flags");
    try {
      return { status: 201, body: await lab.addNode(body.name as string | undefined, flags) };
    } catch (err) {
      throw new HttpError(409, (err as Error).message);
    }
  }
  if (what === "nodes" && name !== undefined && method === "POST") {
    if (!lab.state().nodes.some((n) => n.name === name && n.alive)) throw new HttpError(404, `no running node named ${name}`);
    if (action === "stop") lab.stopNode(name);
    else if (action === "kill") lab.killNode(name);
    else if (action === "restart") return { status: 200, body: await lab.restartNode(name) };
    else throw new HttpError(404, `unknown node action ${JSON.stringify(action)} (stop, kill, restart)`);
    return { status: 202, body: { ok: true } };
  }
  if (what === "partition" && method === "POST") {
    const body = asObject(await readJson(req));
    if (!Array.isArray(body.groups) || body.groups.length < 2) throw new HttpError(400, "groups must be a list of at least two lists of node names");
    const groups = body.groups.map((g, i) => stringList(g, `groups[${i}]`));
    const known = new Set(lab.state().nodes.map((n) => n.name));
    for (const n of groups.flat()) if (!known.has(n)) throw new HttpError(400, `unknown node ${JSON.stringify(n)} in groups`);
    lab.partition(groups);
    return { status: 202, body: { ok: true } };
  }
  if (what === "partition" && method === "DELETE") {
    lab.heal();
    return { status: 202, body: { ok: true } };
  }
  if (what === "targets" && method === "POST") {
    const body = asObject(await readJson(req));
    let targets: TargetLabels[];
    if (typeof body.count === "number" && Number.isInteger(body.count) && body.count >= 0 && body.count <= 100_000) targets = syntheticLabTargets(body.count);
    else if (Array.isArray(body.targets)) {
      targets = body.targets.map((t, i) => {
        const o = asObject(t);
        for (const [k, v] of Object.entries(o)) if (typeof v !== "string") throw new HttpError(400, `targets[${i}].${k} must be a string`);
        return o as TargetLabels;
      });
    } else throw new HttpError(400, 'give "count" (0–100000) or "targets" (a list of label objects)');
    lab.setTargets(targets);
    return { status: 202, body: { ok: true, targets: targets.length } };
  }
  throw new HttpError(method === "GET" || method === "POST" || method === "DELETE" ? 404 : 405, `no ${method} ${url.pathname}`);
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
    if (req.method === "GET" && req.url === "/api/lab/metrics") {
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
  server.on("upgrade", (req, socket, head) => {
    if (new URL(req.url ?? "/", "http://lab").pathname !== "/api/lab/events" || !originAllowed(req) || !authorized(req, token)) {
      rejected.set(401, (rejected.get(401) ?? 0) + 1);
      socket.end("HTTP/1.1 401 Unauthorized\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on("error", () => ws.terminate());
      const send = (e: LabEvent): void => ws.send(JSON.stringify(e));
      for (const e of lab.events) send(e);
      lab.on("event", send);
      ws.on("close", () => lab.off("event", send));
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(new Error(err.code === "EADDRINUSE" ? `control port ${host}:${port} is already in use` : `cannot listen on ${host}:${port}: ${err.message}`)),
    );
    server.listen(port, host, () => {
      const { port: actual } = server.address() as AddressInfo;
      resolve({
        url: `http://${host}:${actual}`,
        token,
        close: () =>
          new Promise<void>((done) => {
            for (const c of wss.clients) c.terminate();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
