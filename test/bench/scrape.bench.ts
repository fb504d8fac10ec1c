/**
 * `npm run bench -- scrape`: why the lab has its own HTTP/1.1 scrape client. Scrapes the real target farm at the
 * lab's rate (40 requests a second, in batches, as the scraper sends them) with our ScrapeClient and with
 * `node:http` over a keep-alive Agent, each in a process started as the lab starts a node (its V8 flags: what
 * a node pays is what matters), alternately, several rounds; prints the CPU each costs per request (that
 * process only; the farm is a separate process). Prints one JSON object.
 */
import { spawn, spawnSync } from "node:child_process";
import http from "node:http";
import path from "node:path";
import readline from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { SampleCounter } from "../../runtime/src/farm/farmMetrics";
import { EXEC_ARGV } from "../../runtime/src/lab/labSupervisor";
import { targetKey } from "../../runtime/src/ring/keys";
import { ScrapeClient } from "../../runtime/src/scrape/scrapeClient";
import { round } from "../support/benchTiming";
import { DIST } from "../support/lab";
import { syntheticTargets } from "../support/syntheticTargets";

const BATCH = 10;
const BATCH_EVERY_MS = 250; // 40 requests a second
const WARM_UP_MS = 3_000;
const MEASURE_MS = Number(process.env.SCRAPE_BENCH_MS ?? 20_000);

type Get = (path: string, done: (ok: boolean) => void) => void;

function ours(url: string): { get: Get; close: () => void } {
  const client = ScrapeClient.forUrl(url);
  return {
    get: (p, done) => {
      const counter = new SampleCounter();
      client.get(
        p,
        5000,
        (chunk) => counter.push(chunk),
        (outcome) => done(outcome.ok && outcome.status === 200 && counter.samples > 0),
      );
    },
    close: () => client.close(),
  };
}

function nodeHttp(url: string): { get: Get; close: () => void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  return {
    get: (p, done) => {
      const counter = new SampleCounter();
      http
        .get(`${url}${p}`, { agent, headers: { accept: "text/plain;version=0.0.4" }, timeout: 5000 }, (res) => {
          res.on("data", (chunk: Buffer) => counter.push(chunk));
          res.on("end", () => done(res.statusCode === 200 && counter.samples > 0));
        })
        .on("error", () => done(false));
    },
    close: () => agent.destroy(),
  };
}

/** Runs the lab's request pattern for `ms` and returns the requests done, failures, and this process's CPU time. */
async function run(client: { get: Get }, paths: string[], ms: number): Promise<{ requests: number; failures: number; cpuUs: number }> {
  let sent = 0,
    done = 0,
    failures = 0;
  const cpu = process.cpuUsage();
  const end = Date.now() + ms;
  while (Date.now() < end) {
    for (let i = 0; i < BATCH; i++) {
      client.get(paths[sent++ % paths.length], (ok) => {
        done++;
        if (!ok) failures++;
      });
    }
    await sleep(BATCH_EVERY_MS);
  }
  while (done < sent) await sleep(10);
  const used = process.cpuUsage(cpu);
  return { requests: sent, failures, cpuUs: used.user + used.system };
}

const CLIENTS = { ours, nodeHttpKeepAlive: nodeHttp } as const;
type ClientName = keyof typeof CLIENTS;
const ROUNDS = 3;

/** In a worker process: warm up, then measure one client and print {requests, failures, cpuUs}. */
async function worker(name: ClientName, url: string): Promise<void> {
  const paths = syntheticTargets(200, 7).map((t) => `/targets/${targetKey(t)}/metrics`);
  const client = CLIENTS[name](url);
  await run(client, paths, WARM_UP_MS);
  const r = await run(client, paths, MEASURE_MS / ROUNDS);
  client.close();
  console.log(JSON.stringify(r));
}

function measureInNodeProcess(name: ClientName, url: string): { requests: number; failures: number; cpuUs: number } {
  const run = spawnSync(process.execPath, [...EXEC_ARGV["node.js"], "--import", "tsx", __filename, "--worker", name, url], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`worker ${name} failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split("\n").at(-1)!) as { requests: number; failures: number; cpuUs: number };
}

async function main(): Promise<void> {
  const farm = spawn(process.execPath, [path.join(DIST, "farm.js")], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve) => readline.createInterface({ input: farm.stdout! }).once("line", resolve));
  const totals: Record<ClientName, { requests: number; failures: number; cpuUs: number }> = {
    ours: { requests: 0, failures: 0, cpuUs: 0 },
    nodeHttpKeepAlive: { requests: 0, failures: 0, cpuUs: 0 },
  };
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which goes first, so neither always meets a cold farm.
    const order: ClientName[] = round % 2 === 0 ? ["ours", "nodeHttpKeepAlive"] : ["nodeHttpKeepAlive", "ours"];
    for (const name of order) {
      const r = measureInNodeProcess(name, url);
      totals[name].requests += r.requests;
      totals[name].failures += r.failures;
      totals[name].cpuUs += r.cpuUs;
    }
  }
  farm.kill();
  const perRequest = (name: ClientName): number => round(totals[name].cpuUs / totals[name].requests);
  console.log(
    JSON.stringify({
      suite: "scrape",
      requestsPerSecond: (BATCH * 1000) / BATCH_EVERY_MS,
      nodeFlags: EXEC_ARGV["node.js"],
      ours: { requests: totals.ours.requests, failures: totals.ours.failures, cpuUsPerRequest: perRequest("ours") },
      nodeHttpKeepAlive: {
        requests: totals.nodeHttpKeepAlive.requests,
        failures: totals.nodeHttpKeepAlive.failures,
        cpuUsPerRequest: perRequest("nodeHttpKeepAlive"),
      },
      nodeHttpCpuPerOurs: round(perRequest("nodeHttpKeepAlive") / perRequest("ours"), 2),
    }),
  );
}

if (process.argv[2] === "--worker") void worker(process.argv[3] as ClientName, process.argv[4]);
else void main();
