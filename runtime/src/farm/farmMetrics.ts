/**
 * What a simulated target exposes: real Prometheus text format, with a series count drawn from a heavy-
 * tailed (Pareto) distribution by the target's key — most targets are small, a few are very large, as in
 * real clusters (the docs' first clustering best practice is about such targets).
 */

const MIN_SERIES = 20;
const MAX_SERIES = 10_000;
const PARETO_ALPHA = 1.2;

/** A number in (0, 1] from a target key, the same on every run. */
function unitFromKey(key: string): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return ((h >>> 0) + 1) / 4294967297;
}

export function seriesCount(key: string): number {
  return Math.min(MAX_SERIES, Math.floor(MIN_SERIES / unitFromKey(key) ** (1 / PARETO_ALPHA)));
}

const FAMILIES = [
  {
    name: "http_requests_total",
    type: "counter",
    help: "Requests served.",
    labels: (i: number) => `method="${["GET", "POST", "PUT"][i % 3]}",code="${[200, 404, 500][Math.floor(i / 3) % 3]}",route="/r${i}"`,
  },
  { name: "queue_depth", type: "gauge", help: "Items waiting.", labels: (i: number) => `queue="q${i}"` },
  { name: "cache_hits_total", type: "counter", help: "Cache hits.", labels: (i: number) => `shard="${i}"` },
];

/** The /metrics body of target `key` in time step `step`: its series split over a few families. */
export function metricsBody(key: string, step: number): string {
  const total = seriesCount(key);
  const lines: string[] = [];
  FAMILIES.forEach((family, f) => {
    const n = Math.floor(total / FAMILIES.length) + (f < total % FAMILIES.length ? 1 : 0);
    lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`);
    for (let i = 0; i < n; i++) lines.push(`${family.name}{${family.labels(i)}} ${step * (i + 1)}`);
  });
  return lines.join("\n") + "\n";
}

/**
 * Counts samples in Prometheus text as it streams in: lines that are neither blank nor comments. Keeps no
 * text, so a 10,000-series target costs no more memory than a small one.
 */
export class SampleCounter {
  samples = 0;
  private atLineStart = true;

  push(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (this.atLineStart && c !== 0x0a && c !== 0x23) this.samples++;
      this.atLineStart = c === 0x0a;
    }
  }
}

export function countSamples(body: string): number {
  const counter = new SampleCounter();
  counter.push(new TextEncoder().encode(body));
  return counter.samples;
}
