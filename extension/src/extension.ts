/**
 * Alloy Cluster Lab for VS Code: starts the Alloy language server, runs a local cluster lab and shows its
 * nodes, target ownership and rebalancing. Thin by design: language work lives in language-server/, the lab
 * in runtime/; this file adapts them to VS Code.
 */
import path from "node:path";
import * as vscode from "vscode";
import type { LanguageClient, LanguageClientOptions, ServerOptions } from "vscode-languageclient/node";
import { drillHtml } from "./drills/drillPage";
import { AttachedSession } from "./lab/attachedSession";
import { LabSession } from "./lab/labSession";
import { planHtml } from "./planning/planPage";
import { planScaleInteractively } from "./planning/planScaleCommand";
import { RingPanel } from "./ring/ringPanel";
import { ringPicture } from "./ring/ringPicture";
import { StaticPagePanel } from "./staticPagePanel";
import { clusteringLenses } from "./views/clusteringLens";
import { clusterTree, eventsTree, statusText, targetsTree, type TargetGrouping, type TreeNode } from "./views/labTreeModel";
import { LabTreeProvider } from "./views/labTreeProvider";
import { drillReportMarkdown } from "../../runtime/src/drills/drillMarkdown";
import { DRILL_KINDS, DRILL_SUMMARIES, type DrillKind } from "../../runtime/src/drills/drillSpec";
import type { RunDrillResponse } from "../../runtime/src/protocol/controlContract";
import { describeEvent } from "../../runtime/src/protocol/labEventText";
import { SERVER_EXEC_ARGV } from "../../language-server/src/serverProcess";

let client: LanguageClient | undefined;
let lab: LabSession | undefined;
/** A real cluster being read instead of a lab; the views show one or the other. */
let attached: AttachedSession | undefined;
/** What the views show. */
const shown = (): LabSession | AttachedSession | undefined => lab ?? attached;

async function startLanguageServer(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): Promise<void> {
  // Loaded when the server starts rather than with this file: the client library is most of the bundle, and its
  // set-up would otherwise hold up activation (VS Code counts loading this file and activate's synchronous part).
  const { LanguageClient, TransportKind } = await import("vscode-languageclient/node");
  const serverModule = context.asAbsolutePath("dist/server.js");
  // The client runs the module with VS Code's own runtime (Electron as Node in desktop VS Code).
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV] } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV, "--nolazy", "--inspect=6009"] } },
  };
  const clientOptions: LanguageClientOptions = {
    // .alloy files, and every kind of file an `alloy run` command line lives in.
    documentSelector: [
      { language: "grafana-alloy" },
      { language: "yaml" },
      { language: "dockercompose" },
      { language: "dockerfile" },
      { language: "shellscript" },
      { language: "properties" },
      { language: "ini" },
      { pattern: "**/*.service" },
      { pattern: "**/*.env" },
      { pattern: "**/default/alloy" },
    ],
    outputChannel: output,
    synchronize: { configurationSection: "alloyClusterLab" },
    // A crashed server is restarted, but not a fifth time within 3 minutes (then the client says so and
    // "Restart Language Server" brings it back).
    connectionOptions: { maxRestartCount: 4 },
  };
  client = new LanguageClient("alloyClusterLab", "Alloy language server", serverOptions, clientOptions);
  return client.start();
}

/** The config to run: the active .alloy file, or its folder's (asked when there is none). */
async function pickConfig(): Promise<string | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  if (active?.fileName.endsWith(".alloy")) return active.fileName;
  const found = await vscode.workspace.findFiles("**/*.alloy", "**/node_modules/**", 50);
  if (found.length === 0) return undefined; // simulated targets only
  if (found.length === 1) return found[0].fsPath;
  const pick = await vscode.window.showQuickPick(
    found.map((u) => ({ label: vscode.workspace.asRelativePath(u), path: u.fsPath })),
    { title: "Alloy config for the lab" },
  );
  return pick?.path;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel("Alloy Cluster Lab", { log: true });
  context.subscriptions.push(output);

  let grouping: TargetGrouping = "owner";
  const views: Record<"cluster" | "targets" | "events", LabTreeProvider> = {
    cluster: new LabTreeProvider(() => {
      const s = shown();
      return s?.state ? clusterTree(s.state) : [];
    }),
    targets: new LabTreeProvider(() => {
      const s = shown();
      return s?.state ? targetsTree(s.state, grouping, s.events) : [];
    }),
    events: new LabTreeProvider(() => {
      const s = shown();
      return s ? eventsTree(s.events) : [];
    }),
  };
  for (const [id, provider] of Object.entries(views)) {
    context.subscriptions.push(vscode.window.registerTreeDataProvider(`alloyClusterLab.${id}`, provider));
  }
  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
  status.command = "alloyClusterLab.cluster.focus";
  context.subscriptions.push(status);
  // CodeLens over each clustering block the lab runs: how the live nodes split its targets right now.
  const lensesChanged = new vscode.EventEmitter<void>();
  context.subscriptions.push(
    lensesChanged,
    vscode.languages.registerCodeLensProvider(
      { language: "grafana-alloy" },
      {
        onDidChangeCodeLenses: lensesChanged.event,
        provideCodeLenses: (doc) => {
          const state = shown()?.state;
          return state
            ? clusteringLenses(doc.getText(), state).map(
                (l) =>
                  new vscode.CodeLens(new vscode.Range(l.line, l.character, l.line, l.character), {
                    title: l.title,
                    tooltip: `How the ${state.source.kind === "attached" ? "cluster's" : "lab's"} live nodes split ${l.component}'s targets`,
                    command: "alloyClusterLab.targets.focus",
                  }),
              )
            : [];
        },
      },
    ),
  );
  const refreshAll = (): void => {
    for (const v of Object.values(views)) v.refresh();
    lensesChanged.fire();
    const state = shown()?.state;
    RingPanel.refresh(() => (state ? ringPicture(state) : null));
    status.text = `$(server-environment) ${attached?.error ? "Attached: unreachable" : statusText(state)}`;
    status.tooltip = lab
      ? `Alloy Cluster Lab (${lab.profile} profile) — control API ${lab.controlUrl}`
      : attached
        ? `Attached to ${attached.url}${attached.error ? ` — ${attached.error}` : ""}`
        : "No lab running";
    if (shown()) status.show();
    else status.hide();
    void vscode.commands.executeCommand("setContext", "alloyClusterLab.running", lab !== undefined);
    void vscode.commands.executeCommand("setContext", "alloyClusterLab.attached", attached !== undefined);
  };
  refreshAll();

  const settings = () => vscode.workspace.getConfiguration("alloyClusterLab");
  const nodeName = (item?: TreeNode): string | undefined => item?.label;

  const withLab = (action: (session: LabSession, item?: TreeNode) => Promise<unknown>) => async (item?: TreeNode) => {
    if (lab === undefined)
      return void vscode.window.showWarningMessage(
        attached ? "An attached cluster is read-only: lab controls work on a lab." : "No lab is running. Start one first.",
      );
    try {
      await action(lab, item);
    } catch (err) {
      void vscode.window.showErrorMessage(`Alloy Lab: ${(err as Error).message}`);
    }
  };

  const pickNode = async (session: LabSession | AttachedSession, item: TreeNode | undefined, title: string): Promise<string | undefined> => {
    if (nodeName(item)) return nodeName(item);
    const alive = session.state?.nodes.filter((n) => n.running).map((n) => n.id) ?? [];
    return vscode.window.showQuickPick(alive, { title });
  };

  const register = (id: string, fn: (...args: never[]) => unknown): void => {
    context.subscriptions.push(vscode.commands.registerCommand(`alloyClusterLab.${id}`, fn));
  };

  register("startLab", async () => {
    if (lab !== undefined) return void vscode.window.showInformationMessage("A lab is already running.");
    if (attached !== undefined) await detach();
    const config = await pickConfig();
    const nodes = await vscode.window.showInputBox({
      title: "Nodes",
      value: String(settings().get("lab.nodes", 3)),
      validateInput: (v) => (/^([1-9]|[1-5][0-9]|6[0-4])$/.test(v) ? undefined : "1 to 64"),
    });
    if (nodes === undefined) return;
    const profiles = [
      { label: "fast", description: "sub-second failure detection on loopback" },
      { label: "alloy", description: "Alloy's own timings: a crashed node is dead after ~28 s" },
    ];
    const preferred = settings().get<string>("lab.profile", "fast");
    const profile = await vscode.window.showQuickPick(
      profiles.sort((a, b) => Number(b.label === preferred) - Number(a.label === preferred)),
      { title: "Timing profile" },
    );
    if (profile === undefined) return;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: "Starting the Alloy lab…" }, async () => {
      try {
        lab = await LabSession.start({
          cliPath: context.asAbsolutePath(path.join("dist", "cli.js")),
          nodePath: settings().get<string>("lab.nodePath") || process.execPath,
          nodes: Number(nodes),
          profile: profile.label as "fast" | "alloy",
          targets: settings().get("lab.simulatedTargets", 100),
          config,
          scrapeInterval: settings().get<string>("lab.scrapeInterval") || undefined,
          log: (line) => output.info(line),
        });
      } catch (err) {
        void vscode.window.showErrorMessage(`The Alloy lab did not start: ${(err as Error).message}`);
        return;
      }
      const session = lab;
      context.subscriptions.push(
        session.onDidChange(refreshAll),
        // A node the user did not stop or kill went away: that needs the user; the rest goes to the views.
        session.onEvent((e) => {
          if (e.kind === "node-exited" && !e.expected)
            void vscode.window.showWarningMessage(`Alloy Lab: ${describeEvent(e)}. Its targets move to the other nodes.`);
        }),
      );
      session.onExit((code) => {
        if (lab !== session) return;
        lab = undefined;
        refreshAll();
        if (code !== 0 && code !== null)
          void vscode.window.showErrorMessage(`The Alloy lab stopped unexpectedly (exit ${code}). See the "Alloy Cluster Lab" output.`);
      });
      output.info(`lab running: control API ${session.controlUrl}`);
      refreshAll();
    });
  });

  register("stopLab", async () => {
    const session = lab;
    lab = undefined;
    await session?.stop();
    refreshAll();
  });
  register(
    "addNode",
    withLab((s) => s.control.addNode()),
  );
  for (const action of ["stop", "kill", "restart"] as const) {
    register(
      `${action}Node`,
      withLab(async (s, item) => {
        const name = await pickNode(s, item, `${action[0].toUpperCase()}${action.slice(1)} which node?`);
        if (name) await s.control.node(name, action);
      }),
    );
  }
  register(
    "partition",
    withLab(async (s) => {
      const names = [...new Set(s.state?.nodes.filter((n) => n.running).map((n) => n.name))];
      const side = await vscode.window.showQuickPick(names, { canPickMany: true, title: "Nodes on one side of the partition (the rest are on the other)" });
      if (side === undefined || side.length === 0 || side.length === names.length) return;
      await s.control.partition([side, names.filter((n) => !side.includes(n))]);
    }),
  );
  register(
    "heal",
    withLab((s) => s.control.heal()),
  );
  register(
    "changeTargets",
    withLab(async (s) => {
      if (!s.state?.components.some((c) => c.targetSource === "simulated")) {
        return void vscode.window.showInformationMessage(
          "Every target of this lab is written in its config; none is simulated. Start a lab on a config that uses discovery (e.g. discovery.kubernetes) to simulate targets.",
        );
      }
      const count = await vscode.window.showInputBox({
        title: "Simulated targets",
        value: "100",
        validateInput: (v) => (/^\d{1,6}$/.test(v) && Number(v) <= 100_000 ? undefined : "0 to 100000"),
      });
      if (count !== undefined) await s.control.setTargets({ count: Number(count) });
    }),
  );
  const timelinePanel = new StaticPagePanel("alloyClusterLab.timeline");
  const planPanel = new StaticPagePanel("alloyClusterLab.plan");
  /** The last drill's result, for Save Drill Report. */
  let lastDrill: RunDrillResponse | undefined;
  /** A drill's options, asked as Kubernetes names them; undefined when the user backs out. */
  const askDrillOptions = async (kind: DrillKind): Promise<Record<string, string> | undefined> => {
    const ask = (title: string, value: string, pattern: RegExp, hint: string): Thenable<string | undefined> =>
      vscode.window.showInputBox({ title, value, validateInput: (v) => (pattern.test(v.trim()) ? undefined : hint) });
    if (kind === "scale") {
      const to = await ask("Scale to how many nodes?", "5", /^([1-9]|[1-5][0-9]|6[0-4])$/, "1 to 64");
      return to === undefined ? undefined : { to: to.trim() };
    }
    if (kind === "kill") {
      const count = await ask("Kill how many nodes at once (the highest ordinals)?", "1", /^[1-9][0-9]?$/, "a whole number");
      return count === undefined ? undefined : { count: count.trim() };
    }
    if (kind === "partition") {
      const duration = await ask("Partition for how many seconds before healing?", "10", /^\d{1,4}$/, "seconds");
      return duration === undefined ? undefined : { duration: duration.trim() };
    }
    if (kind === "rollout-deployment") {
      const surge = await ask("maxSurge (a count or a percentage)", "25%", /^\d+%?$/, "e.g. 1 or 25%");
      if (surge === undefined) return undefined;
      const unavailable = await ask("maxUnavailable (a count or a percentage)", "25%", /^\d+%?$/, "e.g. 0 or 25%");
      return unavailable === undefined ? undefined : { "max-surge": surge.trim(), "max-unavailable": unavailable.trim() };
    }
    const minReady = await ask("minReadySeconds (how long each new pod must be ready before the next)", "0", /^\d{1,4}$/, "seconds");
    return minReady === undefined ? undefined : { "min-ready-seconds": minReady.trim() };
  };
  register(
    "runDrill",
    withLab(async (s) => {
      const picked = await vscode.window.showQuickPick(
        DRILL_KINDS.map((kind) => ({ label: kind, detail: DRILL_SUMMARIES[kind] })),
        { title: "Run which drill on the lab?" },
      );
      if (picked === undefined) return;
      const kind = picked.label as DrillKind;
      const options = await askDrillOptions(kind);
      if (options === undefined) return;
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Drill: ${kind}…` }, () =>
        s.control.runDrill({ kind, options }),
      );
      lastDrill = result;
      const { report, timeline } = result;
      timelinePanel.show(`Alloy Lab: ${report.drill}`, (nonce) => drillHtml(report, timeline, nonce));
      const doc = await vscode.workspace.openTextDocument({ language: "markdown", content: drillReportMarkdown(result.report) });
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: false });
      if (report.stalled !== undefined) void vscode.window.showWarningMessage(`Alloy Lab: the ${report.drill} drill stalled: ${report.stalled}.`);
    }),
  );
  register("saveDrillReport", async () => {
    if (lastDrill === undefined) return void vscode.window.showInformationMessage("Run a drill first.");
    const uri = await vscode.window.showSaveDialog({
      title: "Save the drill report",
      filters: { Markdown: ["md"], JSON: ["json"] },
      defaultUri: vscode.Uri.file(`${lastDrill.report.drill}.md`),
    });
    if (uri === undefined) return;
    const text = uri.path.endsWith(".json") ? JSON.stringify(lastDrill, null, 2) : drillReportMarkdown(lastDrill.report);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text, "utf8"));
  });
  register("planScale", async () => {
    try {
      const planned = await planScaleInteractively(shown()?.state, settings().get("lab.simulatedTargets", 100));
      if (planned !== undefined) planPanel.show("Alloy Lab: Scale Plan", (nonce) => planHtml(planned.result, planned.context, nonce));
    } catch (err) {
      void vscode.window.showErrorMessage(`Plan Scale: ${(err as Error).message}`);
    }
  });
  register("openNodeApi", async (item?: TreeNode) => {
    const s = shown();
    if (s === undefined) return void vscode.window.showWarningMessage("No lab is running and no cluster is attached.");
    const name = await pickNode(s, item, "Open the API of which node?");
    const node = s.state?.nodes.find((n) => n.id === name);
    if (node) await vscode.env.openExternal(vscode.Uri.parse(`http://${node.addr}/api/v0/web/peers`));
  });

  const detach = async (): Promise<void> => {
    const session = attached;
    attached = undefined;
    await session?.stop();
    session?.dispose();
    refreshAll();
  };
  register("attach", async () => {
    if (lab !== undefined) return void vscode.window.showWarningMessage("Stop the lab first: the views show a lab or an attached cluster, one at a time.");
    const url = await vscode.window.showInputBox({
      title: "Attach to Alloy Cluster",
      prompt: "The HTTP address of any Alloy node of the cluster (a port-forward to one pod is enough)",
      placeHolder: "http://127.0.0.1:12345",
      value: settings().get<string>("attach.lastUrl") || undefined,
      ignoreFocusOut: true,
    });
    if (!url?.trim()) return;
    await detach();
    const intervalMs = Math.max(1, settings().get<number>("attach.refreshSeconds", 5)) * 1000;
    try {
      attached = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Reading the Alloy cluster at ${url}…` }, () =>
        AttachedSession.attach(url, intervalMs, (line) => output.info(line)),
      );
    } catch (err) {
      return void vscode.window.showErrorMessage(`Could not attach: ${(err as Error).message}`);
    }
    const session = attached;
    context.subscriptions.push(session, session.onDidChange(refreshAll));
    void settings().update("attach.lastUrl", url, vscode.ConfigurationTarget.Global);
    output.info(`attached to ${session.url}: ${session.state?.nodes.length ?? 0} nodes`);
    refreshAll();
  });
  register("detach", detach);
  register("restartLanguageServer", async () => {
    if (client === undefined) return;
    await (client.isRunning() ? client.restart() : client.start());
  });
  register("showRing", () => {
    const state = shown()?.state;
    RingPanel.show(state ? ringPicture(state) : null);
  });
  register("groupTargetsByOwner", () => {
    grouping = "owner";
    views.targets.refresh();
  });
  register("groupTargetsByComponent", () => {
    grouping = "component";
    views.targets.refresh();
  });

  // Not awaited: activation is done once the views and commands exist; the server starts beside them.
  startLanguageServer(context, output).catch((err: unknown) => output.error(`the language server did not start: ${String(err)}`));
}

export async function deactivate(): Promise<void> {
  await Promise.all([lab?.stop(), attached?.stop(), client?.stop()]);
  lab = undefined;
  attached = undefined;
  client = undefined;
}
