/**
 * The keys Alloy shards on, as pure functions. Facts from grafana/alloy:
 * - target key (`discovery.Target.NonMetaLabelsHash`, used by prometheus.scrape, pyroscope.scrape and every
 *   discovery-target shard): xxHash64 over `name 0xFF value 0xFF` for each non-`__meta_` label, names sorted;
 * - operator key (prometheus.operator.*): xxHash64 of `{name="value", …}` with Go `%q` quoting, entries sorted;
 * - kubetail key (loki.source.kubernetes: `Target.SpecificLabelsHash(kubetail.ClusteringLabels)`): the target key's
 *   hashing over just those labels (meta labels among them included);
 * - podlogs key (loki.source.podlogs): the string key of those labels' Prometheus string form, `{a="1", b="2"}`;
 * - string key (loki.source.kubernetes_events namespaces, ids): xxHash64 of the UTF-8 bytes.
 */
import { compareGoStrings, utf8Bytes, utf8Length } from "./utf8";
import { hashLabels, workMemory, WORK_START, xxh64, type U64Halves } from "./xxhash64";
import { halvesToBigInt } from "./u64";
import { goQuote, KUBETAIL_CLUSTERING_LABELS } from "../../../language-server/src/alloy";

/** A target's label set, as discovery components hand it on. */
export type TargetLabels = Readonly<Record<string, string>>;

export const META_LABEL_PREFIX = "__meta_";

function isMeta(name: string): boolean {
  return name.startsWith(META_LABEL_PREFIX);
}

/**
 * The label names of a target, as discovery hands them on: targets of one discovery share their names in the
 * same order, so the meta filter, the sort and the names' bytes are worked out once per shape, not per target.
 */
interface LabelShape {
  /** Every label name, in the object's order (to recognise the shape). */
  names: string[];
  /** Indices into `names` of the hashed (non-meta) labels, in Go byte order of their names. */
  order: number[];
  /** UTF-8 of the hashed names in that order, back to back, and where each starts and how long it is. */
  nameBytes: Uint8Array;
  nameOffsets: number[];
  nameLengths: number[];
}

function labelShape(names: string[]): LabelShape {
  const order = names.map((_, i) => i).filter((i) => !isMeta(names[i]));
  order.sort((x, y) => compareGoStrings(names[x], names[y]));
  const encoded = order.map((i) => utf8Bytes(names[i]));
  const nameBytes = new Uint8Array(encoded.reduce((n, e) => n + e.length, 0));
  const nameOffsets: number[] = [];
  let at = 0;
  for (const e of encoded) {
    nameBytes.set(e, at);
    nameOffsets.push(at);
    at += e.length;
  }
  return { names, order, nameBytes, nameOffsets, nameLengths: encoded.map((e) => e.length) };
}

// Reused between calls so that hashing a batch allocates almost nothing; arrays keep their length (setting it
// to 0 frees their storage).
const labelNames: string[] = [];
const labelValues: string[] = [];
let shape: LabelShape = labelShape([]);
let lens = new Int32Array(8192);
let lensLength = 0;
const chunkShapes: LabelShape[] = [];
const encoder = new TextEncoder();

/** Reads a target's labels into labelValues (object order) and makes `shape` its shape. */
function readLabels(labels: TargetLabels): void {
  let n = 0,
    same = true;
  const known = shape.names;
  for (const name in labels) {
    if (same && known[n] !== name) same = false;
    labelNames[n] = name;
    labelValues[n++] = labels[name];
  }
  if (!same || n !== known.length) shape = labelShape(labelNames.slice(0, n));
}

/** Makes room for `n` more lengths (grown in place, so the hot loop writes without checks). */
function reserveLengths(n: number): void {
  if (lensLength + n <= lens.length) return;
  const grown = new Int32Array(Math.max(lens.length * 2, lensLength + n));
  grown.set(lens.subarray(0, lensLength));
  lens = grown;
}

const align8 = (n: number): number => (n + 7) & ~7;

/** Targets per call into the hash module: 256 measured best of 64–4,096 (npm run bench -- ring). */
const CHUNK = 256;

/**
 * Writes the target key of targets[i] to out[2i] (high) and out[2i+1] (low). The hot path of ownership: per
 * chunk of targets, one text encoding of all label values and one call into the hash module.
 */
export function targetKeysInto(targets: readonly TargetLabels[], out: U64Halves): void {
  for (let start = 0; start < targets.length; start += CHUNK) {
    hashChunk(targets, start, Math.min(targets.length, start + CHUNK), out);
  }
}

function hashChunk(targets: readonly TargetLabels[], start: number, end: number, out: U64Halves): void {
  lensLength = 0;
  chunkShapes.length = 0;
  let chunkShape: LabelShape | undefined,
    shapeBase = 0,
    namesSize = 0;
  // All values as one string: `+` only links them, and encodeInto copies them out in one go — on V8 far
  // cheaper than encoding each value (or Array.join).
  let text = "";
  for (let i = start; i < end; i++) {
    readLabels(targets[i]);
    if (shape !== chunkShape) {
      chunkShape = shape;
      chunkShapes.push(shape);
      shapeBase = namesSize;
      namesSize += shape.nameBytes.length;
    }
    const { order, nameOffsets, nameLengths } = shape;
    reserveLengths(1 + 3 * order.length);
    const l = lens;
    let at = lensLength;
    l[at++] = order.length;
    for (let j = 0; j < order.length; j++) {
      const value = labelValues[order[j]];
      text += value;
      l[at++] = shapeBase + nameOffsets[j];
      l[at++] = nameLengths[j];
      l[at++] = value.length;
    }
    lensLength = at;
  }
  const namesPtr = align8(WORK_START + 4 * lensLength);
  const dataPtr = align8(namesPtr + namesSize + 8);
  const dataCap = 3 * text.length;
  const scratchPtr = align8(dataPtr + dataCap + 8);
  const outPtr = align8(scratchPtr + namesSize + dataCap + lensLength + 8);
  const mem = workMemory(outPtr + 8 * (end - start));
  for (let s = 0, at = namesPtr; s < chunkShapes.length; at += chunkShapes[s++].nameBytes.length) {
    mem.u8.set(chunkShapes[s].nameBytes, at);
  }
  const { written } = encoder.encodeInto(text, mem.u8.subarray(dataPtr, dataPtr + dataCap));
  // Value lengths so far count UTF-16 units; they are byte lengths only when the text is all ASCII.
  if (written !== text.length) valueLengthsInBytes(targets, start, end);
  mem.u32.set(lens.subarray(0, lensLength), WORK_START / 4);
  hashLabels(WORK_START, end - start, namesPtr, dataPtr, scratchPtr, outPtr);
  for (let i = start, r = outPtr / 4; i < end; i++, r += 2) {
    out[2 * i] = mem.u32[r + 1];
    out[2 * i + 1] = mem.u32[r];
  }
}

/** Rewrites the value lengths of targets[start, end) as UTF-8 byte lengths (the non-ASCII slow path). */
function valueLengthsInBytes(targets: readonly TargetLabels[], start: number, end: number): void {
  for (let i = start, at = 0; i < end; i++) {
    readLabels(targets[i]);
    const count = lens[at++];
    for (let j = 0; j < count; j++, at += 3) lens[at + 2] = utf8Length(labelValues[shape.order[j]]);
  }
}

const one: TargetLabels[] = [];
const halves = new Uint32Array(2);

export function targetKeyInto(labels: TargetLabels, out: U64Halves): void {
  one[0] = labels;
  targetKeysInto(one, out);
}

export function targetKey(labels: TargetLabels): bigint {
  targetKeyInto(labels, halves);
  return halvesToBigInt(halves[0], halves[1]);
}

/** Prometheus' string form of the labels `pick` keeps: `{a="1", b="2"}`, names sorted, values Go-quoted. */
function labelsString(labels: TargetLabels, pick: (name: string) => boolean): string {
  const entries: string[] = [];
  for (const name in labels) {
    if (pick(name)) entries.push(`${name}=${goQuote(labels[name])}`);
  }
  entries.sort(compareGoStrings);
  return `{${entries.join(", ")}}`;
}

/** The string prometheus.operator components hash: `{a="1", b="2"}` over non-meta labels. */
export function operatorKeyString(labels: TargetLabels): string {
  return labelsString(labels, (name) => !isMeta(name));
}

/** The string loki.source.podlogs hashes: the kubetail clustering labels in Prometheus' string form. */
export function podlogsKeyString(labels: TargetLabels): string {
  return labelsString(labels, (name) => KUBETAIL_CLUSTERING_LABELS.has(name));
}

export function podlogsKeyInto(labels: TargetLabels, out: U64Halves): void {
  stringKeyInto(podlogsKeyString(labels), out);
}

/** loki.source.kubernetes' key: `name 0xFF value 0xFF` over the kubetail clustering labels present, names sorted. */
export function kubetailKeyInto(labels: TargetLabels, out: U64Halves): void {
  const names = Object.keys(labels)
    .filter((n) => KUBETAIL_CLUSTERING_LABELS.has(n))
    .sort(compareGoStrings);
  const parts: Uint8Array[] = [];
  for (const n of names) parts.push(utf8Bytes(n), SEPARATOR, utf8Bytes(labels[n]), SEPARATOR);
  const bytes = new Uint8Array(parts.reduce((len, p) => len + p.length, 0));
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  xxh64(bytes, bytes.length, out);
}

const SEPARATOR = Uint8Array.of(0xff);

export function stringKeyInto(s: string, out: U64Halves): void {
  const bytes = utf8Bytes(s);
  xxh64(bytes, bytes.length, out);
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

/** mysql's default port, which go-sql-driver adds to a TCP address without one. */
const MYSQL_PORT = "3306";

/**
 * The string database_observability.mysql hashes for a data source: `net(addr)/dbname`, from the DSN as
 * go-sql-driver's ParseDSN reads and normalizes it (`[user[:pass]@][net[(addr)]]/dbname[?params]`; net
 * defaults to tcp, a tcp address to 127.0.0.1:3306 and to port 3306). Undefined for a DSN it refuses.
 */
export function mysqlInstanceKeyString(dsn: string): string | undefined {
  const slash = dsn.lastIndexOf("/");
  if (slash < 0) return undefined; // "invalid DSN: missing the slash separating the database name"
  const dbName = dsn.slice(slash + 1).split("?")[0];
  const beforeDb = dsn.slice(0, slash);
  const at = beforeDb.lastIndexOf("@");
  const location = at < 0 ? beforeDb : beforeDb.slice(at + 1);
  const m = /^([^(]*)(?:\((.*)\))?$/.exec(location);
  if (m === null) return undefined;
  const net = m[1] === "" ? "tcp" : m[1];
  let addr = m[2] ?? "";
  if (addr === "") {
    if (net === "tcp") addr = `127.0.0.1:${MYSQL_PORT}`;
    else if (net === "unix") addr = "/tmp/mysql.sock";
    else return undefined; // "default addr for network … unknown"
  } else if (net === "tcp" && !hasPort(addr)) {
    // Go's net.JoinHostPort: a host with a colon in it is bracketed.
    addr = addr.includes(":") ? `[${addr}]:${MYSQL_PORT}` : `${addr}:${MYSQL_PORT}`;
  }
  return `${net}(${addr})/${dbName}`;
}

/** Whether Go's net.SplitHostPort takes `addr` (`host:port`, `[v6]:port`; the port may be any text). */
function hasPort(addr: string): boolean {
  if (addr.startsWith("[")) return /^\[[^\]]*\]:/.test(addr);
  const colon = addr.lastIndexOf(":");
  return colon >= 0 && !addr.slice(0, colon).includes(":");
}
