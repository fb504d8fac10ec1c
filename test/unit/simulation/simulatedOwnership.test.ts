import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { nextSlot, scrapeOffset } from "../../../runtime/src/node/scraper";
import { TargetAssignment } from "../../../runtime/src/ownership/targetAssignment";
import { seededRandom } from "../../../runtime/src/simulation/seededRandom";
import { SimulatedOwnership } from "../../../runtime/src/simulation/simulatedOwnership";
import { syntheticTargets } from "../../support/syntheticTargets";

const INTERVAL = 1000;

describe("simulated ownership", () => {
  it("gives every process, view after view, exactly the targets the ring of the participants it sees gives it", () => {
    const targets = syntheticTargets(20_000, 4);
    const model = new SimulatedOwnership("c", targets, "labels", INTERVAL);
    const assignment = new TargetAssignment(targets);
    const rand = seededRandom(2);
    let members = Array.from({ length: 12 }, (_, i) => `alloy-${i}`);
    let next = 12;
    const processes = new Map<string, { pid: number; name: string }>();
    let pid = 1;
    for (let step = 0; step < 60; step++) {
      // One to three nodes come or go (a big change now and then: computed, not derived).
      const changes = step % 15 === 14 ? 10 : 1 + Math.floor(rand() * 3);
      for (let c = 0; c < changes; c++) {
        if (members.length > 3 && rand() < 0.5) members = members.filter((_, i) => i !== Math.floor(rand() * members.length));
        else members = [...members, `alloy-${next++}`];
      }
      for (const name of members) if (!processes.has(name)) processes.set(name, { pid: pid++, name });
      // Each process sees the members, less a few it has not heard of yet (never itself).
      const views = new Map<string, string[]>();
      for (const [name, p] of processes) {
        if (!members.includes(name)) {
          model.update(p, null, step * 100);
          processes.delete(name);
          continue;
        }
        const view = members.filter((m) => m === name || rand() > 0.15);
        views.set(name, view);
        model.update(p, view, step * 100);
      }
      const counts = model.ownedCounts([...processes.values()]);
      const owners = new Map([...views].map(([name, view]) => [name, assignment.owners(view)]));
      for (const name of members) {
        const expected = owners.get(name)!.filter((o) => o === name).length;
        assert.equal(counts.get(name), expected, `step ${step}, ${name}`);
      }
      // Once recording, the open scrape runs follow the same ownership, target by target: the runs are what
      // the drill report is made of. Read as if they ended two intervals later (ended runs end before now).
      if (step === 30) model.startRecording(step * 100);
      if (step >= 30 && step % 5 === 4) {
        model.histories(step * 100 + 2 * INTERVAL).forEach((h, i) => {
          const running = h.runs
            .filter((r) => r.last > step * 100)
            .map((r) => r.node)
            .sort();
          const owning = members.filter((name) => owners.get(name)![i] === name).sort();
          assert.deepEqual(running, owning, `step ${step}, target ${i}`);
        });
      }
    }
  });

  it("turns ownership into scrape runs at the process's phase, and ends a run at the last slot before it lost the target", () => {
    const targets = syntheticTargets(50, 5);
    const model = new SimulatedOwnership("c", targets, "labels", INTERVAL);
    const a = { pid: 1, name: "alloy-0" };
    const b = { pid: 2, name: "alloy-1" };
    model.update(a, ["alloy-0"], 0);
    model.startRecording(0);
    model.update(a, ["alloy-0", "alloy-1"], 10_250);
    model.update(b, ["alloy-0", "alloy-1"], 10_300);
    const histories = model.histories(20_000);
    const owners = new TargetAssignment(targets).owners(["alloy-0", "alloy-1"]);
    histories.forEach((h, i) => {
      const offsetA = scrapeOffset("alloy-0", h.key, INTERVAL);
      if (owners[i] === "alloy-0") {
        assert.equal(h.runs.length, 1);
        assert.equal(h.runs[0].first, nextSlot(0, INTERVAL, offsetA));
        assert.equal(h.runs[0].last, nextSlot(20_000, INTERVAL, offsetA) - INTERVAL);
        return;
      }
      // Moved to alloy-1 at 10,250 / 10,300: alloy-0's last slot before 10,250, alloy-1's first after 10,300.
      assert.deepEqual(
        h.runs.map((r) => r.node),
        ["alloy-0", "alloy-1"],
      );
      assert.equal(h.runs[0].last, nextSlot(10_250, INTERVAL, offsetA) - INTERVAL);
      assert.equal(h.runs[1].first, nextSlot(10_300, INTERVAL, scrapeOffset("alloy-1", h.key, INTERVAL)));
      assert.equal(h.runs[1].scrapes, (h.runs[1].last - h.runs[1].first) / INTERVAL + 1);
    });
  });
});
