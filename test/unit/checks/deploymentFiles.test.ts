/** Deployment files read fully: compose entrypoint and command in both forms, shell wrappers, host networking. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkCommandLines } from "../../../language-server/src/alloy/checks/commandLineChecks";

/** Each finding as [code, the text it covers]. */
function findings(file: string, text: string): [string, string][] {
  return checkCommandLines(file, text).diagnostics.map((d) => [d.code, text.slice(d.start, d.end)]);
}

const service = (name: string, body: string) => `  ${name}:\n    image: grafana/alloy:latest\n${body}`;

describe("alloy run in deployment files", () => {
  it("reads a compose entrypoint and command, as lists and as strings", () => {
    const list = `services:\n${service("a", "    entrypoint:\n      - /bin/alloy\n    command:\n      - run\n      - --cluster.enabled=true\n      - --cluster.rejoin-interval=soon\n      - /etc/alloy\n")}`;
    assert.deepEqual(findings("compose.yaml", list), [["cluster-flag/invalid-value", "soon"]]);
    const strings = `services:\n${service("a", "    entrypoint: /bin/alloy\n    command: run --cluster.enabled=true --cluster.rejoin-interval=soon /etc/alloy\n")}`;
    assert.deepEqual(findings("compose.yaml", strings), [["cluster-flag/invalid-value", "soon"]]);
    // An entrypoint that is not Alloy's: the command's words are its arguments, not Alloy's flags.
    const other = `services:\n  tool:\n    image: busybox\n    entrypoint: ["echo"]\n    command: run --cluster.rejoin-interval=soon\n`;
    assert.deepEqual(findings("compose.yaml", other), []);
  });

  it("looks into sh -c / bash -c scripts", () => {
    const compose = `services:\n${service("a", '    entrypoint: ["/bin/sh", "-c", "mkdir -p /data && exec alloy run --cluster.enabled=true --cluster.rejoin-interval=soon /etc/alloy"]\n')}`;
    assert.deepEqual(findings("compose.yaml", compose), [["cluster-flag/invalid-value", "soon"]]);
    const script =
      "#!/bin/sh\nbash -euc 'echo hi; alloy run --cluster.enabled=true --cluster.advertise-address=10.0.0.1:12345 --cluster.rejoin-interval=soon /etc/alloy'\n";
    assert.deepEqual(findings("start.sh", script), [["cluster-flag/invalid-value", "soon"]]);
    const k8s = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\nspec:\n  template:\n    spec:\n      containers:\n        - name: alloy\n          image: grafana/alloy\n          command: ["sh", "-c"]\n          args: ["exec alloy run --cluster.enabled=true --cluster.rejoin-interval=soon /etc/alloy"]\n`;
    assert.deepEqual(findings("deploy.yaml", k8s), [["cluster-flag/invalid-value", "soon"]]);
  });

  it("warns when compose services on the host's network share the host name as node name", () => {
    const run = "    command: run --cluster.enabled=true /etc/alloy\n";
    const host = `services:\n${service("a", `    network_mode: host\n${run}`)}${service("b", `    network_mode: host\n${run}`)}`;
    assert.deepEqual(
      findings("compose.yaml", host).map(([code]) => code),
      ["cluster-flag/node-name-collision", "cluster-flag/node-name-collision"],
    );
    // Their own names, or their own networks (each container its own host name): no collision.
    const named = host.replace(/--cluster.enabled=true \/etc\/alloy\n/, "--cluster.enabled=true --cluster.node-name=a /etc/alloy\n");
    assert.deepEqual(findings("compose.yaml", named), []);
    assert.deepEqual(findings("compose.yaml", host.replace(/ {4}network_mode: host\n/g, "")), []);
  });
});
