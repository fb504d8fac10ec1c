/**
 * The target farm: one real Prometheus /metrics endpoint per simulated target, on 127.0.0.1
 * (GET /targets/KEY/metrics). Exits when the supervisor that forked it goes away.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { FarmToSupervisor } from "../lab/labProtocol";
import { metricsBody } from "./farmMetrics";

if (process.send !== undefined) process.on("disconnect", () => process.exit(0));

const scrapes = new Map<string, number>();
const server = http.createServer((req, res) => {
  const m = /^\/targets\/(\d{1,20})\/metrics$/.exec(req.url ?? "");
  if (req.method !== "GET" || m === null) {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
    return;
  }
  const n = (scrapes.get(m[1]) ?? 0) + 1;
  scrapes.set(m[1], n);
  res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(metricsBody(m[1], n));
});
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
