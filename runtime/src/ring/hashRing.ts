/**
 * The consistent-hash ring of grafana/ckit `internal/chash` as Alloy uses it: all tokens of all nodes sorted
 * ascending (ties by node name, byte-wise); a key belongs to the node of the first token ≥ key, wrapping past
 * the end; n owners are the first n distinct nodes walking forward from there. Pure: no I/O.
 */
import { compareGoStrings } from "./utf8";
import { TOKENS_PER_NODE, TokenCache, type NodeTokens } from "./tokens";
import { decimalToHalves } from "./u64";

const sharedTokenCache = new TokenCache();

export class HashRing {
  /** Node names in Go byte order; a token's owner is an index into it. */
  readonly nodes: readonly string[];
  /** The sorted tokens, interleaved as [high, low, owner] per token (one cache line holds all three). */
  private readonly tokens: Uint32Array;
  /** bucketStart[b] = index of the first token whose high 16 bits are ≥ b; narrows every search to ~1 step. */
  private readonly bucketStart: Uint32Array;

  private constructor(nodes: string[], sorted: SortedTokens) {
    this.nodes = nodes;
    this.tokens = sorted.tokens;
    this.bucketStart = sorted.bucketStart;
  }

  /** Builds the ring of the given node names (duplicates count once). */
  static build(nodeNames: Iterable<string>, cache: TokenCache = sharedTokenCache): HashRing {
    const nodes = [...new Set(nodeNames)].sort(compareGoStrings);
    return new HashRing(nodes, sortTokens(nodes.map((n) => cache.get(n))));
  }

  get tokenCount(): number {
    return this.tokens.length / STRIDE;
  }

  /** Index of the first token ≥ key, wrapping to 0 past the end. */
  private firstIndexAtOrAfter(keyHi: number, keyLo: number): number {
    const tokens = this.tokens;
    const bucket = keyHi >>> 16;
    let a = this.bucketStart[bucket],
      b = this.bucketStart[bucket + 1];
    while (a < b) {
      const m = (a + b) >>> 1;
      const h = tokens[STRIDE * m];
      if (h < keyHi || (h === keyHi && tokens[STRIDE * m + 1] < keyLo)) a = m + 1;
      else b = m;
    }
    return a === this.tokenCount ? 0 : a;
  }

  private ownerAt(i: number): number {
    return this.tokens[STRIDE * i + 2];
  }

  /** The single owner of a key (numOwners = 1), or undefined on an empty ring. Allocation-free. */
  ownerOf(keyHi: number, keyLo: number): string | undefined {
    if (this.tokens.length === 0) return undefined;
    return this.nodes[this.ownerAt(this.firstIndexAtOrAfter(keyHi, keyLo))];
  }

  /** The first n distinct owners of a key. Throws when n exceeds the number of nodes, as ckit does. */
  lookup(keyHi: number, keyLo: number, n: number): string[] {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`number of owners must be a whole number ≥ 0, got ${n}`);
    if (n > this.nodes.length) {
      throw new RangeError(`cannot pick ${n} owners from a ring of ${this.nodes.length} node(s)`);
    }
    const found: number[] = [];
    const count = this.tokenCount;
    for (let i = this.firstIndexAtOrAfter(keyHi, keyLo), seen = 0; found.length < n && seen < count; seen++) {
      const o = this.ownerAt(i);
      if (!found.includes(o)) found.push(o);
      i = i + 1 === count ? 0 : i + 1;
    }
    return found.map((o) => this.nodes[o]);
  }

  /** Token `i` in ring order (0 ≤ i < tokenCount): its high and low halves, and its node's index in `nodes`. */
  tokenHi(i: number): number {
    return this.tokens[STRIDE * i];
  }

  tokenLo(i: number): number {
    return this.tokens[STRIDE * i + 1];
  }

  tokenOwner(i: number): number {
    return this.tokens[STRIDE * i + 2];
  }

  /** lookup() for a key given as an unsigned 64-bit decimal string or bigint. */
  lookupKey(key: string | bigint, n: number): string[] {
    const [h, l] = typeof key === "bigint" ? [Number(key >> 32n), Number(key & 0xffffffffn)] : decimalToHalves(key);
    return this.lookup(h, l, n);
  }
}

const BUCKETS = 65536;
const STRIDE = 3;

interface SortedTokens {
  tokens: Uint32Array;
  bucketStart: Uint32Array;
}

/**
 * All nodes' tokens sorted by (high, low), ties in node order (= name order). One distribution pass on the
 * top 16 bits — whose bounds double as the lookup index — then an insertion sort inside each bucket, which
 * holds about eight tokens at 1,000 nodes. Stable, and far faster than a comparison sort at 512k tokens.
 */
function sortTokens(tokensByNode: readonly NodeTokens[]): SortedTokens {
  const total = tokensByNode.length * TOKENS_PER_NODE;
  const bucketStart = new Uint32Array(BUCKETS + 1);
  for (const tokens of tokensByNode) {
    for (let t = 0; t < tokens.length; t += 2) bucketStart[(tokens[t] >>> 16) + 1]++;
  }
  for (let b = 1; b <= BUCKETS; b++) bucketStart[b] += bucketStart[b - 1];
  const next = bucketStart.slice(0, BUCKETS);
  const out = new Uint32Array(STRIDE * total);
  for (let n = 0; n < tokensByNode.length; n++) {
    const tokens = tokensByNode[n];
    for (let t = 0; t < tokens.length; t += 2) {
      const h = tokens[t];
      const at = STRIDE * next[h >>> 16]++;
      out[at] = h;
      out[at + 1] = tokens[t + 1];
      out[at + 2] = n;
    }
  }
  for (let b = 0; b < BUCKETS; b++) {
    const start = STRIDE * bucketStart[b],
      end = STRIDE * bucketStart[b + 1];
    for (let i = start + STRIDE; i < end; i += STRIDE) {
      const vh = out[i],
        vl = out[i + 1],
        vo = out[i + 2];
      let j = i;
      // strict comparison: equal tokens keep their node order
      while (j > start && (out[j - 3] > vh || (out[j - 3] === vh && out[j - 2] > vl))) {
        out[j] = out[j - 3];
        out[j + 1] = out[j - 2];
        out[j + 2] = out[j - 1];
        j -= STRIDE;
      }
      out[j] = vh;
      out[j + 1] = vl;
      out[j + 2] = vo;
    }
  }
  return { tokens: out, bucketStart };
}
