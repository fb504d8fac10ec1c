/**
 * The Timeline webview: a drill's page (drillPage.ts). Static HTML under a strict CSP (no script at all:
 * the chart's hovers are SVG titles); one panel, replaced by each new drill.
 */
import { randomBytes } from "node:crypto";
import * as vscode from "vscode";
import type { DrillReport, DrillTimeline } from "../../../runtime/src/drills/drillReport";
import { drillHtml } from "./drillPage";

export class DrillPanel {
  private static current: DrillPanel | undefined;
  private readonly panel: vscode.WebviewPanel;

  static show(report: DrillReport, timeline: DrillTimeline): void {
    DrillPanel.current ??= new DrillPanel();
    DrillPanel.current.panel.title = `Alloy Lab: ${report.drill}`;
    DrillPanel.current.panel.webview.html = drillHtml(report, timeline, randomBytes(16).toString("base64"));
    DrillPanel.current.panel.reveal(vscode.ViewColumn.Active);
  }

  private constructor() {
    this.panel = vscode.window.createWebviewPanel("alloyClusterLab.timeline", "Alloy Lab: Timeline", vscode.ViewColumn.Active, {
      enableScripts: false,
      localResourceRoots: [],
    });
    this.panel.onDidDispose(() => (DrillPanel.current = undefined));
  }
}
