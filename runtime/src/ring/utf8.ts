/** UTF-8 encoding into a reusable byte buffer, and Go's byte-wise string order. No allocation on ASCII. */

/** A growable byte buffer that is reused between calls (reset `length` to 0 to start over). */
export class ByteBuffer {
  bytes: Uint8Array;
  length = 0;

  constructor(capacity = 256) {
    this.bytes = new Uint8Array(capacity);
  }

  private grow(extra: number): void {
    const next = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  pushByte(v: number): void {
    if (this.length === this.bytes.length) this.grow(1);
    this.bytes[this.length++] = v;
  }

  /** Appends the UTF-8 encoding of s; lone surrogates become U+FFFD, as Go's conversion of such text does. */
  pushString(s: string): void {
    const n = s.length;
    if (this.length + 3 * n > this.bytes.length) this.grow(3 * n);
    const b = this.bytes;
    let p = this.length;
    for (let i = 0; i < n; i++) {
      let c = s.charCodeAt(i);
      if (c < 0x80) {
        b[p++] = c;
      } else if (c < 0x800) {
        b[p++] = 0xc0 | (c >> 6);
        b[p++] = 0x80 | (c & 0x3f);
      } else {
        if (c >= 0xd800 && c <= 0xdfff) {
          const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
          if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
            c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
            i++;
            b[p++] = 0xf0 | (c >> 18);
            b[p++] = 0x80 | ((c >> 12) & 0x3f);
            b[p++] = 0x80 | ((c >> 6) & 0x3f);
            b[p++] = 0x80 | (c & 0x3f);
            continue;
          }
          c = 0xfffd;
        }
        b[p++] = 0xe0 | (c >> 12);
        b[p++] = 0x80 | ((c >> 6) & 0x3f);
        b[p++] = 0x80 | (c & 0x3f);
      }
    }
    this.length = p;
  }
}

/** Encodes s as UTF-8 into a fresh array (for cold paths). */
export function utf8Bytes(s: string): Uint8Array {
  const buf = new ByteBuffer(s.length * 3 + 1);
  buf.pushString(s);
  return buf.bytes.slice(0, buf.length);
}

/**
 * Orders strings as Go does (byte-wise over UTF-8, i.e. by code point). JavaScript's `<` compares UTF-16
 * code units, which disagrees only when a surrogate (a code point ≥ U+10000) meets a unit in U+E000–U+FFFF.
 */
export function compareGoStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i), cb = b.charCodeAt(i);
    if (ca === cb) continue;
    const sa = ca >= 0xd800 && ca <= 0xdfff, sb = cb >= 0xd800 && cb <= 0xdfff;
    if (sa !== sb && (ca >= 0xe000 || cb >= 0xe000)) return sa ? 1 : -1;
    return ca - cb;
  }
  return a.length - b.length;
}
