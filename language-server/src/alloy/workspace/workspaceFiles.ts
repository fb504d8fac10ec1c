/**
 * The files of a workspace that say something about Alloy: `.alloy` configs, YAML (manifests, Helm values,
 * compose files, ConfigMaps) and the other deployment files that can hold `alloy run`. One walk for the
 * command line and the language server: folders in name order, hidden and vendored ones skipped, bounded in
 * depth and count (a workspace can be a monorepo).
 */
import fs from "node:fs";
import path from "node:path";
import { deploymentKind } from "../commandLines/alloyRuns";

const SKIPPED_DIRS = new Set(["node_modules", ".git", "dist", "out", "vendor", ".vscode-test"]);

export const WORKSPACE_LIMITS = { maxDepth: 12, maxFiles: 5000 };

/** Whether a file name is one the checks read. */
export function isWorkspaceFile(name: string): boolean {
  return name.endsWith(".alloy") || /\.ya?ml$/i.test(name) || deploymentKind(name, "") !== undefined;
}

/** The workspace files under `root` (or `root` itself when it is a file), sorted by path within each folder. */
export function workspaceFiles(root: string, limits = WORKSPACE_LIMITS): string[] {
  if (!fs.statSync(root).isDirectory()) return [root];
  const out: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > limits.maxDepth) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch {
      return; // unreadable folder: leave it out
    }
    for (const e of entries) {
      if (out.length >= limits.maxFiles) return;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!e.name.startsWith(".") && !SKIPPED_DIRS.has(e.name)) walk(full, depth + 1);
      } else if (e.isFile() && isWorkspaceFile(e.name)) out.push(full);
    }
  };
  walk(root, 0);
  return out;
}
