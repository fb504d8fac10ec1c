/**
 * Reads a cluster through Alloy's HTTP API: the peers the given node sees, each peer's own view (where its
 * address can be reached from here), and the arguments of the components that shard targets.
 */
import {
  AlloyApiError,
  COMPONENTS_PATH,
  decodeComponentList,
  decodePeers,
  decodeClusteredComponent,
  decodeScrapeDebugInfo,
  PEERS_PATH,
  ATTACHED_COMPONENTS,
  type AlloyPeer,
  type ClusteredComponentArguments,
} from "./alloyWebApi";
import type { ClusterSnapshot, NodeComponents } from "./attachedCluster";

export interface AlloyApiOptions {
  /** Per request. */
  timeoutMs?: number;
  /**
   * Nodes seen before. Those the entry node no longer lists are asked too: one that still answers is on the
   * other side of a split brain, not gone.
   */
  known?: readonly AlloyPeer[];
}

/** Peer views are fetched this many at a time. */
const CONCURRENCY = 16;

/**
 * The base of an Alloy's API from what a user pastes: `host:port`, `http://host:port`, a link to its UI page
 * or to an API path. A path before those is kept (Alloy behind a path prefix).
 */
export function alloyBaseUrl(input: string): URL {
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    throw new AlloyApiError(`not a URL: ${JSON.stringify(input)} (expected e.g. http://127.0.0.1:12345)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new AlloyApiError(`only http and https URLs can be attached to, not ${url.protocol}`);
  const path = url.pathname.replace(/\/api\/v0\/web(\/.*)?$/, "").replace(/\/(clustering|component\/.*|graph.*)?$/, "");
  return new URL(`${url.protocol}//${url.host}${path}`);
}

async function getJson(url: string, timeoutMs: number): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: "application/json" } });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = (err as Error).name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : (cause?.code ?? cause?.message ?? (err as Error).message);
    throw new AlloyApiError(`cannot reach ${url}: ${why}`);
  }
  const text = await res.text();
  if (!res.ok) throw new AlloyApiError(`${url} answered ${res.status}: ${text.split("\n")[0].slice(0, 200)}`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AlloyApiError(`${url} did not answer JSON — is this an Alloy HTTP address?`);
  }
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export async function fetchClusterSnapshot(input: string, o: AlloyApiOptions = {}): Promise<ClusterSnapshot> {
  const timeoutMs = o.timeoutMs ?? 3000;
  const base = alloyBaseUrl(input);
  const prefix = base.pathname.replace(/\/$/, "");
  const peers = decodePeers(await getJson(`${base.origin}${prefix}${PEERS_PATH}`, timeoutMs));
  if (peers.length === 0) throw new AlloyApiError(`${base.origin} lists no peers`);

  const views = new Map<string, AlloyPeer[]>();
  const listed = new Set(peers.map((p) => p.name));
  const asked = [...peers, ...(o.known ?? []).filter((p) => !listed.has(p.name))];
  const fetched = await mapLimited(asked, CONCURRENCY, async (p) => {
    if (p.isSelf && listed.has(p.name)) return peers;
    try {
      return decodePeers(await getJson(`${base.protocol}//${p.addr}${prefix}${PEERS_PATH}`, timeoutMs));
    } catch {
      return undefined; // e.g. pod addresses seen through a port-forward: this node's view is assumed
    }
  });
  asked.forEach((p, i) => {
    const view = fetched[i];
    // A known node's address may now serve another node: only its own view counts.
    if (view !== undefined && (listed.has(p.name) || view.some((q) => q.isSelf && q.name === p.name))) views.set(p.name, view);
  });

  const components = decodeComponentList(await getJson(`${base.origin}${prefix}${COMPONENTS_PATH}`, timeoutMs)).filter(
    (c) => (c.moduleID ?? "") === "" && ATTACHED_COMPONENTS.includes(c.name),
  );
  const detailUrl = (origin: string, id: string): string => `${origin}${prefix}${COMPONENTS_PATH}/${encodeURIComponent(id)}`;
  const entryJson = await mapLimited(components, CONCURRENCY, (c) => getJson(detailUrl(base.origin, c.localID), timeoutMs));
  const entryDetails = new Map<string, unknown>();
  const entryComponents: ClusteredComponentArguments[] = [];
  entryJson.forEach((json) => {
    const args = decodeClusteredComponent(json);
    if (args === undefined) return;
    entryComponents.push(args);
    entryDetails.set(args.id, json);
  });

  // Each reachable node's own arguments (its target lists may differ from the entry's) and what it says it
  // scrapes (prometheus.scrape's debug info): the truth to hold the ring's prediction against.
  const reachable = asked.filter((p) => views.has(p.name));
  const perNodeDetails = await mapLimited(
    reachable.flatMap((p) => entryComponents.map((c) => ({ p, c }))),
    CONCURRENCY,
    async ({ p, c }) => {
      try {
        // The entry node's details were read above: not again.
        const json = p.isSelf && listed.has(p.name) ? entryDetails.get(c.id) : await getJson(detailUrl(`${base.protocol}//${p.addr}`, c.id), timeoutMs);
        // Only prometheus.scrape's debug info lists its targets.
        return {
          node: p.name,
          args: decodeClusteredComponent(json),
          scraping: c.id.startsWith("prometheus.scrape.") ? decodeScrapeDebugInfo(json) : undefined,
        };
      } catch {
        return undefined; // that node's own lists are assumed to be the entry's
      }
    },
  );
  const perNode = new Map<string, NodeComponents>();
  for (const d of perNodeDetails) {
    if (d === undefined) continue;
    const entry: NodeComponents = perNode.get(d.node) ?? { components: [], scraping: new Map() };
    if (d.args !== undefined) entry.components.push(d.args);
    if (d.args !== undefined && d.scraping !== undefined) entry.scraping.set(d.args.id, d.scraping);
    perNode.set(d.node, entry);
  }
  return { url: base.href.replace(/\/$/, ""), peers, views, components: entryComponents, perNode };
}
