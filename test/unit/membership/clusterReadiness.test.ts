import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ClusterReadiness } from "../../../runtime/src/membership/clusterReadiness";

describe("wait-for-size readiness (simulated time)", () => {
  it("is always ready without a minimum size", () => {
    const r = new ClusterReadiness(0, 5000, 0);
    assert.equal(r.ready, true);
    assert.equal(r.update(0, 10), false);
    assert.equal(r.nextDeadline(), Infinity);
  });

  it("waits from start until the size is reached, and stops the timeout then", () => {
    const r = new ClusterReadiness(3, 5000, 1000);
    assert.deepEqual([r.state, r.nextDeadline()], ["not-ready", 6000]);
    assert.equal(r.update(2, 2000), false);
    assert.equal(r.update(3, 3000), true);
    assert.deepEqual([r.state, r.nextDeadline()], ["ready", Infinity]);
    assert.equal(r.tick(7000), false, "no timeout runs while ready");
  });

  it("falls back to not ready below the size, with the timeout started over from that moment", () => {
    const r = new ClusterReadiness(3, 5000, 0);
    r.update(3, 1000);
    assert.equal(r.update(2, 20_000), true);
    assert.deepEqual([r.state, r.nextDeadline()], ["not-ready", 25_000]);
    assert.equal(r.tick(24_999), false);
    assert.equal(r.tick(25_000), true);
    assert.equal(r.state, "deadline-passed");
    assert.equal(r.ready, true);
  });

  it("stays ready after the deadline while below the size; reaching and losing the size starts a new wait", () => {
    const r = new ClusterReadiness(3, 5000, 0);
    r.tick(5000);
    assert.equal(r.state, "deadline-passed");
    assert.equal(r.update(1, 6000), false, "still ready below the size: the deadline passed");
    assert.equal(r.update(3, 7000), true);
    assert.equal(r.state, "ready");
    assert.equal(r.update(2, 8000), true);
    assert.deepEqual([r.state, r.nextDeadline()], ["not-ready", 13_000]);
  });

  it("without a wait timeout, waits for the size for ever", () => {
    const r = new ClusterReadiness(2, 0, 0);
    assert.equal(r.nextDeadline(), Infinity);
    assert.equal(r.tick(1e12), false);
    assert.equal(r.ready, false);
  });
});
