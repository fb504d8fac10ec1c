/**
 * Gossip over WebSockets: every node accepts connections on its HTTP listener (path GOSSIP_PATH) and dials
 * peers on demand. The first frame on a connection is `hello`; a peer of another cluster is refused there.
 * A frame that fails the check is dropped and counted — it never reaches the membership logic.
 */
import type http from "node:http";
import type { Duplex } from "node:stream";
import WebSocket, { WebSocketServer, type RawData } from "ws";
import { FrameError, MAX_FRAME_BYTES, openFrame, sealFrame, type GossipFrame } from "../membership/gossipFrames";

export const GOSSIP_PATH = "/lab/v1/gossip";
/** Frames waiting for a connection to open; beyond this, older ones are dropped (gossip tolerates loss). */
const MAX_QUEUED = 256;

/** TLS material for dialing peers (wss): the CA that signs them, and our own certificate. */
export interface GossipTls {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
  /** Name to check peers' certificates against; empty: their host. */
  serverName: string;
}

export interface GossipTransportOptions {
  cluster: string;
  tls?: GossipTls;
  /** The lab's shared secret: frames are sealed with it, and frames not sealed with it are dropped. */
  secret?: Buffer;
  name: string;
  addr: string;
  onFrame(frame: GossipFrame, fromAddr: string): void;
  onRefused(addr: string, reason: string): void;
}

interface Outbound {
  ws: WebSocket;
  queue: string[];
}

/** One direction pair of ckit's transport counters. */
export interface TrafficCounters {
  rx: number;
  rxBytes: number;
  rxFailed: number;
  tx: number;
  txBytes: number;
  txFailed: number;
}

/**
 * What the transport carried, as ckit's cluster_transport_* metrics count it: memberlist's packets (probes,
 * acks, gossip) and streams (joins and push-pulls, its TCP-like exchanges).
 */
export interface TransportTraffic {
  packets: TrafficCounters;
  streams: TrafficCounters;
}

const STREAM_FRAMES: ReadonlySet<GossipFrame["kind"]> = new Set(["join", "join-ok", "push-pull"]);
const counters = (): TrafficCounters => ({ rx: 0, rxBytes: 0, rxFailed: 0, tx: 0, txBytes: 0, txFailed: 0 });

export class GossipTransport {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  private readonly outbound = new Map<string, Outbound>();
  private blocked = new Set<string>();
  invalidFrames = 0;
  readonly traffic: TransportTraffic = { packets: counters(), streams: counters() };

  constructor(private readonly opts: GossipTransportOptions) {
    this.wss.on("connection", (ws) => this.accept(ws));
  }

  /** Hands a matching HTTP upgrade to the gossip endpoint. Returns false for other paths. */
  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): boolean {
    if (req.url !== GOSSIP_PATH) return false;
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit("connection", ws, req));
    return true;
  }

  /** Simulated partition: no gossip to or from these addresses until changed. */
  setBlocked(addrs: readonly string[]): void {
    this.blocked = new Set(addrs);
    for (const addr of addrs) this.outbound.get(addr)?.ws.terminate();
  }

  send(to: string, frame: GossipFrame): void {
    const c = STREAM_FRAMES.has(frame.kind) ? this.traffic.streams : this.traffic.packets;
    c.tx++;
    if (this.blocked.has(to)) {
      c.txFailed++; // a partition: the network drops it
      return;
    }
    let conn = this.outbound.get(to);
    if (conn === undefined) {
      try {
        conn = this.dial(to);
      } catch {
        c.txFailed++;
        return; // an address ws can't dial (the decoder lets none through): a peer that never answers
      }
    }
    const data = sealFrame(frame, this.opts.secret);
    c.txBytes += data.length;
    const failed = (err?: Error): void => {
      if (err) c.txFailed++;
    };
    if (conn.ws.readyState === WebSocket.OPEN) conn.ws.send(data, failed);
    else {
      conn.queue.push(data);
      if (conn.queue.length > MAX_QUEUED) {
        conn.queue.shift();
        c.txFailed++;
      }
    }
  }

  private dial(to: string): Outbound {
    const tls = this.opts.tls;
    const ws = new WebSocket(`${tls ? "wss" : "ws"}://${to}${GOSSIP_PATH}`, {
      maxPayload: MAX_FRAME_BYTES,
      handshakeTimeout: 5000,
      ...(tls && { ca: tls.ca, cert: tls.cert, key: tls.key, servername: tls.serverName || undefined }),
    });
    const conn: Outbound = { ws, queue: [] };
    this.outbound.set(to, conn);
    ws.on("open", () => {
      ws.send(sealFrame({ kind: "hello", cluster: this.opts.cluster, from: this.opts.name, addr: this.opts.addr }, this.opts.secret));
      for (const data of conn.queue.splice(0)) ws.send(data);
    });
    ws.on("message", (data) => {
      // Peers answer on their own connections; on ours they only ever say they refuse us.
      const frame = this.decode(data);
      if (frame?.kind === "refused") this.opts.onRefused(to, frame.reason);
    });
    const forget = (): void => {
      if (this.outbound.get(to) === conn) this.outbound.delete(to);
    };
    ws.on("close", forget);
    ws.on("error", forget); // refused or reset: the next send dials again; SWIM's timers judge the peer
    return conn;
  }

  private accept(ws: WebSocket): void {
    let peerAddr: string | undefined;
    ws.on("error", () => ws.terminate());
    ws.on("message", (data) => {
      const frame = this.decode(data);
      if (frame === undefined) return;
      if (peerAddr === undefined) {
        if (frame.kind !== "hello") {
          this.invalidFrames++;
          ws.close(1008, "hello expected");
          return;
        }
        if (frame.cluster !== this.opts.cluster) {
          const reason = `cluster name mismatch: this node is in cluster ${JSON.stringify(this.opts.cluster)}, the caller in ${JSON.stringify(frame.cluster)}`;
          ws.send(sealFrame({ kind: "refused", reason }, this.opts.secret));
          ws.close(1008, "cluster name mismatch");
          return;
        }
        peerAddr = frame.addr;
        return;
      }
      if (this.blocked.has(peerAddr)) return;
      const c = STREAM_FRAMES.has(frame.kind) ? this.traffic.streams : this.traffic.packets;
      c.rx++;
      c.rxBytes += rawLength(data);
      this.opts.onFrame(frame, peerAddr);
    });
  }

  private decode(data: RawData): GossipFrame | undefined {
    try {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      return openFrame(bytes, this.opts.secret);
    } catch (err) {
      if (!(err instanceof FrameError)) throw err;
      this.invalidFrames++;
      return undefined;
    }
  }

  close(): void {
    for (const c of this.outbound.values()) c.ws.terminate();
    this.outbound.clear();
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }
}

function rawLength(data: RawData): number {
  return Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : (data as ArrayBuffer | Buffer).byteLength;
}
