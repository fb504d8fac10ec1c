/** Realistic Kubernetes-style target label sets, deterministic for a seed (tests and benchmarks). */
import type { TargetLabels } from "../../runtime/src/ring/keys";

import { seededRandom } from "../../runtime/src/simulation/seededRandom";

export { seededRandom };

const JOBS = ["kubernetes-pods", "node-exporter", "cadvisor", "blackbox", "kube-state-metrics"];
const NAMESPACES = ["default", "kube-system", "monitoring", "payments", "checkout", "search"];
const PORTS = [8080, 9090, 9100, 9102, 12345];

export function syntheticTargets(count: number, seed = 1): TargetLabels[] {
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const targets: TargetLabels[] = [];
  for (let i = 0; i < count; i++) {
    const ip = `10.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}`;
    targets.push({
      __address__: `${ip}:${pick(PORTS)}`,
      __meta_kubernetes_pod_name: `pod-${i}`,
      job: pick(JOBS),
      namespace: pick(NAMESPACES),
      pod: `app-${Math.floor(rand() * 1e6).toString(36)}-${i.toString(36)}`,
    });
  }
  return targets;
}

export function nodeNames(count: number, prefix = "alloy-"): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${i}`);
}
