/**
 * A real VS Code for the end-to-end tests: code-server on a loopback port with our packaged extension
 * installed, and Chromium driven by playwright-core. Everything lives in one temporary directory, and
 * code-server runs in its own process group so closing it takes the extension host and whatever the
 * extension started with it.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { CHROMIUM, CODE_SERVER_BIN, codeServerEnv } from "./e2eTools";

const USER_SETTINGS = {
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "security.workspace.trust.enabled": false,
  "extensions.ignoreRecommendations": true,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "window.restoreWindows": "none",
  "files.autoSave": "off",
  // What a test does not need and would spend the two cores on, beside the tests that run with it: motion and
  // a blinking cursor (Chromium renders in software here), the minimap, the git extension's scans, npm script
  // detection.
  "workbench.reduceMotion": "on",
  "editor.cursorBlinking": "solid",
  "editor.minimap.enabled": false,
  "git.enabled": false,
  "npm.autoDetect": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  // No chat panel beside the editor: more room for what the screenshots show.
  "chat.disableAIFeatures": true,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
};

export interface VsCode {
  page: Page;
  /** The temporary directory holding the workspace, user data and extensions. */
  root: string;
  workspace: string;
  extensionsDir: string;
  /** code-server's own process (the one a user's `code-server` command starts). */
  serverPid: number;
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function waitForListening(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = "";
    const timer = setTimeout(() => reject(new Error(`code-server did not start in ${timeoutMs} ms:\n${log}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      log += chunk.toString();
      if (log.includes("HTTP server listening")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (${code}):\n${log}`));
    });
  });
}

/** Starts code-server on `files` (name → content) with the .vsix installed, and opens it in Chromium. */
export async function openVsCode(vsix: string, files: Record<string, string>, screenshotDir: string): Promise<VsCode> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "alloy-lab-e2e-"));
  const workspace = path.join(root, "workspace");
  const userDataDir = path.join(root, "user-data");
  const extensionsDir = path.join(root, "extensions");
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true });
    fs.writeFileSync(path.join(workspace, name), text);
  }
  fs.mkdirSync(path.join(userDataDir, "User"), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, "User", "settings.json"), JSON.stringify(USER_SETTINGS, null, 2));

  const dirs = ["--user-data-dir", userDataDir, "--extensions-dir", extensionsDir];
  const install = spawnSync(CODE_SERVER_BIN, [...dirs, "--install-extension", vsix], { env: codeServerEnv(), encoding: "utf8", timeout: 60_000 });
  if (install.status !== 0) throw new Error(`installing ${vsix} failed:\n${install.stdout}${install.stderr}`);

  const port = await freePort();
  const server = spawn(
    CODE_SERVER_BIN,
    [
      ...dirs,
      "--auth",
      "none",
      "--bind-addr",
      `127.0.0.1:${port}`,
      "--disable-telemetry",
      "--disable-update-check",
      "--disable-workspace-trust",
      "--disable-getting-started-override",
      workspace,
    ],
    { env: codeServerEnv(), detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  let browser: Browser | undefined;
  const killGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-server.pid!, signal);
    } catch {
      // the whole group is gone
    }
  };
  const close = async (): Promise<void> => {
    await browser?.close().catch(() => undefined);
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server.once("exit", resolve));
      killGroup("SIGTERM");
      const timer = setTimeout(() => killGroup("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
    // code-server's helpers (file watcher, agent host) may outlive a killed server process: never leave them.
    killGroup("SIGKILL");
  };
  try {
    await waitForListening(server, 60_000);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
    fs.mkdirSync(screenshotDir, { recursive: true });
    return {
      page,
      root,
      workspace,
      extensionsDir,
      serverPid: server.pid!,
      screenshot: async (name) => void (await page.screenshot({ path: path.join(screenshotDir, `${name}.png`) })),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * Runs a command from the command palette by its title, accepting the first match. The palette can close
 * again at once when something else takes the focus just then (a view refreshing, a notification): it is
 * opened again, a few times, before giving up.
 */
export async function runCommand(page: Page, title: string): Promise<void> {
  const input = page.locator(".quick-input-widget input");
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press("F1");
    try {
      await input.waitFor({ timeout: 10_000 });
      await input.fill(`>${title}`, { timeout: 5_000 });
      break;
    } catch (err) {
      if (attempt >= 3) throw err;
      await page.keyboard.press("Escape");
    }
  }
  // Take the row with exactly this label: the first row may be a recently used command or a fuzzier match.
  // Chosen with the keyboard, not a click: a hover left open over the list (a command's description) takes
  // the click.
  const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(\\.\\.\\.|…)?$`);
  const row = page
    .locator(".quick-input-list .monaco-list-row")
    .filter({ has: page.locator(".label-name", { hasText: exact }) })
    .first();
  const index = Number(await row.getAttribute("data-index"));
  for (let i = 0; i < index; i++) await page.keyboard.press("ArrowDown");
  await page
    .locator(".quick-input-list .monaco-list-row.focused")
    .filter({ has: page.locator(".label-name", { hasText: exact }) })
    .waitFor({ timeout: 5_000 });
  await page.keyboard.press("Enter");
}

/**
 * Does `action` until `shows` appears. A hover or a code action asked for right after the cursor moved can
 * come before VS Code has the answer for the new position, and then nothing opens: ask again a few times.
 */
export async function until(page: Page, action: () => Promise<void>, shows: Locator, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await action();
    try {
      await shows.waitFor({ timeout: 5_000 });
      return;
    } catch (err) {
      if (attempt === attempts) throw err;
      await page.keyboard.press("Escape");
    }
  }
}

/** Applies the quick fix titled `title` at the cursor. */
export async function applyQuickFix(page: Page, title: string): Promise<void> {
  const item = page.locator(".action-widget").getByText(title);
  await until(page, () => page.keyboard.press("Control+."), item);
  await item.click();
}

/** Opens a workspace file through Quick Open. */
export async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press("Control+P");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor();
  await input.fill(name);
  // Click the file's row: the first row may be a recently opened one.
  await page
    .locator(".quick-input-list .monaco-list-row")
    .filter({ has: page.locator(".label-name", { hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) }) })
    .first()
    .click();
  await page.locator(`.tab.active[aria-label*="${name}"]`).waitFor();
}

/** Accepts what the input box or quick pick titled `title` proposes. */
export async function acceptQuickInput(page: Page, title: string): Promise<void> {
  await page.locator(".quick-input-widget .quick-input-title", { hasText: title }).waitFor({ state: "visible" });
  await page.keyboard.press("Enter");
  await page.locator(".quick-input-widget .quick-input-title", { hasText: title }).waitFor({ state: "hidden" });
}

/** Replaces the text of the input box titled `title` and accepts it. */
export async function typeIntoQuickInput(page: Page, title: string, text: string): Promise<void> {
  const titled = page.locator(".quick-input-widget .quick-input-title", { hasText: title });
  await titled.waitFor({ state: "visible" });
  const input = page.locator(".quick-input-widget input");
  await input.fill(text);
  await input.press("Enter");
  await titled.waitFor({ state: "hidden" });
}

/** Processes whose command line mentions `text`, other than the ones asking. */
export function processesMentioning(text: string): string[] {
  const r = spawnSync("ps", ["-eo", "pid=,args="], { encoding: "utf8" });
  return r.stdout.split("\n").filter((l) => l.includes(text) && !l.includes("ps -eo"));
}
