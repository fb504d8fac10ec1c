import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { componentsFromConfig, componentsFromSource, LabConfigError } from "../../runtime/src/lab/labComponents";
import { ScrapeMonitor } from "../../runtime/src/lab/scrapeMonitor";
import { FIXTURES_DIR } from "../support/alloySamples";

describe("lab components from an Alloy config", () => {
  it("simulates the targets of components that find them in custom resources, each sharded by its own key", () => {
    const text = ["prometheus.operator.podmonitors", "prometheus.operator.servicemonitors", "loki.source.podlogs"]
      .map((name) => `${name} "k8s" {\n  forward_to = []\n  clustering {\n    enabled = true\n  }\n}\n`)
      .join("\n");
    const components = componentsFromSource(text, "a.alloy", { default: 12 });
    assert.deepEqual(
      components.map((c) => [c.id, c.clustered, c.targetSource, c.targets.length, c.keyStrategy]),
      [
        ["prometheus.operator.podmonitors.k8s", true, "simulated", 12, "operator"],
        ["prometheus.operator.servicemonitors.k8s", true, "simulated", 12, "operator"],
        ["loki.source.podlogs.k8s", true, "simulated", 12, "podlogs"],
      ],
    );
  });

  it("reads string-key components: a DSN it cannot know gets a stand-in, one go-sql-driver refuses is an error", () => {
    const text = (dsn: string): string => `database_observability.mysql "db" {\n  data_source_name = ${dsn}\n  forward_to = []\n}\n`;
    const [known] = componentsFromSource(text('"root@unix(/run/mysqld.sock)/app?tls=true"'), "a.alloy", { default: 0 });
    assert.deepEqual(
      [known.targets, known.targetSource, known.clustered, known.keyStrategy],
      [[{ dsn: "unix(/run/mysqld.sock)/app" }], "static", false, "mysql"],
    );
    const [secret] = componentsFromSource(text("remote.kubernetes.secret.db.data.dsn"), "a.alloy", { default: 0 });
    assert.deepEqual([secret.targets, secret.targetSource], [[{ dsn: "tcp(db:3306)/" }], "stand-in"]);
    assert.throws(
      () => componentsFromSource(text('"no slash here"'), "a.alloy", { default: 0 }),
      (err: unknown) =>
        err instanceof LabConfigError && err.message === "a.alloy: database_observability.mysql.db: data_source_name is not a DSN go-sql-driver accepts",
    );
  });

  it("finds each prometheus.scrape with its clustering, interval and targets", () => {
    const components = componentsFromConfig(path.join(FIXTURES_DIR, "cluster.alloy"), { default: 7, byLabel: { static: 99 } });
    assert.deepEqual(
      components.map((c) => [c.id, c.clustered, c.scrapeIntervalMs, c.targetSource, c.targets.length]),
      [
        ["prometheus.scrape.pods", true, 30_000, "simulated", 7],
        ["prometheus.scrape.static", true, 5000, "static", 2],
      ],
    );
    assert.deepEqual(components[1].targets[0], { __address__: "10.0.0.1:9100", job: "node" });
  });

  it("takes every target for a component without clustering, and refuses a broken config", () => {
    const [c] = componentsFromSource('prometheus.scrape "x" {\n\ttargets = [{"__address__" = "a:1"}]\n\tforward_to = []\n}\n', "x.alloy", { default: 3 });
    assert.equal(c.clustered, false);
    assert.equal(c.scrapeIntervalMs, 5000, "the lab's default interval");
    assert.equal(
      componentsFromSource('prometheus.scrape "x" {\n\tforward_to = []\n}\n', "x.alloy", { default: 3 }, 15_000)[0].scrapeIntervalMs,
      15_000,
      "the --lab.scrape-interval default",
    );
    assert.equal(
      componentsFromSource('prometheus.scrape "x" {\n\tscrape_interval = "2s"\n}\n', "x.alloy", { default: 3 }, 15_000)[0].scrapeIntervalMs,
      2000,
      "the config wins",
    );
    assert.throws(() => componentsFromSource("prometheus.scrape {", "bad.alloy", { default: 3 }), LabConfigError);
    assert.throws(() => componentsFromSource('prometheus.scrape "x" {\n\tscrape_interval = "soon"\n}\n', "bad.alloy", { default: 3 }), /scrape_interval/);
  });
});

describe("lab components: each with the key it shards by, and lists with per-node values", () => {
  it("runs pyroscope.scrape and loki.source.kubernetes too, loki with its pod-label key", () => {
    const text = [
      'pyroscope.scrape "p" {\n\ttargets = [{"__address__" = "a:1"}]\n\tforward_to = []\n\tclustering {\n\t\tenabled = true\n\t}\n}',
      'loki.source.kubernetes "pods" {\n\ttargets = discovery.kubernetes.pods.targets\n\tforward_to = []\n\tclustering {\n\t\tenabled = true\n\t}\n}',
      'prometheus.exporter.unix "x" { }',
    ].join("\n");
    assert.deepEqual(
      componentsFromSource(text, "x.alloy", { default: 4 }).map((c) => [c.id, c.keyStrategy, c.targetSource, c.targets.length, c.clustered]),
      [
        ["pyroscope.scrape.p", "labels", "static", 1, true],
        ["loki.source.kubernetes.pods", "kubetail", "simulated", 4, true],
      ],
    );
  });

  it("evaluates a list that holds the host name once per node", () => {
    const [c] = componentsFromSource(
      'prometheus.scrape "h" {\n\ttargets = [{"__address__" = "a:1", "collector" = constants.hostname}]\n\tforward_to = []\n}\n',
      "x.alloy",
      { default: 0 },
    );
    assert.equal(c.targetSource, "static");
    assert.deepEqual(c.targetsOnNode!("alloy-1"), [{ __address__: "a:1", collector: "alloy-1" }]);
    const [plain] = componentsFromSource('prometheus.scrape "s" {\n\ttargets = [{"__address__" = "a:" + "1"}]\n\tforward_to = []\n}\n', "x.alloy", {
      default: 0,
    });
    assert.deepEqual([plain.targets, plain.targetsOnNode], [[{ __address__: "a:1" }], undefined]);
  });
});

describe("scrape monitor", () => {
  it("reports a target two nodes scrape at once (their scrapes interleave), once per interval", () => {
    const m = new ScrapeMonitor();
    m.watch("c", ["k1"], 1000, 0);
    const scrape = (node: string, at: number) =>
      m.record(node, { component: "c", key: "k1", at, samples: 5, ok: true, durationMs: 3 }).map((d) => [d.kind, d.nodes]);
    assert.deepEqual(scrape("a", 100), []);
    assert.deepEqual(scrape("b", 600), [], "a hand-off so far: b scraped after a's last scrape");
    assert.deepEqual(scrape("a", 1100), [["duplicate", ["a", "b"]]], "a scrapes again after b did: both own it");
    assert.deepEqual(scrape("b", 1600), [], "once per interval");
    assert.deepEqual(scrape("a", 4100), [], "b's scrape is too old now");
  });

  it("takes a hand-off for what it is: the old owner stops, the new one starts sooner than an interval later", () => {
    const m = new ScrapeMonitor();
    m.watch("c", ["k1"], 1000, 0);
    const scrape = (node: string, at: number) => m.record(node, { component: "c", key: "k1", at, samples: 5, ok: true, durationMs: 3 });
    for (const [node, at] of [
      ["a", 100],
      ["a", 1100],
      ["b", 1300],
      ["b", 2300],
      ["b", 3300],
      // a owns it again (b stopped): its own last scrape is from long ago, so this is a hand-off too
      ["a", 3900],
      ["a", 4900],
    ] as const)
      assert.deepEqual(scrape(node, at), [], `${node} at ${at}`);
  });

  it("reports a gap once when nobody scrapes a target for two intervals", () => {
    const m = new ScrapeMonitor();
    m.watch("c", ["k1", "k2"], 1000, 0);
    m.record("a", { component: "c", key: "k1", at: 1500, samples: 5, ok: true, durationMs: 3 });
    assert.deepEqual(
      m.checkGaps(2500).map((g) => g.key),
      ["k2"],
    );
    assert.deepEqual(m.checkGaps(2600), []);
    assert.deepEqual(
      m.checkGaps(4000).map((g) => g.key),
      ["k1"],
    );
    assert.equal(m.samplesPerSecond("a", 2000, 10_000), 0.5);
  });
});
