/**
 * `npm run bench -- syntax`: parse and format speed of the Alloy syntax library, as it ships: bundled by
 * esbuild, as the language server and the CLI are (run through tsx instead, every imported name is a getter
 * call and the figures are half again as slow). Prints one JSON object.
 */
import * as esbuild from "esbuild";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { medianMs, round } from "../support/benchTiming";
import { FIXTURES_DIR } from "../support/alloySamples";

type Syntax = typeof import("../../language-server/src/alloy/syntax");

function bundledSyntax(): Syntax {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "syntax-bench-")), "syntax.js");
  esbuild.buildSync({
    entryPoints: [path.join(__dirname, "../../language-server/src/alloy/syntax/index.ts")],
    bundle: true,
    platform: "node",
    format: "cjs",
    outfile: out,
    logLevel: "error",
  });
  return createRequire(__filename)(out) as Syntax;
}

const { format, parse } = bundledSyntax();

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

const parseMs = medianMs(31, () => parse(big), 10);
const parseAndFormatMs = medianMs(31, () => format(big), 10);
// A one-character edit (a digit changed) in a 2,000-line file, then a full re-parse.
const at = medium.indexOf("30s");
const edited = medium.slice(0, at) + "4" + medium.slice(at + 1);
const reparseMs = medianMs(21, () => parse(edited), 10);

console.log(
  JSON.stringify({
    suite: "syntax",
    measured: "the esbuild bundle, as shipped",
    lines: big.split("\n").length,
    bytes: parsed.source.bytes.length,
    parseMs: round(parseMs),
    parseMsTarget: 50,
    formatMs: round(parseAndFormatMs - parseMs),
    formatMsTarget: 150,
    // What `alloy fmt` does (read, parse, print); Alloy's own Go takes 11 ms on this file here.
    parseAndFormatMs: round(parseAndFormatMs),
    parseAndFormatMsTarget: 16,
    reparseAfterEditMs: round(reparseMs, 2),
    reparseAfterEditLines: medium.split("\n").length,
    reparseAfterEditMsTarget: 10,
  }),
);
