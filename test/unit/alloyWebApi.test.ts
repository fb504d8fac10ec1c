import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { alloyBaseUrl } from "../../runtime/src/alloyApi/alloyApiClient";
import type { MemberRecord } from "../../runtime/src/membership/gossipFrames";
import { peersJson, type NodeView } from "../../runtime/src/node/nodeHttpApi";
import { scrapeTargetStatus } from "../../runtime/src/node/scrapeStatus";
import {
  AlloyApiError,
  decodeComponentList,
  decodePeers,
  decodeClusteredComponent,
  decodeScrapeDebugInfo,
  encodeComponentDetail,
  encodeComponentList,
} from "../../runtime/src/alloyApi/alloyWebApi";

// A component detail shaped as Alloy's /api/v0/web/components/ID answers for a clustered prometheus.scrape.
const ALLOY_DETAIL = {
  moduleID: "",
  localID: "prometheus.scrape.pods",
  name: "prometheus.scrape",
  label: "pods",
  health: { state: "healthy", message: "started component", updatedTime: "2026-11-30T10:00:00Z" },
  referencesTo: ["discovery.relabel.pods", "prometheus.remote_write.default"],
  referencedBy: [],
  dataFlowEdgesTo: [],
  liveDebuggingEnabled: false,
  arguments: [
    {
      type: "attr",
      name: "targets",
      value: {
        type: "array",
        value: [
          {
            type: "object",
            value: [
              { key: "__address__", value: { type: "string", value: "10.0.0.1:9100" } },
              { key: "job", value: { type: "string", value: "node" } },
            ],
          },
          { type: "object", value: [{ key: "__address__", value: { type: "string", value: "10.0.0.2:9100" } }] },
        ],
      },
    },
    { type: "attr", name: "forward_to", value: { type: "array", value: [{ type: "capsule", value: 'capsule("storage.Appendable")' }] } },
    { type: "attr", name: "scrape_interval", value: { type: "string", value: "1m0s" } },
    { type: "block", name: "clustering", body: [{ type: "attr", name: "enabled", value: { type: "bool", value: true } }] },
  ],
};

describe("Alloy's HTTP API shapes", () => {
  it("reads a clustered scrape component's targets from Alloy's JSON encoding of its arguments", () => {
    assert.deepEqual(decodeClusteredComponent(ALLOY_DETAIL), {
      id: "prometheus.scrape.pods",
      clustered: true,
      targets: [{ __address__: "10.0.0.1:9100", job: "node" }, { __address__: "10.0.0.2:9100" }],
      scrapeInterval: "1m0s",
    });
    // No clustering block: not a component that shards targets.
    assert.equal(decodeClusteredComponent({ ...ALLOY_DETAIL, arguments: ALLOY_DETAIL.arguments.slice(0, 3) }), undefined);
  });

  it("reads kubernetes_events' namespaces (none listed = all) and mimir.rules.kubernetes' leader key; mysql's DSNs are secrets", () => {
    const events = { id: "loki.source.kubernetes_events.e", clustered: true, targets: [{ namespace: "a" }, { namespace: "b" }] };
    const all = { id: "loki.source.kubernetes_events.all", clustered: false, targets: [{ namespace: "" }] };
    for (const c of [events, all]) assert.deepEqual(decodeClusteredComponent(JSON.parse(encodeComponentDetail(c, "t"))), c);
    assert.equal(JSON.parse(encodeComponentDetail(all, "t")).arguments.length, 1, "no namespaces attribute: its zero value");
    const rules = { id: "mimir.rules.kubernetes.r", clustered: true, targets: [{ id: "mimir.rules.kubernetes.r" }] };
    assert.deepEqual(decodeClusteredComponent(JSON.parse(encodeComponentDetail(rules, "t"))), rules);
    const mysql = JSON.parse(encodeComponentDetail({ id: "database_observability.mysql.db", clustered: true, targets: [{ dsn: "tcp(h:3306)/" }] }, "t"));
    assert.deepEqual(mysql.arguments[0], { type: "attr", name: "data_source_name", value: { type: "capsule", value: "(secret)" } });
    assert.equal(decodeClusteredComponent(mysql), undefined);
  });

  it("what a lab node serves reads back the same", () => {
    const c = { id: "prometheus.scrape.lab", clustered: false, targets: [{ __address__: "127.0.0.1:1", pod: "a" }], scrapeInterval: "5s" };
    assert.deepEqual(decodeClusteredComponent(JSON.parse(encodeComponentDetail(c, "t"))), c);
    assert.deepEqual(
      decodeComponentList(JSON.parse(encodeComponentList([c], "t"))).map((x) => [x.name, x.label, x.localID]),
      [["prometheus.scrape", "lab", "prometheus.scrape.lab"]],
    );
  });

  it("serves a scrape component's detail as Alloy does: type, original, exports, and its targets as debug info", () => {
    const c = { id: "prometheus.scrape.pods", clustered: true, targets: [{ __address__: "10.0.0.1:9100", pod: "a" }] };
    const status = scrapeTargetStatus(c.id, c.targets[0], {
      at: Date.UTC(2026, 11, 2, 10, 0, 0, 250),
      ok: false,
      durationMs: 12.5,
      error: "connection refused",
    });
    const detail = JSON.parse(encodeComponentDetail(c, "t", [status])) as Record<string, unknown>;
    assert.deepEqual([detail.type, detail.original, detail.exports], ["block", "", []]);
    assert.deepEqual(decodeScrapeDebugInfo(detail), [
      {
        job: "prometheus.scrape.pods",
        url: "http://10.0.0.1:9100/metrics",
        health: "down",
        labels: { pod: "a", job: "prometheus.scrape.pods", instance: "10.0.0.1:9100" },
        lastError: "connection refused",
        lastScrape: "2026-12-02T10:00:00.250Z",
        lastScrapeDuration: "12.5ms",
      },
    ]);
    // Never scraped yet: Go's zero time and no duration, as Alloy's encoder leaves out optional zero values.
    const fresh = scrapeTargetStatus(c.id, { __address__: "h:1", job: "own" }, undefined);
    assert.deepEqual([fresh.health, fresh.lastScrape, fresh.lastScrapeDuration, fresh.labels.job], ["unknown", "0001-01-01T00:00:00Z", undefined, "own"]);
    assert.equal(decodeScrapeDebugInfo(ALLOY_DETAIL), undefined, "an answer without debug info");
  });

  it("lists as peers what ckit's sharder holds: live participants and terminating nodes, sorted, no viewers", () => {
    const member = (name: string, status: MemberRecord["status"], state: MemberRecord["state"]): MemberRecord => ({
      name,
      addr: `127.0.0.1:${name.length}`,
      incarnation: 0,
      status,
      state,
      stateLamport: 1,
    });
    const members = [
      member("d", "alive", "participant"),
      member("a", "suspect", "terminating"),
      member("c", "alive", "viewer"),
      member("b", "dead", "participant"),
      member("e", "alive", "participant"),
    ];
    const view = { name: "e", members: () => members } as unknown as NodeView; // peersJson reads only these two
    assert.deepEqual(
      decodePeers(JSON.parse(peersJson(view))).map((p) => [p.name, p.state, p.isSelf]),
      [
        ["a", "terminating", false],
        ["d", "participant", false],
        ["e", "participant", true],
      ],
    );
  });

  it("answers anything off-shape with an AlloyApiError, never a crash", () => {
    for (const bad of [null, 1, "x", {}, { peers: [] }]) assert.throws(() => decodePeers(bad), AlloyApiError);
    assert.throws(() => decodePeers([{ name: 1 }]), /peer 0 has no name or address/);
    assert.deepEqual(decodePeers([{ name: "a", addr: "h:1", state: "weird" }]), [{ name: "a", addr: "h:1", isSelf: false, state: "viewer" }]);
    assert.throws(() => decodeComponentList({}), AlloyApiError);
    for (const bad of [null, [], { localID: "x" }, { localID: "x", arguments: [1, null, { type: "block", name: "clustering", body: "no" }] }]) {
      assert.equal(decodeClusteredComponent(bad), undefined);
    }
    // Garbage inside the target list is skipped, not thrown.
    const garbled = {
      ...ALLOY_DETAIL,
      arguments: [
        { type: "attr", name: "targets", value: { type: "array", value: [1, { type: "object", value: [null, { key: "a", value: 3 }] }] } },
        ALLOY_DETAIL.arguments[3],
      ],
    };
    assert.deepEqual(decodeClusteredComponent(garbled)?.targets, [{}]);
  });

  it("takes what users paste as the address of an Alloy: host:port, a UI page, an API path, a path prefix", () => {
    assert.equal(alloyBaseUrl("127.0.0.1:12345").href, "http://127.0.0.1:12345/");
    assert.equal(alloyBaseUrl(" http://alloy.local:12345/clustering ").href, "http://alloy.local:12345/");
    assert.equal(alloyBaseUrl("https://h/alloy/api/v0/web/peers").href, "https://h/alloy");
    assert.equal(alloyBaseUrl("http://h:1/alloy/component/prometheus.scrape.x").href, "http://h:1/alloy");
    assert.throws(() => alloyBaseUrl("ftp://h"), /only http and https/);
    assert.throws(() => alloyBaseUrl("http://"), /not a URL/);
  });
});
