/**
 * A scraped target as Prometheus (and so Alloy's prometheus.scrape debug info) shows it: its URL, its labels
 * after the `__` ones are dropped and job and instance are added, its health and last scrape. Pure.
 */
import type { ScrapeTargetStatus } from "../alloyApi/alloyWebApi";
import type { TargetLabels } from "../ring/keys";
import { formatGoDuration } from "../../../language-server/src/alloy";

/** Go's zero time, which a target never scraped reports. */
const GO_ZERO_TIME = "0001-01-01T00:00:00Z";

export function scrapeTargetStatus(
  componentId: string,
  target: TargetLabels,
  last: { at: number; ok: boolean; durationMs: number; error?: string } | undefined,
): ScrapeTargetStatus {
  const address = target.__address__ ?? "";
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(target)) if (!k.startsWith("__")) labels[k] = v;
  // Prometheus sets these only where the target has none: the job is the component's id unless job_name says otherwise.
  labels.job ??= componentId;
  labels.instance ??= address;
  return {
    job: componentId,
    url: `${target.__scheme__ ?? "http"}://${address}${target.__metrics_path__ ?? "/metrics"}`,
    health: last === undefined ? "unknown" : last.ok ? "up" : "down",
    labels,
    lastError: last?.error,
    lastScrape: last === undefined ? GO_ZERO_TIME : new Date(last.at).toISOString(),
    lastScrapeDuration: last === undefined ? undefined : formatGoDuration(last.durationMs),
  };
}
