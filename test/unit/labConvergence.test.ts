import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { MemberRecord } from "../../runtime/src/membership/gossipFrames";
import { isLabConverged } from "../../runtime/src/lab/labConvergence";
import type { LabNodeState, LabTargetState } from "../../runtime/src/lab/labEvents";

const NAMES = ["alloy-0", "alloy-1", "alloy-2"];
const node = (name: string): LabNodeState => ({
  name,
  pid: 1,
  addr: "127.0.0.1:1",
  state: "participant",
  alive: true,
  ready: true,
  peers: NAMES,
  targets: [],
  samplesPerSecond: 0,
});
const member = (name: string, state: MemberRecord["state"] = "participant"): MemberRecord => ({
  name,
  addr: "127.0.0.1:1",
  incarnation: 0,
  status: "alive",
  state,
  stateLamport: 1,
});
const target = (owners: string[]): LabTargetState => ({
  component: "c",
  clustered: true,
  key: "1",
  labels: {},
  owner: owners.length === 1 ? owners[0] : null,
  owners,
});
const agreeing = (): Map<string, MemberRecord[]> => new Map(NAMES.map((n) => [n, NAMES.map((m) => member(m))]));

describe("when a lab has converged", () => {
  it("needs every node to see the same members in the same states, and single owners", () => {
    const nodes = NAMES.map(node);
    assert.equal(isLabConverged(nodes, agreeing(), [target(["alloy-1"])]), true);
    assert.equal(isLabConverged(nodes, agreeing(), [target(["alloy-1", "alloy-2"])]), false, "a target owned twice");
    assert.equal(isLabConverged(nodes, agreeing(), [target([])]), false, "a target owned by nobody");
  });

  it("is not converged while one node still sees the newest participant as a viewer (found by the chaos suite)", () => {
    const views = agreeing();
    views.set("alloy-0", [member("alloy-0"), member("alloy-1"), member("alloy-2", "viewer")]);
    // Names agree and ownership happens to cover every target once: that moment is not the end state.
    assert.equal(isLabConverged(NAMES.map(node), views, [target(["alloy-1"])]), false);
  });
});
