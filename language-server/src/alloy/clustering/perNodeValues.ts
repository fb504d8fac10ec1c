/**
 * Values that differ from node to node: the host name (`constants.hostname`) and the environment variables a
 * deployment sets per pod or host (`sys.env("HOSTNAME")`, `env("POD_NAME")`, …). Written into a target's
 * labels, they give every node a different key for the same target.
 */
import { childExprs, type Expr } from "../syntax";
import { dottedName, evaluate } from "../values/staticValue";

/** Environment variables that name or address the node itself (Kubernetes' downward API names, and the host's). */
const PER_NODE_ENV = /^(HOSTNAME|HOST|COMPUTERNAME|(MY_|K8S_|KUBE_|KUBERNETES_)?(NODE_NAME|NODE_IP|POD_NAME|POD_IP|HOST_IP)|INSTANCE|INSTANCE_NAME)$/;

/** Where a per-node value enters an expression (`constants.hostname`, `sys.env("POD_NAME")`), or undefined. */
export function perNodeSource(e: Expr): string | undefined {
  const name = dottedName(e);
  if (name !== undefined) return name === "constants.hostname" ? name : undefined;
  if (e.kind === "call") {
    const fn = dottedName(e.value);
    const arg = e.args[0] && evaluate(e.args[0]);
    if ((fn === "sys.env" || fn === "env") && arg?.kind === "string" && arg.text !== undefined && PER_NODE_ENV.test(arg.text)) {
      return `${fn}(${JSON.stringify(arg.text)})`;
    }
    if (fn === "coalesce") {
      // coalesce takes its first non-empty argument: a per-node value after others is only a fallback.
      const i = e.args.findIndex((a) => perNodeSource(a) !== undefined);
      if (i > 0) return `${perNodeSource(e.args[i])} whenever the values before it in coalesce(…) are empty`;
    }
  }
  for (const c of childExprs(e)) {
    const found = perNodeSource(c);
    if (found !== undefined) return found;
  }
  return undefined;
}
