import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { checkFiles } from "../../language-server/src/alloy/checks/checkFiles";
import { CONFORMANCE_DIR, hasConformance } from "../support/alloySamples";
import { CLI, runCli } from "../support/cli";

const FIXTURES = path.join(__dirname, "..", "fixtures");

describe("alloy-lab check", () => {
  it("prints FILE:LINE:COL: severity code message and exits 1 on errors; --json gives the same as data", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "alloy-check-"));
    const file = path.join(dir, "c.alloy");
    fs.writeFileSync(file, 'prometheus.exporter.unix "u" {\n\tclustering {\n\t\tenabled = true\n\t}\n}\n');
    // A file with a syntax error gets that error alone, as Alloy stops there (the unknown component is not reported).
    const broken = path.join(dir, "d.alloy");
    fs.writeFileSync(broken, 'no.such.component "x" { }\n\nlogging {\n\tlevel = \n}\n');
    const r = runCli(["check", dir]);
    assert.equal(r.status, 1);
    assert.equal(
      r.stdout.split("\n")[0],
      `${file}:2:2: error clustering/unsupported-component prometheus.exporter.unix does not support clustering; only database_observability.mysql, loki.source.kubernetes, loki.source.kubernetes_events, loki.source.podlogs, prometheus.operator.podmonitors, prometheus.operator.probes, prometheus.operator.scrapeconfigs, prometheus.operator.servicemonitors, prometheus.scrape, pyroscope.scrape do`,
    );
    assert.deepEqual(r.stdout.split("\n").slice(1), [`${broken}:5:1: error syntax expected expression, got }`, ""]);
    const json = JSON.parse(runCli(["check", "--json", dir]).stdout) as { code: string; line: number }[];
    assert.deepEqual(
      json.map((j) => [j.code, j.line]),
      [
        ["clustering/unsupported-component", 2],
        ["syntax", 5],
      ],
    );
    fs.rmSync(broken);
    fs.writeFileSync(file, 'logging {\n\tlevel = "info"\n}\n');
    assert.deepEqual([runCli(["check", file]).status, runCli(["check", file]).stdout], [0, ""]);
    assert.equal(runCli(["check"]).status, 2);
    assert.equal(runCli(["check", "/nonexistent"]).status, 2);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("reports every clustering code of the language server, from configs and from deployments", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "alloy-check-codes-"));
    const write = (file: string, text: string): void => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    };
    const scrape = (body: string): string => `prometheus.scrape "a" {\n\ttargets    = [{"__address__" = "x:1"}]\n\tforward_to = []\n${body}}\n`;
    // Each config in its own folder: Alloy loads a folder as one config.
    const configs: Record<string, string> = {
      "clustering/unsupported-component": 'prometheus.exporter.unix "u" {\n\tclustering {\n\t\tenabled = true\n\t}\n}\n',
      "clustering/missing-enabled": scrape("\tclustering { }\n"),
      "clustering/invalid-enabled": scrape('\tclustering {\n\t\tenabled = "yes"\n\t}\n'),
      "clustering/unknown-attribute": scrape("\tclustering {\n\t\tenabled = true\n\t\tsize = 3\n\t}\n"),
      "clustering/duplicate-block": scrape("\tclustering {\n\t\tenabled = true\n\t}\n\tclustering {\n\t\tenabled = true\n\t}\n"),
      "clustering/host-specific-exporter":
        'prometheus.exporter.unix "h" { }\n\nprometheus.scrape "a" {\n\ttargets    = prometheus.exporter.unix.h.targets\n\tforward_to = []\n\n\tclustering {\n\t\tenabled = true\n\t}\n}\n',
      "clustering/hostname-label":
        'prometheus.scrape "a" {\n\ttargets    = [{"__address__" = "x:1", "node" = constants.hostname}]\n\tforward_to = []\n\n\tclustering {\n\t\tenabled = true\n\t}\n}\n',
    };
    for (const [code, text] of Object.entries(configs)) write(`${code.replace("/", "-")}/config.alloy`, text);
    for (const f of fs.readdirSync(path.join(FIXTURES, "deploy"))) write(`deploy/${f}`, fs.readFileSync(path.join(FIXTURES, "deploy", f), "utf8"));
    write(
      "deploy/run.sh",
      "#!/bin/sh\nexec alloy run /etc/alloy --cluster.enabled=true --cluster.advertise-address=10.0.0.1:12345 --cluster.join-addresses=10.0.0.2:12345 --cluster.node-name=a --cluster.node-name b --cluster.wait-timeout=1m\n",
    );
    // The deployments enable the cluster; this folder's config does not cluster: cluster/unused needs a workspace where none does.
    const codesOf = (paths: string[]): Set<string> =>
      new Set((JSON.parse(runCli(["check", "--json", ...paths]).stdout) as { code: string }[]).map((d) => d.code));
    const found = codesOf([root]);
    write(
      "unused/deploy/compose.yaml",
      "services:\n  alloy:\n    image: grafana/alloy\n    command: run --cluster.enabled=true --cluster.join-addresses=alloy:12345 /etc/alloy\n",
    );
    write("unused/config/plain.alloy", 'prometheus.scrape "a" {\n\ttargets    = [{"__address__" = "x:1"}]\n\tforward_to = []\n}\n');
    for (const c of codesOf([path.join(root, "unused")])) found.add(c);
    write("not-enabled/deploy/compose.yaml", "services:\n  alloy:\n    image: grafana/alloy\n    command: run /etc/alloy\n");
    write("not-enabled/config/clustered.alloy", scrape("\tclustering {\n\t\tenabled = true\n\t}\n"));
    for (const c of codesOf([path.join(root, "not-enabled")])) found.add(c);
    // A DaemonSet whose clustered component has node-local targets (the node's own kubelet).
    write("daemonset/deploy/values.yaml", "controller:\n  type: daemonset\nalloy:\n  clustering:\n    enabled: true\n");
    write(
      "daemonset/config/kubelet.alloy",
      'discovery.kubelet "k" { }\n\nprometheus.scrape "a" {\n\ttargets    = discovery.kubelet.k.targets\n\tforward_to = []\n\n\tclustering {\n\t\tenabled = true\n\t}\n}\n',
    );
    for (const c of codesOf([path.join(root, "daemonset")])) found.add(c);
    const wanted = [
      ...[
        "unknown",
        "invalid-value",
        "duplicate",
        "conflict",
        "cluster-disabled",
        "wait-timeout-without-size",
        "wait-for-size-without-timeout",
        "wait-for-size-too-large",
        "tls-incomplete",
        "tls-without-enable",
        "advertise-fallback",
        "node-name-collision",
      ].map((c) => `cluster-flag/${c}`),
      ...[
        "unsupported-component",
        "missing-enabled",
        "invalid-enabled",
        "unknown-attribute",
        "duplicate-block",
        "host-specific-exporter",
        "hostname-label",
        "node-local-discovery",
        "daemonset",
      ].map((c) => `clustering/${c}`),
      "cluster/unused",
      "cluster/not-enabled",
    ];
    assert.deepEqual(
      wanted.filter((c) => !found.has(c)),
      [],
    );
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("checks configs written inside YAML where they are, and pairs each deployment with the config it loads", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "alloy-check-yaml-"));
    const write = (file: string, text: string): void => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    };
    // Helm values with an inline config: an unknown component on line 6, column 7 of the YAML.
    write("values.yaml", 'controller:\n  type: statefulset\nalloy:\n  configMap:\n    content: |\n      prometheus.scrapes "x" { }\n');
    const rows = JSON.parse(runCli(["check", "--json", path.join(root, "values.yaml")]).stdout) as {
      file: string;
      line: number;
      column: number;
      code: string;
      message: string;
    }[];
    assert.deepEqual(
      rows.map((r) => [r.file, r.line, r.column, r.code]),
      [[path.join(root, "values.yaml"), 6, 7, "alloy/unknown-component"]],
    );
    assert.match(rows[0].message, /\(in alloy\.configMap\.content\)$/);
    // A compose service loads ./plain (no clustering) although ./clustered clusters: the cluster is unused there.
    const clustered = 'prometheus.scrape "a" {\n\ttargets    = [{"__address__" = "x:1"}]\n\tforward_to = []\n\n\tclustering {\n\t\tenabled = true\n\t}\n}\n';
    write("pair/clustered/config.alloy", clustered);
    write("pair/plain/config.alloy", clustered.replace(/\n\n\tclustering \{[^}]*\}\n/, "\n"));
    const compose = (dir: string) =>
      `services:\n  alloy:\n    image: grafana/alloy\n    volumes:\n      - ./${dir}:/etc/alloy\n    command: run --cluster.enabled=true --cluster.join-addresses=alloy:12345 /etc/alloy/config.alloy\n`;
    write("pair/compose.yaml", compose("plain"));
    const codes = () =>
      (JSON.parse(runCli(["check", "--json", path.join(root, "pair")]).stdout) as { file: string; code: string }[]).map(
        (r) => `${path.relative(root, r.file)} ${r.code}`,
      );
    assert.deepEqual(codes(), ["pair/compose.yaml cluster/unused"]);
    write("pair/compose.yaml", compose("clustered"));
    assert.deepEqual(codes(), []);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("stops quietly when whatever reads its output goes away (`| head`), instead of crashing on EPIPE", async () => {
    // Enough problems that the output outlasts the pipe's buffer.
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "alloy-check-pipe-")), "many.alloy");
    fs.writeFileSync(file, Array.from({ length: 2_000 }, (_, i) => `prometheus.scrapes "x${i}" { }\n`).join(""));
    const child = spawn(process.execPath, [CLI, "check", file], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    child.stdout!.once("data", () => child.stdout!.destroy()); // read the first chunk, then hang up
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    assert.doesNotMatch(stderr, /EPIPE|Error/);
    assert.ok(code === 0 || code === 1, `exit ${code}`);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });

  it("keeps Alloy's own real configs clean", { skip: hasConformance() ? false : `no ${CONFORMANCE_DIR}` }, () => {
    const corpus = path.join(CONFORMANCE_DIR, "corpus");
    const { cases } = JSON.parse(fs.readFileSync(path.join(CONFORMANCE_DIR, "cases.json"), "utf8")) as { cases: { input: string; parses: boolean }[] };
    const inputs = cases
      .filter((c) => c.parses && c.input.startsWith("corpus/"))
      .map((c) => ({ name: path.join(corpus, `${c.input.slice(7)}`), content: fs.readFileSync(path.join(CONFORMANCE_DIR, c.input)) }));
    // Each corpus file is a config of its own (they come from different folders of the Alloy repository).
    const dirty = inputs.flatMap((input) => checkFiles([input]).flatMap((r) => r.diagnostics.map((d) => `${r.name}: ${d.code} ${d.message}`)));
    assert.deepEqual(dirty, []);
    assert.ok(inputs.length > 150);
  });
});
