/**
 * Real configs and deployments written by others (shared/realworld): no error that Alloy itself would not
 * report, every error it does report, nothing twice, and formatting identical to Alloy's. Skips without
 * ../shared.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { REALWORLD_DIR, realworldSets, runRealworldSet } from "../realworld/realworldRun";

const sets = realworldSets(REALWORLD_DIR);

describe("real-world configs (shared/realworld)", { skip: sets.length === 0 && `no ${REALWORLD_DIR}` }, () => {
  for (const set of sets) {
    it(`${set.split(/[\\/]/).pop()}: Alloy's verdict on every folder, and Alloy's formatting`, async () => {
      const r = await runRealworldSet(set);
      const show = (rows: { file: string; line: number; code: string; message?: string }[]) =>
        rows.map((e) => `${e.file}:${e.line} ${e.code} ${e.message ?? ""}`);
      assert.deepEqual(show(r.falseErrors), [], "false errors");
      assert.deepEqual(show(r.missedErrors), [], "true errors missed");
      assert.deepEqual(show(r.reportedTwice), [], "findings reported twice");
      assert.deepEqual(r.fmtMismatches, [], "formatting");
      assert.ok(r.folders > 0 && r.fmtCases > 0);
    });
  }
});
