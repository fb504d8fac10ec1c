/** A lab node's HTTP API, in Alloy's shape: peers, components (with their arguments), /-/ready and /metrics. */
import type http from "node:http";
import type { DurationHistogram } from "./durationHistogram";
import type { TransportTraffic } from "./gossipTransport";
import { isLive, type MemberRecord } from "../membership/gossipFrames";
import {
  COMPONENTS_PATH,
  encodeComponentDetail,
  encodeComponentList,
  encodePeers,
  PEERS_PATH,
  type ClusteredComponentArguments,
  type ScrapeTargetStatus,
} from "../alloyApi/alloyWebApi";

export interface NodeView {
  name: string;
  /** --cluster.name: every ckit metric carries it. */
  clusterName: string;
  members(): MemberRecord[];
  /** The config is loaded: Alloy's /-/ready (it says nothing about wait-for-size). */
  configLoaded(): boolean;
  /** wait-for-size: clustered components may take work (cluster_ready_for_traffic). */
  readyForTraffic(): boolean;
  lamport(): number;
  healthScore(): number;
  waitForSize: number;
  ownedCount(): number;
  /** Per scrape component, how many targets moved from this node to another. */
  movedAway(): { component: string; moved: number }[];
  invalidFrames(): number;
  /** ckit's gossip counters, by event (state changes received are the ones passed on, too). */
  gossipEvents(): Readonly<Record<string, number>>;
  /** How long each ownership update (ckit notifying its observer, Alloy's cluster service) took. */
  updateDurations: DurationHistogram;
  transport(): TransportTraffic;
  /** Connections refused at the TLS handshake (with --cluster.enable-tls: a client without TLS, or an untrusted one). */
  tlsHandshakeErrors(): number;
  /** The scrape components this node runs, with all their targets (before sharding, as Alloy shows them). */
  components(): ClusteredComponentArguments[];
  /** What a component scrapes on this node now (its debug info), for components that have that debug info. */
  scraping(id: string): ScrapeTargetStatus[] | undefined;
  /** When the components last changed, for their health's updatedTime. */
  componentsUpdatedAt(): string;
}

/**
 * Alloy's peers endpoint: what ckit's sharder holds, the live participants and terminating nodes (not viewers,
 * which take no work), sorted by name.
 */
export function peersJson(view: NodeView): string {
  const peers = view
    .members()
    .filter((m) => isLive(m.status) && m.state !== "viewer")
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((m) => ({ name: m.name, addr: m.addr, isSelf: m.name === view.name, state: m.state }));
  return encodePeers(peers);
}

/** memberlist's protocol version (ProtocolVersion2Compatible), which ckit reports. */
const GOSSIP_PROTO_VERSION = 2;

export function metricsText(view: NodeView): string {
  const live = view.members().filter((m) => isLive(m.status));
  const self = live.find((m) => m.name === view.name);
  const byState = { viewer: 0, participant: 0, terminating: 0 };
  for (const m of live) byState[m.state]++;
  // ckit and Alloy's cluster service label their metrics with the cluster name (the Lamport clock aside).
  const cluster = `cluster_name="${escapeLabel(view.clusterName)}"`;
  const lines = [
    "# HELP cluster_node_info Info about the local node. Label values will change as the node changes state.",
    "# TYPE cluster_node_info gauge",
    `cluster_node_info{${cluster},state="${self?.state ?? "viewer"}"} 1`,
    "# HELP cluster_node_peers Current number of healthy peers by state",
    "# TYPE cluster_node_peers gauge",
    ...Object.entries(byState).map(([s, n]) => `cluster_node_peers{${cluster},state="${s}"} ${n}`),
    "# HELP cluster_node_lamport_time The node's current lamport time",
    "# TYPE cluster_node_lamport_time gauge",
    `cluster_node_lamport_time ${view.lamport()}`,
    "# HELP cluster_node_gossip_health_score Health value of a node; lower values means healthier. 0 is the minimum.",
    "# TYPE cluster_node_gossip_health_score gauge",
    `cluster_node_gossip_health_score{${cluster}} ${view.healthScore()}`,
    "# HELP cluster_node_gossip_proto_version Gossip protocol version used by nodes to maintain the cluster",
    "# TYPE cluster_node_gossip_proto_version gauge",
    `cluster_node_gossip_proto_version{${cluster}} ${GOSSIP_PROTO_VERSION}`,
    "# HELP cluster_node_gossip_alive_peers How many alive gossip peers a node has, including the local node.",
    "# TYPE cluster_node_gossip_alive_peers gauge",
    `cluster_node_gossip_alive_peers{${cluster}} ${live.length}`,
    "# HELP cluster_node_gossip_received_events_total Total number of gossip messages handled by the node.",
    "# TYPE cluster_node_gossip_received_events_total counter",
    ...Object.entries(view.gossipEvents()).map(([event, n]) => `cluster_node_gossip_received_events_total{${cluster},event="${event}"} ${n}`),
    "# HELP cluster_node_gossip_broadcasts_total Total number of gossip messages broadcasted by the node.",
    "# TYPE cluster_node_gossip_broadcasts_total counter",
    `cluster_node_gossip_broadcasts_total{${cluster},event="state_change_message"} ${view.gossipEvents().state_change_message ?? 0}`,
    // Updates run to completion before a scrape of /metrics is answered: never caught in the middle of one.
    "# HELP cluster_node_updating 1 if the node is currently processing a change to the cluster state.",
    "# TYPE cluster_node_updating gauge",
    `cluster_node_updating{${cluster}} 0`,
    "# HELP cluster_node_update_duration_seconds Histogram of the latency it took to process a change to the cluster state.",
    "# TYPE cluster_node_update_duration_seconds histogram",
    ...view.updateDurations.lines("cluster_node_update_duration_seconds", cluster),
    // Alloy's cluster service is the one observer.
    "# HELP cluster_node_update_observers Number of internal observers waiting for changes to cluster state.",
    "# TYPE cluster_node_update_observers gauge",
    `cluster_node_update_observers{${cluster}} 1`,
    ...transportLines(view.transport()),
    "# HELP cluster_minimum_size The configured minimum cluster size required before admitting traffic to components that use clustering.",
    "# TYPE cluster_minimum_size gauge",
    `cluster_minimum_size{${cluster}} ${view.waitForSize}`,
    "# HELP cluster_ready_for_traffic Reports 1 when the cluster is ready to admit traffic, 0 otherwise.",
    "# TYPE cluster_ready_for_traffic gauge",
    `cluster_ready_for_traffic{${cluster}} ${view.readyForTraffic() ? 1 : 0}`,
    "# HELP prometheus_scrape_targets_gauge Targets this node scrapes.",
    "# TYPE prometheus_scrape_targets_gauge gauge",
    `prometheus_scrape_targets_gauge ${view.ownedCount()}`,
    "# HELP prometheus_scrape_targets_moved_total Number of targets that have moved from this instance to another one in the cluster.",
    "# TYPE prometheus_scrape_targets_moved_total counter",
    ...view.movedAway().map((c) => `prometheus_scrape_targets_moved_total{component_id="${escapeLabel(c.component)}",component_path="/"} ${c.moved}`),
    "# HELP lab_gossip_frames_invalid_total Gossip frames dropped because they failed the check.",
    "# TYPE lab_gossip_frames_invalid_total counter",
    `lab_gossip_frames_invalid_total ${view.invalidFrames()}`,
    "# HELP lab_tls_handshake_errors_total Connections refused at the TLS handshake.",
    "# TYPE lab_tls_handshake_errors_total counter",
    `lab_tls_handshake_errors_total ${view.tlsHandshakeErrors()}`,
  ];
  return lines.join("\n") + "\n";
}

/** ckit's cluster_transport_* family (no cluster_name on these). Streams never stay open here: 0. */
function transportLines(t: TransportTraffic): string[] {
  const counter = (name: string, help: string, value: number): string[] => [`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name} ${value}`];
  return [
    ...counter("cluster_transport_rx_packets_total", "Total number of HTTP/2 gossip transport packets read", t.packets.rx),
    ...counter("cluster_transport_rx_bytes_total", "Total number of HTTP/2 gossip transport bytes read", t.packets.rxBytes),
    ...counter("cluster_transport_tx_packets_total", "Total number of HTTP/2 gossip transport packets written (failed or otherwise)", t.packets.tx),
    ...counter("cluster_transport_tx_bytes_total", "Total number of HTTP/2 gossip transport bytes written (failed or otherwise)", t.packets.txBytes),
    ...counter("cluster_transport_tx_packets_failed_total", "Total number of failed HTTP/2 gossip transport packets", t.packets.txFailed),
    "# HELP cluster_transport_streams Current number of HTTP/2 transport data streams",
    "# TYPE cluster_transport_streams gauge",
    "cluster_transport_streams 0",
    ...counter("cluster_transport_stream_rx_packets_total", "Total number of HTTP/2 gossip transport stream packets read", t.streams.rx),
    ...counter("cluster_transport_stream_rx_bytes_total", "Total number of HTTP/2 gossip transport stream bytes read", t.streams.rxBytes),
    ...counter("cluster_transport_stream_rx_packets_failed_total", "Total number of HTTP/2 gossip transport stream packets failed to read", t.streams.rxFailed),
    ...counter("cluster_transport_stream_tx_packets_total", "Total number of HTTP/2 gossip transport stream packets written", t.streams.tx),
    ...counter("cluster_transport_stream_tx_bytes_total", "Total number of HTTP/2 gossip transport stream bytes written", t.streams.txBytes),
    ...counter("cluster_transport_stream_tx_packets_failed_total", "Total number of failed HTTP/2 gossip transport stream packets", t.streams.txFailed),
  ];
}

/** A Prometheus label value: backslash, double quote and line break escaped. */
function escapeLabel(v: string): string {
  return v.replace(/[\\"\n]/g, (c) => (c === "\n" ? "\\n" : `\\${c}`));
}

export function handleNodeRequest(view: NodeView, req: http.IncomingMessage, res: http.ServerResponse): void {
  const send = (status: number, type: string, body: string): void => {
    res.writeHead(status, { "content-type": type }).end(body);
  };
  if (req.method !== "GET") return send(405, "text/plain", "method not allowed\n");
  const url = req.url ?? "/";
  if (url.startsWith(`${COMPONENTS_PATH}/`)) {
    let id: string;
    try {
      id = decodeURIComponent(url.slice(COMPONENTS_PATH.length + 1));
    } catch {
      return send(400, "text/plain", "bad component id\n");
    }
    const component = view.components().find((c) => c.id === id);
    // Alloy answers an unknown component with a plain 404.
    return component
      ? send(200, "application/json", encodeComponentDetail(component, view.componentsUpdatedAt(), view.scraping(id)))
      : send(404, "text/plain", "404 page not found\n");
  }
  switch (url) {
    case PEERS_PATH:
      return send(200, "application/json", peersJson(view));
    case COMPONENTS_PATH:
      return send(200, "application/json", encodeComponentList(view.components(), view.componentsUpdatedAt()));
    case "/-/ready":
      return view.configLoaded() ? send(200, "text/plain", "Alloy is ready.\n") : send(503, "text/plain", "Alloy is not ready.\n");
    case "/metrics":
      return send(200, "text/plain; version=0.0.4", metricsText(view));
    default:
      return send(404, "text/plain", "not found\n");
  }
}
