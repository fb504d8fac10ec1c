/**
 * The ring as the Show Ring view draws it: every participant's 512 tokens as arcs of the 64-bit circle (a
 * token owns the arc that ends at it, as Alloy's lookup takes the first token at or after a key) and every
 * target as a dot at its key. Pure: lab state in, fractions of the circle out.
 */
import { TokenCache } from "../../../runtime/src/ring/tokens";
import type { LabState } from "../../../runtime/src/protocol/labState";

export interface RingArc {
  /** Fractions of the circle, from < to (an arc across zero is split in two). */
  from: number;
  to: number;
  /** Index into RingPicture.nodes. */
  node: number;
}

export interface RingPicture {
  nodes: { name: string; ringShare: number; targets: number }[];
  arcs: RingArc[];
  /** At most MAX_DOTS targets, evenly sampled; `node` is -1 when nobody (or several nodes) own it. */
  dots: { at: number; node: number }[];
  totalTargets: number;
}

export const MAX_DOTS = 2000;

const TWO_POW_32 = 2 ** 32;

/** The view redraws on every lab update; a node's tokens depend on its name alone. */
const tokenCache = new TokenCache(256);

function keyFraction(key: string): number {
  try {
    return Number(BigInt(key) >> 11n) / 2 ** 53;
  } catch {
    return 0; // not a u64 key (the lab sends none): draw it at zero rather than fail the view
  }
}

export function ringPicture(state: LabState): RingPicture {
  const members = state.nodes
    .filter((n) => n.running && n.state === "participant")
    .map((n) => n.name)
    .sort();
  const tokens: { at: number; node: number }[] = [];
  members.forEach((name, node) => {
    const t = tokenCache.get(name);
    for (let i = 0; i < t.length; i += 2) tokens.push({ at: t[i] / TWO_POW_32 + t[i + 1] / TWO_POW_32 / TWO_POW_32, node });
  });
  tokens.sort((a, b) => a.at - b.at);

  const arcs: RingArc[] = [];
  const share = new Array<number>(members.length).fill(0);
  const add = (from: number, to: number, node: number): void => {
    if (to <= from) return;
    share[node] += to - from;
    const last = arcs[arcs.length - 1];
    if (last !== undefined && last.node === node && last.to === from) last.to = to;
    else arcs.push({ from, to, node });
  };
  if (tokens.length > 0) {
    // The arc from the last token round to the first belongs to the first token.
    add(0, tokens[0].at, tokens[0].node);
    for (let i = 1; i < tokens.length; i++) add(tokens[i - 1].at, tokens[i].at, tokens[i].node);
    add(tokens[tokens.length - 1].at, 1, tokens[0].node);
  }

  const index = new Map(members.map((m, i) => [m, i]));
  const counts = new Array<number>(members.length).fill(0);
  for (const t of state.targets) if (t.owner !== null && index.has(t.owner)) counts[index.get(t.owner)!]++;
  const step = Math.max(1, state.targets.length / MAX_DOTS);
  const dots: RingPicture["dots"] = [];
  for (let i = 0; i < state.targets.length; i += step) {
    const t = state.targets[Math.floor(i)];
    dots.push({ at: keyFraction(t.key), node: t.owner === null ? -1 : (index.get(t.owner) ?? -1) });
  }
  return { nodes: members.map((name, i) => ({ name, ringShare: share[i], targets: counts[i] })), arcs, dots, totalTargets: state.targets.length };
}
