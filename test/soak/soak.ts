/**
 * Resource limits over time: a lab whose nodes scrape for a while must not grow (RSS per node flat after
 * warm-up), and the language server with 200 open files under continuous edits must stay under its memory
 * bound. Memory is read from /proc, as the kernel counts it.
 */
import fs from "node:fs";
import path from "node:path";
import { FIXTURES_DIR } from "../support/alloySamples";
import { clusteredComponent, convergedWith, newLab } from "../support/lab";
import { LspTestClient } from "../support/lspClient";
import { syntheticTargets } from "../support/syntheticTargets";

export function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (n: number): number => Math.round(n * 10) / 10;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface LabSoakResult {
  nodes: number;
  targets: number;
  minutes: number;
  /** Per node: median RSS of the first and last few samples after warm-up. */
  rssMbAfterWarmUp: number;
  rssMbAtEnd: number;
  /** The largest growth of any node, last samples over first (0.05 = 5 %). */
  maxGrowth: number;
  maxGrowthTarget: number;
}

export async function soakLab(o: { nodes: number; targets: number; warmUpMs: number; durationMs: number; sampleMs: number }): Promise<LabSoakResult> {
  const lab = newLab({ components: [clusteredComponent(syntheticTargets(o.targets, 3), 1000)] });
  try {
    await lab.start(o.nodes);
    const names = Array.from({ length: o.nodes }, (_, i) => `alloy-${i}`);
    const pids = (await lab.waitFor(convergedWith(names), 60_000)).nodes.map((n) => n.pid!);
    await sleep(o.warmUpMs);
    const samples: number[][] = pids.map(() => []);
    for (const end = Date.now() + o.durationMs; Date.now() < end; await sleep(o.sampleMs)) pids.forEach((pid, i) => samples[i].push(rssMb(pid)));
    const k = Math.max(1, Math.min(5, Math.floor(samples[0].length / 4)));
    const first = samples.map((s) => median(s.slice(0, k)));
    const last = samples.map((s) => median(s.slice(-k)));
    return {
      nodes: o.nodes,
      targets: o.targets,
      minutes: round(o.durationMs / 60_000),
      rssMbAfterWarmUp: round(first.reduce((a, b) => a + b, 0) / first.length),
      rssMbAtEnd: round(last.reduce((a, b) => a + b, 0) / last.length),
      maxGrowth: Math.round(Math.max(...last.map((l, i) => l / first[i] - 1)) * 1000) / 1000,
      maxGrowthTarget: 0.1,
    };
  } finally {
    await lab.shutdown();
  }
}

export interface ServerSoakResult {
  files: number;
  edits: number;
  seconds: number;
  rssMbMax: number;
  rssMbAtEnd: number;
  rssMbTarget: number;
}

/** 200 open files (about 300 lines each, across folders), edited one after another for `durationMs`. */
export async function soakLanguageServer(o: { files: number; durationMs: number }): Promise<ServerSoakResult> {
  const unit = fs.readFileSync(path.join(FIXTURES_DIR, "cluster.alloy"), "utf8");
  const text = (i: number): string =>
    Array.from({ length: Math.ceil(300 / unit.split("\n").length) }, (_, k) => unit.replaceAll('" {', `_${i}_${k}" {`)).join("\n");
  const client = await LspTestClient.start();
  try {
    // Ten files to a folder: Alloy loads a folder as one config, so edits re-check the folder's other files.
    const uri = (i: number): string => `file:///soak/folder${Math.floor(i / 10)}/f${i}.alloy`;
    for (let i = 0; i < o.files; i++) await client.open(uri(i), text(i));
    let rssMax = rssMb(client.pid);
    let edits = 0;
    const start = Date.now();
    while (Date.now() - start < o.durationMs) {
      const i = edits % o.files;
      await client.open(uri(i), `${text(i)}\n// edit ${edits}\n`);
      edits++;
      if (edits % 20 === 0) rssMax = Math.max(rssMax, rssMb(client.pid));
    }
    const rssEnd = rssMb(client.pid);
    return {
      files: o.files,
      edits,
      seconds: round((Date.now() - start) / 1000),
      rssMbMax: round(Math.max(rssMax, rssEnd)),
      rssMbAtEnd: round(rssEnd),
      rssMbTarget: 150,
    };
  } finally {
    await client.stop();
  }
}
