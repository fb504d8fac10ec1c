/**
 * One lab node: an Alloy-style cluster member in its own process. It gossips with its peers (SWIM over
 * WebSockets), works out with Alloy's ring which targets of each clustered component it owns, scrapes them
 * from the target farm, serves Alloy's HTTP API, and reports to the supervisor that forked it. It exits
 * when the supervisor goes away.
 */
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import { isIP, type AddressInfo } from "node:net";
import type { ScrapeTargetStatus } from "../alloyApi/alloyWebApi";
import { GOSSIP_SECRET_ENV, isSupervisorMessage, type NodeToSupervisor, type ScrapeResult } from "../protocol/nodeMessages";
import { isLive, type MemberRecord } from "../membership/gossipFrames";
import { ClusterJoiner, discoverJoinAddresses } from "../membership/clusterJoiner";
import { ClusterReadiness } from "../membership/clusterReadiness";
import { changesPeers, SwimMembership } from "../membership/swimMembership";
import { TIMING_PROFILES } from "../membership/swimTiming";
import { ringMemberNames } from "../ring/membership";
import { ComponentOwnership, UpdatePacer } from "./componentOwnership";
import { DurationHistogram } from "./durationHistogram";
import { GossipTransport, type GossipTls } from "./gossipTransport";
import { handleNodeRequest, type NodeView } from "./nodeHttpApi";
import { parseNodeConfig } from "./nodeConfig";
import { formatGoDuration, splitHostPort } from "../../../language-server/src/alloy";
import { Scraper } from "./scraper";
import { scrapeTargetStatus } from "./scrapeStatus";

const parsed = parseNodeConfig(process.argv.slice(2));
if (!parsed.ok) {
  for (const e of parsed.errors) process.stderr.write(`alloy-lab node: ${e}\n`);
  process.exit(2);
}
const config = parsed.config;
for (const w of parsed.warnings) process.stderr.write(`alloy-lab node: ${w}\n`);

const toSupervisor = (m: NodeToSupervisor): void => {
  if (process.connected) process.send!(m);
};
// The supervisor owns us: when its IPC channel closes (it exited or was killed), we go too.
if (process.send !== undefined) process.on("disconnect", () => process.exit(0));

const timing = TIMING_PROFILES[config.profile];
const startedAt = Date.now();
/** wait-for-size, from the moment the cluster service is built (process start), as Alloy. */
const readiness = new ClusterReadiness(config.clusterEnabled ? config.waitForSize : 0, config.waitTimeoutMs, startedAt);
let membership: SwimMembership;
let transport: GossipTransport;

let components: ComponentOwnership[] = [];
const updateDurations = new DurationHistogram();
let componentsUpdatedAt = new Date(startedAt).toISOString();
let farmUrl = "";
let lastReportAt = 0;
const pacer = new UpdatePacer(timing.ownershipMinIntervalMs);
let ownershipTimer: NodeJS.Timeout | undefined;
let stopping = false;
/** The config is loaded (the supervisor sent the components): /-/ready says so, and the node is a participant. */
let configLoaded = false;
/** The last scrape of each target, by component and key: the debug info Alloy shows. */
const lastScrapes = new Map<string, ScrapeResult>();
const scraper = new Scraper(
  process.env.HOSTNAME ?? config.nodeName,
  () => farmUrl,
  (scrapes) => {
    for (const r of scrapes) lastScrapes.set(`${r.component}\n${r.key}`, r);
    toSupervisor({ kind: "scrapes", name: config.nodeName, scrapes });
  },
);

const isPrometheusScrape = (id: string): boolean => id.startsWith("prometheus.scrape.");

/** What `c` scrapes on this node now, as Alloy's prometheus.scrape debug info lists it. */
function scrapeStatuses(c: ComponentOwnership): ScrapeTargetStatus[] {
  const out: ScrapeTargetStatus[] = [];
  c.assignment.keys.forEach((key, i) => {
    if (!c.owned.has(key)) return;
    const last = lastScrapes.get(`${c.spec.id}\n${key}`);
    out.push(scrapeTargetStatus(c.spec.id, c.assignment.targets[i], last && { at: last.at, ok: last.ok, durationMs: last.durationMs, error: last.error }));
  });
  return out;
}

function liveMembers(): MemberRecord[] {
  return membership.snapshot().filter((m) => isLive(m.status));
}

/** ckit's sharder peers: the live participants and terminating nodes (what wait-for-size counts). */
function sharderPeers(): number {
  return ringMemberNames(liveMembers(), "read").length;
}

/** Clustered components may take work (wait-for-size). */
function ready(): boolean {
  return readiness.ready;
}

/** Which targets of each component are ours; clustered ones by the ring among participants. */
function recomputeOwnership(): void {
  const started = performance.now();
  pacer.ran(Date.now());
  const view = {
    self: membership.name,
    participants: ringMemberNames(liveMembers(), "readWrite"),
    ready: ready(),
    clusterEnabled: config.clusterEnabled,
    stopping,
  };
  for (const c of components) scraper.set(c.spec.id, c.spec.scrapeIntervalMs, c.update(view));
  updateDurations.observe((performance.now() - started) / 1000);
}

/** Ownership follows membership at once, or at most once per interval in the alloy profile (as Alloy). */
function scheduleOwnership(): void {
  const now = Date.now();
  const wait = pacer.dueAt(now) - now;
  if (wait <= 0) {
    recomputeOwnership();
    report();
  } else if (ownershipTimer === undefined) {
    ownershipTimer = setTimeout(() => {
      ownershipTimer = undefined;
      recomputeOwnership();
      report();
    }, wait);
  }
}

/** ckit's Lamport clock of this node (cluster_node_lamport_time). */
function lamport(): number {
  return membership.lamportTime;
}

/** The last report sent, as sent: an unchanged view is not sent again (the supervisor rebuilds its state on each). */
let lastReport = "";

/**
 * Tells the supervisor what we see and own: at once after a membership or ownership change, and within a
 * second of any other change (an incarnation, say).
 */
function report(): void {
  lastReportAt = Date.now();
  const message: NodeToSupervisor = {
    kind: "report",
    name: membership.name,
    members: membership.snapshot(),
    ready: ready(),
    readiness: { state: readiness.state, peers: sharderPeers(), minimumSize: readiness.minimumSize },
    owned: components.map((c) => ({ component: c.spec.id, keys: [...c.owned].sort() })),
    lamport: lamport(),
  };
  // The clock moves on every push-pull: that alone is no news worth a report (it rides along with the next one).
  const text = JSON.stringify({ ...message, lamport: 0 });
  if (text === lastReport) return;
  lastReport = text;
  toSupervisor(message);
}

/** The pending wake-up for membership timers, and when it fires. */
let tickTimer: NodeJS.Timeout | undefined;
let tickAt = Infinity;

/** Sleeps until membership (or the wait-for-size timeout) next has work (not on a fixed short tick: an idle lab should cost nearly nothing). */
function scheduleTick(): void {
  if (!config.clusterEnabled || membership === undefined) return;
  const at = Math.min(membership.nextTickAt(), readiness.nextDeadline(), joiner.nextDeadline());
  // Later too: an ack makes the probe's timeout moot, and a wake-up costs more than moving a timer.
  if (at === tickAt) return;
  if (tickTimer !== undefined) clearTimeout(tickTimer);
  tickTimer = undefined;
  tickAt = at;
  if (at === Infinity) return;
  tickTimer = setTimeout(
    () => {
      tickTimer = undefined;
      tickAt = Infinity;
      const now = Date.now();
      membership.tick(now);
      if (joiner.rejoinDue(now) && !stopping) membership.join(joiner.pick(discoverPeers(listeningPort)));
      flush(); // which also lets the wait-for-size timeout pass
    },
    Math.max(1, at - Date.now()),
  );
}

function flush(): void {
  for (const out of membership.takeOutgoing()) transport.send(out.to, out.frame);
  const events = membership.takeEvents();
  for (const event of events) if (event.kind !== "join-ok") toSupervisor({ kind: "membership", name: membership.name, event });
  const now = Date.now();
  // The tick may have been late: a timeout that passed counts before the peers now.
  const readinessChanged = readiness.tick(now) || readiness.update(sharderPeers(), now);
  if (events.some(changesPeers) || readinessChanged) {
    scheduleOwnership();
  } else if (events.length > 0 || Date.now() - lastReportAt >= 1000) {
    // The view changed (a suspicion, say) but not the peers: the supervisor hears it, ownership stays.
    report();
  }
  scheduleTick();
}

/** Connections refused at the TLS handshake, for /metrics. */
let tlsHandshakeErrors = 0;

const view: NodeView = {
  name: config.nodeName,
  members: () => membership.snapshot(),
  configLoaded: () => configLoaded,
  readyForTraffic: ready,
  clusterName: config.clusterName,
  lamport,
  healthScore: () => membership.healthScore,
  waitForSize: config.waitForSize,
  ownedCount: () => components.reduce((n, c) => n + c.owned.size, 0),
  // Alloy's counter is prometheus.scrape's own.
  movedAway: () => components.filter((c) => isPrometheusScrape(c.spec.id)).map((c) => ({ component: c.spec.id, moved: c.movedAway })),
  invalidFrames: () => transport.invalidFrames,
  gossipEvents: () => membership.gossipEvents,
  updateDurations,
  transport: () => transport.traffic,
  tlsHandshakeErrors: () => tlsHandshakeErrors,
  components: () =>
    components.map((c) => ({
      id: c.spec.id,
      clustered: c.spec.clustered,
      targets: c.spec.targets,
      // loki.source.kubernetes tails: it has no scrape interval.
      scrapeInterval: c.spec.id.startsWith("loki.") ? undefined : formatGoDuration(c.spec.scrapeIntervalMs),
    })),
  // Only prometheus.scrape has this debug info.
  scraping: (id) => {
    const c = components.find((x) => x.spec.id === id);
    return c === undefined || !isPrometheusScrape(id) ? undefined : scrapeStatuses(c);
  },
  componentsUpdatedAt: () => componentsUpdatedAt,
};

/** TLS material from --cluster.tls-*-path, read once at start; a missing file is a clear error. */
function readTls(): GossipTls | undefined {
  const t = config.tls;
  if (t === undefined) return undefined;
  const read = (flag: string, file: string): Buffer => {
    try {
      return fs.readFileSync(file);
    } catch (err) {
      process.stderr.write(`alloy-lab node: cannot read --cluster.${flag} ${file}: ${(err as Error).message}\n`);
      process.exit(2);
    }
  };
  return { ca: read("tls-ca-path", t.caPath), cert: read("tls-cert-path", t.certPath), key: read("tls-key-path", t.keyPath), serverName: t.serverName };
}

const tls = readTls();

/** The lab's gossip secret, from the environment the supervisor gave us; then out of our environment. */
function readGossipSecret(): Buffer | undefined {
  const hex = process.env[GOSSIP_SECRET_ENV];
  delete process.env[GOSSIP_SECRET_ENV];
  if (hex === undefined || hex === "") return undefined;
  if (!/^[0-9a-f]{64}$/i.test(hex)) {
    process.stderr.write(`alloy-lab node: ${GOSSIP_SECRET_ENV} must be 64 hex digits (a 256-bit secret)\n`);
    process.exit(2);
  }
  return Buffer.from(hex, "hex");
}
const gossipSecret = readGossipSecret();
const handler: http.RequestListener = (req, res) => handleNodeRequest(view, req, res);
const server = tls ? https.createServer({ cert: tls.cert, key: tls.key, ca: tls.ca }, handler) : http.createServer(handler);
server.on("tlsClientError", () => void tlsHandshakeErrors++);
server.on("upgrade", (req, socket, head) => {
  if (!transport.handleUpgrade(req, socket, head)) socket.destroy();
});
server.on("error", (err: NodeJS.ErrnoException) => {
  const message =
    err.code === "EADDRINUSE"
      ? `port ${config.listenPort} on ${config.listenHost} is already in use`
      : `cannot listen on ${config.listenHost}:${config.listenPort}: ${err.message}`;
  process.stderr.write(`alloy-lab node: ${message}\n`);
  toSupervisor({ kind: "fatal", name: config.nodeName, message });
  process.exit(1);
});

/** The lab's current answer for the join addresses (its live nodes, as a headless service's DNS gives the ready pods), once it has given one. */
let resolvedJoinAddresses: string[] | undefined;
let joiner: ClusterJoiner;
/** The port we listen on, once listening: the port of a join address that names none. */
let listeningPort = 0;

/** Host names a lab node can resolve: IP literals, and localhost (everything here runs on loopback). */
function resolveHost(host: string): string[] {
  if (host === "localhost") return ["127.0.0.1"];
  return isIP(host) === 0 ? [] : [host];
}

/** The peers discovery finds now: the lab's answer, or the join addresses resolved (those that do not resolve are skipped, as Alloy does, with a warning). */
function discoverPeers(port: number): string[] {
  if (resolvedJoinAddresses !== undefined) return resolvedJoinAddresses;
  const found = discoverJoinAddresses(config.joinAddresses, port, resolveHost);
  for (const a of found.unresolved) process.stderr.write(`alloy-lab node: failed to resolve provided join address ${a}\n`);
  if (found.addrs.length === 0 && config.joinAddresses.length > 0)
    process.stderr.write("alloy-lab node: no join address resolved; running as a cluster of one\n");
  return found.addrs;
}

server.listen(config.listenPort, config.listenHost, () => {
  const { port } = server.address() as AddressInfo;
  // As Alloy does: an advertise address without a port gets the listen port.
  const advertised = config.advertiseAddress;
  const addr = advertised === "" ? `${config.listenHost}:${port}` : splitHostPort(advertised, true) === undefined ? `${advertised}:${port}` : advertised;
  listeningPort = port;
  membership = SwimMembership.create(config.nodeName, addr, timing, Math.random, Date.now());
  transport = new GossipTransport({
    cluster: config.clusterName,
    tls,
    secret: gossipSecret,
    name: config.nodeName,
    addr,
    onFrame: (frame, from) => {
      membership.receive(frame, from, Date.now());
      flush();
    },
    onRefused: (from, reason) => {
      membership.receive({ kind: "refused", reason }, from, Date.now());
      flush();
    },
  });
  toSupervisor({ kind: "listening", name: config.nodeName, addr, pid: process.pid });
  joiner = new ClusterJoiner(config, Math.random, Date.now());
  // The join runs beside the config load, not before it: a node that is still joining (or whose peers do
  // not answer) is already a participant on a ring of its own, as in Alloy.
  if (config.clusterEnabled) membership.join(joiner.pick(discoverPeers(port)));
  // Reports of changes that no membership event announces.
  setInterval(flush, 1000);
  flush();
});

/**
 * Graceful stop, as Alloy does it on SIGTERM: the scheduler stops every component first, so scraping ends at
 * once and this node owns nothing; then the cluster service announces terminating and leaves. Leave waits
 * at most the leave timeout for the broadcast to go out; ours has gone when the frames are handed to the
 * sockets. So peers take over after a short gap, never while this node still scrapes.
 */
function stop(): void {
  if (stopping || membership === undefined) return process.exit(0);
  stopping = true;
  scraper.clear();
  scraper.flushResults();
  recomputeOwnership();
  membership.setState("terminating");
  flush();
  membership.leave(Date.now());
  flush();
  report();
  setTimeout(() => {
    transport.close();
    server.close();
    process.exit(0);
  }, 50);
}

process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.on("message", (m: unknown) => {
  if (!isSupervisorMessage(m)) return;
  if (m.kind === "stop") stop();
  else if (m.kind === "send-scrapes") {
    scraper.sendPending();
    toSupervisor({ kind: "scrapes-sent", name: config.nodeName });
  } else if (m.kind === "partition") transport.setBlocked(m.blocked);
  else if (m.kind === "join-addresses") resolvedJoinAddresses = m.addrs;
  else {
    farmUrl = m.farm;
    scraper.clear();
    componentsUpdatedAt = new Date().toISOString();
    lastScrapes.clear();
    components = m.components.map((spec) => new ComponentOwnership(spec));
    if (!configLoaded) {
      // Alloy moves to participant right after its first config load, joined or not.
      configLoaded = true;
      if (config.clusterEnabled) membership.setState("participant");
      flush();
    }
    recomputeOwnership();
    report();
  }
});
