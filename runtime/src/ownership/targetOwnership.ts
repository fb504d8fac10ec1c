/**
 * The `alloy-lab ownership` contract: which nodes own which targets, computed with Alloy's ring.
 * Input  {"nodes": [...], "targets": [{label: value}], "keyStrategy"?: "labels"|"operator"|"kubetail"|"podlogs", "numOwners"?: 1}
 * Output {"targets": [{"key": "<u64 decimal>", "owners": [...]}]} in input order.
 */
import { HashRing } from "../ring/hashRing";
import type { TargetLabels } from "../ring/keys";
import { halvesToDecimal } from "../ring/u64";
import { KEY_STRATEGIES, KeyError, keysInto, type KeyStrategy } from "./keyStrategy";

export type { KeyStrategy } from "./keyStrategy";

export interface OwnershipRequest {
  nodes: string[];
  targets: TargetLabels[];
  keyStrategy: KeyStrategy;
  numOwners: number;
}

export interface TargetOwnership {
  key: string;
  owners: string[];
}

export interface OwnershipResult {
  targets: TargetOwnership[];
}

/** A problem with the request, worded for the user; the CLI prints it and exits 2. */
export class OwnershipInputError extends Error {}

const KNOWN_FIELDS = new Set(["nodes", "targets", "keyStrategy", "numOwners"]);

function fail(message: string): never {
  throw new OwnershipInputError(message);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Validates parsed JSON into a request, naming the first problem found. */
export function parseOwnershipRequest(json: unknown): OwnershipRequest {
  if (!isPlainObject(json)) fail('input must be a JSON object with "nodes" and "targets"');
  for (const field of Object.keys(json)) {
    if (!KNOWN_FIELDS.has(field)) fail(`unknown field "${field}" (expected nodes, targets, keyStrategy, numOwners)`);
  }

  const { nodes, targets } = json;
  if (nodes === undefined) fail('missing field "nodes": a list of node names');
  if (!Array.isArray(nodes)) fail('"nodes" must be a list of node names');
  const seen = new Set<string>();
  nodes.forEach((n, i) => {
    if (typeof n !== "string" || n === "") fail(`nodes[${i}] must be a non-empty string`);
    if (seen.has(n)) fail(`nodes[${i}]: duplicate node name "${n}"`);
    seen.add(n);
  });

  if (targets === undefined) fail('missing field "targets": a list of label objects');
  const labelSets = parseTargetList(targets);
  const keyStrategy = parseKeyStrategy(json.keyStrategy);

  const numOwners = json.numOwners ?? 1;
  if (typeof numOwners !== "number" || !Number.isInteger(numOwners) || numOwners < 1) {
    fail(`"numOwners" must be a whole number ≥ 1, got ${JSON.stringify(numOwners)}`);
  }
  if (numOwners > nodes.length) {
    fail(`"numOwners" is ${numOwners} but there ${nodes.length === 1 ? "is 1 node" : `are ${nodes.length} nodes`}`);
  }

  return { nodes: nodes as string[], targets: labelSets, keyStrategy, numOwners };
}

/** A list of label sets (objects of label names to string values), or the first problem with it. */
export function parseTargetList(targets: unknown): TargetLabels[] {
  if (!Array.isArray(targets)) fail('"targets" must be a list of label objects');
  targets.forEach((t, i) => {
    if (!isPlainObject(t)) fail(`targets[${i}] must be an object of label names to string values`);
    for (const [name, value] of Object.entries(t)) {
      if (typeof value !== "string") fail(`targets[${i}].${name} must be a string, got ${JSON.stringify(value)}`);
    }
  });
  return targets as TargetLabels[];
}

/** A "keyStrategy" field: "labels" when absent. */
export function parseKeyStrategy(v: unknown): KeyStrategy {
  const keyStrategy = v ?? "labels";
  if (!(KEY_STRATEGIES as readonly unknown[]).includes(keyStrategy)) {
    fail(`"keyStrategy" must be one of ${KEY_STRATEGIES.map((k) => `"${k}"`).join(", ")}, got ${JSON.stringify(keyStrategy)}`);
  }
  return keyStrategy as KeyStrategy;
}

export function computeOwnership(req: OwnershipRequest): OwnershipResult {
  const ring = HashRing.build(req.nodes);
  const keys = new Uint32Array(2 * req.targets.length);
  try {
    keysInto(req.targets, req.keyStrategy, keys);
  } catch (err) {
    if (err instanceof KeyError) fail(`keyStrategy "${req.keyStrategy}": ${err.message}`);
    throw err;
  }
  return {
    targets: req.targets.map((_, i) => ({
      key: halvesToDecimal(keys[2 * i], keys[2 * i + 1]),
      owners: ring.lookup(keys[2 * i], keys[2 * i + 1], req.numOwners),
    })),
  };
}
