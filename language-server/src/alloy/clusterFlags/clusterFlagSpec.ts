/**
 * Every `--cluster.*` flag of `alloy run`, with its type and default (facts from Alloy's
 * internal/alloycli/cmd_run.go and cluster_builder.go). The language server, the lab's nodes and the CLI
 * all check flags against this one table.
 */

export type ClusterFlagType = "bool" | "string" | "hostPort" | "interfaces" | "joinAddresses" | "discoverPeers" | "duration" | "int";

export interface ClusterFlagSpec {
  /** Without dashes: `cluster.enabled`. */
  name: string;
  type: ClusterFlagType;
  /** The default value, as Alloy's flag set holds it ("" when Alloy works it out at start-up: see defaultNote). */
  defaultValue: string;
  /** What Alloy uses when the flag is left empty and works it out at start-up. */
  defaultNote?: string;
  /** Kept for backwards compatibility: accepted, with a deprecation notice, and has no effect. */
  deprecated?: boolean;
  /** Our own short explanation, for hover and help. */
  description: string;
}

export const CLUSTER_DOCS_URL = "https://grafana.com/docs/alloy/latest/reference/cli/run/#clustering";

export const CLUSTER_FLAGS: readonly ClusterFlagSpec[] = [
  {
    name: "cluster.enabled",
    type: "bool",
    defaultValue: "false",
    description: "Start Alloy in clustered mode: nodes gossip and share work through the hash ring.",
  },
  {
    name: "cluster.node-name",
    type: "string",
    defaultValue: "",
    defaultNote: "the host name",
    description: "This node's name in the cluster. Must be unique; several Alloy processes on one host need distinct names.",
  },
  {
    name: "cluster.advertise-address",
    type: "hostPort",
    defaultValue: "",
    defaultNote: "inferred from the interfaces",
    description: "The host:port other nodes use to reach this one.",
  },
  {
    name: "cluster.advertise-interfaces",
    type: "interfaces",
    defaultValue: "eth0,en0",
    description:
      "Interfaces to take the advertise address from when none is set (`all` = every interface). If none exists, Alloy falls back to 127.0.0.1, which peers cannot reach.",
  },
  {
    name: "cluster.join-addresses",
    type: "joinAddresses",
    defaultValue: "",
    description: "Comma-separated peers to join: IP[:port] or DNS name[:port], optionally prefixed dns+, dnssrv+ or dnssrvnoa+.",
  },
  {
    name: "cluster.discover-peers",
    type: "discoverPeers",
    defaultValue: "",
    description: "Find peers with go-discover: `provider=X key=value …`. Cannot be used with --cluster.join-addresses.",
  },
  {
    name: "cluster.rejoin-interval",
    type: "duration",
    defaultValue: "60s",
    description: "How often to rejoin the join addresses, healing partitions. `0s` (or a negative duration) disables.",
  },
  {
    name: "cluster.max-join-peers",
    type: "int",
    defaultValue: "5",
    description: "At most this many discovered peers are joined. 0 disables the limit; a negative number crashes Alloy once it discovers peers.",
  },
  {
    name: "cluster.name",
    type: "string",
    defaultValue: "",
    description: "Only nodes with the same cluster name may join each other. Empty: any node may join.",
  },
  { name: "cluster.enable-tls", type: "bool", defaultValue: "false", description: "Use TLS between cluster nodes; needs the CA, certificate and key paths." },
  { name: "cluster.tls-ca-path", type: "string", defaultValue: "", description: "CA certificate for cluster TLS." },
  { name: "cluster.tls-cert-path", type: "string", defaultValue: "", description: "This node's certificate for cluster TLS." },
  { name: "cluster.tls-key-path", type: "string", defaultValue: "", description: "This node's private key for cluster TLS." },
  { name: "cluster.tls-server-name", type: "string", defaultValue: "", description: "Server name to verify peers' certificates against." },
  {
    name: "cluster.wait-for-size",
    type: "int",
    defaultValue: "0",
    description: "Components that use clustering take no work until the cluster has this many nodes. 0 disables waiting.",
  },
  {
    name: "cluster.wait-timeout",
    type: "duration",
    defaultValue: "0",
    description: "Stop waiting for --cluster.wait-for-size after this long. 0 waits forever.",
  },
  { name: "cluster.use-discovery-v1", type: "bool", defaultValue: "false", deprecated: true, description: "Deprecated: accepted and ignored." },
];

const BY_NAME = new Map(CLUSTER_FLAGS.map((f) => [f.name, f]));

export function clusterFlagSpec(name: string): ClusterFlagSpec | undefined {
  return BY_NAME.get(name);
}

/** How a flag's default reads for people: the value, what Alloy works out, or "empty". */
export function describeDefault(spec: ClusterFlagSpec): string {
  return spec.defaultNote ?? (spec.defaultValue === "" ? "empty" : `\`${spec.defaultValue}\``);
}

/** go-discover providers Alloy is built with. */
export const DISCOVER_PROVIDERS: readonly string[] = [
  "aliyun",
  "aws",
  "azure",
  "digitalocean",
  "gce",
  "hcp",
  "k8s",
  "linode",
  "mdns",
  "os",
  "packet",
  "scaleway",
  "softlayer",
  "tencentcloud",
  "triton",
  "vsphere",
];
