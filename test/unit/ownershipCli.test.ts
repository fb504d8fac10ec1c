import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { stringKey } from "../../runtime/src/ring/keys";
import { runCli } from "../support/cli";
import { loadRingVectors } from "../support/vectors";

const vectors = loadRingVectors();

function ownership(request: unknown): ReturnType<typeof runCli> {
  return runCli(["ownership", "-"], JSON.stringify(request));
}

describe("alloy-lab ownership", () => {
  it("answers with Alloy's owners and keys, in input order", () => {
    const v = vectors.ownership.find((o) => o.nodes.length === 5)!;
    const r = ownership({ nodes: v.nodes, targets: v.targets });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { targets: { key: string; owners: string[] }[] };
    assert.deepEqual(
      out.targets.map((t) => t.owners),
      v.owners.map((o) => [o]),
    );
    const keyed = vectors.targetKeys.slice(0, 10);
    const r2 = ownership({ nodes: ["a"], targets: keyed.map((k) => k.labels) });
    assert.deepEqual(
      JSON.parse(r2.stdout).targets.map((t: { key: string }) => t.key),
      keyed.map((k) => k.key),
    );
  });

  it("uses the operator key strategy and several owners when asked", () => {
    const ops = vectors.operatorKeys;
    const r = ownership({ nodes: ["a", "b", "c"], targets: ops.map((o) => o.labels), keyStrategy: "operator", numOwners: 2 });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { targets: { key: string; owners: string[] }[] };
    assert.deepEqual(
      out.targets.map((t) => t.key),
      ops.map((o) => o.key),
    );
    for (const t of out.targets) assert.equal(new Set(t.owners).size, 2);
  });

  it("uses the log components' keys: loki.source.kubernetes hashes only its pod labels", () => {
    const pod = { namespace: "prod", pod: "api-0", container: "api", job: "prod/api" };
    const keys = (keyStrategy: string, targets: object[]) =>
      (JSON.parse(ownership({ nodes: ["a", "b"], targets, keyStrategy }).stdout) as { targets: { key: string }[] }).targets.map((t) => t.key);
    // An extra label moves the prometheus.scrape key, not the loki.source.kubernetes one.
    const [kube, kubeWithInstance] = keys("kubetail", [pod, { ...pod, instance: "10.0.0.7:8080" }]);
    assert.equal(kube, kubeWithInstance);
    const [labels, labelsWithInstance] = keys("labels", [pod, { ...pod, instance: "10.0.0.7:8080" }]);
    assert.notEqual(labels, labelsWithInstance);
    assert.equal(kube, labels, "over non-meta pod labels alone, the same hash as the target key");
    assert.equal(keys("podlogs", [pod])[0], stringKey('{container="api", job="prod/api", namespace="prod", pod="api-0"}').toString());
  });

  it("uses the string keys: a namespace, a MySQL data source as go-sql-driver reads it, a leader's component id", () => {
    const keys = (keyStrategy: string, targets: object[]) => {
      const r = ownership({ nodes: ["a", "b"], targets, keyStrategy });
      assert.equal(r.status, 0, r.stderr);
      return (JSON.parse(r.stdout) as { targets: { key: string }[] }).targets.map((t) => t.key);
    };
    // loki.source.kubernetes_events: the namespace; "" (every namespace) is one key, so one node watches all.
    assert.deepEqual(keys("namespace", [{ namespace: "kube-system" }, { namespace: "" }]), [stringKey("kube-system").toString(), stringKey("").toString()]);
    // database_observability.mysql: net(addr)/db, with go-sql-driver's defaults filled in.
    assert.deepEqual(keys("mysql", [{ dsn: "user:pw@tcp(db.example:3306)/orders?tls=true" }, { dsn: "user@/orders" }, { dsn: "u:p@tcp(db.example)/orders" }]), [
      stringKey("tcp(db.example:3306)/orders").toString(),
      stringKey("tcp(127.0.0.1:3306)/orders").toString(),
      stringKey("tcp(db.example:3306)/orders").toString(),
    ]);
    // mimir.rules.kubernetes: one leader per component id.
    assert.deepEqual(keys("leader", [{ id: "mimir.rules.kubernetes.default" }]), [stringKey("mimir.rules.kubernetes.default").toString()]);
    const bad = ownership({ nodes: ["a"], targets: [{ dsn: "no-slash" }], keyStrategy: "mysql" });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /keyStrategy "mysql": "no-slash" is not a dsn Alloy accepts/);
  });

  it("keeps duplicate targets (no dedup in this contract)", () => {
    const t = { __address__: "x:1" };
    const out = JSON.parse(ownership({ nodes: ["a", "b"], targets: [t, t] }).stdout);
    assert.equal(out.targets.length, 2);
  });

  it("reads a file argument", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "alloy-lab-")), "req.json");
    fs.writeFileSync(file, JSON.stringify({ nodes: ["a"], targets: [{ __address__: "x:1" }] }));
    const r = runCli(["ownership", file]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).targets[0].owners, ["a"]);
    fs.rmSync(path.dirname(file), { recursive: true });
  });

  const bad: [string, string, RegExp][] = [
    ["not JSON", "{nodes:", /not valid JSON/],
    ["not an object", "[1]", /must be a JSON object/],
    ["missing nodes", JSON.stringify({ targets: [] }), /missing field "nodes"/],
    ["missing targets", JSON.stringify({ nodes: ["a"] }), /missing field "targets"/],
    ["non-string label", JSON.stringify({ nodes: ["a"], targets: [{ a: 1 }] }), /targets\[0\]\.a must be a string/],
    ["duplicate node", JSON.stringify({ nodes: ["a", "a"], targets: [] }), /duplicate node name "a"/],
    ["numOwners > nodes", JSON.stringify({ nodes: ["a"], targets: [], numOwners: 2 }), /"numOwners" is 2 but there is 1 node/],
    ["bad numOwners", JSON.stringify({ nodes: ["a"], targets: [], numOwners: 1.5 }), /whole number/],
    [
      "bad strategy",
      JSON.stringify({ nodes: ["a"], targets: [], keyStrategy: "x" }),
      /must be one of "labels", "operator", "kubetail", "podlogs", "namespace", "mysql", "leader", got "x"/,
    ],
    ["unknown field", JSON.stringify({ nodes: ["a"], targets: [], numowners: 1 }), /unknown field "numowners"/],
  ];
  for (const [name, input, message] of bad) {
    it(`rejects ${name} with one line on stderr and exit 2`, () => {
      const r = runCli(["ownership", "-"], input);
      assert.equal(r.status, 2);
      assert.equal(r.stdout, "");
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split("\n").length, 1);
    });
  }

  it("names a missing file", () => {
    const r = runCli(["ownership", "/nonexistent/req.json"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cannot read \/nonexistent\/req.json/);
  });

  it("has --help, and the CLI lists its commands", () => {
    assert.match(runCli(["ownership", "--help"]).stdout, /Usage: alloy-lab ownership/);
    const top = runCli(["--help"]);
    assert.equal(top.status, 0);
    assert.match(top.stdout, /ownership/);
    const unknown = runCli(["nope"]);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown command "nope"/);
  });
});
