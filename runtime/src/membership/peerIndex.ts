/**
 * The other members by status, kept as they change instead of recounted from the whole list: a node of a
 * big cluster asks for its live peers, its suspects and the recently dead on every tick, and for the
 * participants on every ownership update; the list changes far less often than that. Pure.
 */
import { isLive, type MemberRecord } from "./gossipFrames";

/** A member as the index needs it: its status, its state and since when it has its status. */
export type IndexedMember = MemberRecord & { since: number };

/** A list of members in no particular order, with O(1) removal (the last one is moved into the gap). */
class MemberList<M> {
  readonly members: M[] = [];
  private readonly position = new Map<M, number>();

  add(m: M): void {
    this.position.set(m, this.members.length);
    this.members.push(m);
  }

  has(m: M): boolean {
    return this.position.has(m);
  }

  /** Removes `m` if listed; returns where the last member went (-1 when nothing moved). */
  remove(m: M): number {
    const at = this.position.get(m);
    if (at === undefined) return -1;
    this.position.delete(m);
    const last = this.members.pop()!;
    if (at === this.members.length) return -1;
    this.members[at] = last;
    this.position.set(last, at);
    return at;
  }
}

export class PeerIndex<M extends IndexedMember> {
  private readonly liveList = new MemberList<M>();
  /** Live members in the participant state; `participantNames` mirrors it entry for entry. */
  private readonly participantList = new MemberList<M>();
  private readonly participantNames: string[] = [];
  private readonly suspectSet = new Set<M>();
  private readonly deadSet = new Set<M>();

  /** Changes a listed member's status, state or `since` through `change`, keeping it filed where it belongs. */
  update(m: M, change: () => void): void {
    this.remove(m);
    change();
    this.add(m);
  }

  /** Call after a member was added. */
  add(m: M): void {
    if (isLive(m.status)) {
      this.liveList.add(m);
      if (m.state === "participant") {
        this.participantList.add(m);
        this.participantNames.push(m.name);
      }
    }
    if (m.status === "suspect") this.suspectSet.add(m);
    if (m.status === "dead") this.deadSet.add(m);
  }

  /** Call before a member is removed. */
  remove(m: M): void {
    this.liveList.remove(m);
    if (this.participantList.has(m)) {
      const last = this.participantNames.pop()!;
      const at = this.participantList.remove(m);
      if (at >= 0) this.participantNames[at] = last;
    }
    this.suspectSet.delete(m);
    this.deadSet.delete(m);
  }

  get live(): readonly M[] {
    return this.liveList.members;
  }

  /** The live participants' names; changes in place with the members, so read it, do not keep it. */
  get participants(): readonly string[] {
    return this.participantNames;
  }

  get suspects(): ReadonlySet<M> {
    return this.suspectSet;
  }

  /** When the longest-suspected member became suspect (Infinity: none is). */
  oldestSuspicion(): number {
    let oldest = Infinity;
    for (const m of this.suspectSet) oldest = Math.min(oldest, m.since);
    return oldest;
  }

  /** Members dead for less than `windowMs`; older ones are dropped (they cannot become recent again). */
  recentlyDead(now: number, windowMs: number): M[] {
    const out: M[] = [];
    for (const m of this.deadSet) {
      if (now - m.since < windowMs) out.push(m);
      else this.deadSet.delete(m);
    }
    return out;
  }
}
