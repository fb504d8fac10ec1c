/** Node observations as the lab state builder takes them, for tests of what is built from them. */
import type { NodeObservation } from "../../runtime/src/protocol/labStateBuilder";

/** A running, ready participant that sees `view` and owns `keys` of `component`. */
export function participantNode(name: string, view: NodeObservation["view"], component: string, keys: Iterable<string>): NodeObservation {
  return {
    id: name,
    name,
    pid: 1,
    addr: "127.0.0.1:1",
    state: "participant",
    running: true,
    ready: true,
    view,
    owned: new Map([[component, new Set(keys)]]),
    samplesPerSecond: 0,
  };
}
