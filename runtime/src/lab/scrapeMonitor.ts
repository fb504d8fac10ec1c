/**
 * Watches the scrapes every node reports, for what clustering gets wrong: a target scraped by two nodes at
 * once (duplicate: their scrapes interleave, within one interval) and a target scraped by nobody for more than
 * two intervals (gap). A hand-off is neither: the old owner stops, the new one starts, and as every Alloy node
 * scrapes at its own phase of the interval (Prometheus seeds the offset with the host name), the new owner's
 * first scrape may come sooner than one interval after the old owner's last. Pure: the supervisor feeds it
 * results and the clock.
 */
import type { ScrapeResult } from "../protocol/nodeMessages";

export interface ScrapeAnomaly {
  kind: "duplicate" | "gap";
  component: string;
  key: string;
  /** duplicate: the nodes that scraped it; gap: empty. */
  nodes: string[];
  /** gap: how long nobody has scraped it. */
  sinceMs: number;
}

interface Watched {
  intervalMs: number;
  /** Last scrape time by node. */
  last: Map<string, number>;
  lastAny: number;
  lastDuplicateAt: number;
  inGap: boolean;
}

export class ScrapeMonitor {
  private readonly watched = new Map<string, Watched>();
  /** Samples per node in the current window, for samples/s. */
  private readonly samples = new Map<string, { at: number; samples: number }[]>();

  /** Starts (or restarts) watching these targets; scrapes of others are ignored. */
  watch(component: string, keys: readonly string[], intervalMs: number, now: number): void {
    for (const id of [...this.watched.keys()]) if (id.startsWith(`${component}\n`)) this.watched.delete(id);
    for (const key of keys) this.watched.set(`${component}\n${key}`, { intervalMs, last: new Map(), lastAny: now, lastDuplicateAt: -Infinity, inGap: false });
  }

  record(node: string, r: ScrapeResult): ScrapeAnomaly[] {
    const list = this.samples.get(node) ?? [];
    list.push({ at: r.at, samples: r.samples });
    this.samples.set(node, list);
    const w = this.watched.get(`${r.component}\n${r.key}`);
    if (w === undefined || !r.ok) return [];
    const previous = w.last.get(node);
    if (previous !== undefined && r.at <= previous) return []; // a late batch: nothing new about this node
    w.last.set(node, r.at);
    w.lastAny = Math.max(w.lastAny, r.at);
    w.inGap = false;
    // Another node scraped since this node's previous scrape, and within an interval of this one: both own it.
    // Only a previous scrape of the same run counts (about an interval ago, a little late at most): one from
    // long ago means this node owns the target again after others did, which is a hand-off.
    const sameRun = previous !== undefined && r.at - previous <= 1.5 * w.intervalMs;
    const others = [...w.last].filter(([n, at]) => n !== node && sameRun && at > previous && at < r.at && r.at - at < w.intervalMs).map(([n]) => n);
    if (others.length === 0 || r.at - w.lastDuplicateAt < w.intervalMs) return [];
    w.lastDuplicateAt = r.at;
    return [{ kind: "duplicate", component: r.component, key: r.key, nodes: [node, ...others].sort(), sinceMs: 0 }];
  }

  /** Gaps that began since the last check. */
  checkGaps(now: number): ScrapeAnomaly[] {
    const out: ScrapeAnomaly[] = [];
    for (const [id, w] of this.watched) {
      if (w.inGap || now - w.lastAny <= 2 * w.intervalMs) continue;
      w.inGap = true;
      const [component, key] = id.split("\n");
      out.push({ kind: "gap", component, key, nodes: [], sinceMs: now - w.lastAny });
    }
    return out;
  }

  /** Samples per second each node scraped over the last `windowMs`. */
  samplesPerSecond(node: string, now: number, windowMs = 10_000): number {
    const list = (this.samples.get(node) ?? []).filter((s) => now - s.at <= windowMs);
    this.samples.set(node, list);
    return list.reduce((n, s) => n + s.samples, 0) / (windowMs / 1000);
  }

  /** Whether `node` scraped the target in the last interval (for the views). */
  lastScrape(component: string, key: string): { node: string; at: number } | undefined {
    const w = this.watched.get(`${component}\n${key}`);
    if (w === undefined) return undefined;
    let best: { node: string; at: number } | undefined;
    for (const [node, at] of w.last) if (best === undefined || at > best.at) best = { node, at };
    return best;
  }
}
