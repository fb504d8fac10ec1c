/**
 * The keys Alloy shards on, as pure functions. Facts from grafana/alloy:
 * - target key (`discovery.Target.NonMetaLabelsHash`, used by prometheus.scrape, pyroscope.scrape and every
 *   discovery-target shard): xxHash64 over `name 0xFF value 0xFF` for each non-`__meta_` label, names sorted;
 * - operator key (prometheus.operator.*): xxHash64 of `{name="value", …}` with Go `%q` quoting, entries sorted;
 * - string key (loki.source.kubernetes_events namespaces, ids): xxHash64 of the UTF-8 bytes.
 */
import { ByteBuffer, compareGoStrings } from "./utf8";
import { xxh64, type U64Halves } from "./xxhash64";
import { halvesToBigInt } from "./u64";
import { goQuote } from "./goQuote";

/** A target's label set, as discovery components hand it on. */
export type TargetLabels = Readonly<Record<string, string>>;

export const META_LABEL_PREFIX = "__meta_";

const scratch = new ByteBuffer(512);
const names: string[] = [];
const halves = new Uint32Array(2);

function isMeta(name: string): boolean {
  // startsWith, unrolled on the first byte: most names are not meta and fail at once.
  return name.charCodeAt(0) === 0x5f && name.startsWith(META_LABEL_PREFIX);
}

/** Collects the non-meta label names of `labels` into the shared `names` array, in Go byte order. */
function sortedNonMetaNames(labels: TargetLabels): void {
  names.length = 0;
  for (const name in labels) {
    if (isMeta(name)) continue;
    // insertion sort: label sets are small and usually arrive sorted already
    let i = names.length;
    while (i > 0 && compareGoStrings(names[i - 1], name) > 0) {
      names[i] = names[i - 1];
      i--;
    }
    names[i] = name;
  }
}

/** Writes the target key of `labels` into out as [high, low]. Allocation-free: the ring's hot path. */
export function targetKeyInto(labels: TargetLabels, out: U64Halves): void {
  sortedNonMetaNames(labels);
  scratch.length = 0;
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    scratch.pushString(name);
    scratch.pushByte(0xff);
    scratch.pushString(labels[name]);
    scratch.pushByte(0xff);
  }
  xxh64(scratch.bytes, scratch.length, out);
}

export function targetKey(labels: TargetLabels): bigint {
  targetKeyInto(labels, halves);
  return halvesToBigInt(halves[0], halves[1]);
}

/** The string prometheus.operator components hash: `{a="1", b="2"}` over non-meta labels. */
export function operatorKeyString(labels: TargetLabels): string {
  const entries: string[] = [];
  for (const name in labels) {
    if (!isMeta(name)) entries.push(`${name}=${goQuote(labels[name])}`);
  }
  entries.sort(compareGoStrings);
  return `{${entries.join(", ")}}`;
}

export function stringKeyInto(s: string, out: U64Halves): void {
  scratch.length = 0;
  scratch.pushString(s);
  xxh64(scratch.bytes, scratch.length, out);
}

export function stringKey(s: string): bigint {
  stringKeyInto(s, halves);
  return halvesToBigInt(halves[0], halves[1]);
}

export function operatorKeyInto(labels: TargetLabels, out: U64Halves): void {
  stringKeyInto(operatorKeyString(labels), out);
}

export function operatorKey(labels: TargetLabels): bigint {
  return stringKey(operatorKeyString(labels));
}
