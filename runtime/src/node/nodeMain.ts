/**
 * One lab node: an Alloy-style cluster member in its own process. It gossips with its peers (SWIM over
 * WebSockets), works out with Alloy's ring which of the lab's targets it owns, serves Alloy's HTTP API, and
 * reports to the supervisor that forked it. It exits when the supervisor goes away.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { NodeToSupervisor } from "../lab/labProtocol";
import { isSupervisorMessage } from "../lab/labProtocol";
import type { MemberRecord } from "../membership/gossipFrames";
import { SwimMembership } from "../membership/swimMembership";
import { TIMING_PROFILES } from "../membership/swimTiming";
import { TargetAssignment } from "../ownership/targetAssignment";
import { ringMemberNames } from "../ring/membership";
import { GossipTransport } from "./gossipTransport";
import { handleNodeRequest, type NodeView } from "./nodeHttpApi";
import { parseNodeConfig } from "./nodeConfig";

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
let membership: SwimMembership;
let transport: GossipTransport;
let assignment = new TargetAssignment([]);
let owned = new Set<string>();
let movedTotal = 0;
let lastReportAt = 0;
let wasReady = false;
let stopping = false;

function liveMembers(): MemberRecord[] {
  return membership.snapshot().filter((m) => m.status === "alive" || m.status === "suspect");
}

function participants(): string[] {
  return ringMemberNames(liveMembers(), "readWrite");
}

/** wait-for-size: no clustered work until enough participants, or until the wait times out. */
function ready(): boolean {
  if (!config.clusterEnabled || config.waitForSize <= 0) return true;
  if (participants().length >= config.waitForSize) return true;
  return config.waitTimeoutMs > 0 && Date.now() - startedAt >= config.waitTimeoutMs;
}

function recomputeOwnership(): void {
  const owners = config.clusterEnabled ? assignment.owners(participants()) : assignment.keys.map(() => membership.name);
  const next = new Set<string>();
  if (ready()) owners.forEach((o, i) => o === membership.name && next.add(assignment.keys[i]));
  for (const k of next) if (!owned.has(k)) movedTotal++;
  for (const k of owned) if (!next.has(k)) movedTotal++;
  owned = next;
}

/** Tells the supervisor what we see and own: at once after a change, and once a second regardless. */
function report(): void {
  lastReportAt = Date.now();
  toSupervisor({
    kind: "report",
    name: membership.name,
    members: membership.snapshot(),
    ready: ready(),
    owned: [...owned].sort(),
    lamport: lamport(),
    invalidFrames: transport.invalidFrames,
  });
}

function lamport(): number {
  return membership.snapshot().reduce((m, r) => Math.max(m, r.stateLamport), 0);
}

function flush(): void {
  for (const out of membership.takeOutgoing()) transport.send(out.to, out.frame);
  const events = membership.takeEvents();
  for (const event of events) toSupervisor({ kind: "membership", name: membership.name, event });
  const isReady = ready();
  if (events.length > 0 || isReady !== wasReady) {
    wasReady = isReady;
    recomputeOwnership();
    report();
  } else if (Date.now() - lastReportAt >= 1000) {
    report();
  }
}

const view: NodeView = {
  name: config.nodeName,
  members: () => membership.snapshot(),
  ready,
  lamport,
  waitForSize: config.waitForSize,
  ownedCount: () => owned.size,
  movedTotal: () => movedTotal,
  invalidFrames: () => transport.invalidFrames,
};

const server = http.createServer((req, res) => handleNodeRequest(view, req, res));
server.on("upgrade", (req, socket, head) => {
  if (!transport.handleUpgrade(req, socket, head)) socket.destroy();
});
server.on("error", (err: NodeJS.ErrnoException) => {
  const message =
    err.code === "EADDRINUSE" ? `port ${config.listenPort} on ${config.listenHost} is already in use` : `cannot listen on ${config.listenHost}:${config.listenPort}: ${err.message}`;
  process.stderr.write(`alloy-lab node: ${message}\n`);
  toSupervisor({ kind: "fatal", name: config.nodeName, message });
  process.exit(1);
});

server.listen(config.listenPort, config.listenHost, () => {
  const { port } = server.address() as AddressInfo;
  const addr = config.advertiseAddress || `${config.listenHost}:${port}`;
  membership = SwimMembership.create(config.nodeName, addr, timing, Math.random, Date.now());
  transport = new GossipTransport({
    cluster: config.clusterName,
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
  if (config.clusterEnabled) {
    membership.join(config.joinAddresses);
    if (config.rejoinIntervalMs > 0) setInterval(() => !stopping && membership.join(config.joinAddresses), config.rejoinIntervalMs).unref();
  }
  membership.setState("participant");
  setInterval(() => {
    if (!config.clusterEnabled) return flush();
    membership.tick(Date.now());
    flush();
  }, Math.min(50, timing.gossipIntervalMs));
  flush();
});

/** Graceful stop, as Alloy does it: announce terminating, keep serving for the leave timeout, then leave. */
function stop(): void {
  if (stopping || membership === undefined) return process.exit(0);
  stopping = true;
  membership.setState("terminating");
  flush();
  setTimeout(() => {
    membership.leave(Date.now());
    flush();
    report();
    setTimeout(() => {
      transport.close();
      server.close();
      process.exit(0);
    }, 50);
  }, timing.leaveTimeoutMs);
}

process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.on("message", (m: unknown) => {
  if (!isSupervisorMessage(m)) return;
  if (m.kind === "stop") stop();
  else if (m.kind === "partition") transport.setBlocked(m.blocked);
  else {
    assignment = new TargetAssignment(m.targets);
    recomputeOwnership();
    report();
  }
});
