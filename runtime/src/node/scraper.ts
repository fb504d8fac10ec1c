/**
 * Scrapes the targets a node owns, each at its component's interval, from the target farm, and hands the
 * results on in batches. Each target is scraped at a fixed phase of the interval, in absolute time, that
 * depends on the target and the node's host name, as Prometheus does (its scrape offset seeds a hash of
 * the target with one of the host name): a pod restarted under its name scrapes a target at the same moments
 * as before, and another node at others. Each wake-up of
 * a process costs more CPU than a scrape, so work is gathered:
 * - one timer starts every scrape that is due, and sleeps until the next one is; due scrapes start together,
 *   so a scrape may start up to a fiftieth of the shortest interval late, 100 ms at most (its rate is kept: the
 *   next one is due an interval after its slot, not after it ran). Prometheus starts each on time: a tenth
 *   (as this was) made every hand-off in a 1 s drill look ~50 ms longer than Alloy's;
 * - results go out at most every half of the shortest interval, soon enough that the supervisor, which
 *   calls a target missed after two intervals, never sees a gap that is only a batch in transit.
 */
import { SampleCounter } from "../farm/farmMetrics";
import type { ScrapeResult } from "../protocol/nodeMessages";
import { ScrapeClient } from "../scrape/scrapeClient";

interface Job {
  component: string;
  key: string;
  intervalMs: number;
  due: number;
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/** A target's phase in the interval for a host: FNV-1a of both, modulo the interval. */
export function scrapeOffset(hostname: string, key: string, intervalMs: number): number {
  let h = 0x811c9dc5;
  const text = `${hostname}\n${key}`;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0) % intervalMs;
}

/** The first moment after `now` at `offset` into an interval (intervals counted from the epoch, as Prometheus counts them). */
export function nextSlot(now: number, intervalMs: number, offset: number): number {
  const slot = now - (now % intervalMs) + offset;
  return slot > now ? slot : slot + intervalMs;
}

export class Scraper {
  private readonly jobs = new Map<string, Job>();
  private readonly intervals = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private wakeAt = Infinity;
  private lastRunAt = -Infinity;
  private pending: ScrapeResult[] = [];
  private unbatched = false;
  private resultsTimer: NodeJS.Timeout | undefined;
  /** Kept-alive connections to the farm (a scrape is one request, not one connection), and its URL. */
  private client: ScrapeClient | undefined;
  private clientUrl = "";

  /** `hostname`: seeds each target's phase, as Prometheus seeds its scrape offsets with the host name. */
  constructor(
    private readonly hostname: string,
    private readonly farmUrl: () => string,
    private readonly onResults: (batch: ScrapeResult[]) => void,
  ) {}

  /** Scrapes exactly `keys` of `component` from now on. */
  set(component: string, intervalMs: number, keys: Iterable<string>): void {
    this.intervals.set(component, intervalMs);
    const wanted = new Set<string>();
    for (const key of keys) wanted.add(`${component}\n${key}`);
    for (const id of this.jobs.keys()) if (id.startsWith(`${component}\n`) && !wanted.has(id)) this.jobs.delete(id);
    const now = Date.now();
    let first = Infinity;
    for (const id of wanted) {
      if (this.jobs.has(id)) continue;
      const key = id.slice(component.length + 1);
      const job = { component, key, intervalMs, due: nextSlot(now, intervalMs, scrapeOffset(this.hostname, key, intervalMs)) };
      this.jobs.set(id, job);
      first = Math.min(first, job.due);
    }
    this.wake(first);
  }

  /** Stops scraping `component` (or everything). */
  clear(component?: string): void {
    for (const id of this.jobs.keys()) if (component === undefined || id.startsWith(`${component}\n`)) this.jobs.delete(id);
    if (component === undefined) this.intervals.clear();
    else this.intervals.delete(component);
    if (this.jobs.size === 0 && this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.wakeAt = Infinity;
    }
  }

  private shortestIntervalMs(): number {
    return Math.min(...this.intervals.values());
  }

  /** Makes sure the timer fires by `at`, but not sooner than the start-up lateness after the last run. */
  private wake(at: number): void {
    const when = Math.max(at, this.lastRunAt + clamp(this.shortestIntervalMs() / 50, 10, 100));
    if (when === Infinity || when >= this.wakeAt) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.wakeAt = when;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.wakeAt = Infinity;
        this.runDue(Date.now());
      },
      Math.max(1, when - Date.now()),
    );
    this.timer.unref();
  }

  private runDue(now: number): void {
    this.lastRunAt = now;
    const url = this.farmUrl();
    const client = url === "" ? undefined : this.clientFor(url);
    let next = Infinity;
    for (const job of this.jobs.values()) {
      if (job.due <= now) {
        job.due += job.intervalMs * Math.max(1, Math.ceil((now - job.due + 1) / job.intervalMs));
        if (client !== undefined) this.scrape(client, job, now);
      }
      next = Math.min(next, job.due);
    }
    this.wake(next);
  }

  private clientFor(url: string): ScrapeClient {
    if (this.client === undefined || url !== this.clientUrl) {
      this.client?.close();
      this.client = ScrapeClient.forUrl(url);
      this.clientUrl = url;
    }
    return this.client;
  }

  private scrape(client: ScrapeClient, job: Job, at: number): void {
    const { component, key, intervalMs } = job;
    const counter = new SampleCounter();
    client.get(
      `/targets/${key}/metrics`,
      Math.min(intervalMs, 10_000),
      (chunk) => counter.push(chunk),
      (outcome) => {
        const ok = outcome.ok && outcome.status === 200;
        const error = outcome.ok ? (ok ? undefined : `server returned HTTP status ${outcome.status}`) : outcome.error;
        this.result({ component, key, at, samples: ok ? counter.samples : 0, ok, durationMs: Date.now() - at, error });
      },
    );
  }

  /**
   * Hands on every result now, and each later one as it comes (the node is stopping: a batch still waiting
   * would die with the process, and the lab would miss scrapes that happened).
   */
  flushResults(): void {
    this.unbatched = true;
    this.sendPending();
  }

  /** Hands on the results waiting for the next batch now; later ones are batched as before. */
  sendPending(): void {
    if (this.resultsTimer !== undefined) clearTimeout(this.resultsTimer);
    this.resultsTimer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) this.onResults(batch);
  }

  private result(r: ScrapeResult): void {
    this.pending.push(r);
    if (this.unbatched) return this.flushResults();
    if (this.resultsTimer !== undefined) return;
    const every = this.intervals.size > 0 ? clamp(this.shortestIntervalMs() / 2, 100, 1000) : 100;
    this.resultsTimer = setTimeout(() => {
      this.resultsTimer = undefined;
      const batch = this.pending;
      this.pending = [];
      this.onResults(batch);
    }, every);
  }
}
