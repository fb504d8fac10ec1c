/** Which cluster members take part in a ring lookup, as Alloy's cluster service decides. */

/** Node states of ckit's peer model. */
export type NodeState = "viewer" | "participant" | "terminating";

/** `readWrite` is what scraping and every sharded component uses; `read` also keeps terminating nodes. */
export type LookupOperation = "read" | "readWrite";

export interface RingMember {
  readonly name: string;
  readonly state: NodeState;
}

export function ringMemberNames(members: Iterable<RingMember>, op: LookupOperation): string[] {
  const names: string[] = [];
  for (const m of members) {
    if (m.state === "participant" || (op === "read" && m.state === "terminating")) names.push(m.name);
  }
  return names;
}
