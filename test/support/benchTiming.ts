/** Timing helpers for `npm run bench` suites (figures, never assertions). */

export function timeMs(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** Median time of `runs` calls, after `warmups` calls that let the JIT reach its steady state. */
export function medianMs(runs: number, fn: () => void, warmups = 1): number {
  for (let i = 0; i < warmups; i++) fn();
  const times = Array.from({ length: runs }, () => timeMs(fn)).sort((a, b) => a - b);
  return times[Math.floor(runs / 2)];
}

export function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
