/** Starts real labs (forked node processes from dist/) for integration tests, and checks their ownership. */
import path from "node:path";
import { after } from "node:test";
import { LabSupervisor, type LabOptions } from "../../runtime/src/lab/labSupervisor";
import type { LabComponent } from "../../runtime/src/lab/labComponents";
import type { TargetLabels } from "../../runtime/src/ring/keys";
import type { LabState } from "../../runtime/src/protocol/labState";
import { HashRing } from "../../runtime/src/ring/hashRing";
import { syntheticTargets } from "./syntheticTargets";

export const DIST = path.join(__dirname, "..", "..", "dist");

/** One clustered component over `targets`, scraped every `intervalMs`. */
export function clusteredComponent(targets: readonly TargetLabels[], intervalMs = 5000): LabComponent {
  return {
    id: "prometheus.scrape.test",
    clustered: true,
    scrapeIntervalMs: intervalMs,
    targets: [...targets],
    targetSource: "simulated",
    keyStrategy: "labels",
  };
}

export function newLab(options: Partial<LabOptions> & { targets?: readonly TargetLabels[] } = {}): LabSupervisor {
  const { targets, ...rest } = options;
  return new LabSupervisor({ profile: "fast", components: [clusteredComponent(targets ?? syntheticTargets(100, 5))], distDir: DIST, ...rest });
}

/**
 * For a describe() that starts labs: returns `track`, which hands back the lab it is given and shuts it down
 * after the suite's tests, however they ended.
 */
export function shutDownAfterSuite(): (lab: LabSupervisor) => LabSupervisor {
  const labs: LabSupervisor[] = [];
  after(async () => {
    await Promise.all(labs.map((l) => l.shutdown()));
  });
  return (lab) => {
    labs.push(lab);
    return lab;
  };
}

/** The owner of each target by the pure ring over the lab's live participants. */
export function expectedOwners(state: LabState): (string | undefined)[] {
  const participants = state.nodes.filter((n) => n.running && n.state === "participant").map((n) => n.name);
  const ring = HashRing.build(participants);
  return state.targets.map((t) => ring.lookupKey(t.key, 1)[0]);
}

/** Converged with exactly these nodes running, each a participant (a node that has not loaded its config yet owns nothing). */
export const convergedWith =
  (names: string[]) =>
  (s: LabState): boolean => {
    const running = s.nodes.filter((n) => n.running);
    return (
      s.converged &&
      running.every((n) => n.state === "participant") &&
      running
        .map((n) => n.name)
        .sort()
        .join(",") === [...names].sort().join(",")
    );
  };
