/** One line of text for a lab event, as the terminal view, the CLI log and the extension's Events view show it. */
import type { LabEvent } from "./labEvents";

/** "1 target", "3 targets": a count with its noun. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/**
 * What to call a work item: a target's address, or a string-key component's item — a namespace watched
 * ("" = all namespaces), a data source's instance, a leader election's component ID.
 */
export function workItemName(labels: Readonly<Record<string, string>>, key: string): string {
  if (labels.__address__ !== undefined) return labels.__address__;
  if (labels.namespace !== undefined && Object.keys(labels).length === 1) return labels.namespace === "" ? "all namespaces" : `namespace ${labels.namespace}`;
  if (labels.dsn !== undefined) return labels.dsn;
  if (labels.id !== undefined) return `leader of ${labels.id}`;
  return key;
}

export function describeEvent(e: LabEvent): string {
  switch (e.kind) {
    case "node-started":
      return `${e.name} started (pid ${e.pid}, ${e.addr})`;
    case "node-exited":
      return `${e.name} exited (${e.signal ?? `code ${e.code}`})${e.expected ? "" : " unexpectedly"}`;
    case "state-changed":
      return `${e.name} is now ${e.state} (was ${e.previous})`;
    case "conflict":
      return `${e.name} is known at ${e.addr}; another process announced that name from ${e.otherAddr} (${e.observer} ignored it: conflicting address)`;
    case "join-refused":
      return `${e.name} was refused: ${e.reason}`;
    case "partition":
      return `network partitioned: ${e.groups.map((g) => `[${g.join(", ")}]`).join(" | ")}`;
    case "healed":
      return "network healed";
    case "duplicate":
      return e.versions === undefined
        ? `${e.component} target ${e.key} scraped twice within one interval (by ${e.nodes.join(" and ")})`
        : `${e.component}: one target scraped twice within one interval, each node its own version of it (by ${e.nodes.join(" and ")}: keys ${e.versions.join(", ")})`;
    case "gap":
      return e.versions === undefined
        ? `${e.component} target ${e.key} not scraped for ${Math.round(e.sinceMs / 1000)} s`
        : `${e.component}: one target not scraped for ${Math.round(e.sinceMs / 1000)} s by any node, in any node's version of it (keys ${e.versions.join(", ")})`;
    case "scrape-stats":
      return `scraping ${Object.values(e.samplesPerSecond).reduce((a, b) => a + b, 0)} samples/s${e.scrapesFailed > 0 ? `, ${e.scrapesFailed} failed so far` : ""}`;
    case "readiness":
      return e.state === "not-ready"
        ? `${e.name}: ${e.peers} of --cluster.wait-for-size=${e.minimumSize} peers: clustered components paused`
        : e.state === "ready"
          ? `${e.name}: --cluster.wait-for-size=${e.minimumSize} reached (${e.peers} peers): clustered components work`
          : `${e.name}: --cluster.wait-timeout passed with ${e.peers} of ${e.minimumSize} peers: clustered components work anyway`;
    case "rebalance":
      return `${e.cause} — ${e.movedCount} of ${e.totalTargets} targets moved (ideal 1/${Math.round(1 / (e.idealFraction || 1))} = ${Math.round(e.idealFraction * e.totalTargets)})`;
    default:
      return `${e.name} ${e.kind} (seen by ${e.observer})`;
  }
}
