/**
 * The lab's live terminal view: nodes, states, owned targets, the last rebalance, and keys to act on nodes.
 * On a terminal it redraws in place; otherwise it prints each event as a line.
 */
import readline from "node:readline";
import type { ControlApi } from "../lab/controlApi";
import type { LabEvent } from "../protocol/labEvents";
import { ownedKeysByNode, type LabState } from "../protocol/labState";
import type { LabSupervisor } from "../lab/labSupervisor";
import type { CommandIO } from "./command";
import { count, describeEvent } from "../protocol/labEventText";

function render(state: LabState, lastRebalance: string, log: string[], control: ControlApi, pending: string): string {
  const total = state.targets.length || 1;
  const owned = ownedKeysByNode(state);
  const rows = state.nodes.map((n, i) => {
    const status = !n.running ? "dead" : !n.ready ? `${n.state}, waiting` : n.state;
    const targets = owned.get(n.name)?.length ?? 0;
    const share = ((100 * targets) / total).toFixed(1);
    return `  ${String(i + 1).padStart(2)}  ${n.id.padEnd(14)} ${status.padEnd(22)} ${count(targets, "target").padStart(13)} ${share.padStart(5)} %   sees ${n.peers.length}`;
  });
  return [
    `Alloy Cluster Lab — profile ${state.source.kind === "lab" ? state.source.profile : "attached"} — ${state.converged ? "converged" : "NOT converged"} — control ${control.url}`,
    "",
    ...rows,
    "",
    `Last rebalance: ${lastRebalance || "none yet"}`,
    "",
    "Recent events:",
    ...log.slice(-8).map((l) => `  ${l}`),
    "",
    `[a] add node  [s N] stop  [k N] kill  [r N] restart  [q] quit ${pending ? ` — ${pending} which node? (1–9)` : ""}`,
  ].join("\n");
}

export async function runTerminalView(lab: LabSupervisor, control: ControlApi, io: CommandIO): Promise<void> {
  const log: string[] = [];
  let lastRebalance = "";
  const onEvent = (e: LabEvent): void => {
    const line = describeEvent(e);
    log.push(line);
    if (e.kind === "rebalance") lastRebalance = line;
    if (!process.stdout.isTTY) io.stdout(`${new Date(e.at).toISOString()} ${line}\n`);
  };
  for (const e of lab.events) onEvent(e);
  lab.on("event", onEvent);
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    io.stdout(`lab running; control API ${control.url} (token ${control.token}); Ctrl-C stops it\n`);
    await new Promise<void>(() => {});
  }
  let pending = "";
  const draw = (): void => {
    io.stdout(`\x1b[H\x1b[2J${render(lab.state(), lastRebalance, log, control, pending)}\n`);
  };
  const timer = setInterval(draw, 500);
  draw();
  readline.emitKeypressEvents(process.stdin);
  process.stdin.setRawMode(true);
  await new Promise<void>((resolve) => {
    process.stdin.on("keypress", (ch: string | undefined, key: { ctrl?: boolean; name?: string }) => {
      if (key?.ctrl && key.name === "c") return resolve();
      if (ch === "q") return resolve();
      if (ch === "a") void lab.addNode().catch((err: Error) => log.push(`add failed: ${err.message}`));
      else if (ch === "s" || ch === "k" || ch === "r") pending = ch === "s" ? "stop" : ch === "k" ? "kill" : "restart";
      else if (pending && ch !== undefined && /[1-9]/.test(ch)) {
        const node = lab.state().nodes[Number(ch) - 1];
        const action = pending;
        pending = "";
        if (node === undefined || !node.running) log.push(`no running node ${ch}`);
        else if (action === "stop") lab.stopNode(node.id);
        else if (action === "kill") lab.killNode(node.id);
        else void lab.restartNode(node.id).catch((err: Error) => log.push(`restart failed: ${err.message}`));
      }
      draw();
    });
  });
  clearInterval(timer);
  process.stdin.setRawMode(false);
  process.stdin.pause();
  lab.off("event", onEvent);
}
