import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { describe, it } from "node:test";
import type { LabHandle } from "../../runtime/src/protocol/controlContract";
import { LabControlClient } from "../../runtime/src/protocol/labControlClient";
import { CLI } from "../support/cli";
import { descendants, gone } from "../support/processes";
import { until } from "../support/until";

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer().once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

/** Listening TCP sockets of these processes, as "address:port" (from /proc: no tool needed). */
function listeningAddresses(pids: number[]): string[] {
  const inodes = new Set<string>();
  for (const pid of pids) {
    for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
      const target = (() => {
        try {
          return fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
        } catch {
          return "";
        }
      })();
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m) inodes.add(m[1]);
    }
  }
  const out: string[] = [];
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of fs.readFileSync(file, "utf8").trim().split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[3] !== "0A" || !inodes.has(f[9])) continue; // 0A: LISTEN
      const [hexAddr, hexPort] = f[1].split(":");
      const port = parseInt(hexPort, 16);
      const addr =
        hexAddr.length === 8
          ? (hexAddr.match(/../g) ?? [])
              .reverse()
              .map((h) => parseInt(h, 16))
              .join(".")
          : hexAddr === "00000000000000000000000001000000"
            ? "::1"
            : `[${hexAddr}]`;
      out.push(`${addr}:${port}`);
    }
  }
  return out.sort();
}

describe("process ownership: labs leave nothing behind", { timeout: 300_000 }, () => {
  // How fast the children go after a SIGKILL is a machine-dependent figure: the lab bench measures it.
  it("4 labs in a row, half ended by SIGKILL of the supervisor: every node and the farm exit, no port or temp dir is left", async () => {
    // The labs get a temp folder of their own (tests beside this one make and remove theirs in the shared one).
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "alloy-lab-ownership-"));
    const ports: number[] = [];
    const killWaits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const child = spawn(process.execPath, [CLI, "up", "--json", "--nodes", "2", "--lab.targets", "20"], {
        stdio: ["pipe", "pipe", "pipe"],
        env: { ...process.env, TMPDIR: tmp },
      });
      const first = await new Promise<string>((resolve, reject) => {
        readline.createInterface({ input: child.stdout! }).once("line", resolve);
        child.once("exit", (code) => reject(new Error(`lab ${i} exited with ${code}`)));
      });
      const client = LabControlClient.of(JSON.parse(first) as LabHandle);
      const state = await client.state();
      ports.push(Number(new URL(client.url).port), ...state.nodes.map((n) => Number(n.addr.split(":")[1])));
      const owned = descendants(child.pid!);
      assert.ok(owned.length >= 3, `lab ${i}: a farm and two nodes run under the supervisor (${owned.length})`);
      if (i % 2 === 0) {
        child.kill("SIGKILL"); // no clean-up code runs: the children must notice on their own
        const killedAt = Date.now();
        await until(() => owned.every(gone), "the lab's children to exit after the SIGKILL", 30_000);
        killWaits.push(Date.now() - killedAt);
      } else {
        child.kill("SIGTERM");
        await until(() => gone(child.pid!) && owned.every(gone), "the lab and its children to exit after SIGTERM", 30_000);
      }
    }
    for (const p of ports) assert.ok(await portFree(p), `port ${p} is still taken`);
    assert.deepEqual(fs.readdirSync(tmp), [], "no temp file or dir left behind");
    fs.rmdirSync(tmp);
    assert.equal(killWaits.length, 2);
  });

  it("every socket the lab listens on (control API, target farm, nodes) is on 127.0.0.1", async () => {
    const child = spawn(process.execPath, [CLI, "up", "--json", "--nodes", "2", "--lab.targets", "10"], { stdio: ["pipe", "pipe", "pipe"] });
    try {
      await new Promise<string>((resolve, reject) => {
        readline.createInterface({ input: child.stdout! }).once("line", resolve);
        child.once("exit", (code) => reject(new Error(`lab exited with ${code}`)));
      });
      const listening = listeningAddresses([child.pid!, ...descendants(child.pid!)]);
      assert.ok(listening.length >= 4, `control API, farm and two nodes listen: ${listening.join(" ")}`);
      assert.deepEqual(
        listening.filter((a) => !a.startsWith("127.0.0.1:")),
        [],
        "nothing listens beyond loopback",
      );
    } finally {
      child.kill("SIGKILL");
    }
  });
});
