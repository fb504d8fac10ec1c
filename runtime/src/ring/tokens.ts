/**
 * A node's ring tokens, as ckit's chash computes them: one streaming xxHash64 state fed the node name, then
 * for t = 0…511 one byte `t mod 256`, token t being the digest of everything written so far.
 */
import { utf8Bytes } from "./utf8";
import { hashNodeTokens, workMemory, WORK_START } from "./xxhash64";

/** Tokens per node in Alloy's cluster ring (`shard.Ring(512)` in internal/service/cluster). */
export const TOKENS_PER_NODE = 512;

/** 512 tokens as 1,024 uint32: [high0, low0, high1, low1, …] in generation order. */
export type NodeTokens = Uint32Array;

export function computeNodeTokens(name: string, count = TOKENS_PER_NODE): NodeTokens {
  const nameBytes = utf8Bytes(name);
  const out = (WORK_START + nameBytes.length + count + 7) & ~7;
  const mem = workMemory(out + 8 * count);
  mem.u8.set(nameBytes, WORK_START);
  hashNodeTokens(WORK_START, nameBytes.length, count, out);
  const tokens = new Uint32Array(2 * count);
  for (let t = 0, w = out / 4; t < count; t++, w += 2) {
    tokens[2 * t] = mem.u32[w + 1];
    tokens[2 * t + 1] = mem.u32[w];
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
