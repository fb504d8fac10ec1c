/** Go's time.ParseDuration, in milliseconds: "300ms", "1.5h", "2h45m", "0". */

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Milliseconds, or undefined when `text` is not a Go duration. */
export function parseGoDuration(text: string): number | undefined {
  let s = text;
  let sign = 1;
  if (s.startsWith("-") || s.startsWith("+")) {
    sign = s[0] === "-" ? -1 : 1;
    s = s.slice(1);
  }
  if (s === "0") return 0;
  if (s === "") return undefined;
  let total = 0;
  const part = /^(\d*)(?:\.(\d*))?([a-zµμ]+)/;
  while (s !== "") {
    const m = part.exec(s);
    if (m === null || (m[1] === "" && (m[2] === undefined || m[2] === ""))) return undefined;
    const unit = UNIT_MS[m[3]];
    if (unit === undefined) return undefined;
    total += Number(`${m[1] || "0"}.${m[2] ?? "0"}`) * unit;
    s = s.slice(m[0].length);
  }
  return sign * total;
}

/** Go's Duration.String for a whole number of milliseconds ≥ 0: "0s", "500ms", "5s", "1m0s", "1h2m3.5s". */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return "0s";
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h > 0 ? `${h}h` : ""}${h > 0 || m > 0 ? `${m}m` : ""}${s}s`;
}
