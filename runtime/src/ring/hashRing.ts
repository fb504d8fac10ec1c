/**
 * The consistent-hash ring of grafana/ckit `internal/chash` as Alloy uses it: all tokens of all nodes sorted
 * ascending (ties by node name, byte-wise); a key belongs to the node of the first token ≥ key, wrapping past
 * the end; n owners are the first n distinct nodes walking forward from there. Pure: no I/O.
 */
import { compareGoStrings } from "./utf8";
import { TOKENS_PER_NODE, TokenCache } from "./tokens";
import { decimalToHalves } from "./u64";

const sharedTokenCache = new TokenCache();

export class HashRing {
  /** Node names in Go byte order; `owner` indexes into it. */
  readonly nodes: readonly string[];
  private readonly hi: Uint32Array;
  private readonly lo: Uint32Array;
  private readonly owner: Uint32Array;

  private constructor(nodes: string[], hi: Uint32Array, lo: Uint32Array, owner: Uint32Array) {
    this.nodes = nodes;
    this.hi = hi;
    this.lo = lo;
    this.owner = owner;
  }

  /** Builds the ring of the given node names (duplicates count once). */
  static build(nodeNames: Iterable<string>, cache: TokenCache = sharedTokenCache): HashRing {
    const nodes = [...new Set(nodeNames)].sort(compareGoStrings);
    const total = nodes.length * TOKENS_PER_NODE;
    // Unsorted input in node order, so that a stable sort leaves equal tokens in node-name order.
    const hi = new Uint32Array(total), lo = new Uint32Array(total), owner = new Uint32Array(total);
    for (let n = 0, k = 0; n < nodes.length; n++) {
      const tokens = cache.get(nodes[n]);
      for (let t = 0; t < TOKENS_PER_NODE; t++, k++) {
        hi[k] = tokens[2 * t];
        lo[k] = tokens[2 * t + 1];
        owner[k] = n;
      }
    }
    const order = sortOrder(hi, lo, owner);
    return new HashRing(nodes, permute(hi, order), permute(lo, order), permute(owner, order));
  }

  get tokenCount(): number {
    return this.hi.length;
  }

  /** Index of the first token ≥ key, wrapping to 0 past the end. */
  private firstIndexAtOrAfter(keyHi: number, keyLo: number): number {
    const hi = this.hi, lo = this.lo;
    let a = 0, b = hi.length;
    while (a < b) {
      const m = (a + b) >>> 1;
      if (hi[m] < keyHi || (hi[m] === keyHi && lo[m] < keyLo)) a = m + 1;
      else b = m;
    }
    return a === hi.length ? 0 : a;
  }

  /** The single owner of a key (numOwners = 1), or undefined on an empty ring. Allocation-free. */
  ownerOf(keyHi: number, keyLo: number): string | undefined {
    if (this.hi.length === 0) return undefined;
    return this.nodes[this.owner[this.firstIndexAtOrAfter(keyHi, keyLo)]];
  }

  /** The first n distinct owners of a key. Throws when n exceeds the number of nodes, as ckit does. */
  lookup(keyHi: number, keyLo: number, n: number): string[] {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`number of owners must be a whole number ≥ 0, got ${n}`);
    if (n > this.nodes.length) {
      throw new RangeError(`cannot pick ${n} owners from a ring of ${this.nodes.length} node(s)`);
    }
    const found: number[] = [];
    if (n === 0) return [];
    const count = this.hi.length;
    for (let i = this.firstIndexAtOrAfter(keyHi, keyLo), seen = 0; found.length < n && seen < count; seen++) {
      const o = this.owner[i];
      if (!found.includes(o)) found.push(o);
      i = i + 1 === count ? 0 : i + 1;
    }
    return found.map((o) => this.nodes[o]);
  }

  /** lookup() for a key given as an unsigned 64-bit decimal string or bigint. */
  lookupKey(key: string | bigint, n: number): string[] {
    const [h, l] = typeof key === "bigint" ? [Number(key >> 32n), Number(key & 0xffffffffn)] : decimalToHalves(key);
    return this.lookup(h, l, n);
  }
}

/**
 * Stable order of the tokens by (high, low): an LSD radix sort on the high half in two 16-bit passes, then
 * the rare runs of equal high halves sorted by low half. Far faster than a comparison sort at 512k tokens.
 */
function sortOrder(hi: Uint32Array, lo: Uint32Array, owner: Uint32Array): Uint32Array {
  const n = hi.length;
  let src = new Uint32Array(n), dst = new Uint32Array(n);
  for (let i = 0; i < n; i++) src[i] = i;
  const counts = new Uint32Array(65536);
  for (const shift of [0, 16]) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(hi[i] >>> shift) & 0xffff]++;
    for (let d = 0, sum = 0; d < 65536; d++) {
      const c = counts[d];
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const idx = src[i];
      dst[counts[(hi[idx] >>> shift) & 0xffff]++] = idx;
    }
    [src, dst] = [dst, src];
  }
  // Runs of equal high halves: insertion sort by (low, owner) — owner order is name order.
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && hi[src[end]] === hi[src[start]]) end++;
    for (let i = start + 1; i < end; i++) {
      const v = src[i];
      let j = i;
      while (j > start && (lo[src[j - 1]] > lo[v] || (lo[src[j - 1]] === lo[v] && owner[src[j - 1]] > owner[v]))) {
        src[j] = src[j - 1];
        j--;
      }
      src[j] = v;
    }
    start = end;
  }
  return src;
}

function permute(values: Uint32Array, order: Uint32Array): Uint32Array {
  const out = new Uint32Array(order.length);
  for (let i = 0; i < order.length; i++) out[i] = values[order[i]];
  return out;
}
