/**
 * A node's ring tokens, as ckit's chash computes them: one streaming xxHash64 state fed the node name, then
 * for t = 0…511 one byte `t mod 256`, token t being the digest of everything written so far.
 */
import { ByteBuffer } from "./utf8";
import { consumeStripe, digest, initialLanes, mergeLanes } from "./xxhash64";

/** Tokens per node in Alloy's cluster ring (`shard.Ring(512)` in internal/service/cluster). */
export const TOKENS_PER_NODE = 512;

/** 512 tokens as 1,024 uint32: [high0, low0, high1, low1, …] in generation order. */
export type NodeTokens = Uint32Array;

export function computeNodeTokens(name: string, count = TOKENS_PER_NODE): NodeTokens {
  const buf = new ByteBuffer(name.length * 3 + count);
  buf.pushString(name);
  for (let t = 0; t < count; t++) buf.pushByte(t & 0xff);
  const bytes = buf.bytes;
  const nameLen = buf.length - count;

  const lanes = initialLanes();
  const merged = new Uint32Array(2);
  const out = new Uint32Array(2);
  const tokens = new Uint32Array(2 * count);
  let consumed = 0; // bytes already folded into the lanes (whole 32-byte stripes)
  for (let t = 0; t < count; t++) {
    const total = nameLen + t + 1;
    if (total - consumed >= 32) {
      while (total - consumed >= 32) {
        consumeStripe(lanes, bytes, consumed);
        consumed += 32;
      }
      mergeLanes(lanes, merged);
    }
    digest(merged, total, bytes, consumed, total, out);
    tokens[2 * t] = out[0];
    tokens[2 * t + 1] = out[1];
  }
  return tokens;
}

/**
 * Memoises tokens by node name: they depend on the name alone, and a ring is rebuilt on every membership
 * change. Bounded so a long-running lab that sees many names cannot grow it without limit.
 */
export class TokenCache {
  private readonly byName = new Map<string, NodeTokens>();

  constructor(private readonly maxEntries = 4096) {}

  get(name: string): NodeTokens {
    let tokens = this.byName.get(name);
    if (tokens === undefined) {
      if (this.byName.size >= this.maxEntries) this.byName.clear();
      tokens = computeNodeTokens(name);
      this.byName.set(name, tokens);
    }
    return tokens;
  }
}
