/**
 * Every frame lab nodes exchange over their gossip WebSockets, with the one decoder that checks them. A
 * frame that fails the check is dropped and counted by the receiver; it never reaches the membership logic.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { isDnsName, isIP, splitHostPort } from "../../../language-server/src/alloy";
import type { NodeState } from "../ring/membership";

/** SWIM liveness of a member. */
export type PeerStatus = "alive" | "suspect" | "dead" | "left";

/** Whether a member is in the cluster: alive, or suspected but not yet declared dead (Alloy still counts it). */
export function isLive(status: PeerStatus): boolean {
  return status === "alive" || status === "suspect";
}

export interface MemberRecord {
  name: string;
  /** host:port of the member's HTTP and gossip listener. */
  addr: string;
  /** Raised only by the member itself, to refute suspicion. */
  incarnation: number;
  status: PeerStatus;
  /** ckit node state, ordered by the Lamport time of its change. */
  state: NodeState;
  stateLamport: number;
}

export type GossipFrame =
  /** First frame on every connection: who is calling, and for which cluster. */
  | { kind: "hello"; cluster: string; from: string; addr: string }
  | { kind: "refused"; reason: string }
  /** Like memberlist's join, a push-pull: the joiner's record, and everything it knows. */
  | { kind: "join"; from: MemberRecord; members: MemberRecord[] }
  | { kind: "join-ok"; members: MemberRecord[] }
  | { kind: "ping"; seq: number; from: string; updates: MemberRecord[] }
  | { kind: "ack"; seq: number; from: string; updates: MemberRecord[] }
  /** Ask `from`'s peer to probe `target` on its behalf (SWIM indirect probe). */
  | { kind: "ping-req"; seq: number; from: string; target: string; targetAddr: string }
  /** From a peer asked to probe: the target did not answer it in time (memberlist's nack). */
  | { kind: "nack"; seq: number; from: string }
  /** `lamport`: the sender's Lamport clock, as ckit's push-pull carries it (so clocks climb together). */
  | { kind: "push-pull"; from: string; members: MemberRecord[]; reply: boolean; lamport: number }
  | { kind: "gossip"; from: string; updates: MemberRecord[] };

export type FrameKind = GossipFrame["kind"];

/** Frames larger than this are refused before parsing. */
export const MAX_FRAME_BYTES = 1 << 20;
const MAX_MEMBERS = 4096;
const MAX_NAME = 256;

export function encodeFrame(frame: GossipFrame): string {
  return JSON.stringify(frame);
}

export class FrameError extends Error {}

/** Base64url HMAC-SHA256 of a frame's JSON: 43 characters, then a "." before the JSON. */
const MAC_LENGTH = 43;

function mac(secret: Buffer, json: string | Uint8Array): string {
  return createHmac("sha256", secret).update(json).digest("base64url");
}

/**
 * A frame as it goes on the wire. With the lab's shared secret it is `MAC.JSON`, so a process on this machine
 * that does not hold the secret can neither join nor inject state; without one, the plain JSON.
 */
export function sealFrame(frame: GossipFrame, secret: Buffer | undefined): string {
  const json = encodeFrame(frame);
  return secret === undefined ? json : `${mac(secret, json)}.${json}`;
}

/** Checks the seal (when there is a secret), then the frame. Throws FrameError, never anything else. */
export function openFrame(data: string | Uint8Array, secret: Buffer | undefined): GossipFrame {
  if (secret === undefined) return decodeFrame(data);
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (bytes.length > MAX_FRAME_BYTES + MAC_LENGTH + 1) fail(`frame of ${bytes.length} bytes is larger than ${MAX_FRAME_BYTES}`);
  const given = bytes.subarray(0, MAC_LENGTH);
  const body = bytes.subarray(MAC_LENGTH + 1);
  const expected = Buffer.from(mac(secret, body), "latin1");
  if (bytes[MAC_LENGTH] !== 0x2e || given.length !== expected.length || !timingSafeEqual(given, expected)) fail("frame is not signed with this lab's secret");
  return decodeFrame(body);
}

function fail(message: string): never {
  throw new FrameError(message);
}

function obj(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) fail(`${what} is not an object`);
  return v as Record<string, unknown>;
}

function str(v: unknown, what: string, max = MAX_NAME): string {
  if (typeof v !== "string" || v.length > max) fail(`${what} is not a string of at most ${max} characters`);
  return v;
}

/** A node name: 1–256 characters, none of them control characters (they end up in logs, labels and URLs). */
function name(v: unknown, what: string): string {
  const s = str(v, what);
  // eslint-disable-next-line no-control-regex
  if (s === "" || /[\u0000-\u001f\u007f]/.test(s)) fail(`${what} is empty or has control characters`);
  return s;
}

/** An address this node may dial: host:port, the host an IP or DNS name, the port 1–65535. */
function address(v: unknown, what: string): string {
  const hp = splitHostPort(str(v, what), true);
  if (hp === undefined || hp.port === undefined || hp.port < 1 || !(isIP(hp.host) || isDnsName(hp.host))) fail(`${what} is not a host:port address`);
  return v as string;
}

function count(v: unknown, what: string): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) fail(`${what} is not a whole number ≥ 0`);
  return v;
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], what: string): T {
  if (typeof v !== "string" || !(allowed as readonly string[]).includes(v)) fail(`${what} is not one of ${allowed.join(", ")}`);
  return v as T;
}

const STATUSES = ["alive", "suspect", "dead", "left"] as const;
const STATES = ["viewer", "participant", "terminating"] as const;

function member(v: unknown): MemberRecord {
  const m = obj(v, "member");
  return {
    name: name(m.name, "member.name"),
    addr: address(m.addr, "member.addr"),
    incarnation: count(m.incarnation, "member.incarnation"),
    status: oneOf(m.status, STATUSES, "member.status"),
    state: oneOf(m.state, STATES, "member.state"),
    stateLamport: count(m.stateLamport, "member.stateLamport"),
  };
}

function members(v: unknown, what: string): MemberRecord[] {
  if (!Array.isArray(v) || v.length > MAX_MEMBERS) fail(`${what} is not a list of at most ${MAX_MEMBERS} members`);
  return v.map(member);
}

/** Parses and checks a received frame. Throws FrameError (never anything else) when it is malformed. */
export function decodeFrame(data: string | Uint8Array): GossipFrame {
  const size = typeof data === "string" ? data.length : data.byteLength;
  if (size > MAX_FRAME_BYTES) fail(`frame of ${size} bytes is larger than ${MAX_FRAME_BYTES}`);
  let text: string;
  try {
    text = typeof data === "string" ? data : new TextDecoder("utf-8", { fatal: true }).decode(data);
  } catch {
    fail("frame is not valid UTF-8");
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    fail("frame is not JSON");
  }
  const f = obj(json, "frame");
  switch (f.kind) {
    case "hello":
      return { kind: "hello", cluster: str(f.cluster, "cluster"), from: name(f.from, "from"), addr: address(f.addr, "addr") };
    case "refused":
      return { kind: "refused", reason: str(f.reason, "reason", 4096) };
    case "join":
      return { kind: "join", from: member(f.from), members: members(f.members, "members") };
    case "join-ok":
      return { kind: "join-ok", members: members(f.members, "members") };
    case "ping":
    case "ack":
      return { kind: f.kind, seq: count(f.seq, "seq"), from: name(f.from, "from"), updates: members(f.updates, "updates") };
    case "ping-req":
      return {
        kind: "ping-req",
        seq: count(f.seq, "seq"),
        from: name(f.from, "from"),
        target: name(f.target, "target"),
        targetAddr: address(f.targetAddr, "targetAddr"),
      };
    case "nack":
      return { kind: "nack", seq: count(f.seq, "seq"), from: name(f.from, "from") };
    case "push-pull":
      if (typeof f.reply !== "boolean") fail("reply is not a boolean");
      return { kind: "push-pull", from: name(f.from, "from"), members: members(f.members, "members"), reply: f.reply, lamport: count(f.lamport, "lamport") };
    case "gossip":
      return { kind: "gossip", from: name(f.from, "from"), updates: members(f.updates, "updates") };
    default:
      fail(`unknown frame kind ${JSON.stringify(f.kind)}`);
  }
}
