import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TargetAssignment } from "../../runtime/src/ownership/targetAssignment";
import { planInputFromComponents, planInputFromLabState, withLabWeights } from "../../runtime/src/planning/planTargets";
import { namesPatternOf, parsePlanSizes, planScale } from "../../runtime/src/planning/scalePlan";
import { buildLabState } from "../../runtime/src/protocol/labStateBuilder";
import { participantNode } from "../support/nodeObservations";
import { loadRingVectors } from "../support/vectors";

const vectors = loadRingVectors();

describe("planning from a running cluster", () => {
  // The cases whose names a StatefulSet would give (not "minus alloy-2"): the planner names nodes by pattern.
  for (const c of vectors.ownership.filter((o) => o.nodes.length > 1 && namesPatternOf(o.nodes) !== undefined)) {
    it(`plans ${c.name} at the cluster's own size exactly as Alloy's ring split it`, () => {
      const keys = new TargetAssignment(c.targets, "labels").keys;
      const component = { id: "prometheus.scrape.app", clustered: true, scrapeIntervalMs: 15_000, targetSource: "static" as const, keys, labels: c.targets };
      const view = c.nodes.map((n) => ({ name: n, state: "participant" as const }));
      const nodes = c.nodes.map((name) =>
        participantNode(
          name,
          view,
          component.id,
          keys.filter((_, i) => c.owners[i] === name),
        ),
      );
      const state = buildLabState({ kind: "lab", profile: "fast" }, [component], nodes);
      const input = planInputFromLabState(state);
      const [plan] = planScale(input.groups, c.nodes.length, c.nodes.length, "alloy-{i}").plans;
      assert.deepEqual(
        plan.perNode.map((n) => [n.name, n.targets]),
        c.nodes.map((name) => [name, c.owners.filter((o) => o === name).length]),
      );
      // Weighed from the keys, a running cluster's targets weigh what the same targets weigh from their labels.
      const fromLabels = withLabWeights(planInputFromComponents([{ clustered: true, keyStrategy: "labels", targets: c.targets, scrapeIntervalMs: 15_000 }]));
      assert.deepEqual(withLabWeights(input).groups[0].weights, fromLabels.groups[0].weights);
    });
  }

  it("leaves out what is not clustered", () => {
    const component = {
      id: "prometheus.scrape.one",
      clustered: false,
      scrapeIntervalMs: 1000,
      targetSource: "static" as const,
      keys: ["7"],
      labels: [{ a: "b" }],
    };
    assert.deepEqual(planInputFromLabState(buildLabState({ kind: "lab", profile: "fast" }, [component], [])).groups, []);
  });
});

describe("node names and sizes", () => {
  it("finds the pattern of a StatefulSet's names in any order, and none where the ordinals have a hole", () => {
    assert.equal(namesPatternOf(["alloy-1", "alloy-0", "alloy-2"]), "alloy-{i}");
    assert.equal(namesPatternOf(["grafana-alloy-0.alloy"]), "grafana-alloy-{i}.alloy");
    assert.equal(namesPatternOf(["alloy-1", "alloy-2", "alloy-3"]), undefined, "compose numbers from 1");
    assert.equal(namesPatternOf(["alloy-0", "alloy-0"]), undefined);
    assert.equal(namesPatternOf(["alloy"]), undefined);
    assert.equal(namesPatternOf([]), undefined);
  });

  it("reads A..B and N within the limit", () => {
    assert.deepEqual(parsePlanSizes("3..10", 300), [3, 10]);
    assert.deepEqual(parsePlanSizes(" 4 .. 4 ", 300), [4, 4]);
    assert.deepEqual(parsePlanSizes("7", 300), [7, 7]);
    for (const bad of ["0..3", "5..4", "3..301", "a..b", "3-10", ""]) assert.equal(parsePlanSizes(bad, 300), undefined, bad);
  });
});
