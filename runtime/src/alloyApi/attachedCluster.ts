/**
 * A real Alloy cluster seen through its HTTP API, as the same state the lab reports: each node works out
 * locally which targets it owns from the peers *it* sees (Alloy's read-write ring lookup among
 * participants), so when views differ (a split brain) the state shows the duplicates and gaps Alloy would
 * have. Pure: the snapshot is fetched elsewhere.
 */
import { RebalanceTracker } from "../lab/rebalanceTracker";
import type { LabEvent } from "../protocol/labEvents";
import type { LabState } from "../protocol/labState";
import { buildLabState, type NodeObservation } from "../protocol/labStateBuilder";
import { keyStrategyOf } from "../ownership/keyStrategy";
import { TargetAssignment } from "../ownership/targetAssignment";
import { parseGoDuration } from "../../../language-server/src/alloy";
import type { TargetLabels } from "../ring/keys";
import type { AlloyPeer, ClusteredComponentArguments, ScrapeTargetStatus } from "./alloyWebApi";

/** One node's own component arguments, and what it says it scrapes. */
export interface NodeComponents {
  components: ClusteredComponentArguments[];
  /** By component id: its debug info's targets, where the component sends them (prometheus.scrape). */
  scraping: Map<string, ScrapeTargetStatus[]>;
}

export interface ClusterSnapshot {
  /** The URL the user attached to. */
  url: string;
  /** The peers as the node at that URL sees them (one of them `isSelf`). */
  peers: AlloyPeer[];
  /** Each peer's own view by name; absent when that peer's API could not be reached from here. */
  views: ReadonlyMap<string, AlloyPeer[]>;
  /** The entry node's components: for nodes whose own could not be read, theirs are assumed to be the same. */
  components: ClusteredComponentArguments[];
  /** Each reachable node's own components and scrapes, by name. */
  perNode?: ReadonlyMap<string, NodeComponents>;
}

/** Alloy's default scrape_interval. */
const DEFAULT_SCRAPE_INTERVAL_MS = 60_000;

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The key of the target in `assignment` that a debug-info status describes, if any (same address, same labels). */
function keyOfStatus(assignment: TargetAssignment, byInstance: Map<string, number[]>, status: ScrapeTargetStatus): string | undefined {
  for (const i of byInstance.get(status.labels.instance ?? "") ?? []) {
    const t = assignment.targets[i];
    if (Object.entries(t).every(([k, v]) => k.startsWith("__") || status.labels[k] === v)) return assignment.keys[i];
  }
  return undefined;
}

function instanceIndex(assignment: TargetAssignment): Map<string, number[]> {
  const index = new Map<string, number[]>();
  assignment.targets.forEach((t, i) => {
    const instance = t.instance ?? t.__address__ ?? "";
    index.set(instance, [...(index.get(instance) ?? []), i]);
  });
  return index;
}

export class AttachedCluster {
  /** Target lists seen (a node's own list may differ from the entry's), by their content. */
  private assignments = new Map<string, TargetAssignment>();
  private readonly rebalances = new RebalanceTracker();
  private previous: LabState | undefined;
  private targetListFingerprint = "";

  /** The state of the snapshot, and what changed since the previous one. */
  update(snapshot: ClusterSnapshot, at: number): { state: LabState; events: LabEvent[] } {
    const state = this.state(snapshot);
    const events = this.changes(this.previous, state, snapshot, at);
    this.previous = state;
    return { state, events };
  }

  /** The nodes of the last state, to ask again next time even if the entry node stops listing them. */
  knownPeers(): AlloyPeer[] {
    return (this.previous?.nodes ?? []).map((n) => ({ name: n.name, addr: n.addr, isSelf: false, state: n.state === "starting" ? "viewer" : n.state }));
  }

  private state(snapshot: ClusterSnapshot): LabState {
    const entry = snapshot.peers.find((p) => p.isSelf) ?? snapshot.peers[0];
    const entryView = entry ? (snapshot.views.get(entry.name) ?? snapshot.peers) : snapshot.peers;
    const known = new Map<string, AlloyPeer>();
    for (const p of snapshot.peers) known.set(p.name, p);
    for (const view of snapshot.views.values()) for (const p of view) if (!known.has(p.name)) known.set(p.name, p);
    const viewOf = (name: string): AlloyPeer[] => snapshot.views.get(name) ?? entryView;
    const names = [...known.keys()].sort(byName);

    // Each node shards its own target lists (which differ when a list holds per-node values, such as its
    // host name); lists are keyed by content, so equal lists share one assignment.
    const used = new Map<string, TargetAssignment>();
    const assignmentOf = (c: ClusteredComponentArguments): TargetAssignment => {
      const fingerprint = `${c.id}\n${JSON.stringify(c.targets)}`;
      // Each component hashes its own key (loki.source.kubernetes: its pod labels, not all of them).
      const assignment =
        used.get(fingerprint) ?? this.assignments.get(fingerprint) ?? new TargetAssignment(c.targets, keyStrategyOf(c.id.slice(0, c.id.lastIndexOf("."))));
      used.set(fingerprint, assignment);
      return assignment;
    };
    const listsOf = (name: string): Map<string, { c: ClusteredComponentArguments; assignment: TargetAssignment }> => {
      const own = new Map((snapshot.perNode?.get(name)?.components ?? []).map((c) => [c.id, c]));
      return new Map(snapshot.components.map((c) => [c.id, { c: own.get(c.id) ?? c, assignment: assignmentOf(own.get(c.id) ?? c) }]));
    };
    const lists = new Map(names.map((name) => [name, listsOf(name)]));
    this.assignments = used;

    // Ownership: each node, over its own lists, with Alloy's lookup among the participants it sees.
    const observations: NodeObservation[] = names.map((name) => {
      const view = viewOf(name);
      const self = view.find((p) => p.name === name) ?? known.get(name)!;
      const participants = view.filter((p) => p.state === "participant").map((p) => p.name);
      const owned = new Map<string, Set<string>>();
      for (const { c, assignment } of lists.get(name)!.values()) {
        if (!c.clustered) owned.set(c.id, new Set(assignment.keys));
        else if (self.state !== "participant") owned.set(c.id, new Set());
        else {
          const owners = assignment.owners(participants);
          owned.set(c.id, new Set(assignment.keys.filter((_, i) => owners[i] === name)));
        }
      }
      return {
        id: name,
        name,
        pid: null,
        addr: self.addr,
        state: self.state,
        running: true,
        ready: true,
        view,
        owned,
        samplesPerSecond: 0,
        reachable: snapshot.views.has(name),
      };
    });

    // Every target any node has, the entry's first.
    const targets = snapshot.components.map((entryComponent) => {
      const keys: string[] = [];
      const labels: TargetLabels[] = [];
      const seen = new Set<string>();
      for (const name of [entry?.name ?? "", ...names]) {
        const list = lists.get(name)?.get(entryComponent.id);
        if (list === undefined) continue;
        list.assignment.keys.forEach((k, i) => {
          if (seen.has(k)) return;
          seen.add(k);
          keys.push(k);
          labels.push(list.assignment.targets[i]);
        });
      }
      // Some node has a list of its own (per-node values in it): each version is a target.
      const entryList = lists.get(entry?.name ?? "")?.get(entryComponent.id)?.assignment;
      const perNodeTargets = names.some((n) => lists.get(n)?.get(entryComponent.id)?.assignment !== entryList);
      return { entryComponent, keys, labels, perNodeTargets };
    });
    const fingerprint = targets.map((t) => `${t.entryComponent.id}:${t.keys.join(",")}`).join("\n");
    if (fingerprint !== this.targetListFingerprint) {
      this.targetListFingerprint = fingerprint;
      this.rebalances.reset();
    }

    const state = buildLabState(
      { kind: "attached", url: snapshot.url },
      targets.map(({ entryComponent: c, keys, labels, perNodeTargets }) => ({
        id: c.id,
        ...(perNodeTargets ? { perNodeTargets } : {}),
        clustered: c.clustered,
        scrapeIntervalMs: parseGoDuration(c.scrapeInterval ?? "") ?? DEFAULT_SCRAPE_INTERVAL_MS,
        targetSource: "static",
        keys,
        labels,
      })),
      observations,
    );
    return { ...state, targets: this.withScrapedBy(state.targets, snapshot, lists) };
  }

  /** Each target's `scrapedBy`: the nodes whose debug info lists it, for components that send debug info. */
  private withScrapedBy(
    targets: LabState["targets"],
    snapshot: ClusterSnapshot,
    lists: Map<string, Map<string, { c: ClusteredComponentArguments; assignment: TargetAssignment }>>,
  ): LabState["targets"] {
    const scrapedBy = new Map<string, string[]>();
    const reported = new Set<string>();
    for (const [name, node] of snapshot.perNode ?? []) {
      for (const [id, statuses] of node.scraping) {
        const list = lists.get(name)?.get(id);
        if (list === undefined) continue;
        reported.add(id);
        const index = instanceIndex(list.assignment);
        for (const status of statuses) {
          const key = keyOfStatus(list.assignment, index, status);
          if (key === undefined) continue;
          const at = `${id}\n${key}`;
          const by = scrapedBy.get(at) ?? [];
          if (!by.includes(name)) by.push(name);
          scrapedBy.set(at, by);
        }
      }
    }
    if (reported.size === 0) return targets;
    return targets.map((t) => (reported.has(t.component) ? { ...t, scrapedBy: (scrapedBy.get(`${t.component}\n${t.key}`) ?? []).sort(byName) } : t));
  }

  /** Membership changes as the attached node sees them, and rebalances between converged states. */
  private changes(before: LabState | undefined, after: LabState, snapshot: ClusterSnapshot, at: number): LabEvent[] {
    const observer = (snapshot.peers.find((p) => p.isSelf) ?? snapshot.peers[0])?.name ?? "";
    const events: LabEvent[] = [];
    if (before !== undefined) {
      const was = new Map(before.nodes.map((n) => [n.name, n]));
      const now = new Map(after.nodes.map((n) => [n.name, n]));
      for (const n of after.nodes) {
        const old = was.get(n.name);
        if (old === undefined) events.push({ kind: "joined", at, name: n.name, observer });
        else if (old.state !== n.state && n.state !== "starting" && old.state !== "starting")
          events.push({ kind: "state-changed", at, name: n.name, state: n.state, previous: old.state, observer });
      }
      for (const n of before.nodes) if (!now.has(n.name)) events.push({ kind: "left", at, name: n.name, observer });
    }
    const rebalance = this.rebalances.observe(after, at, (was, is) => {
      const joined = is.filter((n) => !was.includes(n)).map((n) => `${n} joined`);
      const left = was.filter((n) => !is.includes(n)).map((n) => `${n} left`);
      return [...joined, ...left].join(", ") || "participants changed";
    });
    if (rebalance) events.push(rebalance);
    return events;
  }
}
