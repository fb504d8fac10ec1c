import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import xxhash from "xxhash-wasm";
import { HashRing } from "../../runtime/src/ring/hashRing";
import {
  kubetailKeyInto,
  mysqlInstanceKeyString,
  operatorKey,
  operatorKeyString,
  podlogsKeyInto,
  podlogsKeyString,
  stringKey,
  targetKey,
  targetKeysInto,
} from "../../runtime/src/ring/keys";
import { goQuote } from "../../language-server/src/alloy/syntax/goQuote";
import { ringMemberNames } from "../../runtime/src/ring/membership";
import { computeNodeTokens, TOKENS_PER_NODE } from "../../runtime/src/ring/tokens";
import { decimalToHalves, halvesToDecimal } from "../../runtime/src/ring/u64";
import { compareGoStrings, utf8Bytes } from "../../runtime/src/ring/utf8";
import { xxh64 } from "../../runtime/src/ring/xxhash64";
import { seededRandom } from "../support/syntheticTargets";
import { loadRingVectors } from "../support/vectors";

const vectors = loadRingVectors();

describe("reference vectors from Alloy and ckit", () => {
  it("uses 512 tokens per node", () => {
    assert.equal(TOKENS_PER_NODE, vectors.tokensPerNode);
  });

  it("reproduces every string key", () => {
    for (const v of vectors.stringKeys) assert.equal(stringKey(v.input).toString(), v.key, JSON.stringify(v.input));
  });

  it("reproduces every node token", () => {
    let checked = 0;
    for (const v of vectors.nodeTokens) {
      const tokens = computeNodeTokens(v.node);
      for (const [t, expected] of Object.entries(v.tokens)) {
        assert.equal(halvesToDecimal(tokens[2 * +t], tokens[2 * +t + 1]), expected, `${v.node} token ${t}`);
        checked++;
      }
    }
    assert.ok(checked >= 40);
  });

  it("reproduces every target key", () => {
    for (const v of vectors.targetKeys) assert.equal(targetKey(v.labels).toString(), v.key, JSON.stringify(v.labels).slice(0, 80));
    assert.equal(vectors.targetKeys.length, 51);
  });

  it("reproduces every operator key string and key", () => {
    for (const v of vectors.operatorKeys) {
      assert.equal(operatorKeyString(v.labels), v.string);
      assert.equal(operatorKey(v.labels).toString(), v.key);
    }
  });

  it("reproduces every raw lookup (numOwners 1–3)", () => {
    for (const v of vectors.lookups) {
      const ring = HashRing.build(v.nodes);
      v.keys.forEach((key, i) => assert.deepEqual(ring.lookupKey(key, v.numOwners), v.owners[i], `${v.nodes} ${key}`));
    }
  });

  it("reproduces the owner of every target for clusters of 1–16 nodes and after a removal", () => {
    for (const v of vectors.ownership) {
      const ring = HashRing.build(v.nodes);
      const owners = v.targets.map((t) => ring.lookupKey(targetKey(t), 1)[0]);
      assert.deepEqual(owners, v.owners, v.name);
    }
  });
});

describe("xxHash64", () => {
  it("agrees with xxhash-wasm on every vector input and on every length 0–300", async () => {
    const wasm = await xxhash();
    const out = new Uint32Array(2);
    const inputs: Uint8Array[] = vectors.stringKeys.map((v) => utf8Bytes(v.input));
    for (const v of vectors.nodeTokens) inputs.push(utf8Bytes(v.node));
    const all = new Uint8Array(300).map((_, i) => (i * 131 + 7) & 0xff);
    for (let len = 0; len <= 300; len++) inputs.push(all.slice(0, len));
    for (const bytes of inputs) {
      xxh64(bytes, bytes.length, out);
      assert.equal(halvesToDecimal(out[0], out[1]), wasm.h64Raw(bytes).toString());
    }
  });

  it("agrees with xxhash-wasm's streaming digest for node tokens", async () => {
    const wasm = await xxhash();
    const name = "a-node-name-longer-than-one-stripe-0123456789";
    const state = wasm.create64();
    state.update(name);
    const tokens = computeNodeTokens(name);
    for (let t = 0; t < TOKENS_PER_NODE; t++) {
      state.update(Uint8Array.of(t & 0xff));
      assert.equal(halvesToDecimal(tokens[2 * t], tokens[2 * t + 1]), state.digest().toString(), `token ${t}`);
    }
  });
});

describe("the keys of Alloy's log components", () => {
  const pod = {
    __meta_kubernetes_namespace: "prod",
    __meta_kubernetes_pod_name: "api-0",
    __meta_kubernetes_pod_container_name: "api",
    __meta_kubernetes_pod_uid: "u-1",
    __meta_kubernetes_pod_node_name: "node-a",
    namespace: "prod",
    pod: "api-0",
    container: "api",
    job: "prod/api",
    instance: "10.0.0.7:8080",
  };
  const keyOf = (into: (labels: typeof pod, out: Uint32Array) => void, labels: typeof pod): string => {
    const out = new Uint32Array(2);
    into(labels, out);
    return halvesToDecimal(out[0], out[1]);
  };

  it("loki.source.kubernetes: the target-key hash over the kubetail clustering labels only (meta ones included)", async () => {
    // By hand: the eight kubetail labels present, names sorted in Go's byte order, each `name 0xFF value 0xFF`:
    // __meta_kubernetes_namespace, __meta_kubernetes_pod_container_name, __meta_kubernetes_pod_name,
    // __meta_kubernetes_pod_uid, container, job, namespace, pod (not the node name, not instance).
    const names = [
      "__meta_kubernetes_namespace",
      "__meta_kubernetes_pod_container_name",
      "__meta_kubernetes_pod_name",
      "__meta_kubernetes_pod_uid",
      "container",
      "job",
      "namespace",
      "pod",
    ] as const;
    const bytes = Buffer.concat(names.flatMap((n) => [Buffer.from(n), Buffer.of(0xff), Buffer.from(pod[n]), Buffer.of(0xff)]));
    assert.equal(keyOf(kubetailKeyInto, pod), (await xxhash()).h64Raw(bytes).toString());
    // A label outside the list changes nothing; one inside does.
    assert.equal(keyOf(kubetailKeyInto, { ...pod, instance: "10.0.0.8:8080" }), keyOf(kubetailKeyInto, pod));
    assert.notEqual(keyOf(kubetailKeyInto, { ...pod, pod: "api-1" }), keyOf(kubetailKeyInto, pod));
    // Without meta labels it is the target key of those labels.
    const plain = { namespace: "prod", pod: "api-0", container: "api", job: "prod/api" };
    assert.equal(keyOf(kubetailKeyInto, { ...plain, instance: "x" } as unknown as typeof pod), targetKey(plain).toString());
  });

  it("loki.source.podlogs: the string key of those labels' Prometheus string form", () => {
    // By hand: sorted, Go-quoted, `, `-joined, in braces.
    assert.equal(
      podlogsKeyString(pod),
      '{__meta_kubernetes_namespace="prod", __meta_kubernetes_pod_container_name="api", __meta_kubernetes_pod_name="api-0", __meta_kubernetes_pod_uid="u-1", container="api", job="prod/api", namespace="prod", pod="api-0"}',
    );
    assert.equal(keyOf(podlogsKeyInto, pod), stringKey(podlogsKeyString(pod)).toString());
  });
});

describe("HashRing", () => {
  it("returns no owners for n = 0 and refuses more owners than nodes", () => {
    const ring = HashRing.build(["a", "b"]);
    assert.deepEqual(ring.lookup(1, 2, 0), []);
    assert.throws(() => ring.lookup(1, 2, 3), /3 owners from a ring of 2/);
    assert.throws(() => ring.lookup(1, 2, -1), RangeError);
  });

  it("has no owner on an empty ring", () => {
    const ring = HashRing.build([]);
    assert.equal(ring.ownerOf(0, 0), undefined);
    assert.equal(ring.tokenCount, 0);
  });

  it("counts a duplicated node name once and does not depend on input order", () => {
    const a = HashRing.build(["x", "y", "z", "x"]);
    const b = HashRing.build(["z", "y", "x"]);
    assert.deepEqual(a.nodes, ["x", "y", "z"]);
    assert.equal(a.tokenCount, 3 * 512);
    for (let k = 0; k < 200; k++) assert.equal(a.ownerOf(k * 0x1234567, k * 0x89abcd), b.ownerOf(k * 0x1234567, k * 0x89abcd));
  });

  it("wraps keys past the last token to the first token's owner", () => {
    const ring = HashRing.build(["alloy-0", "alloy-1", "alloy-2"]);
    assert.deepEqual(ring.lookupKey("18446744073709551615", 1), ring.lookupKey("0", 1));
  });

  it("returns distinct owners", () => {
    const ring = HashRing.build(["a", "b", "c", "d"]);
    for (let k = 0; k < 100; k++) assert.equal(new Set(ring.lookup(k * 7919, k * 104729, 4)).size, 4);
  });
});

describe("ring membership", () => {
  const members = [
    { name: "v", state: "viewer" as const },
    { name: "p", state: "participant" as const },
    { name: "t", state: "terminating" as const },
  ];
  it("uses only participants for read-write lookups", () => assert.deepEqual(ringMemberNames(members, "readWrite"), ["p"]));
  it("adds terminating nodes for read lookups", () => assert.deepEqual(ringMemberNames(members, "read"), ["p", "t"]));
});

describe("Go semantics helpers", () => {
  it("orders strings byte-wise as Go does, also past the BMP", () => {
    assert.ok(compareGoStrings("a", "b") < 0);
    assert.ok(compareGoStrings("a", "a1") < 0);
    assert.equal(compareGoStrings("same", "same"), 0);
    // U+FF21 (3 UTF-8 bytes, EF…) sorts before U+1F600 (4 bytes, F0…), though its UTF-16 unit is larger.
    assert.ok(compareGoStrings("\uff21", "\u{1f600}") < 0);
    assert.ok(compareGoStrings("\u{1f600}", "\uff21") > 0);
  });

  it("quotes like strconv.Quote", () => {
    assert.equal(goQuote('a"b\\c\n\t'), '"a\\"b\\\\c\\n\\t"');
    assert.equal(goQuote("\x00\x07\x7f"), '"\\x00\\a\\x7f"');
    assert.equal(goQuote("café ☕"), '"café ☕"');
    assert.equal(goQuote("\u00a0\u00ad"), '"\\u00a0\\u00ad"');
    assert.equal(goQuote("\u{e0001}"), '"\\U000e0001"');
    assert.equal(goQuote("\ud800"), '"\ufffd"');
  });

  it("round-trips unsigned 64-bit decimals", () => {
    for (const s of ["0", "1", "4294967296", "18446744073709551615"]) {
      const [h, l] = decimalToHalves(s);
      assert.equal(halvesToDecimal(h, l), s);
    }
    assert.throws(() => decimalToHalves("18446744073709551616"), RangeError);
    assert.throws(() => decimalToHalves("-1"), RangeError);
  });
});

describe("batched target keys", () => {
  /** The key as the issue states it, built the plain way and hashed by xxhash-wasm. */
  function referenceKey(wasm: Awaited<ReturnType<typeof xxhash>>, labels: Record<string, string>): string {
    const names = Object.keys(labels)
      .filter((n) => !n.startsWith("__meta_"))
      .sort(compareGoStrings);
    const parts: number[] = [];
    for (const n of names) parts.push(...utf8Bytes(n), 0xff, ...utf8Bytes(labels[n]), 0xff);
    return wasm.h64Raw(Uint8Array.from(parts)).toString();
  }

  it("equal the plain computation across chunks, shapes, unicode, empty and long values", async () => {
    const wasm = await xxhash();
    const rand = seededRandom(3);
    const alphabet = ["a", "Z", "0", "_", ":", "é", "☕", "\u{1f600}", "\ud800", "\xff", " ", '"'];
    const text = (max: number): string => Array.from({ length: Math.floor(rand() * max) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join("");
    const shapes = [["__address__", "job"], ["job", "__address__", "__meta_kubernetes_pod_name", "namespace"], ["a1", "a", "b_", "b"], ["__meta_only"], []];
    const targets: Record<string, string>[] = [];
    for (let i = 0; i < 3000; i++) {
      // runs of one shape, as discovery produces them, with the odd change in between
      const names = shapes[Math.floor(i / 37) % shapes.length];
      const t: Record<string, string> = {};
      for (const n of names) t[n] = i % 97 === 0 ? text(3000) : i % 5 === 0 ? text(12) : `v${i}-${n}`;
      targets.push(t);
    }
    const keys = new Uint32Array(2 * targets.length);
    targetKeysInto(targets, keys);
    targets.forEach((t, i) => assert.equal(halvesToDecimal(keys[2 * i], keys[2 * i + 1]), referenceKey(wasm, t), `target ${i}`));
  });

  it("match the single-target form on the reference vectors, all in one batch", () => {
    const keys = new Uint32Array(2 * vectors.targetKeys.length);
    targetKeysInto(
      vectors.targetKeys.map((v) => v.labels),
      keys,
    );
    vectors.targetKeys.forEach((v, i) => assert.equal(halvesToDecimal(keys[2 * i], keys[2 * i + 1]), v.key));
  });
});

describe("the hash module", () => {
  it("is assembled from the committed xxhash64.wat", () => {
    const r = spawnSync(process.execPath, ["scripts/build-wasm.mjs", "--check"], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
  });
});

describe("database_observability.mysql's instance key (go-sql-driver's DSN, normalized)", () => {
  it("reads net(addr)/db with the driver's defaults", () => {
    // Worked by hand from ParseDSN's grammar [user[:pass]@][net[(addr)]]/dbname[?params] and normalize():
    // no net → tcp; tcp without addr → 127.0.0.1:3306; a tcp addr without port → :3306 (JoinHostPort).
    const cases: [string, string | undefined][] = [
      ["user:pw@tcp(db:3306)/orders?tls=true", "tcp(db:3306)/orders"],
      ["user@/orders", "tcp(127.0.0.1:3306)/orders"],
      ["/orders", "tcp(127.0.0.1:3306)/orders"],
      ["u@tcp(db)/x", "tcp(db:3306)/x"],
      ["u@tcp([::1]:3307)/x", "tcp([::1]:3307)/x"],
      ["u@unix(/var/run/mysqld.sock)/x", "unix(/var/run/mysqld.sock)/x"],
      ["u@unix/x", "unix(/tmp/mysql.sock)/x"],
      ["p@ss@tcp(db:1)/x", "tcp(db:1)/x"],
      ["u@pipe/x", undefined],
      ["no-slash", undefined],
    ];
    for (const [dsn, key] of cases) assert.equal(mysqlInstanceKeyString(dsn), key, dsn);
  });
});
