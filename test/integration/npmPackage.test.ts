/**
 * The npm package as users get it: `npm pack`, installed offline into an empty folder, and its `alloy-lab`
 * run from there — help, check, fmt and the language server over stdio.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node";

const REPO = path.join(__dirname, "..", "..");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

describe("the npm package, installed offline in an empty folder", { timeout: 180_000 }, () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "alloy-lab-package-"));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("installs without the network and its alloy-lab answers help, check, fmt and LSP over stdio", async () => {
    // dist/ is built already (npm test builds first); `prepare` would rebuild it under the tests running beside.
    const pack = spawnSync(NPM, ["pack", "--ignore-scripts", "--pack-destination", root, "--json"], { cwd: REPO, encoding: "utf8" });
    assert.equal(pack.status, 0, pack.stderr);
    const [{ filename, files }] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    const packed = files.map((f) => f.path);
    for (const f of ["dist/cli.js", "dist/server.js", "dist/node.js", "dist/farm.js", "README.md", "LICENSE", "package.json"]) assert.ok(packed.includes(f), f);
    assert.ok(!packed.some((f) => f.startsWith("test/") || f.endsWith(".ts")), "no sources or tests in the package");

    const project = path.join(root, "empty");
    fs.mkdirSync(project);
    const install = spawnSync(NPM, ["install", "--offline", "--no-audit", "--no-fund", "--no-save", path.join(root, filename)], {
      cwd: project,
      encoding: "utf8",
    });
    assert.equal(install.status, 0, install.stderr);
    const bin = path.join(project, "node_modules", ".bin", "alloy-lab");
    const run = (args: string[], input?: string) => spawnSync(bin, args, { cwd: project, input, encoding: "utf8" });

    assert.match(run(["--help"]).stdout, /^Usage: alloy-lab COMMAND/);
    fs.writeFileSync(path.join(project, "bad.alloy"), 'prometheus.scrape "a" {\n  targets = []\n  forward_to = []\n  scrape_intervl = "1s"\n}\n');
    const check = run(["check", "bad.alloy"]);
    assert.equal(check.status, 1);
    assert.match(check.stdout, /^bad\.alloy:4:3: error alloy\/unknown-argument /);
    assert.equal(run(["fmt"], "a=1\nlong=2\n").stdout, "a    = 1\nlong = 2\n");

    const server = spawn(bin, ["lsp", "--stdio"], { cwd: project, stdio: ["pipe", "pipe", "inherit"] });
    const connection = createMessageConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
    connection.listen();
    const init = (await connection.sendRequest("initialize", { processId: process.pid, rootUri: null, capabilities: {} })) as {
      serverInfo?: { name: string };
      capabilities: { documentFormattingProvider?: boolean };
    };
    assert.equal(init.serverInfo?.name, "alloy-cluster-lab-language-server");
    assert.equal(init.capabilities.documentFormattingProvider, true);
    await connection.sendRequest("shutdown");
    const exited = new Promise((resolve) => server.once("exit", resolve));
    await connection.sendNotification("exit");
    await exited;
    connection.dispose();
  });
});
