/**
 * Scrapes the targets a node owns, each at its component's interval (spread over the interval, as
 * Prometheus spreads scrapes), from the target farm; hands every result on for reporting.
 */
import { countSamples } from "../farm/farmMetrics";
import type { ScrapeResult } from "../lab/labProtocol";

interface Job {
  timer: NodeJS.Timeout;
}

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
        void this.scrape(component, key, intervalMs);
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

  private async scrape(component: string, key: string, intervalMs: number): Promise<void> {
    const at = Date.now();
    try {
      const res = await fetch(`${this.farmUrl()}/targets/${key}/metrics`, { signal: AbortSignal.timeout(Math.min(intervalMs, 10_000)) });
      const body = await res.text();
      this.onResult({ component, key, at, samples: res.ok ? countSamples(body) : 0, ok: res.ok });
    } catch {
      this.onResult({ component, key, at, samples: 0, ok: false });
    }
  }
}
