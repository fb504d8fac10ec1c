/** The reference values computed with Alloy's and ckit's own Go code (copied from shared/vectors). */
import fs from "node:fs";
import path from "node:path";
import type { TargetLabels } from "../../runtime/src/ring/keys";

export interface RingVectors {
  tokensPerNode: number;
  stringKeys: { input: string; key: string }[];
  nodeTokens: { node: string; tokens: Record<string, string> }[];
  targetKeys: { labels: TargetLabels; key: string }[];
  operatorKeys: { labels: TargetLabels; string: string; key: string }[];
  lookups: { nodes: string[]; keys: string[]; numOwners: number; owners: string[][] }[];
  ownership: { name: string; nodes: string[]; targets: TargetLabels[]; owners: string[] }[];
}

export function loadRingVectors(): RingVectors {
  const file = path.join(__dirname, "..", "fixtures", "ring-and-keys.json");
  return JSON.parse(fs.readFileSync(file, "utf8")) as RingVectors;
}
