/**
 * The config checks' semantics, each rule with a config that must warn beside one that must stay clean:
 * modules (declare at any depth, imports, arguments), stopping at a syntax error, and what differs between
 * nodes in a clustered component's targets.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { checkFiles } from "../../../language-server/src/alloy/checks/checkFiles";
import { moduleReaderFromDisk } from "../../../language-server/src/alloy/workspace/moduleFiles";

/** The findings of a one-folder config as "file:line code" (warnings and errors alike). */
function findings(files: Record<string, string>): string[] {
  const reports = checkFiles(Object.entries(files).map(([name, content]) => ({ name: `/cfg/${name}`, content })));
  return reports.flatMap((r) => r.diagnostics.map((d) => `${r.name.slice(5)}:${r.source.position(d.start).line} ${d.code}`));
}

function messages(files: Record<string, string>): string[] {
  return checkFiles(Object.entries(files).map(([name, content]) => ({ name: `/cfg/${name}`, content }))).flatMap((r) => r.diagnostics.map((d) => d.message));
}

const clustered = (targets: string, component = "prometheus.scrape") =>
  `${component} "s" {\n\ttargets    = ${targets}\n\tforward_to = []\n\n\tclustering {\n\t\tenabled = true\n\t}\n}\n`;

describe("config checks: modules", () => {
  it("sees nested declares and imports inside a declare, and not from outside it", () => {
    const inner = `declare "outer" {\n\tdeclare "inner" {\n\t\targument "x" { }\n\t}\n\n\timport.file "lib" {\n\t\tfilename = "lib"\n\t}\n\n\tinner "a" {\n\t\tx = 1\n\t}\n\n\tlib.thing "b" { }\n}\n`;
    assert.deepEqual(findings({ "a.alloy": inner }), []);
    // The top level does not see into a declare.
    assert.deepEqual(findings({ "a.alloy": `${inner}\ninner "c" {\n\tx = 1\n}\n\nlib.thing "d" { }\n` }), [
      "a.alloy:17 alloy/unknown-component",
      "a.alloy:21 alloy/unknown-component",
    ]);
  });

  it("gives a declare's body the declares and imports around it", () => {
    const text = `import.git "mods" {\n\trepository = "https://example.com/x.git"\n\tpath = "m"\n}\n\ndeclare "top" { }\n\ndeclare "user" {\n\ttop "t" { }\n\n\tmods.x "y" { }\n}\n`;
    assert.deepEqual(findings({ "a.alloy": text }), []);
  });

  it("requires a custom component's arguments unless they are optional", () => {
    const decl = `declare "c" {\n\targument "needed" { }\n\n\targument "maybe" {\n\t\toptional = true\n\t}\n}\n\n`;
    assert.deepEqual(findings({ "a.alloy": `${decl}c "x" {\n\tneeded = 1\n}\n` }), []);
    assert.deepEqual(findings({ "a.alloy": `${decl}c "x" {\n\tmaybe = 1\n}\n` }), ["a.alloy:9 alloy/missing-argument"]);
    assert.deepEqual(messages({ "a.alloy": `${decl}c "x" { }\n` }), ['missing required argument "needed" to module c']);
    // An argument the declare does not have is refused, as Alloy's loader does.
    assert.deepEqual(messages({ "a.alloy": `${decl}c "x" {\n\tneeded = 1\n\tneded  = 2\n}\n` }), [
      'Provided argument "neded" is not defined in the module c; did you mean "needed"?',
    ]);
  });

  it("checks the use of a local import.file module against the declares found there", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "alloy-module-"));
    fs.mkdirSync(path.join(dir, "lib"));
    fs.writeFileSync(path.join(dir, "lib", "a.alloy"), 'declare "scrape" {\n\targument "targets" { }\n}\n');
    fs.writeFileSync(path.join(dir, "lib", "b.alloy"), 'declare "relabel" { }\n');
    const main = (uses: string) => `import.file "lib" {\n\tfilename = "lib"\n}\n\n${uses}`;
    const check = (uses: string) =>
      checkFiles([{ name: path.join(dir, "main.alloy"), content: main(uses) }], { readModule: moduleReaderFromDisk() }).flatMap((r) =>
        r.diagnostics.map((d) => `${r.source.position(d.start).line} ${d.code} ${d.message}`),
      );
    assert.deepEqual(check('lib.scrape "s" {\n\ttargets = []\n}\n\nlib.relabel "r" { }\n'), []);
    assert.deepEqual(check('lib.scrape "s" { }\n'), ['5 alloy/missing-argument missing required argument "targets" to module scrape']);
    assert.deepEqual(check('lib.scrap "s" { }\n'), [
      '5 alloy/unknown-component unrecognized component name "lib.scrap": module lib declares lib.scrape, lib.relabel; did you mean "lib.scrape"?',
    ]);
    // A module that can't be read from here (a remote one, a path built at run time): any component is accepted.
    assert.deepEqual(findings({ "a.alloy": 'import.file "x" {\n\tfilename = sys.env("M")\n}\n\nx.anything "a" { }\n' }), []);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("reports an unknown reference inside a declare body once", () => {
    const text = `declare "d" {\n\tprometheus.scrape "s" {\n\t\ttargets    = discovery.relabel.nope.output\n\t\tforward_to = []\n\t}\n}\n`;
    assert.deepEqual(findings({ "a.alloy": text }), ["a.alloy:3 alloy/unknown-reference"]);
    // Components outside the declare are out of its scope.
    assert.deepEqual(findings({ "a.alloy": `discovery.relabel "nope" {\n\ttargets = []\n}\n\n${text}` }), ["a.alloy:7 alloy/unknown-reference"]);
    // argument.NAME.value refers to the declare's own argument.
    assert.deepEqual(
      findings({
        "a.alloy": `declare "d" {\n\targument "t" { }\n\n\tprometheus.scrape "s" {\n\t\ttargets    = argument.t.value\n\t\tforward_to = []\n\t}\n}\n`,
      }),
      [],
    );
  });

  it("stops at a syntax error as Alloy does: nothing else in that file, no judging of references into it", () => {
    const broken =
      'prometheus.scrape "s" {\n\ttargets    = discovery.relabel.later.output\n\tforward_to = []\n}\n\nlogging {\n\tlevel =\n}\n\ndiscovery.relabel "later" {\n';
    assert.ok(findings({ "a.alloy": broken }).length > 0);
    assert.ok(findings({ "a.alloy": broken }).every((f) => f.endsWith(" syntax")));
    const sibling = 'prometheus.scrape "t" {\n\ttargets    = discovery.relabel.other.output\n\tforward_to = []\n}\n';
    assert.ok(findings({ "a.alloy": broken, "b.alloy": sibling }).every((f) => f.startsWith("a.alloy")));
    // Without the broken file, the sibling's reference is judged.
    assert.deepEqual(findings({ "b.alloy": sibling }), ["b.alloy:2 alloy/unknown-reference"]);
  });

  it("accepts numeric strings for numbers, and flags strings that do not read as one", () => {
    const write = (v: string) => `loki.write "w" {\n\tendpoint {\n\t\turl                 = "http://x"\n\t\tmax_backoff_retries = ${v}\n\t}\n}\n`;
    assert.deepEqual(findings({ "a.alloy": write('"10"') }), []);
    assert.deepEqual(findings({ "a.alloy": write('"ten"') }), ["a.alloy:4 alloy/type-mismatch"]);
  });
});

describe("config checks: what differs between nodes reaches the ring", () => {
  it("host-specific exporter: warns while its instance label survives, not once relabelled to a constant or dropped", () => {
    const exporter = 'prometheus.exporter.unix "h" { }\n\n';
    assert.deepEqual(findings({ "a.alloy": exporter + clustered("prometheus.exporter.unix.h.targets") }), ["a.alloy:4 clustering/host-specific-exporter"]);
    const relabel = (rule: string) => `${exporter}discovery.relabel "r" {\n\ttargets = prometheus.exporter.unix.h.targets\n\n\trule {\n${rule}\n\t}\n}\n\n`;
    const constant = relabel('\t\ttarget_label = "instance"\n\t\treplacement  = "shared"');
    assert.deepEqual(findings({ "a.alloy": constant + clustered("discovery.relabel.r.output") }), []);
    const dropped = relabel('\t\taction = "labeldrop"\n\t\tregex  = "inst.*"');
    assert.deepEqual(findings({ "a.alloy": dropped + clustered("discovery.relabel.r.output") }), []);
    const copied = relabel('\t\tsource_labels = ["instance"]\n\t\ttarget_label  = "host"');
    assert.match(messages({ "a.alloy": copied + clustered("discovery.relabel.r.output") }).join("\n"), /label "instance" .*via discovery\.relabel\.r/);
  });

  it("hostname-label: constants.hostname, env() of per-node variables and string building, in lists and relabel rules", () => {
    assert.deepEqual(findings({ "a.alloy": clustered('[{"__address__" = "x:1", node = constants.hostname}]') }), ["a.alloy:2 clustering/hostname-label"]);
    assert.deepEqual(findings({ "a.alloy": clustered('[{"__address__" = "x:1", pod = "p-" + sys.env("POD_NAME")}]') }), [
      "a.alloy:2 clustering/hostname-label",
    ]);
    assert.deepEqual(findings({ "a.alloy": clustered('[{"__address__" = "x:1", node = string.format("%s", env("NODE_NAME"))}]') }), [
      "a.alloy:2 clustering/hostname-label",
    ]);
    // Clean: a variable that is the same everywhere, a __meta_ label (not hashed), no clustering.
    assert.deepEqual(findings({ "a.alloy": clustered('[{"__address__" = "x:1", env = sys.env("ENVIRONMENT"), __meta_host = constants.hostname}]') }), []);
    const rule = (replacement: string) =>
      `discovery.relabel "r" {\n\ttargets = [{"__address__" = "x:1"}]\n\n\trule {\n\t\ttarget_label = "node"\n\t\treplacement  = ${replacement}\n\t}\n}\n\n`;
    assert.deepEqual(findings({ "a.alloy": rule("constants.hostname") + clustered("discovery.relabel.r.output") }), ["a.alloy:11 clustering/hostname-label"]);
    assert.deepEqual(findings({ "a.alloy": rule('"same"') + clustered("discovery.relabel.r.output") }), []);
  });

  it("node-local discovery: a field selector on the node's name, the local kubelet, a keep rule comparing with the node", () => {
    const k8s = (field: string) => `discovery.kubernetes "pods" {\n\trole = "pod"\n\n\tselectors {\n\t\trole  = "pod"\n\t\tfield = ${field}\n\t}\n}\n\n`;
    assert.deepEqual(findings({ "a.alloy": k8s('"spec.nodeName=" + sys.env("HOSTNAME")') + clustered("discovery.kubernetes.pods.targets") }), [
      "a.alloy:11 clustering/node-local-discovery",
    ]);
    assert.deepEqual(findings({ "a.alloy": k8s('"status.phase=Running"') + clustered("discovery.kubernetes.pods.targets") }), []);
    assert.deepEqual(findings({ "a.alloy": 'discovery.kubelet "k" { }\n\n' + clustered("discovery.kubelet.k.targets") }), [
      "a.alloy:4 clustering/node-local-discovery",
    ]);
    const keep = `discovery.kubernetes "pods" {\n\trole = "pod"\n}\n\ndiscovery.relabel "mine" {\n\ttargets = discovery.kubernetes.pods.targets\n\n\trule {\n\t\tsource_labels = ["__meta_kubernetes_pod_node_name"]\n\t\tregex         = constants.hostname\n\t\taction        = "keep"\n\t}\n}\n\n`;
    assert.deepEqual(findings({ "a.alloy": keep + clustered("discovery.relabel.mine.output") }), ["a.alloy:16 clustering/node-local-discovery"]);
    // Without clustering each node scrapes what it finds: nothing to warn about.
    assert.deepEqual(
      findings({ "a.alloy": 'discovery.kubelet "k" { }\n\nprometheus.scrape "s" {\n\ttargets    = discovery.kubelet.k.targets\n\tforward_to = []\n}\n' }),
      [],
    );
  });

  it("looks into declare bodies, and hashes only the labels a component's key uses", () => {
    const inDeclare = `declare "d" {\n\t${clustered('[{"__address__" = "x:1", node = constants.hostname}]').replace(/\n/g, "\n\t")}}\n`;
    assert.deepEqual(findings({ "a.alloy": inDeclare }), ["a.alloy:3 clustering/hostname-label"]);
    // loki.source.kubernetes hashes a fixed label list: "node" is not in it, "pod" is.
    const logs = (label: string) => clustered(`[{"__address__" = "x:1", ${label} = constants.hostname}]`, "loki.source.kubernetes");
    assert.deepEqual(findings({ "a.alloy": logs("node") }), []);
    assert.deepEqual(findings({ "a.alloy": logs("pod") }), ["a.alloy:2 clustering/hostname-label"]);
  });
});
