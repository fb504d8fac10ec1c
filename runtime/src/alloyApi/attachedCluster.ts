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
import { TargetAssignment } from "../ownership/targetAssignment";
import { parseGoDuration } from "../../../language-server/src/alloy";
import type { AlloyPeer, ScrapeComponentArguments } from "./alloyWebApi";

export interface ClusterSnapshot {
  /** The URL the user attached to. */
  url: string;
  /** The peers as the node at that URL sees them (one of them `isSelf`). */
  peers: AlloyPeer[];
  /** Each peer's own view by name; absent when that peer's API could not be reached from here. */
  views: ReadonlyMap<string, AlloyPeer[]>;
  components: ScrapeComponentArguments[];
}

/** Alloy's default scrape_interval. */
const DEFAULT_SCRAPE_INTERVAL_MS = 60_000;

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export class AttachedCluster {
  private readonly assignments = new Map<string, { fingerprint: string; assignment: TargetAssignment }>();
  private readonly rebalances = new RebalanceTracker();
  private previous: LabState | undefined;

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

  private assignment(c: ScrapeComponentArguments): TargetAssignment {
    const fingerprint = JSON.stringify(c.targets);
    const cached = this.assignments.get(c.id);
    if (cached?.fingerprint === fingerprint) return cached.assignment;
    const assignment = new TargetAssignment(c.targets);
    this.assignments.set(c.id, { fingerprint, assignment });
    this.rebalances.reset();
    return assignment;
  }

  private state(snapshot: ClusterSnapshot): LabState {
    const entry = snapshot.peers.find((p) => p.isSelf) ?? snapshot.peers[0];
    const entryView = entry ? (snapshot.views.get(entry.name) ?? snapshot.peers) : snapshot.peers;
    const known = new Map<string, AlloyPeer>();
    for (const p of snapshot.peers) known.set(p.name, p);
    for (const view of snapshot.views.values()) for (const p of view) if (!known.has(p.name)) known.set(p.name, p);
    const viewOf = (name: string): AlloyPeer[] => snapshot.views.get(name) ?? entryView;
    const components = snapshot.components.map((c) => ({ c, assignment: this.assignment(c) }));
    // Each node works out what it owns from its own view: Alloy's lookup among the participants it sees.
    const observations: NodeObservation[] = [...known.keys()].sort(byName).map((name) => {
      const view = viewOf(name);
      const self = view.find((p) => p.name === name) ?? known.get(name)!;
      const participants = view.filter((p) => p.state === "participant").map((p) => p.name);
      const owned = new Map<string, Set<string>>();
      for (const { c, assignment } of components) {
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
    return buildLabState(
      { kind: "attached", url: snapshot.url },
      components.map(({ c, assignment }) => ({
        id: c.id,
        clustered: c.clustered,
        scrapeIntervalMs: parseGoDuration(c.scrapeInterval ?? "") ?? DEFAULT_SCRAPE_INTERVAL_MS,
        targetSource: "static",
        keys: assignment.keys,
        labels: assignment.targets,
      })),
      observations,
    );
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
