/**
 * End to end in a real VS Code (code-server + Chromium): the packaged .vsix installed as a user would,
 * diagnostics in the Problems view, hover, a quick fix, formatting that matches `alloy-lab fmt`, then a lab
 * started from the command palette, a node killed, the rebalance shown, the lab stopped with nothing left
 * running; a cluster outside VS Code attached by URL; the language server's crash limit. Screenshots of
 * every step go to test/e2e/screenshots/.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { after, before, describe, it } from "node:test";
import { runCli } from "../support/cli";
import {
  acceptQuickInput,
  applyQuickFix,
  typeIntoQuickInput,
  openFile,
  openVsCode,
  processesMentioning,
  runCommand,
  until,
  type VsCode,
} from "./support/codeServer";
import type { Page } from "playwright-core";
import { missingPrerequisite } from "./support/e2eTools";

const REPO = path.join(__dirname, "..", "..");
const SCREENSHOTS = path.join(__dirname, "screenshots");
const STEP_TIMEOUT = 60_000;

/**
 * Runs `command` and clicks the row `row` of the picker titled `title`. The picker can close again at once
 * when something else takes the focus (a view refreshing): it is opened again, a few times, as runCommand
 * does for the palette.
 */
async function pickAfterCommand(page: Page, command: string, title: string, row: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await runCommand(page, command);
    try {
      await page.locator(".quick-input-widget .quick-input-title", { hasText: title }).waitFor({ state: "visible", timeout: 10_000 });
      await page.locator(".quick-input-list .monaco-list-row", { hasText: row }).first().click({ timeout: 10_000 });
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
      await page.keyboard.press("Escape");
    }
  }
}

// Twelve static targets on ports nothing listens on: ownership and rebalancing need no exporter.
const TARGETS = Array.from({ length: 12 }, (_, i) => `{"__address__" = "127.0.0.1:${19100 + i}"}`).join(", ");
const SCRAPE_ALLOY = `prometheus.scrape "app" {
  targets    = [${TARGETS}]
  forward_to = []
  clustering {
    enabled = true
  }
  scrape_intervl = "2s"
}
`;

const STATEFULSET = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: alloy
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: alloy
          image: grafana/alloy:latest
          args:
            - run
            - /etc/alloy/config.alloy
            - --cluster.enabled=true
            - --cluster.wait-for-size=abc
            - --cluster.join-addresses=alloy-0.alloy:12345
            - --cluster.discover-peers=provider=k8s
`;

// Targets from discovery the lab cannot run: simulated by its farm.
const DISCOVERY_ALLOY = `discovery.kubernetes "pods" {
  role = "pod"
}

prometheus.scrape "pods" {
  targets    = discovery.kubernetes.pods.targets
  forward_to = []
  clustering {
    enabled = true
  }
}
`;

const BROKEN_ALLOY = `logging {
  level = "info"
`;

const missing = missingPrerequisite();

describe("VS Code end to end", { skip: missing, timeout: 10 * 60_000 }, () => {
  let vscode: VsCode;

  before(async () => {
    const vsix = path.join(fs.mkdtempSync(path.join(REPO, "dist", "e2e-")), "alloy-cluster-lab.vsix");
    const pack = spawnSync(process.execPath, [path.join(REPO, "scripts", "package-vsix.mjs"), vsix], {
      cwd: REPO,
      encoding: "utf8",
    });
    assert.equal(pack.status, 0, pack.stderr);
    vscode = await openVsCode(
      vsix,
      { "scrape.alloy": SCRAPE_ALLOY, "deploy/alloy.yaml": STATEFULSET, "broken/broken.alloy": BROKEN_ALLOY, "sim/discovery.alloy": DISCOVERY_ALLOY },
      SCREENSHOTS,
    );
    fs.rmSync(path.dirname(vsix), { recursive: true, force: true });
  });

  /** A test step that leaves a screenshot of the window when it fails. */
  const step = (name: string, timeout: number, body: () => Promise<void>): void => {
    it(name, { timeout }, async () => {
      try {
        await body();
      } catch (err) {
        await vscode?.screenshot(`failed-${name.replace(/\W+/g, "-")}`).catch(() => undefined);
        throw err;
      }
    });
  };

  after(async () => {
    await vscode?.close();
    if (vscode) fs.rmSync(vscode.root, { recursive: true, force: true });
  });

  step("shows a syntax error, a misspelt argument, a bad --cluster value and conflicting flags in the Problems view", STEP_TIMEOUT, async () => {
    const { page } = vscode;
    await openFile(page, "broken.alloy");
    await openFile(page, "alloy.yaml");
    await openFile(page, "scrape.alloy");
    await runCommand(page, "Problems: Focus on Problems View");
    const problems = page.locator(".markers-panel");
    await problems.getByText('unrecognized attribute name "scrape_intervl"; did you mean "scrape_interval"?').waitFor({ timeout: 30_000 });
    await problems.getByText("invalid value for --cluster.wait-for-size").waitFor({ timeout: 30_000 });
    await problems.getByText("at most one of join peers and discover peers may be set").first().waitFor({ timeout: 30_000 });
    await problems.getByText("expected }, got EOF").first().waitFor({ timeout: 30_000 });
    await vscode.screenshot("01-problems");
  });

  step("explains the clustering block on hover", STEP_TIMEOUT, async () => {
    const { page } = vscode;
    await openFile(page, "scrape.alloy");
    await runCommand(page, "Go to Line/Column");
    await page.keyboard.type("4:5");
    await page.keyboard.press("Enter");
    await until(page, () => runCommand(page, "Show or Focus Hover"), page.locator(".monaco-hover").getByText("512 tokens per node"));
    await vscode.screenshot("02-hover");
    await page.keyboard.press("Escape");
  });

  step("completes a component's arguments, outlines the file's components, and folds its blocks", STEP_TIMEOUT, async () => {
    const { page } = vscode;
    await openFile(page, "scrape.alloy");
    await runCommand(page, "Go to Line/Column");
    await page.keyboard.type("3:1");
    await page.keyboard.press("Enter");
    await page.keyboard.type("scrape_t");
    await until(page, () => runCommand(page, "Trigger Suggest"), page.locator(".suggest-widget .monaco-list-row", { hasText: "scrape_timeout" }));
    await vscode.screenshot("02a-completion");
    await page.keyboard.press("Escape");
    await runCommand(page, "File: Revert File"); // back to the file as written, for the steps after this one

    await runCommand(page, "Explorer: Focus on Outline View");
    const outline = page.locator(".outline-pane .monaco-list-row, [id='outline'] .monaco-list-row");
    await outline.filter({ hasText: "prometheus.scrape" }).first().waitFor({ timeout: 30_000 });
    await runCommand(page, "Fold All");
    await page.locator(".monaco-editor .codicon-folding-collapsed, .monaco-editor .inline-folded").first().waitFor({ timeout: 30_000 });
    await vscode.screenshot("02b-outline-folded");
    await runCommand(page, "Unfold All");
  });

  step("fixes the misspelling with a quick fix and formats the file exactly as alloy fmt does", STEP_TIMEOUT, async () => {
    const { page } = vscode;
    await openFile(page, "scrape.alloy");
    await runCommand(page, "Go to Line/Column");
    await page.keyboard.type("7:5");
    await page.keyboard.press("Enter");
    await applyQuickFix(page, "Change to scrape_interval");
    await runCommand(page, "Format Document");
    await runCommand(page, "File: Save");
    const file = path.join(vscode.workspace, "scrape.alloy");
    const expected = runCli(["fmt"], SCRAPE_ALLOY.replace("scrape_intervl", "scrape_interval")).stdout;
    assert.notEqual(expected, "");
    await waitFor(() => fs.readFileSync(file, "utf8") === expected, "the saved file to match alloy-lab fmt").catch(() =>
      assert.equal(fs.readFileSync(file, "utf8"), expected),
    );
    await runCommand(page, "Problems: Focus on Problems View");
    await page.locator(".markers-panel").getByText("scrape_intervl").waitFor({ state: "detached", timeout: 30_000 });
    await vscode.screenshot("03-fixed-and-formatted");
  });

  step("starts a three-node lab from the command palette and shows it converged", 2 * STEP_TIMEOUT, async () => {
    const { page } = vscode;
    await runCommand(page, "Alloy Lab: Start Lab");
    await acceptQuickInput(page, "Nodes"); // 3, the default
    await acceptQuickInput(page, "Timing profile"); // fast, the first
    await page.locator(".statusbar-item", { hasText: "Lab: 3/3 · converged" }).waitFor({ timeout: 60_000 });
    await runCommand(page, "Alloy Cluster Lab: Focus on Cluster View");
    for (const name of ["alloy-0", "alloy-1", "alloy-2"]) {
      await page.locator(".monaco-list-row", { hasText: name }).first().waitFor();
    }
    assert.ok(
      processesMentioning(vscode.extensionsDir).some((p) => p.includes("node.js")),
      "lab node processes run from the installed extension",
    );
    await lensSplit(vscode, 3);
    await vscode.screenshot("04-lab-converged");
  });

  step("adds a node and shows the rebalance with the moved count", 2 * STEP_TIMEOUT, async () => {
    const { page } = vscode;
    await runCommand(page, "Alloy Lab: Add Node");
    await page.locator(".statusbar-item", { hasText: "Lab: 4/4 · converged" }).waitFor({ timeout: 60_000 });
    await runCommand(page, "Alloy Cluster Lab: Focus on Events View");
    await page
      .locator(".monaco-list-row", { hasText: /alloy-3 joined — \d+ of 12 targets moved \(ideal 1\/4 = 3\)/ })
      .first()
      .waitFor({ timeout: 30_000 });
    await lensSplit(vscode, 4);
    await vscode.screenshot("05-node-added");
  });

  step("draws the ring in a webview: four participants' token arcs and the targets", STEP_TIMEOUT, async () => {
    const { page } = vscode;
    await runCommand(page, "Alloy Lab: Show Ring");
    const ring = page.frameLocator("iframe.webview.ready").frameLocator("iframe#active-frame");
    await ring.locator("#legend tbody tr").nth(3).waitFor({ timeout: 30_000 });
    assert.equal(await ring.locator("#legend tbody tr").count(), 4);
    assert.ok((await ring.locator("svg path.arc").count()) > 100, "token arcs drawn");
    assert.equal(await ring.locator("svg circle.target").count(), 12);
    // A strict Content-Security-Policy: nothing by default, only its own nonce'd style and script, nothing remote.
    const csp = (await ring.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content")) ?? "";
    assert.match(csp, /^default-src 'none'; style-src 'nonce-[A-Za-z0-9+/=]+'; script-src 'nonce-[A-Za-z0-9+/=]+';$/);
    assert.equal(await ring.locator("script[src], link[href], img[src]").count(), 0, "loads nothing from outside the page");
    await vscode.screenshot("06-ring");
    await page.locator(".tab", { hasText: "Alloy Lab: Ring" }).locator(".tab-actions .action-label").click();
  });

  step("kills a node: it turns dead, its targets move to the survivors, the rebalance is listed", 2 * STEP_TIMEOUT, async () => {
    const { page } = vscode;
    await runCommand(page, "Alloy Lab: Kill Node (SIGKILL)");
    await page.locator(".quick-input-list .monaco-list-row", { hasText: "alloy-1" }).click();
    await page.locator(".statusbar-item", { hasText: "Lab: 3/4 · converged" }).waitFor({ timeout: 60_000 });
    await runCommand(page, "Alloy Cluster Lab: Focus on Cluster View");
    await page
      .locator(".monaco-list-row", { hasText: /alloy-1\s*dead/ })
      .first()
      .waitFor({ timeout: 30_000 });
    await runCommand(page, "Alloy Cluster Lab: Focus on Events View");
    await page.locator(".monaco-list-row", { hasText: "alloy-1 exited (SIGKILL)" }).first().waitFor({ timeout: 30_000 });
    await page
      .locator(".monaco-list-row", { hasText: /alloy-1 died — \d+ of 12 targets moved/ })
      .first()
      .waitFor({ timeout: 30_000 });
    // Targets grouped by owner: every one of the 12 is under a survivor.
    await waitForAsync(async () => {
      const groups = await ownerGroups(page);
      return groups.size > 0 && !groups.has("alloy-1") && [...groups.values()].reduce((a, b) => a + b, 0) === 12;
    }, "the Targets view to show all 12 targets under survivors");
    await vscode.screenshot("07-node-killed");
  });

  step("partitions and heals, stops and restarts a node, and groups targets by component", 2 * STEP_TIMEOUT, async () => {
    const { page } = vscode;
    await pickAfterCommand(page, "Alloy Lab: Partition…", "one side of the partition", "alloy-0");
    await page.keyboard.press("Enter");
    await page.locator(".statusbar-item", { hasText: "Lab: 3/4 · not converged" }).waitFor({ timeout: 30_000 });
    await runCommand(page, "Alloy Cluster Lab: Focus on Cluster View");
    await page
      .locator(".monaco-list-row", { hasText: /split view/ })
      .first()
      .waitFor({ timeout: 30_000 });
    await vscode.screenshot("07a-partitioned");
    await runCommand(page, "Alloy Lab: Heal");
    await page.locator(".statusbar-item", { hasText: "Lab: 3/4 · converged" }).waitFor({ timeout: 30_000 });

    await runCommand(page, "Alloy Lab: Stop Node (graceful)");
    await page.locator(".quick-input-list .monaco-list-row", { hasText: "alloy-3" }).click();
    await page.locator(".statusbar-item", { hasText: "Lab: 2/4 · converged" }).waitFor({ timeout: 30_000 });
    await runCommand(page, "Alloy Cluster Lab: Focus on Events View");
    await page
      .locator(".monaco-list-row", { hasText: /alloy-3 stopped — \d+ of 12 targets moved/ })
      .first()
      .waitFor({ timeout: 30_000 });

    await runCommand(page, "Alloy Lab: Restart Node");
    await page.locator(".quick-input-list .monaco-list-row", { hasText: "alloy-0" }).click();
    await page.locator(".monaco-list-row", { hasText: "alloy-0 exited" }).first().waitFor({ timeout: 30_000 });
    await page.locator(".statusbar-item", { hasText: "Lab: 2/4 · converged" }).waitFor({ timeout: 30_000 });

    await runCommand(page, "Alloy Lab: Group Targets by Component");
    await runCommand(page, "Alloy Cluster Lab: Focus on Targets View");
    await page
      .locator(".monaco-list-row", { hasText: /prometheus\.scrape\.app\s*12 targets/ })
      .first()
      .waitFor({ timeout: 30_000 });
    await vscode.screenshot("07b-stopped-restarted-by-component");
    await runCommand(page, "Alloy Lab: Group Targets by Owner");
  });

  step("runs a drill from the palette: its Timeline webview, and its report beside it", 3 * STEP_TIMEOUT, async () => {
    const { page } = vscode;
    await pickAfterCommand(page, "Alloy Lab: Run Drill…", "Run which drill", "partition");
    await typeIntoQuickInput(page, "Partition for how many seconds", "2");
    const timeline = page.frameLocator("iframe.webview.ready").frameLocator("iframe#active-frame");
    await timeline.locator("#figures").waitFor({ timeout: 120_000 });
    assert.match((await timeline.locator("h2").textContent()) ?? "", /Drill: partition/);
    assert.ok((await timeline.locator("svg polyline.node").count()) >= 1, "a line per node that scraped");
    const csp = (await timeline.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content")) ?? "";
    assert.match(csp, /^default-src 'none'; style-src 'nonce-[A-Za-z0-9+/=]+';$/);
    assert.equal(await timeline.locator("script").count(), 0, "no script at all");
    await page.locator(".tab", { hasText: "Untitled" }).first().waitFor({ timeout: 30_000 });
    await vscode.screenshot("07c-drill-timeline");
    await page.locator(".tab", { hasText: "Alloy Lab: partition" }).locator(".tab-actions .action-label").click();
  });

  step("stops the lab and leaves no process behind", STEP_TIMEOUT, async () => {
    const { page } = vscode;
    await runCommand(page, "Alloy Lab: Stop Lab");
    await page.locator(".statusbar-item", { hasText: "Lab:" }).waitFor({ state: "detached", timeout: 30_000 });
    await waitFor(
      () => !processesMentioning(vscode.extensionsDir).some((p) => p.includes("node.js") || p.includes("farm.js") || p.includes("cli.js")),
      "the lab's processes to exit",
    );
    await vscode.screenshot("08-lab-stopped");
  });

  step("changes a lab's simulated targets and opens a node's API", 2 * STEP_TIMEOUT, async () => {
    const { page } = vscode;
    await openFile(page, "discovery.alloy");
    await runCommand(page, "Alloy Lab: Start Lab");
    await acceptQuickInput(page, "Nodes");
    await acceptQuickInput(page, "Timing profile");
    await page.locator(".statusbar-item", { hasText: "Lab: 3/3 · converged" }).waitFor({ timeout: 60_000 });
    await runCommand(page, "Alloy Lab: Change Simulated Targets…");
    await typeIntoQuickInput(page, "Simulated targets", "40");
    await runCommand(page, "Alloy Cluster Lab: Focus on Targets View");
    await waitForAsync(async () => [...(await ownerGroups(page)).values()].reduce((a, b) => a + b, 0) === 40, "the Targets view to hold the 40 new targets");
    await vscode.screenshot("08a-simulated-targets");

    // Open Node API opens the node's Alloy peers endpoint in the browser.
    const opened = page.context().waitForEvent("page", { timeout: 30_000 });
    await runCommand(page, "Alloy Lab: Open Node API");
    await page.locator(".quick-input-list .monaco-list-row", { hasText: "alloy-1" }).click();
    const confirm = page.locator(".monaco-dialog-box .monaco-button", { hasText: "Open" });
    await confirm.click({ timeout: 5_000 }).catch(() => undefined); // VS Code may ask before opening a link
    const api = await opened;
    await api.waitForLoadState();
    // Straight to the node, or through code-server's port proxy (VS Code forwards localhost when remote).
    assert.match(api.url(), /^http:\/\/127\.0\.0\.1:\d+(\/proxy\/\d+)?\/api\/v0\/web\/peers$/);
    const peers = JSON.parse((await api.locator("body").textContent()) ?? "[]") as { name: string; isSelf: boolean }[];
    assert.deepEqual(
      peers.filter((p) => p.isSelf).map((p) => p.name),
      ["alloy-1"],
    );
    await api.close();
    await runCommand(page, "Alloy Lab: Stop Lab");
    await page.locator(".statusbar-item", { hasText: "Lab:" }).waitFor({ state: "detached", timeout: 30_000 });
  });

  step("attaches to a running cluster by URL, shows who owns what, and follows a node's death", 2 * STEP_TIMEOUT, async () => {
    const { page } = vscode;
    // A cluster running outside VS Code; its nodes serve Alloy's HTTP API as a real Alloy does.
    const outside = await startCliLab(3, 20);
    try {
      const state = (await outside.get("/api/lab/state")) as { nodes: { name: string; addr: string }[] };
      await runCommand(page, "Alloy Lab: Attach to Alloy Cluster…");
      await typeIntoQuickInput(page, "Attach to Alloy Cluster", `http://${state.nodes[0].addr}`);
      await page.locator(".statusbar-item", { hasText: "Attached: 3/3 · converged" }).waitFor({ timeout: 30_000 });
      await runCommand(page, "Alloy Cluster Lab: Focus on Cluster View");
      for (const n of state.nodes)
        await page
          .locator(".monaco-list-row", { hasText: new RegExp(`${n.name}\\s*\\d+ targets`) })
          .first()
          .waitFor();
      // Plan Scale from the targets the cluster really has: at its own size the plan splits them as its nodes do.
      const counts = new Map<string, number>();
      for (const n of state.nodes) {
        const ofNode = new RegExp(`${n.name}\\s*(\\d+) targets`);
        const row = (await page.locator(".monaco-list-row", { hasText: ofNode }).first().textContent()) ?? "";
        counts.set(n.name, Number(ofNode.exec(row)![1]));
      }
      await pickAfterCommand(page, "Alloy Lab: Plan Scale…", "Plan the cluster size for which targets?", "The attached cluster's targets");
      await acceptQuickInput(page, "Plan which cluster sizes?"); // 1..9 around its 3 nodes
      await acceptQuickInput(page, "Node names"); // alloy-{i}, as the cluster's nodes are named
      const plan = page.frameLocator("iframe.webview.ready").frameLocator("iframe#active-frame");
      await plan.locator("#plans").waitFor({ timeout: 30_000 });
      assert.match((await plan.locator("h2").textContent()) ?? "", /Scale plan: 1–9 nodes/);
      assert.equal(await plan.locator("#plans tbody tr").count(), 9);
      assert.match((await plan.locator("#plans tr.now").textContent()) ?? "", /^3 \(now\)/);
      assert.equal(await plan.locator("svg rect.spread").count(), 9);
      const planned = await plan
        .locator("details", { hasText: /^3 nodes/ })
        .locator("tbody tr")
        .evaluateAll((rows) => rows.map((r) => [r.children[0].textContent ?? "", Number(r.children[1].textContent)] as [string, number]));
      assert.deepEqual(new Map(planned), counts, "the plan at the cluster's size is the split its nodes report");
      await vscode.screenshot("09b-scale-plan");
      await page.locator(".tab", { hasText: "Alloy Lab: Scale Plan" }).locator(".tab-actions .action-label").click();

      await outside.post(`/api/lab/nodes/${state.nodes[2].name}/kill`);
      await page.locator(".statusbar-item", { hasText: "Attached: 2/2 · converged" }).waitFor({ timeout: 30_000 });
      await runCommand(page, "Alloy Cluster Lab: Focus on Events View");
      await page
        .locator(".monaco-list-row", { hasText: new RegExp(`${state.nodes[2].name} left — \\d+ of 20 targets moved`) })
        .first()
        .waitFor({ timeout: 30_000 });
      await vscode.screenshot("09-attached");
      await runCommand(page, "Alloy Lab: Detach from Alloy Cluster");
      await page.locator(".statusbar-item", { hasText: "Attached:" }).waitFor({ state: "detached", timeout: 30_000 });
    } finally {
      await outside.stop();
    }
  });

  step("restarts the language server after a crash, stops after the fifth within 3 minutes, and restarts on request", 2 * STEP_TIMEOUT, async () => {
    const { page } = vscode;
    const serverPids = (): number[] =>
      processesMentioning(path.join(vscode.extensionsDir))
        .filter((p) => p.includes("server.js"))
        .map((p) => Number(p.trim().split(/\s+/)[0]));
    const hoverWorks = async (): Promise<void> => {
      await openFile(page, "scrape.alloy");
      await runCommand(page, "Go to Line/Column");
      await page.keyboard.type("5:5"); // `clustering`, since the formatting step
      await page.keyboard.press("Enter");
      await until(page, () => runCommand(page, "Show or Focus Hover"), page.locator(".monaco-hover").getByText("512 tokens per node"));
      await page.keyboard.press("Escape");
    };
    let pids = serverPids();
    assert.equal(pids.length, 1, "one language server runs");
    for (let crash = 1; crash <= 5; crash++) {
      const before = pids[0];
      process.kill(before, "SIGKILL");
      if (crash < 5) {
        await waitFor(() => (pids = serverPids()).length === 1 && pids[0] !== before, `a new language server after crash ${crash}`);
        await hoverWorks(); // the new server answers (and is running, so the next kill counts as a crash)
      }
    }
    await page.locator(".notifications-toasts", { hasText: "crashed 5 times in the last 3 minutes" }).waitFor({ timeout: 30_000 });
    await vscode.screenshot("10-server-crash-limit");
    assert.deepEqual(serverPids(), [], "not restarted a fifth time");
    await runCommand(page, "Alloy Lab: Restart Language Server");
    await waitFor(() => serverPids().length === 1, "the language server to start on request");
    await hoverWorks();
  });

  step("leaves no lab process behind when VS Code itself is killed", 2 * STEP_TIMEOUT, async () => {
    const { page } = vscode;
    await openFile(page, "scrape.alloy"); // the lab runs the active .alloy file
    await runCommand(page, "Alloy Lab: Start Lab");
    await acceptQuickInput(page, "Nodes");
    await acceptQuickInput(page, "Timing profile");
    await page.locator(".statusbar-item", { hasText: "Lab: 3/3 · converged" }).waitFor({ timeout: 60_000 });
    const labProcesses = () => processesMentioning(vscode.extensionsDir).filter((p) => p.includes("node.js") || p.includes("farm.js") || p.includes("cli.js"));
    assert.ok(labProcesses().length >= 4, "a supervisor, a target farm and three nodes");
    // A node dying on its own (not stopped or killed from the lab) is the one thing worth a notification.
    const node = labProcesses().find((p) => p.includes("node.js") && p.includes("--cluster.node-name=alloy-2"));
    assert.ok(node, "node alloy-2 runs");
    process.kill(Number(node.trim().split(/\s+/)[0]), "SIGKILL");
    await page.locator(".notifications-toasts", { hasText: "alloy-2 exited (SIGKILL) unexpectedly" }).waitFor({ timeout: 30_000 });
    await vscode.screenshot("11-node-crashed");
    process.kill(vscode.serverPid, "SIGKILL"); // no clean shutdown: the extension's deactivate never runs
    await waitFor(() => labProcesses().length === 0, "every lab process to exit after VS Code died");
  });
});

/** The Targets view grouped by owner: each node's row and its count (label and description read apart). */
async function ownerGroups(page: VsCode["page"]): Promise<Map<string, number>> {
  const groups = new Map<string, number>();
  for (const row of await page.locator(".monaco-list-row").all()) {
    // allTextContents does not wait for an element that is not there.
    const name = (await row.locator(".label-name").allTextContents())[0]?.trim() ?? "";
    const description = (await row.locator(".label-description").allTextContents())[0]?.trim() ?? "";
    const count = /^(\d+) targets?$/.exec(description);
    if (/^alloy-\d+$/.test(name) && count) groups.set(name, Number(count[1]));
  }
  return groups;
}

/** `alloy-lab up --json` run by the test itself, with a client for its control API. */
async function startCliLab(
  nodes: number,
  targets: number,
): Promise<{ get(p: string): Promise<unknown>; post(p: string): Promise<unknown>; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [path.join(REPO, "dist", "cli.js"), "up", "--json", "--nodes", String(nodes), "--lab.targets", String(targets)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const first = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`alloy-lab up exited with ${code}`)));
  });
  const { control, token } = JSON.parse(first) as { control: string; token: string };
  const call = async (method: string, p: string): Promise<unknown> =>
    (await fetch(`${control}${p}`, { method, headers: { authorization: `Bearer ${token}` } })).json();
  return {
    get: (p) => call("GET", p),
    post: (p) => call("POST", p),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** The CodeLens over scrape.alloy's clustering block shows `nodes` nodes owning all 12 targets between them. */
async function lensSplit(vscode: VsCode, nodes: number): Promise<void> {
  const lens = vscode.page.locator(".codelens-decoration", { hasText: `${nodes} nodes · owns` });
  await lens.first().waitFor({ timeout: 30_000 });
  await waitForAsync(async () => {
    const m = /owns ([\d /]+) targets/.exec((await lens.first().textContent()) ?? "");
    const counts = m ? m[1].split(" / ").map(Number) : [];
    return counts.length === nodes && counts.reduce((a, b) => a + b, 0) === 12;
  }, `the CodeLens to split 12 targets over ${nodes} nodes`);
}

function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  return waitForAsync(async () => condition(), what, timeoutMs);
}

async function waitForAsync(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
