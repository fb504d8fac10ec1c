/** Membership timing. `alloy` is what Alloy runs with (ckit on memberlist); `fast` makes a loopback lab react in well under a second. */

export interface SwimTiming {
  probeIntervalMs: number;
  probeTimeoutMs: number;
  /** Peers asked to probe on our behalf before a silent member is suspected. */
  indirectChecks: number;
  /** Suspicion lasts suspicionMult × max(1, log10(n)) × probe interval before the member is dead. */
  suspicionMult: number;
  gossipIntervalMs: number;
  gossipNodes: number;
  pushPullIntervalMs: number;
  /** Each update is piggybacked retransmitMult × ⌈log10(n + 1)⌉ times. */
  retransmitMult: number;
  /** Ownership is recomputed at most this often (Alloy's stateUpdateMinInterval: 1 s). */
  ownershipMinIntervalMs: number;
}

export type TimingProfile = "alloy" | "fast";

export const TIMING_PROFILES: Readonly<Record<TimingProfile, SwimTiming>> = {
  alloy: {
    probeIntervalMs: 5000,
    probeTimeoutMs: 2000,
    indirectChecks: 3,
    suspicionMult: 4,
    gossipIntervalMs: 200,
    gossipNodes: 3,
    pushPullIntervalMs: 30_000,
    retransmitMult: 4,
    ownershipMinIntervalMs: 1000,
  },
  // Probes are most of an idle lab's CPU, so they are no more frequent than sub-second detection needs:
  // a dead node is probed within a probe interval, then suspect for 1.6 × 250 = 400 ms (at N ≤ 10).
  fast: {
    probeIntervalMs: 250,
    probeTimeoutMs: 100,
    indirectChecks: 3,
    suspicionMult: 1.6,
    gossipIntervalMs: 30,
    gossipNodes: 3,
    pushPullIntervalMs: 1000,
    retransmitMult: 4,
    ownershipMinIntervalMs: 0,
  },
};

export function suspicionTimeoutMs(t: SwimTiming, members: number): number {
  return t.suspicionMult * Math.max(1, Math.log10(Math.max(1, members))) * t.probeIntervalMs;
}

export function retransmitLimit(t: SwimTiming, members: number): number {
  return t.retransmitMult * Math.ceil(Math.log10(members + 1));
}

/** memberlist scales the push-pull interval with the cluster (pushPullScale): ×1 up to 32 members, then +1 per doubling. */
export function pushPullIntervalMs(t: SwimTiming, members: number): number {
  const threshold = 32;
  return members <= threshold ? t.pushPullIntervalMs : (Math.ceil(Math.log2(members) - Math.log2(threshold)) + 1) * t.pushPullIntervalMs;
}
