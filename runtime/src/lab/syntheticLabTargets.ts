/**
 * Simulated targets for discovery the lab cannot run locally (discovery.kubernetes and the like): realistic
 * Kubernetes pod label sets, the same for the same count on every run.
 */
import type { TargetLabels } from "../ring/keys";

const APPS = ["checkout", "cart", "search", "payments", "frontend", "inventory", "shipping", "auth"];
const NAMESPACES = ["default", "shop", "platform", "monitoring"];

export function syntheticLabTargets(count: number): TargetLabels[] {
  return Array.from({ length: count }, (_, i) => {
    const app = APPS[i % APPS.length];
    const ns = NAMESPACES[Math.floor(i / APPS.length) % NAMESPACES.length];
    const pod = `${app}-${((i * 2654435761) >>> 0).toString(36).slice(0, 5)}-${i.toString(36)}`;
    return {
      __address__: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:8080`,
      __meta_kubernetes_pod_name: pod,
      job: `${ns}/${app}`,
      namespace: ns,
      pod,
      container: app,
    };
  });
}
