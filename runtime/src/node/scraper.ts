/**
 * Scrapes the targets a node owns, each at its component's interval (spread over the interval, as
 * Prometheus spreads scrapes), from the target farm; hands every result on for reporting. One scheduler
 * tick starts every scrape that is due, rather than one timer per target.
 */
import http from "node:http";
import { SampleCounter } from "../farm/farmMetrics";
import type { ScrapeResult } from "../lab/labProtocol";

/** Kept-alive connections to the farm: a scrape is one request, not one connection. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
const TICK_MS = 50;

interface Job {
  component: string;
  key: string;
  intervalMs: number;
  due: number;
}

export class Scraper {
  private readonly jobs = new Map<string, Job>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly farmUrl: () => string,
    private readonly onResult: (r: ScrapeResult) => void,
  ) {
    this.timer = setInterval(() => this.runDue(Date.now()), TICK_MS);
    this.timer.unref();
  }

  /** Scrapes exactly `keys` of `component` from now on. */
  set(component: string, intervalMs: number, keys: Iterable<string>): void {
    const wanted = new Set<string>();
    for (const key of keys) wanted.add(`${component}\n${key}`);
    for (const id of this.jobs.keys()) if (id.startsWith(`${component}\n`) && !wanted.has(id)) this.jobs.delete(id);
    const now = Date.now();
    for (const id of wanted) {
      if (!this.jobs.has(id)) this.jobs.set(id, { component, key: id.slice(component.length + 1), intervalMs, due: now + Math.random() * intervalMs });
    }
  }

  /** Stops scraping `component` (or everything). */
  clear(component?: string): void {
    for (const id of this.jobs.keys()) if (component === undefined || id.startsWith(`${component}\n`)) this.jobs.delete(id);
  }

  private runDue(now: number): void {
    if (this.farmUrl() === "") return;
    for (const job of this.jobs.values()) {
      if (job.due > now) continue;
      job.due += job.intervalMs * Math.max(1, Math.ceil((now - job.due + 1) / job.intervalMs));
      this.scrape(job, now);
    }
  }

  private scrape(job: Job, at: number): void {
    const { component, key, intervalMs } = job;
    const done = (ok: boolean, samples: number): void => this.onResult({ component, key, at, samples: ok ? samples : 0, ok });
    const req = http.get(`${this.farmUrl()}/targets/${key}/metrics`, { agent, timeout: Math.min(intervalMs, 10_000) }, (res) => {
      const counter = new SampleCounter();
      res.on("data", (chunk: Buffer) => counter.push(chunk));
      res.on("end", () => done(res.statusCode === 200, counter.samples));
      res.on("error", () => done(false, 0));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => done(false, 0));
  }
}
