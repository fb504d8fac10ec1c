/**
 * What the workspace's files say about clustering: which configs turn it on, which deployments enable the
 * cluster (and how they run Alloy). Scanned once from disk (bounded), then kept current from open documents.
 */
import fs from "node:fs";
import {
  parse,
  type ParseResult,
  summarizeConfig,
  summarizeRuns,
  type ConfigSummary,
  type DeploymentSummary,
  findAlloyRuns,
  embeddedConfigs,
  workspaceFiles,
} from "../alloy";

const MAX_FILE_BYTES = 1 << 20;

export class WorkspaceIndex {
  private readonly configs = new Map<string, ConfigSummary>();
  private readonly deployments = new Map<string, DeploymentSummary>();
  /** The names of the configs embedded in each YAML file. */
  private readonly embedded = new Map<string, string[]>();

  /** Reads the workspace folders' Alloy configs and deployment files (files of at most 1 MiB). */
  scan(folders: readonly string[]): void {
    for (const folder of folders) {
      for (const file of workspaceFiles(folder)) {
        try {
          if (fs.statSync(file).size <= MAX_FILE_BYTES) this.update(file, fs.readFileSync(file, "utf8"));
        } catch {
          // unreadable: leave it out
        }
      }
    }
  }

  /** Records a file's current text (and parse, for a config already parsed); returns whether what it says about clustering changed. */
  update(file: string, text: string, parsed?: ParseResult): boolean {
    const before = this.clusteringOf(file);
    if (file.endsWith(".alloy")) {
      this.configs.set(file, summarizeConfig(file, parsed ?? parse(text, file)));
    } else {
      const runs = findAlloyRuns(file, text);
      if (runs.length > 0) this.deployments.set(file, summarizeRuns(file, runs));
      else this.deployments.delete(file);
      // Configs written inside the YAML (Helm values, ConfigMaps) are configs of the workspace too.
      for (const name of this.embedded.get(file) ?? []) this.configs.delete(name);
      const embedded = embeddedConfigs(file, text);
      for (const e of embedded) this.configs.set(e.name, summarizeConfig(e.name, parse(e.mapped.text, e.name)));
      this.embedded.set(
        file,
        embedded.map((e) => e.name),
      );
    }
    return this.clusteringOf(file) !== before;
  }

  /** What a file says about clustering, as a string to compare. */
  private clusteringOf(file: string): string {
    const configs = [file, ...(this.embedded.get(file) ?? [])].map((f) => this.configs.get(f)?.clustered.map((c) => c.nodeBound) ?? null);
    return JSON.stringify([configs, this.deployments.get(file) ?? null]);
  }

  configSummaries(): ConfigSummary[] {
    return [...this.configs.values()];
  }

  deploymentSummaries(): DeploymentSummary[] {
    return [...this.deployments.values()];
  }
}
