/**
 * A webview panel that shows one static page at a time (no script: hovers are SVG titles, details are
 * <details>), replaced by each new result: the drill Timeline and the scale plan. A fresh nonce per page.
 */
import { randomBytes } from "node:crypto";
import * as vscode from "vscode";

export class StaticPagePanel {
  private panel: vscode.WebviewPanel | undefined;

  constructor(private readonly viewType: string) {}

  /** Shows `page(nonce)` under `title`, creating the panel once and reusing it until the user closes it. */
  show(title: string, page: (nonce: string) => string): void {
    if (this.panel === undefined) {
      const panel = vscode.window.createWebviewPanel(this.viewType, title, vscode.ViewColumn.Active, { enableScripts: false, localResourceRoots: [] });
      panel.onDidDispose(() => {
        if (this.panel === panel) this.panel = undefined;
      });
      this.panel = panel;
    }
    this.panel.title = title;
    this.panel.webview.html = page(randomBytes(16).toString("base64"));
    this.panel.reveal(vscode.ViewColumn.Active);
  }
}
