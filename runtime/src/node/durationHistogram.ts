/** A Prometheus histogram of durations in seconds, with client_golang's default buckets (as ckit's). */
const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class DurationHistogram {
  private readonly counts = new Array<number>(DEFAULT_BUCKETS.length).fill(0);
  private count = 0;
  private sum = 0;

  observe(seconds: number): void {
    this.count++;
    this.sum += seconds;
    DEFAULT_BUCKETS.forEach((le, i) => {
      if (seconds <= le) this.counts[i]++;
    });
  }

  /** Its sample lines, `labels` being the metric's constant labels (`cluster_name="…"`). */
  lines(name: string, labels: string): string[] {
    return [
      ...DEFAULT_BUCKETS.map((le, i) => `${name}_bucket{${labels},le="${le}"} ${this.counts[i]}`),
      `${name}_bucket{${labels},le="+Inf"} ${this.count}`,
      `${name}_sum{${labels}} ${this.sum}`,
      `${name}_count{${labels}} ${this.count}`,
    ];
  }
}
