/**
 * A simulated network for the pure SWIM state machine: virtual time, instant delivery (or none, across a
 * partition or to a crashed node). Lets membership logic be tested without sockets. Nodes are ticked only
 * when their nextTickAt() is due, so a deadline it forgets shows up as a test that fails.
 */
import { SwimMembership } from "../../runtime/src/membership/swimMembership";
import { TIMING_PROFILES } from "../../runtime/src/membership/swimTiming";
import { seededRandom } from "./syntheticTargets";

export class SwimNetwork {
  now = 0;
  readonly nodes = new Map<string, SwimMembership>();
  /** How often each node was woken to tick. */
  readonly ticks = new Map<string, number>();
  private readonly crashed = new Set<string>();
  private groups: string[][] | undefined;
  private readonly rand = seededRandom(7);

  add(name: string, join: string[] = []): SwimMembership {
    const m = SwimMembership.create(name, addrOf(name), TIMING_PROFILES.fast, this.rand, this.now);
    this.nodes.set(name, m);
    this.crashed.delete(name);
    m.join(join.map(addrOf));
    m.setState("participant");
    return m;
  }

  crash(name: string): void {
    this.crashed.add(name);
  }

  partition(groups: string[][] | undefined): void {
    this.groups = groups;
  }

  private reachable(a: string, b: string): boolean {
    if (this.crashed.has(a) || this.crashed.has(b)) return false;
    if (this.groups === undefined) return true;
    return this.groups.some((g) => g.includes(a) && g.includes(b));
  }

  /** Runs the network for `ms` of virtual time in 10 ms steps. */
  run(ms: number): void {
    for (const end = this.now + ms; this.now < end; this.now += 10) {
      for (let round = 0; round < 10; round++) {
        let delivered = 0;
        for (const [name, m] of this.nodes) {
          if (this.crashed.has(name)) continue;
          // Only when the node says it has work, as the node process sleeps until then.
          if (round === 0 && this.now >= m.nextTickAt()) {
            m.tick(this.now);
            this.ticks.set(name, (this.ticks.get(name) ?? 0) + 1);
          }
          for (const out of m.takeOutgoing()) {
            const to = nameOf(out.to);
            const peer = this.nodes.get(to);
            if (peer === undefined || !this.reachable(name, to)) continue;
            peer.receive(out.frame, addrOf(name), this.now);
            delivered++;
          }
        }
        if (delivered === 0) break;
      }
    }
  }

  /** How `observer` sees `name`: status/state, or "unknown". */
  view(observer: string, name: string): string {
    const r = this.nodes.get(observer)!.member(name);
    return r === undefined ? "unknown" : `${r.status}/${r.state}`;
  }

  /** True when every live node sees exactly `expected` (names → status/state) for all of them. */
  agree(expected: Record<string, string>): boolean {
    return [...this.nodes.keys()].filter((n) => !this.crashed.has(n)).every((o) => Object.entries(expected).every(([n, v]) => this.view(o, n) === v));
  }

  /** Runs until `cond` holds, returning the virtual ms it took (or Infinity past `limitMs`). */
  until(cond: () => boolean, limitMs = 30_000): number {
    const start = this.now;
    while (!cond()) {
      if (this.now - start > limitMs) return Infinity;
      this.run(10);
    }
    return this.now - start;
  }
}

export function addrOf(name: string): string {
  return `${name}.test:1`;
}

function nameOf(addr: string): string {
  return addr.slice(0, addr.indexOf(".test:"));
}
