import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { unifiedDiff } from "../../runtime/src/cli/unifiedDiff";

const diffTool = spawnSync("diff", ["--version"]).status === 0;

/** GNU diff's `-u` hunks for the same texts (its header lines, which carry file times, left out). */
function gnuHunks(before: string, after: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "alloy-diff-"));
  try {
    fs.writeFileSync(path.join(dir, "a"), before);
    fs.writeFileSync(path.join(dir, "b"), after);
    const r = spawnSync("diff", ["-u", "a", "b"], { cwd: dir, encoding: "utf8" });
    return r.stdout.split("\n").slice(2).join("\n");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const hunks = (d: string): string => d.split("\n").slice(2).join("\n");

describe("unified diff", () => {
  it("is empty for equal texts and names the file in its header", () => {
    assert.equal(unifiedDiff("a.alloy", "x\n", "x\n"), "");
    assert.equal(unifiedDiff("a.alloy", "x\n", "y\n"), "--- a/a.alloy\n+++ b/a.alloy\n@@ -1 +1 @@\n-x\n+y\n");
  });

  it("gives GNU diff -u's hunks for formatting-like changes", { skip: diffTool ? false : "no diff on this machine" }, () => {
    const before = Array.from({ length: 60 }, (_, i) => `line ${i}`);
    const cases: [string[], string[]][] = [
      [before, before.map((l, i) => (i % 17 === 3 ? `\t${l}` : l))],
      [before, before.filter((_, i) => i !== 0 && i !== 30)],
      [before, [...before.slice(0, 10), "new a", "new b", ...before.slice(10)]],
      [before, before.map((l, i) => (i > 40 && i < 45 ? l.toUpperCase() : l))],
      [["a", "b"], []],
    ];
    for (const [a, b] of cases) {
      const textA = a.map((l) => `${l}\n`).join("");
      const textB = b.map((l) => `${l}\n`).join("");
      assert.equal(hunks(unifiedDiff("f", textA, textB)), gnuHunks(textA, textB));
    }
  });
});
