/** Unsigned 64-bit values carried as [high, low] uint32 halves, and their decimal form. */

export function compareHalves(aH: number, aL: number, bH: number, bL: number): number {
  return aH !== bH ? (aH < bH ? -1 : 1) : aL !== bL ? (aL < bL ? -1 : 1) : 0;
}

export function halvesToBigInt(h: number, l: number): bigint {
  return (BigInt(h) << 32n) | BigInt(l);
}

export function halvesToDecimal(h: number, l: number): string {
  return halvesToBigInt(h, l).toString();
}

/** Parses an unsigned 64-bit decimal string (as the reference vectors and the ownership contract write them). */
export function decimalToHalves(s: string): [number, number] {
  if (!/^\d{1,20}$/.test(s)) throw new RangeError(`not an unsigned 64-bit decimal: ${JSON.stringify(s)}`);
  const v = BigInt(s);
  if (v > 0xffffffffffffffffn) throw new RangeError(`out of unsigned 64-bit range: ${s}`);
  return [Number(v >> 32n), Number(v & 0xffffffffn)];
}
