/**
 * Whom a node asks to let it in, and when, as Alloy's cluster service decides it (`cluster.go`,
 * `discovery/join_peers.go`). Pure: it is handed the clock, the random source and the host resolver.
 *
 * - Discovery resolves each join address on its own: `host:port`, or the host with the node's listen port.
 *   An address that does not resolve is skipped (Alloy logs a warning); when none resolves, discovery fails
 *   and the node starts a cluster of its own.
 * - At start and on every tick of the rejoin interval, the node joins the discovered addresses, or a random
 *   `max-join-peers` of them (0 = all). Live members are not left out: a rejoin is memberlist's join, a
 *   push-pull with whoever answers, which is how split halves find each other again.
 * - A rejoin interval of 0 or below never ticks (Alloy only starts the ticker for a positive one).
 */
import { splitHostPort } from "../../../language-server/src/alloy";

export interface JoinSettings {
  maxJoinPeers: number;
  rejoinIntervalMs: number;
}

export interface DiscoveredPeers {
  addrs: string[];
  /** The join addresses that resolved to nothing, as given. */
  unresolved: string[];
}

/** A host's addresses, or none when it does not resolve. */
export type HostResolver = (host: string) => readonly string[];

/** Alloy's static peer discovery: every address resolved, duplicates dropped, in order; `defaultPort` is the listen port. */
export function discoverJoinAddresses(joinAddresses: readonly string[], defaultPort: number, resolve: HostResolver): DiscoveredPeers {
  const addrs: string[] = [];
  const unresolved: string[] = [];
  for (const given of joinAddresses) {
    const split = splitHostPort(given, true);
    // Go's SplitHostPort fails on a missing port: the whole text is then the host.
    const host = split?.port === undefined ? given : split.host;
    const port = split?.port ?? defaultPort;
    const found = resolve(host);
    if (found.length === 0) unresolved.push(given);
    for (const a of found) addrs.push(a.includes(":") ? `[${a}]:${port}` : `${a}:${port}`);
  }
  return { addrs: [...new Set(addrs)], unresolved };
}

export class ClusterJoiner {
  /** When the rejoin ticker next fires; Infinity when it never does. */
  private nextRejoinAt: number;

  constructor(
    private readonly settings: JoinSettings,
    private readonly random: () => number,
    now: number,
  ) {
    this.nextRejoinAt = settings.rejoinIntervalMs > 0 ? now + settings.rejoinIntervalMs : Infinity;
  }

  /** The addresses to join from those discovered: all, or a random `max-join-peers` of them (a shuffle, as Alloy's). */
  pick(discovered: readonly string[]): string[] {
    const all = [...discovered];
    const max = this.settings.maxJoinPeers;
    if (max <= 0 || all.length < max) return all;
    for (let i = all.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [all[i], all[j]] = [all[j], all[i]];
    }
    return all.slice(0, max);
  }

  nextDeadline(): number {
    return this.nextRejoinAt;
  }

  /** Whether the rejoin ticker fired by `now`; like Go's ticker it drops the ticks a late reader missed. */
  rejoinDue(now: number): boolean {
    if (now < this.nextRejoinAt) return false;
    const interval = this.settings.rejoinIntervalMs;
    this.nextRejoinAt += Math.floor((now - this.nextRejoinAt) / interval + 1) * interval;
    return true;
  }
}
