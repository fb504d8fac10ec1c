/**
 * What an attached cluster's nodes really scrape, held against the ring: each clustered target (by its
 * address) scraped by no node, by several, or by a node the ring did not choose, with the likely reason when
 * the nodes disagree on its labels (a per-node value such as the host name in a target's labels gives each
 * node its own version of the target, so each shards a different key). Pure.
 */
import { workItemName } from "../protocol/labEventText";
import type { LabState, LabTargetState } from "../protocol/labState";

export interface ScrapeFinding {
  component: string;
  /** The target's address (`__address__`), a string-key item's name, or its key. */
  target: string;
  kind: "scraped-by-none" | "scraped-by-several" | "scraped-by-unchosen";
  /** The nodes whose debug info lists it. */
  scrapedBy: string[];
  /** The nodes the ring makes its owner, each from its own view and its own version of the target. */
  ringOwners: string[];
  /** Labels whose values differ between the nodes' versions of the target: the likely reason. */
  differingLabels: string[];
}

export function scrapeFindings(state: LabState): ScrapeFinding[] {
  const groups = new Map<string, LabTargetState[]>();
  for (const t of state.targets) {
    if (!t.clustered || t.scrapedBy === undefined) continue;
    const id = `${t.component}\n${workItemName(t.labels, t.key)}`;
    groups.set(id, [...(groups.get(id) ?? []), t]);
  }
  // A node whose API could not be reached said nothing: a target the ring gives it is not called unscraped.
  const silent = new Set(state.nodes.filter((n) => n.reachable === false).map((n) => n.name));
  const findings: ScrapeFinding[] = [];
  for (const versions of groups.values()) {
    const scrapedBy = [...new Set(versions.flatMap((v) => v.scrapedBy ?? []))].sort();
    const ringOwners = [...new Set(versions.flatMap((v) => v.owners))].sort();
    const kind =
      scrapedBy.length === 0
        ? "scraped-by-none"
        : scrapedBy.length > 1
          ? "scraped-by-several"
          : !ringOwners.includes(scrapedBy[0])
            ? "scraped-by-unchosen"
            : undefined;
    if (kind === undefined || (kind !== "scraped-by-several" && ringOwners.some((o) => silent.has(o)))) continue;
    const names = new Set(versions.flatMap((v) => Object.keys(v.labels)));
    const differingLabels = [...names].filter((n) => new Set(versions.map((v) => v.labels[n])).size > 1).sort();
    findings.push({
      component: versions[0].component,
      target: workItemName(versions[0].labels, versions[0].key),
      kind,
      scrapedBy,
      ringOwners,
      differingLabels,
    });
  }
  return findings;
}

/** One line for a finding, as the CLI prints it. */
export function describeFinding(f: ScrapeFinding): string {
  const who = f.kind === "scraped-by-none" ? "scraped by no node" : `scraped by ${f.scrapedBy.join(", ")}`;
  const ring = f.ringOwners.length === 0 ? "the ring gives it to no node" : `the ring says ${f.ringOwners.join(", ")}`;
  const why = f.differingLabels.length > 0 ? ` — its labels differ between nodes: ${f.differingLabels.join(", ")}` : "";
  return `${f.component} ${f.target}: ${who} (${ring})${why}`;
}
