/**
 * The lab as trees, with no VS Code types: the Cluster, Targets and Events views render these. Pure, so the
 * shape of every view is unit-tested without an editor.
 */
import type { LabEvent } from "../../../runtime/src/protocol/labEvents";
import { ownedKeysByNode, type LabNodeState, type LabState, type LabTargetState } from "../../../runtime/src/protocol/labState";
import { count, describeEvent, workItemName } from "../../../runtime/src/protocol/labEventText";

export interface TreeNode {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** A codicon name. */
  icon?: string;
  /** For menus: `labNode.running`, `labNode.dead`, `labTarget`, `labEvent.rebalance`, … */
  contextValue?: string;
  children?: TreeNode[];
}

const MAX_CHILDREN = 500;

function nodeIcon(n: LabNodeState, split: boolean): string {
  if (!n.running) return "error";
  if (split) return "warning";
  if (n.suspectedBy?.length) return "question";
  if (!n.ready) return "watch";
  switch (n.state) {
    case "participant":
      return "pass-filled";
    case "terminating":
      return "debug-stop";
    case "viewer":
      return "eye";
    default:
      return "loading~spin";
  }
}

/** The member set most live nodes see; nodes that see another one are in a split brain. */
function majorityView(state: LabState): string | undefined {
  const counts = new Map<string, number>();
  for (const n of state.nodes) if (n.running) counts.set(n.peers.join(","), (counts.get(n.peers.join(",")) ?? 0) + 1);
  let best: string | undefined,
    bestCount = 0;
  for (const [view, c] of counts) if (c > bestCount) [best, bestCount] = [view, c];
  return best;
}

function shorten(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}

export function clusterTree(state: LabState): TreeNode[] {
  const total = state.targets.filter((t) => t.clustered).length || state.targets.length || 1;
  const byKey = new Map(state.targets.map((t) => [t.key, t]));
  const owned = ownedKeysByNode(state);
  const majority = majorityView(state);
  const attached = state.source.kind === "attached";
  // Processes running under one name (Alloy lets that happen): each takes that name's whole share.
  const sameName = new Map<string, number>();
  for (const n of state.nodes) if (n.running) sameName.set(n.name, (sameName.get(n.name) ?? 0) + 1);
  return state.nodes.map((n) => {
    const keys = owned.get(n.name) ?? [];
    const twin = n.running && (sameName.get(n.name) ?? 0) > 1;
    const split = n.running && majority !== undefined && n.peers.join(",") !== majority;
    const suspect = n.running && (n.suspectedBy?.length ?? 0) > 0;
    const status = !n.running ? "dead" : suspect ? `suspect (by ${n.suspectedBy!.join(", ")})` : !n.ready ? "waiting for size" : n.state;
    // An attached cluster's scrape rates are not in its API; a node we can't reach has an assumed view.
    const rate = attached ? (n.reachable === false ? "view assumed (not reachable)" : undefined) : `${shorten(n.samplesPerSecond)} samples/s`;
    const description = n.running
      ? [
          count(keys.length, "target"),
          `${((100 * keys.length) / total).toFixed(1)} %`,
          rate,
          split ? "split view" : undefined,
          suspect ? "suspect" : undefined,
          twin ? `name ${n.name} used twice` : undefined,
        ]
          .filter(Boolean)
          .join(" · ")
      : "dead";
    const base = `node/${n.id}`;
    return {
      id: base,
      label: n.id,
      description,
      tooltip: `${n.name}: ${status}${split ? ` — sees ${n.peers.join(", ")}, unlike the rest of the cluster` : ""}`,
      icon: nodeIcon(n, split || twin),
      contextValue: attached ? "attachedNode" : n.running ? "labNode.running" : "labNode.dead",
      children: [
        { id: `${base}/addr`, label: "address", description: n.addr || "—", icon: "globe" },
        { id: `${base}/state`, label: "state", description: status, icon: "symbol-enum" },
        ...(n.lamport !== undefined ? [{ id: `${base}/lamport`, label: "Lamport time", description: String(n.lamport), icon: "clock" }] : []),
        {
          id: `${base}/peers`,
          label: "sees",
          description: count(n.peers.length, "peer"),
          icon: split ? "warning" : "organization",
          children: n.peers.map((p) => ({ id: `${base}/peers/${p}`, label: p, icon: "vm" })),
        },
        {
          id: `${base}/targets`,
          label: "owns",
          description: count(keys.length, "target"),
          icon: "target",
          children: keys.slice(0, MAX_CHILDREN).map((k) => targetNode(byKey.get(k), k, `${base}/targets`)),
        },
      ],
    };
  });
}

function targetLabel(t: LabTargetState | undefined, key: string): string {
  return t === undefined ? key : workItemName(t.labels, key);
}

function targetNode(t: LabTargetState | undefined, key: string, parent: string): TreeNode {
  return {
    id: `${parent}/${key}`,
    label: targetLabel(t, key),
    description: t?.labels.job,
    tooltip: `key ${key}`,
    icon: "circle-small-filled",
    contextValue: "labTarget",
  };
}

export type TargetGrouping = "owner" | "component";

/** Targets grouped by owner or by component; badges for what moved last, duplicates and gaps. */
export function targetsTree(state: LabState, groupBy: TargetGrouping, events: readonly LabEvent[]): TreeNode[] {
  const lastRebalance = [...events].reverse().find((e) => e.kind === "rebalance");
  const moved = new Set(lastRebalance?.kind === "rebalance" ? lastRebalance.moved.map((m) => m.key) : []);
  const recent = (kind: "duplicate" | "gap") => new Set(events.flatMap((e) => (e.kind === kind && Date.now() - e.at < 60_000 ? (e.versions ?? [e.key]) : [])));
  const duplicates = recent("duplicate"),
    gaps = recent("gap");
  const groups = new Map<string, LabTargetState[]>();
  for (const t of state.targets) {
    const group = groupBy === "component" ? t.component : t.owners.length === 0 ? "(nobody)" : t.owners.length > 1 ? "(several nodes)" : t.owners[0];
    const members = groups.get(group);
    if (members) members.push(t);
    else groups.set(group, [t]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([group, targets]) => ({
      id: `targets/${groupBy}/${group}`,
      label: group,
      description: count(targets.length, "target"),
      icon: groupBy === "owner" ? "vm" : "symbol-class",
      children: targets.slice(0, MAX_CHILDREN).map((t) => {
        // An attached cluster's nodes say what they scrape: where that is not the ring's answer, say so.
        const scraped =
          t.scrapedBy !== undefined && t.scrapedBy.join() !== [...new Set(t.owners)].sort().join() ? `scraped by ${t.scrapedBy.join(" + ") || "nobody"}` : "";
        const badges = [moved.has(t.key) ? "moved" : "", duplicates.has(t.key) ? "duplicate" : "", gaps.has(t.key) ? "gap" : "", scraped].filter(Boolean);
        const owner = t.owners.length === 0 ? "nobody" : t.owners.join(" + ");
        return {
          id: `targets/${groupBy}/${group}/${t.component}/${t.key}`,
          label: targetLabel(t, t.key),
          description: [groupBy === "owner" ? t.component.replace(/^prometheus\.scrape\./, "") : owner, ...badges].join(" · "),
          tooltip: `${t.component}\nkey ${t.key}\nowner ${owner}\n${Object.entries(t.labels)
            .map(([k, v]) => `${k}="${v}"`)
            .join("\n")}`,
          icon:
            badges.includes("duplicate") || badges.includes("gap") || scraped !== ""
              ? "warning"
              : badges.includes("moved")
                ? "arrow-swap"
                : "circle-small-filled",
          contextValue: "labTarget",
        };
      }),
    }));
}

/** The history, newest first; a rebalance lists what moved, from whom, to whom. */
export function eventsTree(events: readonly LabEvent[], limit = 300): TreeNode[] {
  return events
    .filter((e) => e.kind !== "scrape-stats")
    .slice(-limit)
    .reverse()
    .map((e, i) => {
      const id = `event/${e.at}/${i}`;
      const node: TreeNode = {
        id,
        label: describeEvent(e),
        description: new Date(e.at).toLocaleTimeString(),
        icon: eventIcon(e),
        contextValue: `labEvent.${e.kind}`,
      };
      if (e.kind === "rebalance") {
        node.children = e.moved
          .slice(0, MAX_CHILDREN)
          .map((m) => ({ id: `${id}/${m.key}`, label: m.key, description: `${m.from ?? "nobody"} → ${m.to ?? "nobody"}`, icon: "arrow-right" }));
      }
      return node;
    });
}

function eventIcon(e: LabEvent): string {
  switch (e.kind) {
    case "rebalance":
      return "arrow-swap";
    case "dead":
    case "node-exited":
      return "error";
    case "suspect":
    case "duplicate":
    case "gap":
    case "join-refused":
    case "conflict":
      return "warning";
    case "readiness":
      return e.state === "not-ready" ? "debug-pause" : "debug-continue";
    case "joined":
    case "node-started":
      return "add";
    case "left":
      return "remove";
    case "partition":
      return "debug-disconnect";
    case "healed":
      return "plug";
    default:
      return "info";
  }
}

/** The status bar's text: `Lab: 5/5 · converged`, `waiting for size 3/5`, `not converged`. */
export function statusText(state: LabState | undefined): string {
  if (state === undefined) return "Lab: off";
  const live = state.nodes.filter((n) => n.running);
  const waiting = live.filter((n) => !n.ready).length;
  const participants = live.filter((n) => n.state === "participant").length;
  const verdict = waiting > 0 ? `waiting for size ${participants}/${live.length}` : state.converged ? "converged" : "not converged";
  return `${state.source.kind === "attached" ? "Attached" : "Lab"}: ${live.length}/${state.nodes.length} · ${verdict}`;
}
