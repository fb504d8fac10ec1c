import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { DrillReport, DrillTimeline } from "../../../runtime/src/drills/drillReport";
import { drillReportMarkdown } from "../../../runtime/src/drills/drillMarkdown";
import { drillHtml } from "../../../extension/src/drills/drillPage";
import { timelineSvg } from "../../../extension/src/drills/timelineChart";

const timeline: DrillTimeline = {
  durationMs: 4000,
  nodes: [
    {
      name: "alloy-0",
      points: [
        [0, 10],
        [2000, 10],
        [3000, 15],
      ],
    },
    {
      name: "alloy-<1>",
      points: [
        [0, 5],
        [2000, 0],
        [3000, 0],
      ],
    },
  ],
  markers: [{ at: 1000, node: "alloy-<1>", kind: "exited", text: "alloy-<1> exited" }],
  windows: [
    { kind: "gap", from: 1000, to: 2500, targets: 7, keys: ["111", "222"] },
    { kind: "duplicate", from: 3000, to: 3500, targets: 1, keys: ["333"] },
  ],
};

describe("the drill timeline chart", () => {
  it("draws a line per node, shaded windows and markers, each with a hover naming what it is", () => {
    const svg = timelineSvg(timeline);
    assert.equal((svg.match(/<polyline /g) ?? []).length, 2);
    assert.match(svg, /<rect class="gap"[^>]*><title>gap: 7 targets, 1\.0 s–2\.5 s \(111, 222, …\)<\/title>/);
    assert.match(svg, /<rect class="duplicate"[^>]*><title>duplicate scrapes: 1 target, 3\.0 s–3\.5 s \(333\)<\/title>/);
    assert.match(svg, /<title>1\.0 s: alloy-&lt;1&gt; exited<\/title>/);
    // Points only where a node's count changes: 0 s and 3 s for alloy-0; 0 s and 2 s for the other.
    assert.equal((svg.match(/<circle /g) ?? []).length, 4);
    assert.match(svg, /<title>alloy-0: 15 targets at 3\.0 s<\/title>/);
    assert.doesNotMatch(svg, /alloy-<1>/, "names are escaped");
  });

  it("makes a page of the figures and the chart, with no script and only its own styles allowed", () => {
    const report = {
      drill: "kill",
      nodes: 2,
      nodesAfter: 1,
      targets: 15,
      scrapeIntervalMs: 1000,
      durationMs: 1500,
      handoffs: 5,
      gapSeconds: 2.5,
      maxGapMs: 900,
      medianGapMs: 500,
      duplicateScrapes: 1,
      samplesMissedEstimate: 40,
      steps: [],
      perNode: [{ name: "alloy-<1>", starts: 0, stops: 1, targetsBefore: 5, targetsAfter: 0, handoffsIn: 0, handoffsOut: 5 }],
      worstTargets: [],
    } satisfies DrillReport;
    const html = drillHtml(report, timeline, "NONCE");
    assert.match(html, /content="default-src 'none'; style-src 'nonce-NONCE';"/);
    assert.doesNotMatch(html, /<script/);
    assert.match(html, /<tr><th>hand-offs<\/th><td>5<\/td><\/tr>/);
    assert.match(html, /<td><span class="swatch" data-color="1"><\/span>alloy-&lt;1&gt;<\/td><td>0<\/td><td>1<\/td>/);
    assert.match(html, /<svg /);
    assert.doesNotMatch(html, /id="stalled"/);
    const stalled = drillHtml({ ...report, stalled: "alloy-<2> was not ready within 30 s" }, timeline, "NONCE");
    assert.match(stalled, /<p id="stalled"><strong>The drill stalled:<\/strong> alloy-&lt;2&gt; was not ready within 30 s\./);
    assert.match(drillReportMarkdown({ ...report, stalled: "x" }), /^\*\*The drill stalled:\*\* x\. /m);
  });
});
