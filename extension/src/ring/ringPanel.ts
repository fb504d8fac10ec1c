/**
 * The Show Ring webview: the picture from ringPicture.ts drawn as SVG, updated live. Strict CSP (one nonce
 * for our own inline script and style, nothing remote); the page only ever receives RingMessage.
 */
import { randomBytes } from "node:crypto";
import * as vscode from "vscode";
import type { RingPicture } from "./ringPicture";
import { webviewHead } from "../webviewHead";

/** What the extension sends the ring webview. */
export interface RingMessage {
  kind: "ring";
  picture: RingPicture | null;
}

/** What the webview sends back: it has (re)loaded and wants the picture. */
export interface RingReadyMessage {
  kind: "ready";
}

export class RingPanel {
  private static current: RingPanel | undefined;
  private readonly panel: vscode.WebviewPanel;
  private picture: RingPicture | null = null;

  /** Shows the panel (creating it once) and draws `picture`. */
  static show(picture: RingPicture | null): RingPanel {
    if (RingPanel.current === undefined) RingPanel.current = new RingPanel();
    RingPanel.current.panel.reveal(undefined, true);
    RingPanel.current.update(picture);
    return RingPanel.current;
  }

  /** Redraws the open panel, if any. */
  static refresh(picture: () => RingPicture | null): void {
    RingPanel.current?.update(picture());
  }

  private constructor() {
    this.panel = vscode.window.createWebviewPanel(
      "alloyClusterLab.ring",
      "Alloy Lab: Ring",
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, localResourceRoots: [] },
    );
    this.panel.webview.html = html(randomBytes(16).toString("base64"));
    this.panel.onDidDispose(() => (RingPanel.current = undefined));
    // A webview's script reloads whenever it is shown again; it asks for the picture each time.
    this.panel.webview.onDidReceiveMessage((m: RingReadyMessage) => {
      if (m.kind === "ready") this.update(this.picture);
    });
  }

  private update(picture: RingPicture | null): void {
    this.picture = picture;
    const message: RingMessage = { kind: "ring", picture };
    void this.panel.webview.postMessage(message);
  }
}

function html(nonce: string): string {
  return `${webviewHead(nonce, { scripts: true })}
  [hidden] { display: none !important; }
  #wrap { display: flex; gap: 24px; align-items: flex-start; flex-wrap: wrap; }
  svg { width: min(80vh, 90vw); height: min(80vh, 90vw); }
  table { border-collapse: collapse; }
  td, th { padding: 2px 8px; text-align: right; }
  td:first-child, th:first-child { text-align: left; }
  .swatch { display: inline-block; width: 10px; height: 10px; margin-right: 6px; border-radius: 2px; }
  #empty { opacity: 0.8; }
</style>
</head>
<body>
<div id="empty">No lab running: start one to see its ring.</div>
<div id="wrap" hidden>
  <svg id="ring" viewBox="-110 -110 220 220" role="img" aria-label="hash ring"></svg>
  <div>
    <p id="summary"></p>
    <table id="legend"><thead><tr><th>node</th><th>ring share</th><th>targets</th></tr></thead><tbody></tbody></table>
  </div>
</div>
<script nonce="${nonce}">
  const NS = "http://www.w3.org/2000/svg";
  const color = (i) => i < 0 ? "gray" : "hsl(" + Math.round((i * 137.508) % 360) + ", 65%, 55%)";
  const point = (f, r) => [r * Math.sin(2 * Math.PI * f), -r * Math.cos(2 * Math.PI * f)];
  function el(name, attrs) {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    return e;
  }
  function draw(p) {
    document.getElementById("empty").hidden = p !== null;
    document.getElementById("wrap").hidden = p === null;
    if (p === null) return;
    const svg = document.getElementById("ring");
    svg.replaceChildren();
    for (const a of p.arcs) {
      const [x0, y0] = point(a.from, 90), [x1, y1] = point(a.to, 90);
      const large = a.to - a.from > 0.5 ? 1 : 0;
      svg.appendChild(el("path", { d: "M " + x0 + " " + y0 + " A 90 90 0 " + large + " 1 " + x1 + " " + y1, fill: "none", stroke: color(a.node), "stroke-width": 12, class: "arc" }));
    }
    for (const d of p.dots) {
      const [x, y] = point(d.at, 74);
      svg.appendChild(el("circle", { cx: x, cy: y, r: 1.6, fill: color(d.node), class: "target" }));
    }
    const zero = point(0, 100);
    svg.appendChild(el("line", { x1: 0, y1: -84, x2: zero[0], y2: zero[1], stroke: "currentColor", "stroke-width": 0.5 }));
    document.getElementById("summary").textContent = p.nodes.length + " participants · 512 tokens each · " + p.totalTargets + " targets" + (p.dots.length < p.totalTargets ? " (" + p.dots.length + " drawn)" : "");
    const body = document.querySelector("#legend tbody");
    body.replaceChildren();
    p.nodes.forEach((n, i) => {
      const row = document.createElement("tr");
      const name = document.createElement("td");
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = color(i);
      name.append(swatch, n.name);
      const share = document.createElement("td");
      share.textContent = (100 * n.ringShare).toFixed(1) + " %";
      const targets = document.createElement("td");
      targets.textContent = String(n.targets);
      row.append(name, share, targets);
      body.appendChild(row);
    });
  }
  window.addEventListener("message", (e) => { if (e.data && e.data.kind === "ring") draw(e.data.picture); });
  acquireVsCodeApi().postMessage({ kind: "ready" });
</script>
</body>
</html>`;
}
