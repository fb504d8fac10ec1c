import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { runCli } from "../support/cli";

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "alloy-lab-fmt-"));
}

describe("alloy-lab fmt", () => {
  it("--check --diff prints what formatting would change as a unified diff, and exits 1", () => {
    const r = runCli(["fmt", "--check", "--diff"], "a=1\nlong=2\nc = 3\n");
    assert.equal(r.status, 1);
    assert.equal(r.stdout, "--- a/<stdin>\n+++ b/<stdin>\n@@ -1,3 +1,3 @@\n-a=1\n-long=2\n-c = 3\n+a    = 1\n+long = 2\n+c    = 3\n");
    assert.deepEqual([runCli(["fmt", "--check", "--diff"], "a = 1\n").status, runCli(["fmt", "--check", "--diff"], "a = 1\n").stdout], [0, ""]);
    const alone = runCli(["fmt", "--diff"], "a=1\n");
    assert.equal(alone.status, 2);
    assert.match(alone.stderr, /--diff goes with --check/);
  });

  it("prints the formatted file from standard input (<stdin>) and exits 0", () => {
    const r = runCli(["fmt"], "a=1\nlong=2\n");
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "a    = 1\nlong = 2\n");
    assert.equal(runCli(["fmt", "-"], "a=1").stdout, "a = 1\n");
  });

  it("prints FILE:LINE:COLUMN: MESSAGE for each syntax error, exits 1 and writes nothing", () => {
    const dir = tempDir();
    const bad = path.join(dir, "bad.alloy");
    fs.writeFileSync(bad, "é = [1\n2]\nb = 'x'\n");
    const good = path.join(dir, "good.alloy");
    fs.writeFileSync(good, "a=1\n");
    const r = runCli(["fmt", "--write", good, bad]);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, "");
    assert.equal(
      r.stderr,
      `${bad}:1:8: missing ',' in expression list\n${bad}:3:5: illegal single-quoted string; use double quotes\n${bad}:3:5: expected expression, got ILLEGAL\n`,
    );
    assert.equal(fs.readFileSync(good, "utf8"), "a=1\n", "nothing is written when any file has errors");
    assert.match(runCli(["fmt"], "a = ").stderr, /^<stdin>:1:5: expected expression, got EOF\n$/);
  });

  it("--write rewrites only the files that change", () => {
    const dir = tempDir();
    const messy = path.join(dir, "messy.alloy");
    const tidy = path.join(dir, "tidy.alloy");
    fs.writeFileSync(messy, "a=1\n");
    fs.writeFileSync(tidy, "a = 1\n");
    const before = fs.statSync(tidy).mtimeMs;
    fs.utimesSync(tidy, new Date(0), new Date(0));
    const r = runCli(["fmt", "--write", messy, tidy]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "");
    assert.equal(fs.readFileSync(messy, "utf8"), "a = 1\n");
    assert.equal(fs.statSync(tidy).mtimeMs, 0, "an unchanged file is not touched");
    assert.ok(before > 0);
  });

  it("--check lists unformatted files and exits 1, or exits 0 when all are formatted", () => {
    const dir = tempDir();
    const messy = path.join(dir, "messy.alloy");
    const tidy = path.join(dir, "tidy.alloy");
    fs.writeFileSync(messy, "a=1\n");
    fs.writeFileSync(tidy, "a = 1\n");
    const r = runCli(["fmt", "--check", messy, tidy]);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, `${messy}\n`);
    assert.equal(fs.readFileSync(messy, "utf8"), "a=1\n");
    assert.equal(runCli(["fmt", "--check", tidy]).status, 0);
  });

  it("rejects bad usage with exit 2", () => {
    assert.equal(runCli(["fmt", "--write", "--check", "x"]).status, 2);
    assert.equal(runCli(["fmt", "--write"], "a = 1").status, 2);
    assert.equal(runCli(["fmt", "--frobnicate"]).status, 2);
    const missing = runCli(["fmt", "/nonexistent/x.alloy"]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read \/nonexistent\/x.alloy/);
    assert.match(runCli(["fmt", "--help"]).stdout, /Usage: alloy-lab fmt/);
  });
});
