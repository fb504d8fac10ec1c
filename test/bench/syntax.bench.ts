/** `npm run bench -- syntax`: parse and format speed of the Alloy syntax library. Prints one JSON object. */
import fs from "node:fs";
import path from "node:path";
import { format, parse } from "../../language-server/src/alloy/syntax";
import { medianMs, round } from "../support/benchTiming";
import { FIXTURES_DIR } from "../support/alloySamples";

/** A realistic config of at least `lines` lines: our fixture configs repeated with distinct labels. */
function generatedConfig(lines: number): string {
  const units = fs
    .readdirSync(FIXTURES_DIR)
    .filter((f) => f.endsWith(".alloy"))
    .sort()
    .map((f) => fs.readFileSync(path.join(FIXTURES_DIR, f), "utf8"));
  let out = "";
  for (let i = 0; out.split("\n").length < lines; i++) {
    out += units[i % units.length].replace(/"(\w+)" \{/g, (_, label: string) => `"${label}_${i}" {`) + "\n";
  }
  return out.split("\n").slice(0, lines).join("\n");
}

function cutToLastBlock(src: string): string {
  // keep whole statements: cut after the last top-level closing brace
  return src.slice(0, src.lastIndexOf("\n}\n") + 3);
}

const big = cutToLastBlock(generatedConfig(10_000));
const medium = cutToLastBlock(generatedConfig(2_000));
if (parse(big).diagnostics.length > 0 || parse(medium).diagnostics.length > 0) throw new Error("generated config does not parse");
const parsed = parse(big);

const parseMs = medianMs(9, () => parse(big), 5);
const formatOnlyMs = medianMs(9, () => format(big), 5) - parseMs;
// A one-character edit (a digit changed) in a 2,000-line file, then a full re-parse.
const at = medium.indexOf("30s");
const edited = medium.slice(0, at) + "4" + medium.slice(at + 1);
const reparseMs = medianMs(21, () => parse(edited), 10);

console.log(
  JSON.stringify({
    suite: "syntax",
    lines: big.split("\n").length,
    bytes: parsed.source.bytes.length,
    parseMs: round(parseMs),
    parseMsTarget: 50,
    formatMs: round(formatOnlyMs),
    formatMsTarget: 150,
    reparseAfterEditMs: round(reparseMs, 2),
    reparseAfterEditLines: medium.split("\n").length,
    reparseAfterEditMsTarget: 10,
  }),
);
