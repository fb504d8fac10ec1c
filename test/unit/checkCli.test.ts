import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { checkFiles } from "../../language-server/src/checks/checkFiles";
import { CONFORMANCE_DIR, hasConformance } from "../support/alloySamples";
import { runCli } from "../support/cli";

describe("alloy-lab check", () => {
  it("prints FILE:LINE:COL: severity code message and exits 1 on errors; --json gives the same as data", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "alloy-check-"));
    const file = path.join(dir, "c.alloy");
    fs.writeFileSync(file, 'prometheus.exporter.unix "u" {\n\tclustering {\n\t\tenabled = true\n\t}\n}\n\nlogging {\n\tlevel = \n}\n');
    const r = runCli(["check", dir]);
    assert.equal(r.status, 1);
    assert.equal(r.stdout.split("\n")[0], `${file}:2:2: error clustering/unsupported-component prometheus.exporter.unix does not support clustering; only database_observability.mysql, loki.source.kubernetes, loki.source.kubernetes_events, loki.source.podlogs, prometheus.operator.podmonitors, prometheus.operator.probes, prometheus.operator.scrapeconfigs, prometheus.operator.servicemonitors, prometheus.scrape, pyroscope.scrape do`);
    assert.match(r.stdout, /c\.alloy:9:1: error syntax expected expression, got }/);
    const json = JSON.parse(runCli(["check", "--json", file]).stdout) as { code: string; line: number }[];
    assert.deepEqual(json.map((j) => [j.code, j.line]), [["clustering/unsupported-component", 2], ["syntax", 9]]);
    fs.writeFileSync(file, 'logging {\n\tlevel = "info"\n}\n');
    assert.deepEqual([runCli(["check", file]).status, runCli(["check", file]).stdout], [0, ""]);
    assert.equal(runCli(["check"]).status, 2);
    assert.equal(runCli(["check", "/nonexistent"]).status, 2);
  });

  it("keeps Alloy's own real configs clean", { skip: hasConformance() ? false : `no ${CONFORMANCE_DIR}` }, () => {
    const corpus = path.join(CONFORMANCE_DIR, "corpus");
    const { cases } = JSON.parse(fs.readFileSync(path.join(CONFORMANCE_DIR, "cases.json"), "utf8")) as { cases: { input: string; parses: boolean }[] };
    const inputs = cases.filter((c) => c.parses && c.input.startsWith("corpus/")).map((c) => ({ name: path.join(corpus, `${c.input.slice(7)}`), content: fs.readFileSync(path.join(CONFORMANCE_DIR, c.input)) }));
    // Each corpus file is a config of its own (they come from different folders of the Alloy repository).
    const dirty = inputs.flatMap((input) => checkFiles([input]).flatMap((r) => r.diagnostics.map((d) => `${r.name}: ${d.code} ${d.message}`)));
    assert.deepEqual(dirty, []);
    assert.ok(inputs.length > 150);
  });
});
