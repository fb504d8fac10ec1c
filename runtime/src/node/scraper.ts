/**
 * Scrapes the targets a node owns, each at its component's interval (spread over the interval, as
 * Prometheus spreads scrapes), from the target farm; hands every result on for reporting.
 */
import http from "node:http";
import { SampleCounter } from "../farm/farmMetrics";
import type { ScrapeResult } from "../lab/labProtocol";

interface Job {
  timer: NodeJS.Timeout;
}

/** Kept-alive connections to the farm: a scrape is one request, not one connection. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

export class Scraper {
  private readonly jobs = new Map<string, Job>();

  constructor(
    private readonly farmUrl: () => string,
    private readonly onResult: (r: ScrapeResult) => void,
  ) {}

  /** Scrapes exactly `keys` of `component` from now on. */
  set(component: string, intervalMs: number, keys: Iterable<string>): void {
    const wanted = new Set<string>();
    for (const key of keys) wanted.add(`${component}\n${key}`);
    for (const [id, job] of this.jobs) {
      if (id.startsWith(`${component}\n`) && !wanted.has(id)) {
        clearTimeout(job.timer);
        this.jobs.delete(id);
      }
    }
    for (const id of wanted) {
      if (this.jobs.has(id)) continue;
      const key = id.slice(component.length + 1);
      const job = {} as Job;
      const run = (): void => {
        job.timer = setTimeout(run, intervalMs);
        this.scrape(component, key, intervalMs);
      };
      job.timer = setTimeout(run, Math.random() * intervalMs);
      this.jobs.set(id, job);
    }
  }

  /** Stops scraping `component` (or everything). */
  clear(component?: string): void {
    for (const [id, job] of this.jobs) {
      if (component === undefined || id.startsWith(`${component}\n`)) {
        clearTimeout(job.timer);
        this.jobs.delete(id);
      }
    }
  }

  private scrape(component: string, key: string, intervalMs: number): void {
    const at = Date.now();
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
