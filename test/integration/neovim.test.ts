/**
 * The language server in a real second editor: Debian's Neovim, headless, with its built-in LSP client
 * started as the README's Neovim guide starts it (test/editors/neovim.lua drives it).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { CLI, runCli } from "../support/cli";
import { gone } from "../support/processes";
import { until } from "../support/until";

const nvim = spawnSync("nvim", ["--version"], { encoding: "utf8" });
const missing = nvim.status === 0 ? false : "nvim is not installed (apt-get install neovim)";
const SCRIPT = path.join(__dirname, "..", "editors", "neovim.lua");

const CONFIG = `prometheus.scrape "pods" {
  targets    = []
  forward_to = []
  scrape_intervl = "10s"

  clustering {
    enabled = true
  }
}
`;

const COMPOSE = `services:
  alloy:
    image: grafana/alloy
    command: run --cluster.enabled=true --cluster.wait-for-size=three /etc/alloy
`;

interface NeovimResult {
  error?: string;
  pid: number;
  config_diagnostics: { code: string; line: number; message: string }[];
  compose_diagnostics: { code: string; line: number; message: string }[];
  hover: string;
  completion: string[];
  actions: string[];
  formatted: string;
}

describe("the language server in Neovim (headless, built-in LSP client)", { skip: missing, timeout: 120_000 }, () => {
  it("shows diagnostics with codes, hovers, completes, quick-fixes, formats as alloy-lab fmt, and stops with Neovim", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "alloy-lab-nvim-"));
    try {
      fs.writeFileSync(path.join(dir, "config.alloy"), CONFIG);
      fs.writeFileSync(path.join(dir, "compose.yaml"), COMPOSE);
      const resultFile = path.join(dir, "result.json");
      const run = spawnSync("nvim", ["--headless", "-u", "NONE", "-c", `luafile ${SCRIPT}`], {
        env: { ...process.env, ALLOY_LAB_CLI: CLI, ALLOY_LAB_DIR: dir, ALLOY_LAB_RESULT: resultFile },
        encoding: "utf8",
        timeout: 90_000,
      });
      assert.equal(run.status, 0, run.stderr);
      const r = JSON.parse(fs.readFileSync(resultFile, "utf8")) as NeovimResult;
      assert.equal(r.error, undefined, r.error);

      assert.deepEqual(
        r.config_diagnostics.map((d) => [d.code, d.line]),
        [["alloy/unknown-argument", 3]],
      );
      assert.ok(
        r.compose_diagnostics.some((d) => d.code === "cluster-flag/invalid-value" && /wait-for-size/.test(d.message)),
        JSON.stringify(r.compose_diagnostics),
      );
      assert.match(r.hover, /512 tokens per node/);
      assert.ok(r.completion.includes("scrape_interval"), JSON.stringify(r.completion.slice(0, 20)));
      assert.ok(
        r.actions.some((t) => /scrape_interval/.test(t)),
        JSON.stringify(r.actions),
      );
      // The quick fix and formatting applied by Neovim give exactly what alloy-lab fmt gives for the fixed file.
      const expected = runCli(["fmt"], CONFIG.replace("scrape_intervl", "scrape_interval"));
      assert.equal(r.formatted, expected.stdout);
      // Neovim stopped the server when it quit.
      await until(() => gone(r.pid) || undefined, "the language server to exit with Neovim");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
