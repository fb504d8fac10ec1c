import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { after, describe, it } from "node:test";
import type { LabHandle } from "../../runtime/src/protocol/controlContract";
import { LabControlClient, type LabControlError } from "../../runtime/src/protocol/labControlClient";
import type { LabEvent } from "../../runtime/src/protocol/labEvents";
import type { LabState } from "../../runtime/src/protocol/labState";
import { CLI } from "../support/cli";
import { gone } from "../support/processes";
import { until } from "../support/until";

interface RunningLab extends LabHandle {
  child: ChildProcess;
  client: LabControlClient;
}

/** Starts `alloy-lab up --json` and resolves with its first line (the control API). */
function startLab(args: string[], stdin: "ignore" | "pipe" = "ignore"): Promise<RunningLab> {
  const child = spawn(process.execPath, [CLI, "up", "--json", ...args], { stdio: [stdin, "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.once("line", (line) => {
      const handle = JSON.parse(line) as LabHandle;
      resolve({ child, ...handle, client: LabControlClient.of(handle) });
    });
    child.once("exit", (code) => reject(new Error(`lab exited (${code}): ${stderr}`)));
  });
}

/** A raw request, for what the typed client never sends: strangers, broken bodies, unknown paths. */
async function api(
  lab: RunningLab,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${lab.control}${path}`, {
    method,
    headers: { authorization: `Bearer ${lab.token}`, "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

describe("alloy-lab up and its control API", { timeout: 120_000 }, () => {
  const children: ChildProcess[] = [];
  after(() => {
    for (const c of children) c.kill("SIGKILL");
  });

  it("serves state, node actions, targets and the event stream; refuses strangers", async () => {
    const lab = await startLab(["--nodes", "3", "--lab.targets", "60"]);
    children.push(lab.child);
    const state = await lab.client.state();
    assert.equal(state.converged, true);
    assert.equal(state.nodes.length, 3);
    assert.equal(state.targets.length, 60);

    assert.equal((await fetch(`${lab.control}/api/lab/state`)).status, 401);
    assert.equal((await api(lab, "GET", "/api/lab/state", undefined, { authorization: "Bearer nope" })).status, 401);
    assert.equal((await api(lab, "GET", "/api/lab/state", undefined, { origin: "http://evil.example" })).status, 403);
    assert.equal((await api(lab, "POST", "/api/lab/nodes", "{not json")).status, 400);
    assert.equal((await api(lab, "POST", "/api/lab/nodes", "x".repeat(2 << 20))).status, 413);
    assert.equal((await api(lab, "POST", "/api/lab/nodes/nobody/kill")).status, 404);
    assert.equal((await api(lab, "POST", "/api/lab/partition", { groups: [["alloy-0"]] })).status, 400);
    // The refusals are counted, and the log has the lab's start.
    const rejected = await lab.client.metrics();
    for (const code of [400, 401, 403, 404, 413])
      assert.match(rejected, new RegExp(`^lab_control_requests_rejected_total\\{code="${code}"\\} [1-9]`, "m"), String(code));
    assert.equal((await lab.client.events()).filter((e) => e.kind === "node-started").length, 3);

    // The stream: the whole state first, then pushed changes and events; no GET from here on.
    const events: LabEvent[] = [];
    let live: LabState | undefined;
    let states = 0;
    const watch = lab.client.watch({
      state: (st) => {
        live = st;
        states++;
      },
      event: (e) => events.push(e),
    });
    await until(() => live, "the first pushed state");

    const extra = await lab.client.addNode({ name: "extra" });
    assert.equal(extra.name, "extra");
    const rebalance = await until(() => events.find((e) => e.kind === "rebalance" && e.participants.includes("extra")), "the rebalance of the join");
    assert.equal(rebalance.kind === "rebalance" && rebalance.totalTargets, 60);
    await until(() => live!.converged && live!.nodes.some((n) => n.name === "extra" && n.running), "the pushed state to show the join");

    await lab.client.node("alloy-1", "kill");
    await until(() => live!.converged && live!.nodes.filter((n) => n.running).length === 3, "three live nodes, converged (pushed)");
    await lab.client.setTargets({ count: 10 });
    await until(() => live!.converged && live!.targets.length === 10 && live!.targets.every((t) => t.owners.length === 1), "the 10 new targets (pushed)");
    // What the pushes built is what the lab says when asked.
    const asked = await lab.client.state();
    assert.deepEqual(
      live!.targets.map((t) => [t.key, t.owners]),
      asked.targets.map((t) => [t.key, t.owners]),
    );
    assert.ok(states > 3, `${states} states pushed`);
    await assert.rejects(lab.client.node("nobody", "stop"), (err: LabControlError) => err.status === 404 && /no running node named nobody/.test(err.message));
    watch.close();

    const pids = live!.nodes.filter((n) => n.running).map((n) => n.pid!);
    lab.child.kill("SIGINT");
    await new Promise((r) => lab.child.once("exit", r));
    for (const pid of pids) assert.ok(gone(pid), `node ${pid} outlived the lab`);
  });

  it("keeps running when its standard input ends (`true | alloy-lab up --json`), until a signal", async () => {
    const lab = await startLab(["--nodes", "2", "--lab.targets", "10"], "pipe");
    children.push(lab.child);
    lab.child.stdin!.end();
    // Still there after its input ended: it adds a node and converges with it.
    await lab.client.addNode({ name: "late" });
    await until(async () => {
      const s = await lab.client.state();
      return s.converged && s.nodes.filter((n) => n.running).length === 3;
    }, "the late node to join");
    lab.child.kill("SIGTERM");
    assert.equal(await new Promise((r) => lab.child.once("exit", r)), 0);
  });

  it("stops, with every node, when the process given as --owner-pid is gone", async () => {
    const owner = spawn(process.execPath, ["-e", "setInterval(() => {}, 1e6)"], { stdio: "ignore" });
    children.push(owner);
    const lab = await startLab(["--nodes", "2", "--lab.targets", "10", "--owner-pid", String(owner.pid)]);
    children.push(lab.child);
    const pids = (await lab.client.state()).nodes.map((n) => n.pid!);
    owner.kill("SIGKILL");
    await until(() => gone(lab.child.pid!) && pids.every(gone), "the lab and its nodes to stop after their owner", 30_000);
  });

  // How fast they go is measured by the lab bench (orphanCleanupMs), not asserted here.
  it("takes every node down when the supervisor is SIGKILLed", async () => {
    const lab = await startLab(["--nodes", "3"]);
    children.push(lab.child);
    const pids = (await lab.client.state()).nodes.map((n) => n.pid!);
    lab.child.kill("SIGKILL");
    await until(() => pids.every(gone), "every node process to be gone", 30_000);
  });

  it("runs a config whose path has spaces and quotes (children get argument arrays, never a shell)", async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lab-")), "dir with space $HOME");
    fs.mkdirSync(dir);
    const file = path.join(dir, `it's "quoted".alloy`);
    fs.writeFileSync(file, 'prometheus.scrape "spaced" {\n  targets    = [{"__address__" = "127.0.0.1:1"}]\n  forward_to = []\n}\n');
    const lab = await startLab(["--nodes", "1", "--config", file]);
    children.push(lab.child);
    const state = await lab.client.state();
    assert.deepEqual(
      state.components.map((c) => c.id),
      ["prometheus.scrape.spaced"],
    );
    lab.child.kill("SIGTERM");
    await new Promise((r) => lab.child.once("exit", r));
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it("rejects bad arguments and a broken config with a clear message", async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const c = spawn(process.execPath, [CLI, "up", ...args], { stdio: ["ignore", "ignore", "pipe"] });
        let stderr = "";
        c.stderr!.on("data", (d) => (stderr += d));
        c.on("exit", (code) => resolve({ code, stderr }));
      });
    const bad = await run(["--nodes", "0"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--nodes must be/);
    const fast = await run(["--lab.scrape-interval", "100ms"]);
    assert.equal(fast.code, 2);
    assert.match(fast.stderr, /--lab.scrape-interval must be a duration from 1s to 1h/);
    const remote = await run(["--control", "0.0.0.0:1234"]);
    assert.match(remote.stderr, /loopback only/);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lab-")), "broken.alloy");
    fs.writeFileSync(file, "a = [1\n");
    const broken = await run(["--config", file]);
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /broken\.alloy:2:1: /);
  });
});
