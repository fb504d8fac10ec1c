/** `npm run bench -- ring`: ring and key speed, balance and movement. Prints one JSON object. */
import xxhash from "xxhash-wasm";
import { HashRing } from "../../runtime/src/ring/hashRing";
import { targetKeyInto } from "../../runtime/src/ring/keys";
import { TokenCache } from "../../runtime/src/ring/tokens";
import { ByteBuffer } from "../../runtime/src/ring/utf8";
import { xxh64 } from "../../runtime/src/ring/xxhash64";
import { nodeNames, syntheticTargets } from "../support/syntheticTargets";

function timeMs(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function ownersOf(ring: HashRing, targets: ReturnType<typeof syntheticTargets>): string[] {
  const key = new Uint32Array(2);
  return targets.map((t) => {
    targetKeyInto(t, key);
    return ring.ownerOf(key[0], key[1])!;
  });
}

async function main(): Promise<void> {
  // 1. key + lookup per target: 1,000,000 targets × 16 nodes; label objects built outside the timed part.
  const targets = syntheticTargets(1_000_000, 42);
  const ring16 = HashRing.build(nodeNames(16));
  const key = new Uint32Array(2);
  let sink = 0;
  const pass = (): void => {
    for (let i = 0; i < targets.length; i++) {
      targetKeyInto(targets[i], key);
      sink += ring16.ownerOf(key[0], key[1])!.length;
    }
  };
  pass(); // warm-up: JIT
  const passes = [timeMs(pass), timeMs(pass), timeMs(pass)];
  const nsPerTarget = (median(passes) * 1e6) / targets.length;

  // 2. the raw hash on a 40-byte key: ours against xxhash-wasm's h64Raw (why the hot path is hand-written).
  const wasm = await xxhash();
  const buf = new ByteBuffer(64);
  buf.pushString("__address__\xff10.1.2.3:9100\xffjob\xffnode\xff12");
  const bytes40 = buf.bytes.slice(0, 40);
  const reps = 2_000_000;
  const oursMs = median([0, 1, 2].map(() => timeMs(() => { for (let i = 0; i < reps; i++) xxh64(bytes40, 40, key); })));
  let wasmSink = 0n;
  const wasmMs = median([0, 1, 2].map(() => timeMs(() => { for (let i = 0; i < reps; i++) wasmSink ^= wasm.h64Raw(bytes40); })));

  // 3. ring build for 1,000 nodes × 512 tokens: tokens cached by name (every rebuild after a membership
  //    change) and cold (every token hashed too).
  const names1000 = nodeNames(1000);
  const cache = new TokenCache();
  HashRing.build(names1000, cache);
  const rebuildMs = median([0, 1, 2, 3, 4].map(() => timeMs(() => HashRing.build(names1000, cache))));
  const coldBuildMs = median([0, 1, 2].map(() => timeMs(() => HashRing.build(names1000, new TokenCache()))));

  // 4. balance: 100,000 targets over 10 nodes.
  const sample = targets.slice(0, 100_000);
  const ring10 = HashRing.build(nodeNames(10));
  const owners10 = ownersOf(ring10, sample);
  const counts = new Map<string, number>();
  for (const o of owners10) counts.set(o, (counts.get(o) ?? 0) + 1);
  const peakToMean = Math.max(...counts.values()) / (sample.length / 10);

  // 5. movement when an 11th node joins 10.
  const owners11 = ownersOf(HashRing.build(nodeNames(11)), sample);
  const moved = owners11.filter((o, i) => o !== owners10[i]).length;

  console.log(JSON.stringify({
    suite: "ring",
    nsPerTarget: round(nsPerTarget),
    nsPerTargetTarget: 200,
    targets: targets.length,
    nodes: 16,
    hash40BytesNs: { ours: round((oursMs * 1e6) / reps), xxhashWasm: round((wasmMs * 1e6) / reps) },
    rebuildMs: round(rebuildMs),
    rebuildMsTarget: 20,
    coldBuildMs: round(coldBuildMs),
    ringNodes: 1000,
    tokensPerNode: 512,
    peakToMean: round(peakToMean, 3),
    movedOnAdd: round(moved / sample.length, 4),
    movedOnAddIdeal: round(1 / 11, 4),
    _sink: (sink + Number(wasmSink & 1n)) % 2,
  }));
}

function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

void main();
