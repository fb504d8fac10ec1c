/**
 * XXH64 (seed 0), computed by our small WebAssembly module (xxhash64.wat).
 *
 * Why not xxhash-wasm on the hot path: each of its calls copies the input in and hands back a BigInt, which
 * alone costs most of the ring's per-target budget. Ours takes whole batches of keys per call and leaves
 * results in memory as uint32 halves. The tests check it against xxhash-wasm on every reference vector, and
 * `npm run bench -- ring` measures both.
 */
import { XXHASH64_WASM_BASE64 } from "./xxhash64Wasm";

/** A 64-bit value as two unsigned 32-bit halves; index 0 is the high half. */
export type U64Halves = Uint32Array;

interface Xxh64Exports {
  memory: WebAssembly.Memory;
  hash(ptr: number, len: number): void;
  hashLabels(lens: number, count: number, names: number, data: number, scratch: number, out: number): void;
  nodeTokens(name: number, nameLen: number, count: number, out: number): void;
}

function instantiate(): Xxh64Exports {
  const bytes = Uint8Array.from(atob(XXHASH64_WASM_BASE64), (c) => c.charCodeAt(0));
  // Synchronous: the module is tiny, and it keeps every hashing API synchronous.
  return new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as Xxh64Exports;
}

const wasm = instantiate();

/** Where hash() leaves its result. */
const RESULT = 0;
/** Start of the working area a call may use (8-aligned). */
export const WORK_START = 64;

let u8 = new Uint8Array(wasm.memory.buffer);
let u32 = new Uint32Array(wasm.memory.buffer);

/** Views of the module's memory, grown to hold at least `bytes` from address 0. Re-read after each call. */
export function workMemory(bytes: number): { u8: Uint8Array; u32: Uint32Array } {
  const have = wasm.memory.buffer.byteLength;
  if (bytes > have) wasm.memory.grow(Math.ceil((bytes - have) / 65536));
  if (u8.buffer !== wasm.memory.buffer) {
    u8 = new Uint8Array(wasm.memory.buffer);
    u32 = new Uint32Array(wasm.memory.buffer);
  }
  return { u8, u32 };
}

/** XXH64 of bytes[0, len), written to out as [high, low]. */
export function xxh64(bytes: Uint8Array, len: number, out: U64Halves): void {
  const mem = workMemory(WORK_START + len);
  mem.u8.set(len === bytes.length ? bytes : bytes.subarray(0, len), WORK_START);
  wasm.hash(WORK_START, len);
  out[0] = mem.u32[RESULT / 4 + 1];
  out[1] = mem.u32[RESULT / 4];
}

/** See hashLabels in xxhash64.wat; addresses are byte offsets into workMemory(). */
export const hashLabels = wasm.hashLabels;
/** See nodeTokens in xxhash64.wat. */
export const hashNodeTokens = wasm.nodeTokens;
