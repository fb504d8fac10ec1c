/** One line of text for a lab event, as the terminal view, the CLI log and the extension's Events view show it. */
import type { LabEvent } from "./labEvents";

export function describeEvent(e: LabEvent): string {
  switch (e.kind) {
    case "node-started":
      return `${e.name} started (pid ${e.pid}, ${e.addr})`;
    case "node-exited":
      return `${e.name} exited (${e.signal ?? `code ${e.code}`})${e.expected ? "" : " unexpectedly"}`;
    case "state-changed":
      return `${e.name} is now ${e.state} (was ${e.previous})`;
    case "join-refused":
      return `${e.name} was refused: ${e.reason}`;
    case "partition":
      return `network partitioned: ${e.groups.map((g) => `[${g.join(", ")}]`).join(" | ")}`;
    case "healed":
      return "network healed";
    case "rebalance":
      return `${e.cause} — ${e.movedCount} of ${e.totalTargets} targets moved (ideal 1/${Math.round(1 / (e.idealFraction || 1))} = ${Math.round(e.idealFraction * e.totalTargets)})`;
    default:
      return `${e.name} ${e.kind} (seen by ${e.observer})`;
  }
}
