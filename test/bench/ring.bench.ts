/** `npm run bench -- ring`: ring and key speed, balance and movement. Prints one JSON object. */
import xxhash from "xxhash-wasm";
import { HashRing } from "../../runtime/src/ring/hashRing";
import { targetKeysInto, type TargetLabels } from "../../runtime/src/ring/keys";
import { TokenCache } from "../../runtime/src/ring/tokens";
import { utf8Length } from "../../runtime/src/ring/utf8";
import { hashLabels, workMemory, WORK_START } from "../../runtime/src/ring/xxhash64";
import { medianMs, round } from "../support/benchTiming";
import { nodeNames, syntheticTargets } from "../support/syntheticTargets";

/**
 * Label objects as the lab receives them (parsed from JSON or a config: flat strings). Building them is not
 * timed; generating them with template literals would leave V8 cons strings that no real input has.
 */
function receivedTargets(count: number, seed: number): TargetLabels[] {
  return JSON.parse(JSON.stringify(syntheticTargets(count, seed))) as TargetLabels[];
}

/** ns per key for hashing `perCall` 40-byte keys per call into the hash module: one label, empty name. */
function hashOnlyNs(perCall: number, total: number): number {
  const valueBytes = 38; // "" 0xFF value 0xFF
  const lensPtr = WORK_START,
    namesPtr = lensPtr + 16 * perCall,
    dataPtr = namesPtr + 16;
  const scratchPtr = dataPtr + valueBytes * perCall + 64,
    outPtr = scratchPtr + 128;
  const mem = workMemory(outPtr + 8 * perCall);
  for (let i = 0; i < perCall; i++) {
    mem.u32.set([1, 0, 0, valueBytes], lensPtr / 4 + 4 * i);
    for (let b = 0; b < valueBytes; b++) mem.u8[dataPtr + i * valueBytes + b] = 0x41 + ((i + b) % 26);
  }
  const calls = Math.ceil(total / perCall);
  const ms = medianMs(3, () => {
    for (let c = 0; c < calls; c++) hashLabels(lensPtr, perCall, namesPtr, dataPtr, scratchPtr, outPtr);
  });
  return (ms * 1e6) / (calls * perCall);
}

function ownersOf(ring: HashRing, targets: readonly TargetLabels[]): string[] {
  const keys = new Uint32Array(2 * targets.length);
  targetKeysInto(targets, keys);
  return targets.map((_, i) => ring.ownerOf(keys[2 * i], keys[2 * i + 1])!);
}

async function main(): Promise<void> {
  // Ring build first, on a small heap: a rebuild does not depend on targets, and a million live label
  // objects would only add their garbage-collection cost to it.
  const names1000 = nodeNames(1000);
  const cache = new TokenCache();
  const rebuildMs = medianMs(11, () => HashRing.build(names1000, cache), 10); // tokens cached: every membership change
  const coldBuildMs = medianMs(5, () => HashRing.build(names1000, new TokenCache()), 3); // every token hashed too

  // Balance over 10 nodes, and movement when an 11th joins.
  const sample = receivedTargets(100_000, 7);
  const owners10 = ownersOf(HashRing.build(nodeNames(10)), sample);
  const counts = new Map<string, number>();
  for (const o of owners10) counts.set(o, (counts.get(o) ?? 0) + 1);
  const peakToMean = Math.max(...counts.values()) / (sample.length / 10);
  const owners11 = ownersOf(HashRing.build(nodeNames(11)), sample);
  const moved = owners11.filter((o, i) => o !== owners10[i]).length;

  // The raw hash of 40-byte keys already in memory: xxhash-wasm's h64Raw (a call and a BigInt per key)
  // against our module in the batched form the ring uses (why the hot path does not call xxhash-wasm).
  const wasm = await xxhash();
  const reps = 1_000_000;
  const key40 = new Uint8Array(40).map((_, i) => 0x41 + (i % 26));
  let wasmSink = 0n;
  const xxhashWasmNs =
    (medianMs(3, () => {
      for (let i = 0; i < reps; i++) wasmSink ^= wasm.h64Raw(key40);
    }) *
      1e6) /
    reps;
  const oursBatchedNs = hashOnlyNs(1024, reps);

  // Key computation from label objects + lookup: 1,000,000 targets × 16 nodes.
  const targets = receivedTargets(1_000_000, 42);
  const ring16 = HashRing.build(nodeNames(16));
  const keys = new Uint32Array(2 * targets.length);
  let sink = 0;
  const keyMs = medianMs(3, () => targetKeysInto(targets, keys));
  const lookupMs = medianMs(3, () => {
    for (let i = 0; i < targets.length; i++) sink += ring16.ownerOf(keys[2 * i], keys[2 * i + 1])!.length;
  });
  const nsPerTarget = ((keyMs + lookupMs) * 1e6) / targets.length;
  let keyBytes = 0;
  for (const t of targets.slice(0, 10_000)) {
    for (const [k, v] of Object.entries(t)) if (!k.startsWith("__meta_")) keyBytes += utf8Length(k) + utf8Length(v) + 2;
  }

  console.log(
    JSON.stringify({
      suite: "ring",
      nsPerTarget: round(nsPerTarget),
      nsPerTargetTarget: 200,
      keyNsPerTarget: round((keyMs * 1e6) / targets.length),
      lookupNsPerTarget: round((lookupMs * 1e6) / targets.length),
      targets: targets.length,
      nodes: 16,
      meanKeyBytes: round(keyBytes / 10_000),
      hash40BytesNs: { oursBatched: round(oursBatchedNs), xxhashWasmH64Raw: round(xxhashWasmNs) },
      rebuildMs: round(rebuildMs),
      rebuildMsTarget: 20,
      coldBuildMs: round(coldBuildMs),
      ringNodes: 1000,
      tokensPerNode: 512,
      peakToMean: round(peakToMean, 3),
      movedOnAdd: round(moved / sample.length, 4),
      movedOnAddIdeal: round(1 / 11, 4),
      _sink: (sink + Number(wasmSink & 1n)) % 2,
    }),
  );
}

void main();
