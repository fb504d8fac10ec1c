/**
 * XXH64 (seed 0) in plain 32-bit JavaScript arithmetic.
 *
 * Why not call xxhash-wasm on the hot path: every call crosses into wasm, copies the input and returns a
 * BigInt, which alone would use most of the ring's per-target budget. This version keeps every 64-bit value
 * as two uint32 halves and allocates nothing per call. The tests check it against xxhash-wasm on every
 * reference vector, and `npm run bench -- ring` measures both.
 */

// The five XXH64 primes, as high and low 32-bit halves.
const P1H = 0x9e3779b1, P1L = 0x85ebca87;
const P2H = 0xc2b2ae3d, P2L = 0x27d4eb4f;
const P3H = 0x165667b1, P3L = 0x9e3779f9;
const P4H = 0x85ebca77, P4L = 0xc2b2ae63;
const P5H = 0x27d4eb2f, P5L = 0x165667c5;

/** A 64-bit value as two unsigned 32-bit halves; index 0 is the high half. */
export type U64Halves = Uint32Array;

// The accumulator the helpers below work on (single-threaded: no reentrancy). A typed array rather than
// module `let`s: uint32 values above 2^31 kept in module variables would be boxed on every write.
const acc = new Uint32Array(2);

/** acc = acc * (bH:bL) mod 2^64 */
function mul(bH: number, bL: number): void {
  const aH = acc[0], aL = acc[1];
  const a0 = aL & 0xffff, a1 = aL >>> 16, b0 = bL & 0xffff, b1 = bL >>> 16;
  const lo = a0 * b0, m1 = a1 * b0, m2 = a0 * b1;
  const t = (lo >>> 16) + (m1 & 0xffff) + (m2 & 0xffff);
  const carry = (t >>> 16) + (m1 >>> 16) + (m2 >>> 16) + a1 * b1;
  acc[0] = carry + Math.imul(aH, bL) + Math.imul(aL, bH);
  acc[1] = ((t & 0xffff) << 16) | (lo & 0xffff);
}

/** acc = acc + (bH:bL) mod 2^64 */
function add(bH: number, bL: number): void {
  const lo = acc[1] + bL;
  acc[0] = acc[0] + bH + (lo > 0xffffffff ? 1 : 0);
  acc[1] = lo;
}

/** acc = acc ^ (bH:bL) */
function xor(bH: number, bL: number): void {
  acc[0] ^= bH;
  acc[1] ^= bL;
}

/** acc = rotl(acc, r) for 0 < r < 32 */
function rotl(r: number): void {
  const h = acc[0], l = acc[1];
  acc[0] = (h << r) | (l >>> (32 - r));
  acc[1] = (l << r) | (h >>> (32 - r));
}

/** The XXH64 round on acc: acc = rotl(acc + input * P2, 31) * P1. */
function round(inH: number, inL: number): void {
  const sH = acc[0], sL = acc[1];
  acc[0] = inH;
  acc[1] = inL;
  mul(P2H, P2L);
  add(sH, sL);
  rotl(31);
  mul(P1H, P1L);
}

function read32(b: Uint8Array, i: number): number {
  return b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
}

/** Tail and avalanche: continue from the hash in acc over bytes[i, end), result to out. */
function finish(b: Uint8Array, i: number, end: number, out: U64Halves): void {
  while (i + 8 <= end) {
    const hH = acc[0], hL = acc[1];
    acc[0] = 0;
    acc[1] = 0;
    round(read32(b, i + 4), read32(b, i));
    xor(hH, hL);
    rotl(27);
    mul(P1H, P1L);
    add(P4H, P4L);
    i += 8;
  }
  if (i + 4 <= end) {
    const hH = acc[0], hL = acc[1];
    acc[0] = 0;
    acc[1] = read32(b, i);
    mul(P1H, P1L);
    xor(hH, hL);
    rotl(23);
    mul(P2H, P2L);
    add(P3H, P3L);
    i += 4;
  }
  while (i < end) {
    const hH = acc[0], hL = acc[1];
    acc[0] = 0;
    acc[1] = b[i];
    mul(P5H, P5L);
    xor(hH, hL);
    rotl(11);
    mul(P1H, P1L);
    i++;
  }
  // avalanche: h ^= h >> 33; h *= P2; h ^= h >> 29; h *= P3; h ^= h >> 32
  acc[1] ^= acc[0] >>> 1;
  mul(P2H, P2L);
  acc[1] ^= (acc[1] >>> 29) | (acc[0] << 3);
  acc[0] ^= acc[0] >>> 29;
  mul(P3H, P3L);
  acc[1] ^= acc[0];
  out[0] = acc[0];
  out[1] = acc[1];
}

/** Lanes v1..v4 of the 32-byte-stripe state, as 8 uint32 (v1 high, v1 low, v2 high, …). */
export type Lanes = Uint32Array;

export function initialLanes(): Lanes {
  // seed 0: v1 = P1 + P2, v2 = P2, v3 = 0, v4 = -P1 (two's complement)
  acc[0] = P1H;
  acc[1] = P1L;
  add(P2H, P2L);
  const v1H = acc[0], v1L = acc[1];
  acc[0] = ~P1H;
  acc[1] = ~P1L;
  add(0, 1);
  return Uint32Array.of(v1H, v1L, P2H, P2L, 0, 0, acc[0], acc[1]);
}

/** Advances the four lanes over the 32 bytes at b[i]. */
export function consumeStripe(lanes: Lanes, b: Uint8Array, i: number): void {
  for (let lane = 0; lane < 8; lane += 2, i += 8) {
    acc[0] = lanes[lane];
    acc[1] = lanes[lane + 1];
    round(read32(b, i + 4), read32(b, i));
    lanes[lane] = acc[0];
    lanes[lane + 1] = acc[1];
  }
}

const LANE_ROTATIONS = [1, 7, 12, 18];

/** The converged value of lanes that have consumed at least one stripe (before the length is added). */
export function mergeLanes(lanes: Lanes, out: U64Halves): void {
  let hH = 0, hL = 0;
  for (let lane = 0; lane < 4; lane++) {
    acc[0] = lanes[2 * lane];
    acc[1] = lanes[2 * lane + 1];
    rotl(LANE_ROTATIONS[lane]);
    add(hH, hL);
    hH = acc[0];
    hL = acc[1];
  }
  for (let lane = 0; lane < 4; lane++) {
    acc[0] = 0;
    acc[1] = 0;
    round(lanes[2 * lane], lanes[2 * lane + 1]);
    xor(hH, hL);
    mul(P1H, P1L);
    add(P4H, P4L);
    hH = acc[0];
    hL = acc[1];
  }
  out[0] = hH;
  out[1] = hL;
}

/**
 * Finishes a hash: `merged` is mergeLanes' value (ignored when total < 32), `total` the whole input length,
 * and bytes[tailStart, tailEnd) the bytes after the last full stripe.
 */
export function digest(merged: U64Halves, total: number, b: Uint8Array, tailStart: number, tailEnd: number, out: U64Halves): void {
  if (total >= 32) {
    acc[0] = merged[0];
    acc[1] = merged[1];
  } else {
    acc[0] = P5H;
    acc[1] = P5L;
  }
  add(Math.floor(total / 0x100000000), total >>> 0);
  finish(b, tailStart, tailEnd, out);
}

const INITIAL_LANES = initialLanes();
const scratchLanes = new Uint32Array(8);
const scratchMerged = new Uint32Array(2);

/** XXH64 with seed 0 of bytes[0, len), written to out as [high, low]. Allocation-free. */
export function xxh64(b: Uint8Array, len: number, out: U64Halves): void {
  let i = 0;
  if (len >= 32) {
    scratchLanes.set(INITIAL_LANES);
    for (; i + 32 <= len; i += 32) consumeStripe(scratchLanes, b, i);
    mergeLanes(scratchLanes, scratchMerged);
  }
  digest(scratchMerged, len, b, i, len, out);
}
