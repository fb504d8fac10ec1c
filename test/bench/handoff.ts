/**
 * One graceful stop in a lab, measured as a hand-off: for every target the stopped node owned, the gap from
 * its last scrape to the new owner's first, less one interval (0 when the new owner keeps the rhythm), and
 * the duplicate-scrape events after the stop. The state is read every 20 ms, which is well inside an interval,
 * so the new owner's first scrape is seen before its second.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { LabSupervisor } from "../../runtime/src/lab/labSupervisor";

export interface HandOff {
  movedTargets: number;
  duplicates: number;
  maxGapMs: number;
  medianGapMs: number;
}

export async function measureGracefulStop(lab: LabSupervisor, victim: string, intervalMs: number): Promise<HandOff> {
  const before = lab.state();
  const lastByVictim = new Map(before.targets.filter((t) => t.owner === victim && t.lastScrape?.node === victim).map((t) => [t.key, t.lastScrape!.at]));
  const duplicatesBefore = lab.events.filter((e) => e.kind === "duplicate").length;
  const stoppedAt = Date.now();
  lab.stopNode(victim);
  const firstByNew = new Map<string, number>();
  const deadline = Date.now() + 30_000;
  while (firstByNew.size < lastByVictim.size && Date.now() < deadline) {
    for (const t of lab.state().targets) {
      if (!lastByVictim.has(t.key) || firstByNew.has(t.key)) continue;
      if (t.lastScrape !== undefined && t.lastScrape.node !== victim && t.lastScrape.at > stoppedAt - intervalMs) firstByNew.set(t.key, t.lastScrape.at);
    }
    await sleep(20);
  }
  const gaps = [...firstByNew].map(([key, first]) => Math.max(0, first - lastByVictim.get(key)! - intervalMs)).sort((a, b) => a - b);
  return {
    movedTargets: lastByVictim.size,
    duplicates: lab.events.filter((e) => e.kind === "duplicate").length - duplicatesBefore,
    maxGapMs: gaps.length === 0 ? 0 : gaps[gaps.length - 1],
    medianGapMs: gaps.length === 0 ? 0 : gaps[Math.floor(gaps.length / 2)],
  };
}
