import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planHtml } from "../../../extension/src/planning/planPage";
import { movedSvg, spreadSvg } from "../../../extension/src/planning/planChart";
import { planRow, planScale } from "../../../runtime/src/planning/scalePlan";
import { loadRingVectors } from "../../support/vectors";

const targets = loadRingVectors().targetKeys.map((k) => k.labels);
const result = planScale([{ keyStrategy: "labels", targets }], 3, 6, "alloy-<{i}>");
const rows = result.plans.map((p) => planRow(p, result.targets));

describe("the scale plan page", () => {
  it("draws a spread bar per size and a moved bar per size after the first, each with a hover saying what it is", () => {
    const spread = spreadSvg(rows, 4);
    assert.equal((spread.match(/<rect class="spread/g) ?? []).length, 4);
    const four = rows[1];
    assert.ok(
      spread.includes(
        `<title>4 nodes: ${four.minTargets}–${four.maxTargets} targets per node (mean ${four.meanTargets.toFixed(1)}, peak/mean ${four.peakToMean.toFixed(2)})</title>`,
      ),
    );
    assert.match(spread, /<rect class="spread now"/, "the size the cluster has now is marked");
    const moved = movedSvg(rows);
    assert.equal((moved.match(/<rect class="moved/g) ?? []).length, 3, "the first size moves nothing from a size before it");
    assert.ok(moved.includes(`<title>3 → 4 nodes: ${four.moved} targets change owner (${four.movedPercent!.toFixed(1)}%)</title>`));
  });

  it("is static, escapes names, and lists every size with each node's share", () => {
    const html = planHtml(
      result,
      { source: "the lab's clustered components", weights: "every target weighs 1", namesPattern: "alloy-<{i}>", currentSize: 4 },
      "N0nce",
    );
    assert.match(html, /content="default-src 'none'; style-src 'nonce-N0nce';"/);
    assert.doesNotMatch(html, /<script/);
    assert.equal((html.match(/<tr(?: class="now"[^>]*)?><td>\d+(?: \(now\))?<\/td>/g) ?? []).length, 4, "a row per size");
    assert.match(html, /<tr class="now"[^>]*><td>4 \(now\)<\/td>/);
    assert.equal((html.match(/<details>/g) ?? []).length, 4);
    assert.ok(html.includes("<td>alloy-&lt;5&gt;</td>"));
    assert.doesNotMatch(html, /alloy-<\d>/, "no name reaches the page unescaped");
    assert.ok(html.includes(`${targets.length} from the lab&apos;s clustered components`));
  });
});
