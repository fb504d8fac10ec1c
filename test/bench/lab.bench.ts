/** `npm run bench -- lab`: how fast a real lab (fast profile) converges and reacts, and what it costs. */
import { spawn } from "node:child_process";
import fs from "node:fs";
import readline from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import type { LabState } from "../../runtime/src/protocol/labState";
import { syntheticLabTargets } from "../../runtime/src/lab/syntheticLabTargets";
import { clusteredComponent, convergedWith, newLab } from "../support/lab";
import { measureGracefulStop } from "./handoff";
import { round } from "../support/benchTiming";
import { CLI } from "../support/cli";
import { descendants, gone } from "../support/processes";
import { until } from "../support/until";

const CPU_WARMUP_MS = 35_000;
const CPU_WINDOW_MS = 30_000;
const RSS_WINDOW_MS = 30_000;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const names = (s: LabState): string[] => s.nodes.filter((n) => n.running).map((n) => n.name);

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** Resident memory of a process in MB, from /proc. */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks at USER_HZ = 100
}

async function main(): Promise<void> {
  const startMs: number[] = [],
    stopMs: number[] = [],
    killMs: number[] = [],
    joinMs: number[] = [];
  for (let run = 0; run < 3; run++) {
    const lab = newLab({ targets: syntheticLabTargets(100) });
    startMs.push(
      await timed(async () => {
        await lab.start(5);
        await lab.waitFor((s) => s.converged && names(s).length === 5);
      }),
    );
    await lab.shutdown();
  }

  const lab = newLab({ targets: syntheticLabTargets(100) });
  await lab.start(5);
  await lab.waitFor((s) => s.converged && names(s).length === 5);
  for (let i = 0; i < 5; i++) {
    const victim = names(lab.state())[0];
    const rest = names(lab.state()).filter((n) => n !== victim);
    stopMs.push(
      await timed(async () => {
        lab.stopNode(victim);
        await lab.waitFor(convergedWith(rest));
      }),
    );
    joinMs.push(
      await timed(async () => {
        const added = await lab.addNode();
        await lab.waitFor(convergedWith([...rest, added.name]));
      }),
    );
    const killed = names(lab.state())[0];
    const survivors = names(lab.state()).filter((n) => n !== killed);
    killMs.push(
      await timed(async () => {
        lab.killNode(killed);
        await lab.waitFor(convergedWith(survivors), 15_000);
      }),
    );
    await lab.addNode();
    await lab.waitFor((s) => s.converged && names(s).length === 5);
  }

  await lab.shutdown();

  // 5 nodes × 1,000 targets scraped every 5 s: CPU of the whole lab (nodes, farm, supervisor) as a share of
  // one core, in steady state — a fresh lab after a warm-up of CPU_WARMUP_MS (several scrape intervals and
  // one change of the farm's values, so start-up compiling and first body builds are past), over CPU_WINDOW_MS.
  const busy = newLab({ targets: syntheticLabTargets(1000) });
  await busy.start(5);
  await busy.waitFor((s) => s.converged && names(s).length === 5 && s.targets.length === 1000);
  await sleep(CPU_WARMUP_MS);
  const pids = [
    ...busy
      .state()
      .nodes.filter((n) => n.running)
      .map((n) => n.pid!),
    busy.farmPid!,
  ];
  const cpu0 = pids.map(cpuSeconds);
  const self0 = process.cpuUsage();
  const wall0 = performance.now();
  await sleep(CPU_WINDOW_MS);
  const selfCpu = process.cpuUsage(self0);
  const wallSeconds = (performance.now() - wall0) / 1000;
  const nodeCpu = pids.slice(0, -1).map((pid, i) => (100 * (cpuSeconds(pid) - cpu0[i])) / wallSeconds);
  const farmCpu = (100 * (cpuSeconds(busy.farmPid!) - cpu0[cpu0.length - 1])) / wallSeconds;
  const supervisorCpu = (100 * (selfCpu.user + selfCpu.system)) / 1e6 / wallSeconds;
  const samplesPerSecond = busy.state().nodes.reduce((n, node) => n + node.samplesPerSecond, 0);
  await busy.shutdown();

  // 32 nodes on this machine: memory per node, sampled every 5 s for RSS_WINDOW_MS after converging. The
  // figure is the last sample (running, as the target says); the peak of all samples is reported beside it.
  const big = newLab({ targets: syntheticLabTargets(1000) });
  const bigStartMs = await timed(async () => {
    await big.start(32);
    await big.waitFor((s) => s.converged && names(s).length === 32, 60_000);
  });
  const bigPids = big.state().nodes.map((n) => n.pid!);
  let rss: number[] = [];
  let rssPeak = 0;
  for (let t = 0; t < RSS_WINDOW_MS; t += 5000) {
    await sleep(5000);
    rss = bigPids.map(rssMb);
    rssPeak = Math.max(rssPeak, ...rss);
  }
  await big.shutdown();

  // A graceful stop is a hand-off (issue 14): 5 nodes, 500 targets scraped every second.
  const handoffLab = newLab({ components: [clusteredComponent(syntheticLabTargets(500), 1000)] });
  await handoffLab.start(5);
  await handoffLab.waitFor((s) => s.converged && names(s).length === 5, 30_000);
  const settledAt = Date.now();
  await handoffLab.waitFor((s) => s.targets.every((t) => t.lastScrape?.node === t.owner && t.lastScrape.at > settledAt + 2000), 30_000);
  const handoff = await measureGracefulStop(handoffLab, names(handoffLab.state())[2], 1000);
  await handoffLab.shutdown();

  // A SIGKILLed supervisor runs no clean-up: how long until its farm and nodes notice and exit on their own.
  const orphanCleanupMs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const child = spawn(process.execPath, [CLI, "up", "--json", "--nodes", "3", "--lab.targets", "30"], { stdio: ["pipe", "pipe", "ignore"] });
    await new Promise((resolve) => readline.createInterface({ input: child.stdout! }).once("line", resolve));
    const owned = descendants(child.pid!);
    const killedAt = Date.now();
    child.kill("SIGKILL");
    await until(() => owned.every(gone), "the lab's children to exit", 60_000);
    orphanCleanupMs.push(Date.now() - killedAt);
  }

  // Alloy's own timings: how long until a SIGKILLed node is declared dead.
  const alloy = newLab({ profile: "alloy", targets: syntheticLabTargets(100) });
  await alloy.start(5);
  await alloy.waitFor((s) => s.converged && names(s).length === 5, 120_000);
  const alloyVictim = names(alloy.state())[2];
  const alloyKillMs = await timed(async () => {
    alloy.killNode(alloyVictim);
    await alloy.waitFor(convergedWith(names(alloy.state()).filter((n) => n !== alloyVictim)), 120_000);
  });
  await alloy.shutdown();

  console.log(
    JSON.stringify({
      suite: "lab",
      profile: "fast",
      startToConvergedMs: round(median(startMs)),
      startToConvergedMsTarget: 2000,
      gracefulStopAgreeMs: round(median(stopMs)),
      gracefulStopAgreeMsTarget: 300,
      sigkillAgreeMedianMs: round(median(killMs)),
      sigkillAgreeMsTarget: 1500,
      sigkillAgreeAllMs: killMs.map((x) => round(x)),
      joinAgreeMs: round(median(joinMs)),
      joinAgreeMsTarget: 500,
      nodes32StartMs: round(bigStartMs),
      nodes32RssMbMax: round(Math.max(...rss)),
      nodes32RssMbMean: round(rss.reduce((a, b) => a + b, 0) / rss.length),
      nodes32RssMbPeakFirst30s: round(rssPeak),
      rssMbTarget: 60,
      cpuPercentPerNode5x1000Targets: round(Math.max(...nodeCpu)),
      cpuPercentWholeLab5x1000Targets: round(nodeCpu.reduce((a, b) => a + b, 0) + farmCpu + supervisorCpu),
      cpuPercentNote: `percent of one core over ${CPU_WINDOW_MS / 1000} s after a ${CPU_WARMUP_MS / 1000} s warm-up; the whole lab counts 5 nodes, the target farm and the supervisor`,
      cpuPercentTarget: 10,
      samplesPerSecond5x1000: samplesPerSecond,
      gracefulStopMovedTargets: handoff.movedTargets,
      gracefulStopDuplicates: handoff.duplicates,
      gracefulStopDuplicatesTarget: 0,
      gracefulStopMaxGapMs: round(handoff.maxGapMs),
      gracefulStopMedianGapMs: round(handoff.medianGapMs),
      gracefulStopGapNote:
        "new owner's first scrape − old owner's last − one interval (1 s); target: below one interval plus one ownership push and the scraper's start-up lateness (a tenth of the interval)",
      orphanCleanupAfterSupervisorSigkillMs: round(median(orphanCleanupMs)),
      orphanCleanupMsTarget: 2000,
      alloyProfileSigkillAgreeMs: round(alloyKillMs),
      alloyProfileExpectedMs: 28_000,
    }),
  );
}

void main();
