/**
 * Fuzzing what reaches the lab from outside: gossip frames (the decoder in-process, and a real node over its
 * WebSocket) and control API requests (a real supervisor's HTTP server). Malformed input of every kind —
 * truncated, oversized, wrong types, unknown kinds, huge numbers, invalid UTF-8, deep nesting — must be
 * answered with an error and counted, and never crash the process.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import WebSocket from "ws";
import { startControlApi } from "../../runtime/src/lab/controlApi";
import { decodeFrame, encodeFrame, FrameError, MAX_FRAME_BYTES, type GossipFrame } from "../../runtime/src/membership/gossipFrames";
import { GOSSIP_PATH } from "../../runtime/src/node/gossipTransport";
import { DIST, newLab } from "../support/lab";
import { seededRandom } from "../support/syntheticTargets";

export interface InputFuzzResult {
  inputs: number;
  /** Inputs answered with an error (a FrameError, a 4xx reply) and counted. */
  rejected: number;
  failures: string[];
}

const member = { name: "m", addr: "127.0.0.1:1", incarnation: 0, status: "alive", state: "participant", stateLamport: 1 } as const;
const VALID: GossipFrame[] = [
  { kind: "hello", cluster: "", from: "f", addr: "127.0.0.1:1" },
  { kind: "ping", seq: 1, from: "f", updates: [member] },
  { kind: "ack", seq: 1, from: "f", updates: [] },
  { kind: "ping-req", seq: 2, from: "f", target: "t", targetAddr: "127.0.0.1:2" },
  { kind: "push-pull", from: "f", members: [member], reply: true, lamport: 3 },
  { kind: "gossip", from: "f", updates: [member] },
  { kind: "join", from: member, members: [member] },
  { kind: "join-ok", members: [member] },
];
/** Values each field must refuse, by what the field holds. */
const NOT_A: Record<string, unknown[]> = {
  name: [null, 1, "", "x".repeat(300), "a\u0000b", "line\nbreak", [], {}],
  address: [null, 1, "", "nohost", "h:0", "h:99999", "bad host:1", "\u0000", ["127.0.0.1:1"]],
  count: [null, -1, 1.5, "1e400", 2 ** 64, "1", true, []],
  bool: [null, 1, "true", []],
  list: [null, "x", {}, [null], [{ name: 1 }], 7],
  member: [null, "m", [], { name: "m" }],
  text: [null, 1, [], "x".repeat(5000)],
};
const FIELD_KIND: Record<string, string> = {
  cluster: "text",
  from: "name",
  target: "name",
  name: "name",
  addr: "address",
  targetAddr: "address",
  seq: "count",
  incarnation: "count",
  stateLamport: "count",
  lamport: "count",
  reply: "bool",
  updates: "list",
  members: "list",
  status: "name",
  state: "name",
  reason: "text",
};
const wrongFor = (key: string, pick: <T>(xs: readonly T[]) => T): unknown => pick(NOT_A[FIELD_KIND[key] ?? "text"]);

function bytesOf(rand: () => number, n: number): Buffer {
  return Buffer.from(Array.from({ length: n }, () => Math.floor(rand() * 256)));
}

/** One malformed gossip frame: every one of these must fail the decoder. */
export function malformedFrame(rand: () => number, allowHuge = true): string | Buffer {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const valid = pick(VALID);
  const text = encodeFrame(valid);
  const r = rand();
  if (r < 0.2) return text.slice(0, Math.floor(rand() * (text.length - 1))); // truncated
  if (r < 0.45) {
    // a field of the wrong type, or missing
    const keys = Object.keys(valid).filter((k) => k !== "kind");
    const key = pick(keys);
    const broken: Record<string, unknown> = { ...valid };
    if (rand() < 0.2) delete broken[key];
    else broken[key] = valid.kind === "join" && key === "from" ? pick(NOT_A.member) : wrongFor(key, pick);
    return JSON.stringify(broken).replace('"1e400"', "1e400");
  }
  if (r < 0.55) {
    // a member record with a wrong field inside a list
    const key = pick(Object.keys(member));
    const broken = { ...member, [key]: wrongFor(key, pick) };
    return JSON.stringify({ kind: "gossip", from: "f", updates: [member, broken] }).replace('"1e400"', "1e400");
  }
  if (r < 0.65) return JSON.stringify({ ...valid, kind: pick(["nope", "", "PING", "hello ", 7, null, "__proto__"]) });
  if (r < 0.75) return Buffer.concat([Buffer.from(text.slice(0, 10)), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from(text.slice(10))]); // invalid UTF-8
  if (r < 0.82) return pick(["", "{", "[]", "null", "1", '"s"', "{}", '{"kind":1}', "[".repeat(20000) + "]".repeat(20000), '{"__proto__":{"kind":"ping"}}']);
  if (r < 0.9) return bytesOf(rand, Math.floor(rand() * 64));
  if (r < 0.97) return JSON.stringify({ kind: "ping", seq: pick([-1, 1.5, 1e308, 2 ** 64]), from: "f", updates: [] });
  if (allowHuge) return text + " ".repeat(MAX_FRAME_BYTES); // oversized
  return JSON.stringify({ kind: "join-ok", members: Array.from({ length: 5000 }, () => member) }); // too many members
}

/** The decoder alone: every malformed frame throws FrameError, nothing else. */
export function fuzzFrameDecoder(count: number, seed: number): InputFuzzResult {
  const rand = seededRandom(seed);
  const result: InputFuzzResult = { inputs: 0, rejected: 0, failures: [] };
  for (let i = 0; i < count; i++) {
    const frame = malformedFrame(rand, rand() < 0.01);
    result.inputs++;
    try {
      const decoded = decodeFrame(frame);
      result.failures.push(`accepted ${JSON.stringify(String(frame).slice(0, 200))} as ${decoded.kind}`);
    } catch (err) {
      if (err instanceof FrameError) result.rejected++;
      else result.failures.push(`threw ${(err as Error).name}: ${(err as Error).message} on ${JSON.stringify(String(frame).slice(0, 200))}`);
    }
  }
  return result;
}

async function invalidFrameCount(addr: string): Promise<number> {
  const metrics = await (await fetch(`http://${addr}/metrics`)).text();
  return Number(/lab_gossip_frames_invalid_total (\d+)/.exec(metrics)?.[1] ?? NaN);
}

/** A real node process: malformed frames over its gossip WebSocket are dropped and counted; it keeps serving. */
/**
 * `hugeFrames`: also send the odd oversized frame, which makes the node close the connection before it reads
 * the rest of its batch (so the count of rejected frames is then only a lower bound).
 */
export async function fuzzNodeGossip(count: number, seed: number, hugeFrames = true): Promise<InputFuzzResult> {
  const rand = seededRandom(seed);
  const node = spawn(
    process.execPath,
    [path.join(DIST, "node.js"), "--cluster.enabled", "--cluster.node-name=fuzzed", "--server.http.listen-addr=127.0.0.1:0"],
    { stdio: ["ignore", "ignore", "pipe", "ipc"] },
  );
  let stderr = "";
  node.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const result: InputFuzzResult = { inputs: 0, rejected: 0, failures: [] };
  try {
    const addr = await new Promise<string>((resolve, reject) => {
      node.on("message", (m: { kind?: string; addr?: string }) => m.kind === "listening" && resolve(m.addr!));
      node.once("exit", (code) => reject(new Error(`node exited (${code}): ${stderr}`)));
    });
    const before = await invalidFrameCount(addr);
    let sent = 0;
    while (sent < count) {
      // A connection lasts until the node closes it (an oversized frame does); then dial again.
      const ws = new WebSocket(`ws://${addr}${GOSSIP_PATH}`, { maxPayload: MAX_FRAME_BYTES * 2 });
      const opened = await new Promise<boolean>((resolve) => ws.once("open", () => resolve(true)).once("error", () => resolve(false)));
      if (!opened) {
        await new Promise((r) => setTimeout(r, 200)); // let its exit be seen
        result.failures.push(
          `cannot connect to the node after ${sent} frames${node.exitCode !== null || node.signalCode !== null ? `: it died: ${stderr.slice(0, 2000)}` : ""}`,
        );
        break;
      }
      ws.on("error", () => undefined);
      ws.send(encodeFrame({ kind: "hello", cluster: "", from: "fuzzer", addr: "127.0.0.1:1" }));
      let open = true;
      let settle: (() => void) | undefined;
      ws.once("close", () => {
        open = false;
        settle?.();
      });
      ws.on("pong", () => settle?.());
      while (open && sent < count) {
        const batch = Math.min(500, count - sent);
        for (let i = 0; i < batch; i++) ws.send(malformedFrame(rand, hugeFrames && rand() < 0.001));
        sent += batch;
        // The pong comes back after the node has read everything sent before the ping.
        await new Promise<void>((resolve) => {
          if (!open) return resolve();
          settle = resolve;
          ws.ping();
        });
      }
      ws.terminate();
    }
    result.inputs = sent;
    if (node.exitCode !== null || node.signalCode !== null) {
      if (result.failures.length === 0) result.failures.push(`the node died: ${stderr.slice(0, 2000)}`);
      return result;
    }
    const after = await invalidFrameCount(addr);
    result.rejected = after - before;
    // An oversized frame closes the connection before it is read, so the rest of its batch is never counted.
    if ((await fetch(`http://${addr}/api/v0/web/peers`)).status !== 200) result.failures.push("the node stopped serving its API");
    if (!(result.rejected > 0)) result.failures.push(`no invalid frame was counted (metric ${before} → ${after})`);
  } finally {
    node.kill("SIGKILL");
  }
  return result;
}

interface FuzzRequest {
  method: string;
  path: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  token: "right" | "wrong" | "none";
}

/** One malformed control API request: every one must get a 4xx JSON error. */
export function malformedRequest(rand: () => number): FuzzRequest {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const r = rand();
  if (r < 0.08) return { method: "GET", path: "/api/lab/state", token: pick(["wrong", "none"]) };
  if (r < 0.12) return { method: "GET", path: "/api/lab/state", token: "right", headers: { origin: "http://evil.example" } };
  if (r < 0.25)
    return {
      method: pick(["GET", "PUT", "PATCH", "DELETE", "POST"]),
      path: pick(["/", "/api", "/api/lab", "/api/lab/nope", "/api/lab/state/x", "/api/other", "/%zz", "/api/lab/nodes/x/y/z", "//api/lab/state"]),
      token: "right",
    };
  if (r < 0.35)
    return {
      method: "POST",
      path: `/api/lab/nodes/${pick(["nobody", "%00", "..", "a".repeat(300), "alloy-0"])}/${pick(["stop", "kill", "restart", "explode"])}`,
      token: "right",
    };
  // Bodies no endpoint accepts, then bodies each endpoint refuses.
  const malformed: (string | Buffer)[] = ["{", "[]", "null", '"str"', "1e400", Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), "[".repeat(5000) + "]".repeat(5000)];
  const refused: Record<string, string[]> = {
    "/api/lab/nodes": ['{"name": 7}', '{"name": "bad name!"}', `{"name": "${"a".repeat(65)}"}`, '{"flags": "x"}', '{"flags": [1]}'],
    "/api/lab/partition": ['{"groups": "x"}', '{"groups": [["a"]]}', '{"groups": [["a"], [1]]}', '{"groups": [["ghost"], ["spirit"]]}', "{}"],
    "/api/lab/targets": [
      '{"count": -1}',
      '{"count": 1e308}',
      '{"count": 1.5}',
      '{"count": "5"}',
      '{"targets": [1]}',
      '{"targets": [{"a": 1}]}',
      '{"targets": "x"}',
      '{"__proto__": {"count": 5}}',
      "{}",
    ],
  };
  const target = pick(Object.keys(refused));
  const bodies = [...malformed, ...refused[target]];
  if (r < 0.9) return { method: "POST", path: target, body: pick(bodies), token: "right" };
  return { method: "POST", path: target, body: "x".repeat((1 << 20) + 10), token: "right" }; // over the body limit
}

/** A real supervisor's control API: malformed requests get 4xx errors, are counted, and it keeps serving. */
export async function fuzzControlApi(count: number, seed: number): Promise<InputFuzzResult> {
  const rand = seededRandom(seed);
  const lab = newLab();
  await lab.start(0); // the farm only: nothing here should ever add a node
  const api = await startControlApi(lab);
  const result: InputFuzzResult = { inputs: 0, rejected: 0, failures: [] };
  const note = (m: string): void => void (result.failures.length < 20 && result.failures.push(m));
  try {
    // Defects found before, sent first every run: a longer path once answered as the state itself.
    const regressions: FuzzRequest[] = [
      { method: "GET", path: "/api/lab/state/x", token: "right" },
      { method: "GET", path: "/api/lab/events/1", token: "right" },
    ];
    for (let i = 0; i < count; i++) {
      const q = regressions[i] ?? malformedRequest(rand);
      const headers: Record<string, string> = { ...q.headers };
      if (q.token !== "none") headers.authorization = `Bearer ${q.token === "right" ? api.token : "0".repeat(api.token.length)}`;
      result.inputs++;
      let status = 0;
      let text = "";
      try {
        const res = await fetch(`${api.url}${q.path}`, { method: q.method, headers, body: q.body });
        status = res.status;
        text = await res.text();
      } catch (err) {
        // The server may cut an oversized upload short; that is an answer too, if it keeps serving.
        if (q.body === undefined || q.body.length <= 1 << 20) note(`${q.method} ${q.path}: ${(err as Error).message}`);
        else result.rejected++;
        continue;
      }
      let error: unknown;
      try {
        error = (JSON.parse(text) as { error?: unknown }).error;
      } catch {
        error = undefined;
      }
      if (status >= 400 && status < 500 && typeof error === "string") result.rejected++;
      else note(`${q.method} ${q.path} ${String(q.body ?? "").slice(0, 80)} → ${status} ${text.slice(0, 120)}`);
    }
    const state = await fetch(`${api.url}/api/lab/state`, { headers: { authorization: `Bearer ${api.token}` } });
    if (state.status !== 200) note(`the control API stopped serving: ${state.status}`);
    const metrics = await (await fetch(`${api.url}/api/lab/metrics`, { headers: { authorization: `Bearer ${api.token}` } })).text();
    const counted = [...metrics.matchAll(/^lab_control_requests_rejected_total\{code="\d+"\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
    if (counted < result.rejected) note(`the metric counted ${counted} rejected requests, ${result.rejected} were rejected`);
    if (lab.state().nodes.length !== 0) note("a malformed request added a node");
  } finally {
    await api.close();
    await lab.shutdown();
  }
  return result;
}
