import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ClusterJoiner, discoverJoinAddresses } from "../../../runtime/src/membership/clusterJoiner";

const loopback = (host: string): string[] => (host === "localhost" ? ["127.0.0.1", "::1"] : /^[\d.]+$/.test(host) ? [host] : []);

/** A random source that plays back the given values. */
const playback = (values: number[]): (() => number) => {
  let i = 0;
  return () => values[i++ % values.length];
};

describe("cluster joiner: discovery", () => {
  it("resolves each address on its own, gives a missing port the listen port, and drops duplicates", () => {
    const found = discoverJoinAddresses(["127.0.0.2:7000", "localhost", "127.0.0.2:7000", "127.0.0.3"], 12345, loopback);
    assert.deepEqual(found, { addrs: ["127.0.0.2:7000", "127.0.0.1:12345", "[::1]:12345", "127.0.0.3:12345"], unresolved: [] });
  });

  it("skips an address that resolves to nothing and keeps the others (Alloy warns and joins the rest)", () => {
    assert.deepEqual(discoverJoinAddresses(["not_a_host!", "127.0.0.2:7000"], 1, loopback), { addrs: ["127.0.0.2:7000"], unresolved: ["not_a_host!"] });
    assert.deepEqual(discoverJoinAddresses(["alloy-0.alloy:12345"], 1, loopback), { addrs: [], unresolved: ["alloy-0.alloy:12345"] });
  });
});

describe("cluster joiner: whom and when", () => {
  const peers = ["a:1", "b:1", "c:1", "d:1", "e:1", "f:1", "g:1"];

  it("joins every discovered peer when max-join-peers is 0 or above the count", () => {
    assert.deepEqual(new ClusterJoiner({ maxJoinPeers: 0, rejoinIntervalMs: 0 }, Math.random, 0).pick(peers), peers);
    assert.deepEqual(new ClusterJoiner({ maxJoinPeers: 8, rejoinIntervalMs: 0 }, Math.random, 0).pick(peers), peers);
  });

  it("takes a random max-join-peers of them by a shuffle, live members included", () => {
    // Fisher–Yates from the end: 0.0 swaps each element with the first, so the order rotates.
    const joiner = new ClusterJoiner({ maxJoinPeers: 3, rejoinIntervalMs: 0 }, playback([0]), 0);
    assert.deepEqual(joiner.pick(peers), ["b:1", "c:1", "d:1"]);
    // 0.999… swaps each element with itself: the first three, whoever is alive among them.
    const same = new ClusterJoiner({ maxJoinPeers: 3, rejoinIntervalMs: 0 }, playback([0.9999]), 0);
    assert.deepEqual(same.pick(peers), ["a:1", "b:1", "c:1"]);
  });

  it("rejoins on a ticker of the rejoin interval, dropping ticks it was too late for", () => {
    const joiner = new ClusterJoiner({ maxJoinPeers: 5, rejoinIntervalMs: 60_000 }, Math.random, 1000);
    assert.equal(joiner.nextDeadline(), 61_000);
    assert.equal(joiner.rejoinDue(60_999), false);
    assert.equal(joiner.rejoinDue(61_000), true);
    assert.equal(joiner.nextDeadline(), 121_000);
    assert.equal(joiner.rejoinDue(250_000), true, "late: one rejoin, not two");
    assert.equal(joiner.nextDeadline(), 301_000);
  });

  it("never rejoins with an interval of 0 or below (a negative one just disables rejoining)", () => {
    for (const rejoinIntervalMs of [0, -1000]) {
      const joiner = new ClusterJoiner({ maxJoinPeers: 5, rejoinIntervalMs }, Math.random, 0);
      assert.equal(joiner.nextDeadline(), Infinity);
      assert.equal(joiner.rejoinDue(1e12), false);
    }
  });
});
