/**
 * The target farm: one real Prometheus /metrics endpoint per simulated target, on 127.0.0.1
 * (GET /targets/KEY/metrics). Exits when the supervisor that forked it goes away.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { FarmToSupervisor } from "../protocol/nodeMessages";
import { metricsBody } from "./farmMetrics";

if (process.send !== undefined) process.on("disconnect", () => process.exit(0));

/** Values move on every STEP_MS; a body is built once per target and step, not once per scrape. */
const STEP_MS = 30_000;
const bodies = new Map<string, { step: number; body: Buffer }>();

function body(key: string): Buffer {
  const step = Math.floor(Date.now() / STEP_MS);
  let cached = bodies.get(key);
  if (cached === undefined || cached.step !== step) {
    cached = { step, body: Buffer.from(metricsBody(key, step)) };
    bodies.set(key, cached);
  }
  return cached.body;
}

const server = http.createServer((req, res) => {
  const m = /^\/targets\/(\d{1,20})\/metrics$/.exec(req.url ?? "");
  if (req.method !== "GET" || m === null) {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
    return;
  }
  // The cached body as it is, with its length: headers and body leave in one write, not as chunks.
  const payload = body(m[1]);
  res.writeHead(200, { "content-type": "text/plain; version=0.0.4", "content-length": payload.length });
  res.end(payload);
});
// Scrapers keep their connections; Node's default 5 s would close the ones a scraper uses less often, and a
// new connection costs both sides far more than a request on an open one.
server.keepAliveTimeout = 120_000;
server.on("error", (err) => {
  process.stderr.write(`alloy-lab farm: ${err.message}\n`);
  process.exit(1);
});
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const hello: FarmToSupervisor = { kind: "farm-listening", url };
  if (process.send !== undefined) process.send(hello);
  else process.stdout.write(`${url}\n`);
});
process.on("SIGTERM", () => process.exit(0));
