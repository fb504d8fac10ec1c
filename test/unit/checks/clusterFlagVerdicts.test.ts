/** Alloy's own verdict on its `--cluster.*` flags (pflag, cmd_run.go, cluster_builder.go, the cluster service). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkCommandLines } from "../../../language-server/src/alloy";

/** The findings of one `alloy run` line in a shell script, as [code, severity, covered text]. */
function verdict(flags: string, advertise = "--cluster.advertise-address=10.0.0.1"): [string, string, string][] {
  const text = `#!/bin/sh\nexec alloy run /etc/alloy --cluster.enabled=true ${advertise} ${flags}\n`;
  return checkCommandLines("run.sh", text).diagnostics.map((d) => [d.code, d.severity, text.slice(d.start, d.end)]);
}

describe("cluster flags as Alloy judges them", () => {
  it("accepts an advertise address without a port (Alloy appends the listen port)", () => {
    assert.deepEqual(verdict(""), []);
    assert.deepEqual(verdict("", "--cluster.advertise-address=alloy-0.alloy"), []);
  });

  it("takes --cluster.use-discovery-v1 as the deprecated no-op it is", () => {
    assert.deepEqual(verdict("--cluster.use-discovery-v1"), [["cluster-flag/deprecated", "warning", "cluster.use-discovery-v1"]]);
  });

  it("refuses one-dash flags as pflag does, with a fix that adds the dash", () => {
    const text = "#!/bin/sh\nexec alloy run /etc/alloy -cluster.enabled\n";
    const [d] = checkCommandLines("run.sh", text).diagnostics;
    assert.deepEqual(
      [d.code, d.severity, d.message],
      ["cluster-flag/single-dash", "error", "unknown shorthand flag: 'c' in -cluster.enabled: Alloy's flags take two dashes (--cluster.enabled)"],
    );
    assert.ok(d.fix?.kind === "replace");
    assert.equal(text.slice(0, d.fix.start) + d.fix.text + text.slice(d.fix.end), "#!/bin/sh\nexec alloy run /etc/alloy --cluster.enabled\n");
  });

  it("accepts negative durations and sizes (they switch the feature off); a negative max-join-peers crashes Alloy", () => {
    assert.deepEqual(verdict("--cluster.rejoin-interval=-1s --cluster.wait-for-size=-1"), []);
    const [crash] = verdict("--cluster.max-join-peers=-1");
    assert.deepEqual(crash.slice(0, 2), ["cluster-flag/invalid-value", "error"]);
  });

  it("only warns about join addresses and discovery that find nobody: the node runs alone", () => {
    assert.deepEqual(verdict("--cluster.join-addresses=not_a_host!"), [["cluster-flag/runs-alone", "warning", "not_a_host!"]]);
    assert.deepEqual(verdict('--cluster.discover-peers="provider=nope"'), [["cluster-flag/runs-alone", "warning", '"provider=nope"']]);
  });
});
