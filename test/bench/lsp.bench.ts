/** `npm run bench -- lsp`: the language server over stdio, as an editor drives it. Prints one JSON object. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { CompletionItem } from "vscode-languageserver-protocol";
import { round } from "../support/benchTiming";
import { FIXTURES_DIR } from "../support/alloySamples";
import { LspTestClient } from "../support/lspClient";

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A valid config of about `lines` lines: the fixtures repeated with labels distinct within it (and `tag`). */
function config(lines: number, tag = ""): string {
  const units = ["cluster.alloy", "logs.alloy"].map((f) => fs.readFileSync(path.join(FIXTURES_DIR, f), "utf8"));
  let out = "";
  for (let i = 0; out.split("\n").length < lines; i++) {
    // Rename the unit's labels, and the references to them, so that every copy is a valid config of its own.
    let unit = units[i % units.length];
    for (const [, label] of unit.matchAll(/"(\w+)" \{/g))
      unit = unit.replaceAll(`"${label}" {`, `"${label}${tag}_${i}" {`).replaceAll(`.${label}.`, `.${label}${tag}_${i}.`);
    out += unit + "\n";
  }
  return out;
}

/** How many other files share the folder of the files measured (Alloy loads a folder as one config). */
const SIBLINGS = 40;

async function main(): Promise<void> {
  // The measured files live in a real folder beside 40 sibling files, all open, as in a real workspace.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "alloy-lsp-bench-"));
  const client = await LspTestClient.start(dir);
  const big = config(10_000, "big");
  const medium = config(2_000, "medium");
  for (let i = 0; i < SIBLINGS; i++) {
    const file = path.join(dir, `sibling${i}.alloy`);
    fs.writeFileSync(file, config(250, `s${i}`));
    await client.open(pathToFileURL(file).toString(), fs.readFileSync(file, "utf8"));
  }
  const uri = (name: string) => pathToFileURL(path.join(dir, name)).toString();

  // Diagnostics of a 10,000-line file, from didOpen/didChange to publishDiagnostics.
  const bigTimes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await client.open(uri("big.alloy"), i % 2 === 0 ? big : `${big}\n`);
    bigTimes.push(performance.now() - t0);
  }
  // A one-character edit in a 2,000-line file, as someone typing: the median of the last 20 of 60 edits
  // (the first ones are the JIT warming up).
  const editTimes: number[] = [];
  for (let i = 0; i < 60; i++) {
    const t0 = performance.now();
    await client.open(uri("medium.alloy"), medium.replace("30s", i % 2 === 0 ? "31s" : "30s"));
    if (i >= 40) editTimes.push(performance.now() - t0);
  }
  // Completion inside a component of the 2,000-line file.
  const line = medium.split("\n").findIndex((l) => l.startsWith('prometheus.scrape "pods'));
  const completionTimes: number[] = [];
  for (let i = 0; i < 11; i++) {
    const t0 = performance.now();
    await client.request<CompletionItem[]>("textDocument/completion", {
      textDocument: { uri: uri("medium.alloy") },
      position: { line: line + 1, character: 1 },
    });
    completionTimes.push(performance.now() - t0);
  }
  // 200 open files: the server's memory.
  for (let i = 0; i < 200; i++) await client.open(`file:///bench/many/f${i}.alloy`, config(300));
  const rssMb = Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${client.pid}/status`, "utf8"))![1]) / 1024;
  await client.stop();
  fs.rmSync(dir, { recursive: true, force: true });

  console.log(
    JSON.stringify({
      suite: "lsp",
      siblingFilesOpen: SIBLINGS,
      diagnostics10kLinesMs: round(median(bigTimes)),
      diagnostics10kLinesMsTarget: 100,
      diagnosticsAfterEdit2kLinesMs: round(median(editTimes)),
      diagnosticsAfterEdit2kLinesMsTarget: 20,
      completionMs: round(median(completionTimes), 2),
      completionMsTarget: 20,
      serverRssMbAfter200Files: round(rssMb),
      serverRssMbTarget: 150,
    }),
  );
}

void main();
