/**
 * The clustered components whose work items are strings — namespaces, data sources, a leader's ID — run in
 * the lab with their own keys, and an attach reads the ones Alloy's API shows.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { fetchClusterSnapshot } from "../../runtime/src/alloyApi/alloyApiClient";
import { AttachedCluster } from "../../runtime/src/alloyApi/attachedCluster";
import { componentsFromConfig } from "../../runtime/src/lab/labComponents";
import { ownedKeysByNode, type LabState } from "../../runtime/src/protocol/labState";
import { podlogsKeyString, stringKey } from "../../runtime/src/ring/keys";
import { convergedWith, expectedOwners, newLab, shutDownAfterSuite } from "../support/lab";

const CONFIG = `
loki.source.kubernetes_events "teams" {
  namespaces = ["default", "kube-system", "monitoring", "team-a", "team-b", "team-c"]
  forward_to = []
  clustering { enabled = true }
}

loki.source.kubernetes_events "everything" {
  forward_to = []
  clustering { enabled = true }
}

database_observability.mysql "shop" {
  database_instance "orders" { data_source_name = "app:hunter2@tcp(mysql-orders:3306)/orders" }
  database_instance "users" { data_source_name = "app:hunter2@tcp(mysql-users)/" }
  forward_to = []
  clustering { enabled = true }
}

mimir.rules.kubernetes "rules" {
  address = "http://mimir:8080"
}

loki.source.podlogs "pods" {
  forward_to = []
  clustering { enabled = true }
}
`;

/** Per component and node, the keys it owns. */
const ownedOf = (s: LabState, component: string): Record<string, string[]> => {
  const keys = new Set(s.targets.filter((t) => t.component === component).map((t) => t.key));
  const owned = ownedKeysByNode(s);
  return Object.fromEntries(
    s.nodes
      .filter((n) => n.running)
      .map((n) => [
        n.name,
        owned
          .get(n.name)!
          .filter((k) => keys.has(k))
          .sort(),
      ]),
  );
};

describe("string-key and custom-resource components in the lab and through attach", { timeout: 90_000 }, () => {
  const track = shutDownAfterSuite();

  it("shards namespaces, data sources and a leader by their own string keys, and reads each item from the farm", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "alloy-lab-strings-"));
    fs.writeFileSync(path.join(dir, "config.alloy"), CONFIG);
    const components = componentsFromConfig(dir, { default: 0, byLabel: { pods: 20 } }, 1000);
    fs.rmSync(dir, { recursive: true, force: true });
    const lab = track(newLab({ components }));
    await lab.start(3);
    const s = await lab.waitFor((x) => convergedWith(["alloy-0", "alloy-1", "alloy-2"])(x) && x.targets.every((t) => t.lastScrape !== undefined));

    assert.deepEqual(
      s.components.map((c) => [c.id, c.clustered, c.targets, c.targetSource]),
      [
        ["loki.source.kubernetes_events.teams", true, 6, "static"],
        ["loki.source.kubernetes_events.everything", true, 1, "static"],
        ["database_observability.mysql.shop", true, 2, "static"],
        ["mimir.rules.kubernetes.rules", true, 1, "static"],
        ["loki.source.podlogs.pods", true, 20, "simulated"],
      ],
    );
    // The keys are Alloy's: shard.StringKey of the namespace ("" for all), of `tcp(host:port)/db` (go-sql-driver
    // adds the default port), of the component's ID.
    const keyOf = (component: string): string[] => s.targets.filter((t) => t.component === component).map((t) => t.key);
    const key = (text: string): string => stringKey(text).toString();
    assert.deepEqual(keyOf("loki.source.kubernetes_events.teams"), ["default", "kube-system", "monitoring", "team-a", "team-b", "team-c"].map(key));
    assert.deepEqual(keyOf("loki.source.kubernetes_events.everything"), [key("")]);
    assert.deepEqual(keyOf("database_observability.mysql.shop"), [key("tcp(mysql-orders:3306)/orders"), key("tcp(mysql-users:3306)/")]);
    assert.deepEqual(keyOf("mimir.rules.kubernetes.rules"), [key("mimir.rules.kubernetes.rules")]);
    // loki.source.podlogs: the string form of its pod labels (simulated PodLogs targets here).
    const podlogs = s.targets.filter((t) => t.component === "loki.source.podlogs.pods");
    assert.deepEqual(
      podlogs.map((t) => t.key),
      podlogs.map((t) => key(podlogsKeyString(t.labels))),
    );
    // One owner each, the ring's; the passwords never reach the lab's state.
    assert.deepEqual(
      s.targets.map((t) => t.owners),
      expectedOwners(s).map((o) => [o]),
    );
    assert.ok(!JSON.stringify(s).includes("hunter2"));

    // Attach sees the namespaces and the leader as the lab does; mysql's data sources are secrets in Alloy's API.
    const seen = new AttachedCluster().update(await fetchClusterSnapshot(s.nodes[0].addr), 1).state;
    assert.deepEqual(
      seen.components.map((c) => [c.id, c.targets]),
      [
        ["loki.source.kubernetes_events.teams", 6],
        ["loki.source.kubernetes_events.everything", 1],
        ["mimir.rules.kubernetes.rules", 1],
      ],
    );
    for (const c of seen.components) assert.deepEqual(ownedOf(seen, c.id), ownedOf(s, c.id), c.id);
  });
});
