/** `alloy-lab check` in the formats CI tools read, and its --fail-on. */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import Ajv from "ajv-draft-04";
import { runCli } from "../support/cli";

/**
 * SARIF 2.1.0's JSON schema (draft-04), as published by the SARIF project through SchemaStore; this copy comes
 * from the npm package @microsoft/sarif-matcher-utils 1.0.0-beta.0 (MIT), lib/schemas/sarif-2.1.0-rtm.5.json.
 */
/** The parts of a SARIF log the test reads. */
interface SarifLog {
  runs: {
    tool: { driver: { rules: { id: string; shortDescription: { text: string }; helpUri: string }[] } };
    results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
  }[];
}

const SARIF_SCHEMA = path.join(__dirname, "..", "fixtures", "sarif", "sarif-2.1.0-rtm.5.json");

describe("alloy-lab check --format and --fail-on", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "alloy-check-formats-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  // An error (a misspelt argument) and a warning (a flag given twice) in two files.
  fs.writeFileSync(
    path.join(dir, "config.alloy"),
    'prometheus.scrape "a" {\n  targets = []\n  forward_to = []\n  scrape_intervl = "10s"\n  clustering {\n    enabled = true\n  }\n}\n',
  );
  fs.writeFileSync(
    path.join(dir, "run.sh"),
    "#!/bin/sh\nexec alloy run --cluster.enabled=true --cluster.advertise-address=10.0.0.1:12345 --cluster.name=a --cluster.name=b /etc/alloy\n",
  );
  const check = (...args: string[]) => {
    const r = runCli(["check", ...args, "config.alloy", "run.sh"], undefined, dir);
    return { ...r, lines: r.stdout.trim().split("\n") };
  };

  it("writes SARIF 2.1.0 that validates against the schema, one rule per code with its description and help", () => {
    const r = check("--format", "sarif");
    assert.equal(r.status, 1);
    const log = JSON.parse(r.stdout) as SarifLog;
    // The schema's patterns are ECMAScript, not Unicode, regular expressions.
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });
    const validate = ajv.compile(JSON.parse(fs.readFileSync(SARIF_SCHEMA, "utf8")));
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5)));
    const run = log.runs[0];
    const rules = run.tool.driver.rules;
    assert.equal(new Set(rules.map((x) => x.id)).size, rules.length, "one rule per code");
    const unknownArgument = rules.find((x) => x.id === "alloy/unknown-argument")!;
    assert.match(unknownArgument.shortDescription.text, /^The component has no such argument/);
    // package.json's homepage, at the README's table of codes: one fragment, a valid URI.
    assert.match(unknownArgument.helpUri, /^https:\/\/[^#]+#what-the-checks-report$/);
    assert.deepEqual(
      run.results.map((x) => [x.ruleId, x.level, x.locations[0].physicalLocation.artifactLocation.uri]),
      [
        ["alloy/unknown-argument", "error", "config.alloy"],
        ["cluster-flag/duplicate", "warning", "run.sh"],
      ],
    );
    for (const x of run.results) assert.equal(rules[x.ruleIndex].id, x.ruleId);
  });

  it("writes GitHub workflow commands that annotate each finding", () => {
    assert.deepEqual(check("--format", "github").lines, [
      '::error file=config.alloy,line=4,col=3,endLine=4,endColumn=17,title=alloy/unknown-argument::unrecognized attribute name "scrape_intervl"; did you mean "scrape_interval"?',
      "::warning file=run.sh,line=2,col=84,endLine=2,endColumn=96,title=cluster-flag/duplicate::--cluster.name is set more than once; the last one wins",
    ]);
  });

  it("fails on errors by default, on warnings too with --fail-on warning, never with --fail-on never", () => {
    assert.equal(check().status, 1);
    assert.equal(check("--fail-on", "never").status, 0);
    const warningsOnly = runCli(["check", "--fail-on", "warning", "run.sh"], undefined, dir);
    assert.equal(warningsOnly.status, 1);
    assert.equal(runCli(["check", "run.sh"], undefined, dir).status, 0, "a warning alone does not fail by default");
    assert.equal(check("--format", "json").stdout, check("--json").stdout);
    const bad = check("--format", "xml");
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--format must be one of text, json, sarif, github/);
    assert.equal(check("--fail-on", "sometimes").status, 2);
  });
});
